"""Kept for older imports: the reporting code lives in the ``kmigrate.reporting`` package."""

from kmigrate.reporting import *  # noqa: F401,F403
from kmigrate.reporting import __all__  # noqa: F401
