"""Pipfile (Pipenv): ``[packages]``, ``[dev-packages]`` and custom categories, each a table of
``name = "specifier"`` (``"*"`` for any version) or an inline table with ``version``."""

from __future__ import annotations

from kmigrate.dependencies.document import Changes
from kmigrate.dependencies.requirement import ParsedRequirement
from kmigrate.dependencies.toml_edits import (
    load,
    migrate_tables,
    read_pairs,
    table_entries,
)
from kmigrate.dependencies.toml_text import Pair

# Tables of a Pipfile that are not package categories.
_NOT_PACKAGES = frozenset({"source", "requires", "scripts", "pipenv"})


def pipfile_to_pep440(constraint: str) -> str:
    """Pipfile versions are PEP 440 specifiers, or ``*`` for any version."""
    text = constraint.strip()
    return "" if text in ("", "*") else text


def _tables(pairs: list[Pair]) -> dict[str, list[Pair]]:
    tables: dict[str, list[Pair]] = {}
    for pair in pairs:
        if len(pair.path) == 2 and pair.path[0] not in _NOT_PACKAGES and "[]" not in pair.path:
            tables.setdefault(pair.path[0], []).append(pair)
    return tables


def migrate(changes: Changes) -> None:
    migrate_tables(changes, _tables(load(changes)), base=("packages",), to_pep440=pipfile_to_pep440)


def requirements(text: str) -> list[ParsedRequirement]:
    """Every package of every category, for reading only."""
    return [
        entry.requirement
        for pairs in _tables(read_pairs(text)).values()
        for entry in table_entries(text, pairs, pipfile_to_pep440)[0]
    ]
