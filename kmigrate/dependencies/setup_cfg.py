"""setup.cfg: ``install_requires`` (and ``tests_require``) in ``[options]``, every group of
``[options.extras_require]``.

setuptools reads a value that spans lines as one requirement per line, and a one-line value
as requirements separated by ``;``: edits follow the same split.  The file is parsed with
configparser first, so a file setuptools could not read is an error, left alone.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass

from kmigrate.dependencies.document import Changes, Edit, FormatError
from kmigrate.dependencies.requirement import (
    ParsedRequirement,
    advise,
    advise_in_group,
    parse,
    provided_after,
    provided_names,
)

_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]")
_KEY = re.compile(r"^(?P<key>[^\s=:#;][^=:]*?)\s*[=:][ \t]*(?P<value>.*)$")
_COMMENT = re.compile(r"(^|\s)#.*$")
# setuptools also reads the old dashed spellings.
_REQUIREMENT_KEYS = ("install_requires", "tests_require", "install-requires", "tests-require")


@dataclass(frozen=True)
class Entry:
    group: str  # "install_requires", "tests_require", or "extra:<name>"
    offset: int  # where the requirement text starts in the file
    requirement: ParsedRequirement
    line_start: int
    line_end: int  # after the line ending
    single_line: bool  # one of `;`-separated requirements on the key's own line
    piece_start: int  # single line: this piece with the separator before it (or after, if first)
    piece_end: int


def _check_parses(text: str) -> None:
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise FormatError(str(exc).splitlines()[0]) from exc


def entries(text: str) -> list[Entry]:
    found: list[Entry] = []
    section, group = None, None
    position = 0
    for raw in text.splitlines(keepends=True):
        start, position = position, position + len(raw)
        line = raw.rstrip("\r\n")
        header = _SECTION.match(line)
        if header:
            section, group = header.group("name").strip().lower(), None
            continue
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        key = _KEY.match(line)
        if key and not line[0].isspace():
            name = key.group("key").strip()
            if section == "options" and name in _REQUIREMENT_KEYS:
                group = name.replace("-", "_")
            elif section == "options.extras_require":
                group = f"extra:{name}"
            else:
                group = None
                continue
            value = key.group("value")
            if value.strip() and not value.strip().startswith("file:"):
                found += _single_line(group, value, start + key.start("value"), start, position)
            continue
        if group is not None and line[0].isspace():
            content = _COMMENT.sub("", line).strip()
            parsed = parse(content)
            if parsed is not None:
                offset = start + line.index(content)
                found.append(Entry(group, offset, parsed, start, position, False, offset, offset + len(content)))
    return found


def _single_line(group: str, value: str, value_offset: int, line_start: int, line_end: int) -> list[Entry]:
    found = []
    pieces = list(re.finditer(r"[^;]+", value))
    for index, piece in enumerate(pieces):
        content = _COMMENT.sub("", piece.group(0)).strip()
        parsed = parse(content)
        if parsed is None:
            continue
        offset = value_offset + piece.start() + piece.group(0).index(content)
        if index > 0:  # drop "; keras==2.2.4" with the separator before it
            piece_start, piece_end = value_offset + pieces[index - 1].end(), offset + len(content)
        elif len(pieces) > 1:  # the first: drop up to the next piece
            piece_start, piece_end = offset, value_offset + pieces[1].start()
        else:
            piece_start, piece_end = offset, offset + len(content)
        found.append(Entry(group, offset, parsed, line_start, line_end, True, piece_start, piece_end))
    return found


def migrate(changes: Changes) -> None:
    _check_parses(changes.text)
    found = entries(changes.text)
    target = changes.settings.target
    base = provided_after((e.requirement for e in found if e.group == "install_requires"), target)
    provided_by_group: dict[str, set[str]] = {}
    for entry in found:
        if entry.group not in provided_by_group:
            own = provided_names(e.requirement for e in found if e.group == entry.group)
            provided_by_group[entry.group] = set(own if entry.group == "install_requires" else base | own)
        advice = advise_in_group(entry.requirement, target, provided_by_group[entry.group])
        if advice is None:
            continue
        changes.apply(advice, entry.offset, _edits(changes, entry, advice.replacement))


def _edits(changes: Changes, entry: Entry, replacement: tuple[str, ...] | None) -> list[Edit]:
    if replacement is None:
        return []
    length = len(entry.requirement.text)
    if entry.single_line:
        if not replacement:
            return [Edit(entry.piece_start, entry.piece_end, "")]
        return [Edit(entry.offset, entry.offset + length, "; ".join(r.strip() for r in replacement))]
    if not replacement:
        return [Edit(entry.line_start, entry.line_end, "")]
    first, *others = replacement
    edits = [Edit(entry.offset, entry.offset + length, first.strip())]
    line = changes.text[entry.line_start : entry.line_end].rstrip("\r\n")
    indent = line[: entry.offset - entry.line_start]
    line_end = entry.line_start + len(line)
    if others:
        edits.append(Edit(line_end, line_end, "".join(f"{changes.newline}{indent}{o.strip()}" for o in others)))
    return edits


def requirements(text: str) -> list[ParsedRequirement]:
    """Every requirement of install_requires, tests_require and the extras, for reading only."""
    _check_parses(text)
    return [entry.requirement for entry in entries(text)]
