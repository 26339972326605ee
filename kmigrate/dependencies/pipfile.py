"""Pipfile (Pipenv): ``[packages]``, ``[dev-packages]`` and custom categories, each a table of
``name = "specifier"`` (``"*"`` for any version) or an inline table with ``version``."""

from __future__ import annotations

from kmigrate.dependencies.document import Changes
from kmigrate.dependencies.toml_edits import load, migrate_tables
from kmigrate.dependencies.toml_text import Pair

# Tables of a Pipfile that are not package categories.
_NOT_PACKAGES = frozenset({"source", "requires", "scripts", "pipenv"})


def pipfile_to_pep440(constraint: str) -> str:
    """Pipfile versions are PEP 440 specifiers, or ``*`` for any version."""
    text = constraint.strip()
    return "" if text in ("", "*") else text


def migrate(changes: Changes) -> None:
    tables: dict[str, list[Pair]] = {}
    for pair in load(changes):
        if len(pair.path) == 2 and pair.path[0] not in _NOT_PACKAGES and "[]" not in pair.path:
            tables.setdefault(pair.path[0], []).append(pair)
    migrate_tables(changes, tables, base=("packages",), to_pep440=pipfile_to_pep440)
