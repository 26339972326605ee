"""pyproject.toml: PEP 621 ``[project] dependencies`` and ``optional-dependencies`` groups,
PEP 735 ``[dependency-groups]``, and Poetry's ``[tool.poetry.dependencies]`` (with its dev
and group tables, its own version syntax, and the ``[tool.poetry.extras]`` name lists)."""

from __future__ import annotations

import re

from kmigrate.dependencies.document import Changes
from kmigrate.dependencies.requirement import ParsedRequirement
from kmigrate.dependencies.toml_edits import (
    array_entries,
    load,
    migrate_arrays,
    migrate_tables,
    read_pairs,
    rename_in_name_lists,
    table_entries,
)
from kmigrate.dependencies.toml_text import Pair, Value

_CARET_OR_TILDE = re.compile(r"^(?P<op>\^|~(?!=))\s*(?P<version>\d+(?:\.\d+)*)")


def poetry_to_pep440(constraint: str) -> str | None:
    """Poetry's version syntax as PEP 440: ``^2.2.4`` -> ``>=2.2.4,<3.0.0``, ``~2.2`` ->
    ``>=2.2,<2.3``, ``2.2.4`` -> ``==2.2.4``, ``*`` -> no constraint.  Of alternatives
    (``||``) the first is taken: enough to tell legacy Keras from Keras 3.  None when it is
    not a version constraint."""
    text = constraint.split("||")[0].strip()
    if text in ("", "*"):
        return ""
    clauses = []
    for clause in (c.replace(" ", "") for c in text.split(",") if c.strip()):
        match = _CARET_OR_TILDE.match(clause)
        if match:
            version = match.group("version")
            numbers = [int(n) for n in version.split(".")]
            if match.group("op") == "^":
                position = next((i for i, n in enumerate(numbers) if n), len(numbers) - 1)
            else:
                position = min(1, len(numbers) - 1) if len(numbers) > 1 else 0
            upper = numbers[:position] + [numbers[position] + 1]
            clauses.append(f">={version},<{'.'.join(map(str, upper))}")
        elif clause[0].isdigit():
            clauses.append(f"=={clause}")
        elif clause[0] in "<>=!~":
            clauses.append(clause)
        else:
            return None
    return ",".join(clauses)


def _is_poetry_table(path: tuple[str, ...]) -> str | None:
    """The group name of a Poetry dependency table entry's path, else None."""
    if path[:2] != ("tool", "poetry") or len(path) < 4:
        return None
    rest = path[2:-1]
    if rest in (("dependencies",), ("dev-dependencies",)):
        return rest[0]
    if len(rest) == 3 and rest[0] == "group" and rest[2] == "dependencies":
        return f"group.{rest[1]}"
    return None


def _groups(pairs: list[Pair]) -> tuple[dict[str, Value], dict[str, list[Pair]], list[Value]]:
    """The requirement arrays, the Poetry dependency tables and the Poetry extras lists."""
    arrays: dict[str, Value] = {}
    tables: dict[str, list[Pair]] = {}
    extras: list[Value] = []
    for pair in pairs:
        path, value = pair.path, pair.value
        if path == ("project", "dependencies") and value.kind == "array":
            arrays["project"] = value
        elif len(path) == 3 and path[:2] == ("project", "optional-dependencies") and value.kind == "array":
            arrays[f"optional.{path[2]}"] = value
        elif len(path) == 2 and path[0] == "dependency-groups" and value.kind == "array":
            arrays[f"dependency-group.{path[1]}"] = value
        elif len(path) == 4 and path[:3] == ("tool", "poetry", "extras") and value.kind == "array":
            extras.append(value)
        else:
            group = _is_poetry_table(path)
            if group is not None and path[-1] != "python":
                tables.setdefault(group, []).append(pair)
    return arrays, tables, extras


def migrate(changes: Changes) -> None:
    arrays, tables, extras = _groups(load(changes))
    migrate_arrays(changes, arrays, base=("project",))
    renamed = migrate_tables(changes, tables, base=("dependencies",), to_pep440=poetry_to_pep440)
    rename_in_name_lists(changes, extras, renamed)


def requirements(text: str) -> list[ParsedRequirement]:
    """Every requirement the file declares (PEP 621, PEP 735 and Poetry), for reading only."""
    arrays, tables, _ = _groups(read_pairs(text))
    found = [e.requirement for array in arrays.values() for e in array_entries(text, array)]
    for pairs in tables.values():
        found += [e.requirement for e in table_entries(text, pairs, poetry_to_pep440)[0]]
    return found
