"""The notebook file as text: where each cell's ``source`` sits, and how to write a new one.

A notebook is rewritten by splicing: only the JSON value of a changed code cell's ``source``
is replaced, in the file's own style (a list of lines or one string, its indentation, its
escaping of non-ASCII characters); every other byte of the file stays as it was, so
``git diff`` shows source lines and nothing else.  Lines of a source that did not change keep
their original JSON spelling, whatever escapes the writer of the file chose.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Generator

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class LayoutError(ValueError):
    """The text is JSON but not laid out as the scanner expects (never for a valid notebook)."""


@dataclass(frozen=True)
class SourceSpan:
    """Where one cell's ``source`` value is in the file text, and its parts."""

    start: int  # offset of the value ('[' or '"')
    end: int  # offset just past it
    items: tuple[tuple[int, int], ...] | None  # spans of the list's strings; None for one string


def _skip(text: str, at: int) -> int:
    found = _WHITESPACE.match(text, at)
    return found.end() if found is not None else at  # always found: the pattern matches ""


def _indent(line: str) -> str:
    """The spaces and tabs ``line`` starts with."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def _value_end(text: str, at: int) -> int:
    _, end = _DECODER.raw_decode(text, at)
    return end


def _object_members(text: str, at: int) -> Generator[tuple[str, int], int, None]:
    """Yield (key, value offset) of the JSON object starting at ``at``; the caller must move
    the scan past each value by sending its end offset."""
    if text[at] != "{":
        raise LayoutError(f"expected an object at offset {at}")
    at = _skip(text, at + 1)
    if text[at] == "}":
        return
    while True:
        if text[at] != '"':
            raise LayoutError(f"expected a key at offset {at}")
        key, at = _DECODER.raw_decode(text, at)  # a JSON string (checked above)
        at = _skip(text, at)
        if text[at] != ":":
            raise LayoutError(f"expected ':' at offset {at}")
        at = _skip(text, at + 1)
        end = yield key, at
        at = _skip(text, end)
        if text[at] == "}":
            return
        if text[at] != ",":
            raise LayoutError(f"expected ',' or '}}' at offset {at}")
        at = _skip(text, at + 1)


def _members(text: str, at: int) -> dict[str, tuple[int, int]]:
    """Each key of the object at ``at`` -> the span of its value (the last one for a repeated key,
    as ``json.loads`` keeps)."""
    found: dict[str, tuple[int, int]] = {}
    scan = _object_members(text, at)
    try:
        key, start = next(scan)
        while True:
            end = _value_end(text, start)
            found[key] = (start, end)
            key, start = scan.send(end)
    except StopIteration:
        return found


def _array_items(text: str, at: int) -> list[tuple[int, int]]:
    if text[at] != "[":
        raise LayoutError(f"expected an array at offset {at}")
    items: list[tuple[int, int]] = []
    at = _skip(text, at + 1)
    if text[at] == "]":
        return items
    while True:
        end = _value_end(text, at)
        items.append((at, end))
        at = _skip(text, end)
        if text[at] == "]":
            return items
        if text[at] != ",":
            raise LayoutError(f"expected ',' or ']' at offset {at}")
        at = _skip(text, at + 1)


def source_spans(text: str) -> list[SourceSpan]:
    """The span of every cell's ``source`` value, in cell order."""
    top = _members(text, _skip(text, 0))
    if "cells" not in top:
        raise LayoutError("no cells")
    spans = []
    for cell_start, _ in _array_items(text, top["cells"][0]):
        members = _members(text, cell_start)
        if "source" not in members:
            raise LayoutError("a cell without source")
        start, end = members["source"]
        items = tuple(_array_items(text, start)) if text[start] == "[" else None
        spans.append(SourceSpan(start, end, items))
    return spans


# -- the file's style ----------------------------------------------------------------------

_NON_ASCII_ESCAPE = re.compile(r"\\u(?!00[0-7][0-9a-fA-F])[0-9a-fA-F]{4}")


def escapes_non_ascii(text: str) -> bool:
    """Whether the file writes non-ASCII characters as ``\\uXXXX`` (``ensure_ascii``): it has
    such escapes and no raw non-ASCII character.  Jupyter writes them raw, the default."""
    return not any(ord(ch) > 127 for ch in text) and _NON_ASCII_ESCAPE.search(text) is not None


def indent_unit(text: str) -> str:
    """The indentation of one nesting level (Jupyter writes one space): the whitespace before
    the first key of the top-level object."""
    match = re.match(r"\s*\{\n([ \t]*)\"", text)
    return match.group(1) if match else " "


def _lines(source: str) -> list[str]:
    """A source as Jupyter stores it in a list: lines with their ends, the last without one."""
    return re.findall(r"[^\n]*\n|[^\n]+$", source)


def newline_of(text: str) -> str:
    """The line end of the JSON text itself (not of the sources inside it)."""
    return "\r\n" if "\r\n" in text else "\n"


def encode_source(text: str, span: SourceSpan, new_source: str, ascii_only: bool, unit: str) -> str:
    """The JSON text to put in place of ``span``: ``new_source`` in the style of the old value."""
    if span.items is None:
        return json.dumps(new_source, ensure_ascii=ascii_only)
    spelled: dict[str, str] = {}  # the original spelling of each line, escapes and all
    for start, end in span.items:
        spelled.setdefault(json.loads(text[start:end]), text[start:end])
    lines = _lines(new_source)
    if not lines:
        return "[]"
    if span.items:
        first = span.items[0][0]
        item_indent = text[text.rfind("\n", 0, first) + 1 : first]
        closing = text[text.rfind("\n", 0, span.end - 1) + 1 : span.end - 1]
        if closing.strip():  # `["a", "b"]` on one line: keep it on one line
            return "[" + ", ".join(spelled.get(line) or json.dumps(line, ensure_ascii=ascii_only) for line in lines) + "]"
    else:  # an empty list that gets lines: indent one level deeper than the key's line
        line_start = text.rfind("\n", 0, span.start) + 1
        closing = _indent(text[line_start:])
        item_indent = closing + unit
    newline = newline_of(text)
    body = ("," + newline + item_indent).join(
        spelled.get(line) or json.dumps(line, ensure_ascii=ascii_only) for line in lines
    )
    return f"[{newline}{item_indent}{body}{newline}{closing}]"


def splice(text: str, replacements: dict[int, str], spans: list[SourceSpan]) -> str:
    """``text`` with the source of each cell index in ``replacements`` replaced by its JSON."""
    out, at = [], 0
    for index in sorted(replacements):
        span = spans[index]
        out += [text[at : span.start], replacements[index]]
        at = span.end
    out.append(text[at:])
    return "".join(out)
