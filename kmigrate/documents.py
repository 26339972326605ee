"""What kind of document a path is, and which migration reads it.

Python sources go through the rule pipeline directly; other documents (notebooks, dependency
files) are handled by their own modules, which reuse that pipeline for the code they hold
(``kmigrate.pipeline.migrate_document`` dispatches).
Each kind lives in one module exposing ``handles(path) -> bool``,
``migrate(data, path, settings, report_fixes, project) -> FileResult`` and, when it reports under
rule ids of its own, ``RULES`` (a tuple of ``Rule``); this table is the only
place that lists them, so discovery, the runner and stdin all agree on what a file is.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kmigrate.rule_types import Rule

PYTHON_SUFFIXES = (".py",)

# Modules of the other document kinds, asked in order; imported on first use.
DOCUMENT_MODULES: tuple[str, ...] = ("kmigrate.dependencies", "kmigrate.notebooks")


@lru_cache(maxsize=None)
def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def handler_for(path: str) -> ModuleType | None:
    """The module migrating ``path`` when it is not a Python source, else None."""
    for name in DOCUMENT_MODULES:
        module = _module(name)
        if module.handles(path):
            return module
    return None


def document_rules() -> tuple[Rule, ...]:
    """The rules of the other document kinds (each module's ``RULES``), for the registry."""
    return tuple(rule for name in DOCUMENT_MODULES for rule in getattr(_module(name), "RULES", ()))


def is_document(path: str) -> bool:
    """Whether a folder walk takes ``path``: a Python source or a document some module handles."""
    return path.endswith(PYTHON_SUFFIXES) or handler_for(path) is not None
