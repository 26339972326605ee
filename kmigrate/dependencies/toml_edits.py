"""Edits on TOML requirement lists and dependency tables, shared by pyproject.toml and Pipfile.

Two shapes hold requirements in TOML files:

- arrays of PEP 508 strings (PEP 621 ``dependencies``, optional groups, PEP 735 groups);
- tables of ``name = constraint`` (Poetry, Pipfile), the constraint a string or an inline
  table with a ``version`` key.

Both are edited in place; the result is parsed again with tomllib before it is returned, so a
bad edit is an internal error, never a broken file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kmigrate.dependencies.document import Changes, Edit, FormatError, apply_edits
from kmigrate.dependencies.requirement import (
    NOT_REWRITTEN,
    Advice,
    ParsedRequirement,
    advise,
    advise_in_group,
    parse,
    provided_after,
    provided_names,
)
from kmigrate.dependencies.toml_text import Item, Pair, ScanError, Value, scan


def load(changes: Changes) -> list[Pair]:
    """Check the file is TOML and scan it; every pair, inline-table pairs included."""
    return read_pairs(changes.text)


def read_pairs(text: str) -> list[Pair]:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(str(exc)) from exc
    try:
        return list(_flatten(scan(text)))
    except ScanError as exc:  # valid TOML the scanner does not follow: say so, touch nothing
        raise FormatError(f"TOML layout not supported for editing ({exc})") from exc


def _flatten(pairs: Iterable[Pair]) -> Iterator[Pair]:
    for pair in pairs:
        yield pair
        if pair.value.kind == "table":
            yield from _flatten(pair.value.pairs)


def _line_end(text: str, offset: int) -> int:
    """Offset after the line ending of the line holding ``offset``."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _rest_is_blank(text: str, offset: int) -> bool:
    """Only whitespace, a comma and a comment follow ``offset`` on its line."""
    end = text.find("\n", offset)
    rest = text[offset : len(text) if end < 0 else end]
    return re.fullmatch(r"[ \t]*,?[ \t]*(?:#.*)?\r?", rest) is not None


# -- arrays of requirement strings --------------------------------------------------------


@dataclass(frozen=True)
class ArrayEntry:
    array: Value
    index: int
    requirement: ParsedRequirement

    @property
    def item(self) -> Item:
        return self.array.items[self.index]


def array_entries(text: str, array: Value) -> list[ArrayEntry]:
    found = []
    for index, item in enumerate(array.items):
        value = item.value
        if value.kind != "string" or len(value.quote) != 1:
            continue
        raw = text[value.raw_start : value.raw_end]
        parsed = parse(raw)
        if parsed is not None:
            found.append(ArrayEntry(array, index, parsed))
    return found


def migrate_arrays(changes: Changes, groups: dict[str, Value], base: Iterable[str]) -> None:
    """``groups``: each array of requirement strings by a name; ``base`` the names of groups
    always installed (what they require counts as already required everywhere)."""
    entries = {name: array_entries(changes.text, array) for name, array in groups.items()}
    always = provided_after((e.requirement for name in base for e in entries.get(name, [])), changes.settings.target)
    for name, found in entries.items():
        own = provided_names(e.requirement for e in found)
        provided = set(own if name in base else always | own)
        plans: dict[int, tuple[str, ...]] = {}
        for entry in found:
            advice = advise_in_group(entry.requirement, changes.settings.target, provided)
            taken = advice is not None and changes.apply(advice, entry.item.value.raw_start, [])
            if taken and advice is not None and advice.replacement is not None:
                plans[entry.index] = tuple(r.strip() for r in advice.replacement)
        if found:
            changes.edits.extend(edit_array(changes.text, found[0].array.items, plans))


def _own_line(text: str, value: Value) -> bool:
    line_start = text.rfind("\n", 0, value.start) + 1
    return not text[line_start : value.start].strip() and _rest_is_blank(text, value.end)


def edit_array(text: str, items: list[Item], plans: dict[int, tuple[str, ...]]) -> list[Edit]:
    """The edits carrying out ``plans`` on one array of strings: item index -> the strings to
    write instead (the first one in the item's own quotes, the others as new items after it;
    ``()`` deletes the item).  Arrays with one item per line are edited line by line, so each
    line keeps its comment; other layouts are rewritten between the first and the last item,
    keeping every separator that stays."""
    if not plans:
        return []
    if all(_own_line(text, item.value) for item in items):
        return [edit for index, texts in sorted(plans.items()) for edit in _line_edits(text, items, index, texts)]
    tokens: list[str | list[str]] = []  # item, separator, item, ...
    for index, item in enumerate(items):
        if index:
            tokens.append(text[items[index - 1].value.end : item.value.start])
        tokens.append(_item_text(text, item, plans.get(index)))
    for index in sorted((i for i, texts in plans.items() if not texts), reverse=True):
        position = 2 * index
        if position + 1 < len(tokens):  # drop the item and the separator after it
            del tokens[position : position + 2]
        elif position > 0:  # the last item: and the separator before it
            del tokens[position - 1 : position + 1]
        else:
            del tokens[position]
    end = items[-1].value.end
    if not tokens and items[-1].comma is not None:
        end = items[-1].comma + 1  # `[,]` is not TOML (nor pretty Python)
    separator = _clean_separator(text, items)
    written = [separator.join(token) if isinstance(token, list) else token for token in tokens]
    return [Edit(items[0].value.start, end, "".join(written))]


def _item_text(text: str, item: Item, texts: tuple[str, ...] | None) -> str | list[str]:
    """The item as written, or its replacements (a list, joined once the separator is known)."""
    value = item.value
    written = text[value.start : value.end]
    if not texts:
        return written
    first = text[value.start : value.raw_start] + texts[0] + text[value.raw_end : value.end]
    return [first] + [f"{value.quote}{other}{value.quote}" for other in texts[1:]]


def _clean_separator(text: str, items: list[Item]) -> str:
    """The separator between the first two items without any comment, else `, `."""
    if len(items) < 2:
        return ", "
    gap = text[items[0].value.end : items[1].value.start]
    return re.sub(r"#[^\r\n]*", "", gap) if "," in gap else ", "


def _line_edits(text: str, items: list[Item], index: int, texts: tuple[str, ...]) -> list[Edit]:
    item = items[index]
    value = item.value
    if not texts:
        line_start = text.rfind("\n", 0, value.start) + 1
        return [Edit(line_start, _line_end(text, value.end), "")]  # the item's own line
    first, *others = texts
    return [Edit(value.raw_start, value.raw_end, first), *insert_after(text, items, index, others, value.quote)]


def insert_after(text: str, items: list[Item], index: int, texts: list[str], quote: str) -> list[Edit]:
    """New string items on lines of their own after item ``index`` (itself on its own line)."""
    if not texts:
        return []
    item = items[index]
    value = item.value
    line_start = text.rfind("\n", 0, value.start) + 1
    quoted = [f"{quote}{t}{quote}" for t in texts]
    indent = text[line_start : value.start]
    newline = "\r\n" if text[: _line_end(text, value.end)].endswith("\r\n") else "\n"
    edits = []
    if item.comma is None:  # the last item without a trailing comma gets one now
        edits.append(Edit(value.end, value.end, ","))
        lines = [f"{indent}{q}," for q in quoted[:-1]] + [f"{indent}{quoted[-1]}"]
    else:
        lines = [f"{indent}{q}," for q in quoted]
    end = _line_end(text, value.end)
    if end == len(text) and not text.endswith("\n"):
        edits.append(Edit(end, end, "".join(newline + line for line in lines)))
    else:
        edits.append(Edit(end, end, "".join(line + newline for line in lines)))
    return edits


# -- tables of name = constraint (Poetry, Pipfile) -----------------------------------------


@dataclass(frozen=True)
class TableEntry:
    pair: Pair
    requirement: ParsedRequirement
    version: Value | None  # the string holding the constraint (None: no version given)


def table_entries(
    text: str, pairs: Iterable[Pair], to_pep440: Callable[[str], str | None],
) -> tuple[list[TableEntry], list[Pair]]:  # fmt: skip
    """Entries of one dependency table, and the pairs whose form it cannot edit (a list of
    constraints, a version that is not a plain string)."""
    found, unreadable = [], []
    for pair in pairs:
        name = pair.path[-1]
        value = pair.value
        version: Value | None = None
        if value.kind == "string":
            version = value
        elif value.kind == "table":
            version = next((p.value for p in value.pairs if p.path[-1] == "version"), None)
            if version is not None and version.kind != "string":
                unreadable.append(pair)
                continue
        else:
            unreadable.append(pair)
            continue
        constraint = to_pep440(version.text) if version is not None else ""
        parsed = parse(f"{name}{constraint}") if constraint is not None else None
        if parsed is None:
            unreadable.append(pair)
            continue
        found.append(TableEntry(pair, parsed, version))
    return found, unreadable


def migrate_tables(
    changes: Changes, tables: dict[str, list[Pair]], base: Iterable[str], to_pep440: Callable[[str], str | None],
) -> dict[str, tuple[str, ...] | None]:  # fmt: skip
    """Rewrite dependency tables; returns what became of each rewritten package (canonical
    name -> the names written instead), for lists of package names that refer to them."""
    read = {name: table_entries(changes.text, pairs, to_pep440) for name, pairs in tables.items()}
    target = changes.settings.target
    always = provided_after((e.requirement for name in base for e in read.get(name, ([], []))[0]), target)
    renamed: dict[str, tuple[str, ...] | None] = {}
    for name, (found, unreadable) in read.items():
        own = provided_names(e.requirement for e in found)
        provided = set(own if name in base else always | own)
        for entry in found:
            advice = advise_in_group(entry.requirement, target, provided)
            if advice is None:
                continue
            advice = advice.as_written(entry.requirement, changes.text[entry.pair.key_start : entry.pair.value.end])
            if advice.fixed and entry.version is None:
                advice = Advice(
                    NOT_REWRITTEN,
                    f"{advice.message}; not rewritten: {entry.pair.path[-1]} has no version string here "
                    f"(a git/path/url source, or extras only)",
                    None,
                )
            if advice.replacement is not None and len(advice.replacement) != 1 and not _alone(changes.text, entry.pair):
                advice = Advice(
                    NOT_REWRITTEN,
                    f"{advice.message}; not rewritten: {entry.pair.path[-1]} shares its line with other "
                    f"entries (an inline table): edit it by hand",
                    None,
                )
            edits = table_edits(changes.text, entry, advice.replacement)
            if changes.apply(advice, entry.pair.key_start, edits) and advice.replacement is not None:
                written = [parse(r) for r in advice.replacement]  # kmigrate's own requirement strings: all parse
                renamed[entry.requirement.name] = tuple(w.name for w in written if w is not None)
        for pair in unreadable:
            parsed = parse(pair.path[-1])
            advice = advise(parsed, target, frozenset(provided)) if parsed is not None else None
            if advice is not None and advice.fixed:
                changes.apply(
                    Advice(NOT_REWRITTEN, f"{advice.message}; not rewritten (a constraint form kmigrate does not edit)", None),
                    pair.key_start, [],
                )  # fmt: skip
    return renamed


def _alone(text: str, pair: Pair) -> bool:
    """The pair is the only thing on its line (it can be deleted or copied as a line): before
    it only indentation or the rest of its dotted key, after it only a comment."""
    prefix = text[pair.line_start : pair.key_start]
    return not any(char in prefix for char in "{=,") and _rest_is_blank(text, pair.value.end)


def table_edits(text: str, entry: TableEntry, replacement: tuple[str, ...] | None) -> list[Edit]:
    pair = entry.pair
    if replacement is None:
        return []
    line_end = _line_end(text, pair.value.end)
    if not replacement:
        return [Edit(pair.line_start, line_end, "")]
    wanted = []
    for requirement in replacement:
        parsed = parse(requirement)
        assert parsed is not None  # built by advise from a valid requirement
        wanted.append((parsed.name, str(parsed.specifier) or "*"))
    key_text = text[pair.key_start : pair.key_end]
    quote = key_text[0] if key_text[0] in "\"'" else ""

    def pair_edits(name: str, spec: str, base: int) -> list[Edit]:
        edits = [Edit(pair.key_start - base, pair.key_end - base, f"{quote}{name}{quote}")]
        if entry.version is not None:
            edits.append(Edit(entry.version.raw_start - base, entry.version.raw_end - base, spec))
        return edits

    (first_name, first_spec), *others = wanted
    edits = pair_edits(first_name, first_spec, 0)
    if others:
        line = text[pair.line_start : line_end]
        copies = [apply_edits(line, pair_edits(n, s, pair.line_start)) for n, s in others]
        if line.endswith("\n"):
            added = "".join(copies)
        else:  # the file's last line, without a line ending: the copies go on lines of their own
            newline = "\r\n" if "\r\n" in text else "\n"
            added = "".join(newline + copy for copy in copies)
        edits.append(Edit(line_end, line_end, added))
    return edits


def rename_in_name_lists(changes: Changes, arrays: Iterable[Value], renamed: dict[str, tuple[str, ...] | None]) -> None:
    """Poetry ``[tool.poetry.extras]``: lists of package names follow the renamed packages."""
    from packaging.utils import canonicalize_name

    for array in arrays:
        plans: dict[int, tuple[str, ...]] = {}
        for index, item in enumerate(array.items):
            value = item.value
            if value.kind == "string" and len(value.quote) == 1:
                names = renamed.get(canonicalize_name(value.text))
                if names is not None:
                    plans[index] = names
        changes.edits.extend(edit_array(changes.text, array.items, plans))
