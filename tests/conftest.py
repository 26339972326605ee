"""Test-wide settings."""

from __future__ import annotations

import os

# The project-index cache (kmigrate.index_cache) would keep an index per temporary project of
# the suite in the user's cache folder: off, except in tests/test_index_cache.py, which turns it
# on in a folder of its own.
os.environ.setdefault("KMIGRATE_NO_CACHE", "1")
