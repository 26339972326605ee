"""Where things are in a TOML text: a small scanner for editing in place.

tomllib says what a file means but not where; tomlkit would re-emit the document.  This scanner
records, for every key/value pair, its full key path and the character spans of the key and
the value (with the items of arrays and the pairs of inline tables), so that a format can
replace exactly one string or delete exactly one array item and leave every other byte alone.
It assumes a file tomllib has already accepted, and never guesses: anything it does not follow
raises ``ScanError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WS = re.compile(r"[ \t]*")
_SCALAR = re.compile(r"[^\s,\]}#]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class ScanError(ValueError):
    pass


@dataclass
class Value:
    start: int
    end: int
    kind: str  # "string", "array", "table" (inline), "other"
    text: str = ""  # strings: the decoded value
    raw_start: int = 0  # strings: span of the characters between the quotes
    raw_end: int = 0
    quote: str = ""  # strings: '"', "'", '\"\"\"' or "'''"
    items: list[Item] = field(default_factory=list)  # arrays
    pairs: list[Pair] = field(default_factory=list)  # inline tables


@dataclass
class Item:
    value: Value
    comma: int | None  # offset of the comma after the value, if any


@dataclass
class Pair:
    path: tuple[str, ...]  # the full key path, from the document root
    key_start: int  # the last part of a dotted key (`keras` in `dependencies.keras = ...`)
    key_end: int
    value: Value
    line_start: int  # the start of the line the key is on


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.pairs: list[Pair] = []

    # -- low level ----------------------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def skip_ws(self) -> None:
        found = _WS.match(self.text, self.pos)
        self.pos = found.end() if found is not None else self.pos  # always found: it matches ""

    def skip_comment(self) -> None:
        if self.peek() == "#":
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end < 0 else end

    def skip_blank(self) -> None:
        """Whitespace, newlines and comments (inside arrays)."""
        while True:
            self.skip_ws()
            self.skip_comment()
            if self.peek() in ("\n", "\r"):
                self.pos += 1
                continue
            return

    def end_of_line(self) -> None:
        self.skip_ws()
        self.skip_comment()
        if self.pos < len(self.text):
            if self.peek(2) == "\r\n":
                self.pos += 2
            elif self.peek() == "\n":
                self.pos += 1
            else:
                raise ScanError(f"unexpected {self.peek()!r} at offset {self.pos}")

    # -- keys and values ----------------------------------------------------------------
    def key(self) -> tuple[list[str], int, int]:
        """The parts of a (dotted) key, and the span of its last part."""
        parts = []
        while True:
            self.skip_ws()
            start = self.pos
            if self.peek() in ('"', "'"):
                parts.append(self.string().text)
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise ScanError(f"expected a key at offset {self.pos}")
                parts.append(match.group(0))
                self.pos = match.end()
            end = self.pos
            self.skip_ws()
            if self.peek() != ".":
                return parts, start, end
            self.pos += 1

    def string(self) -> Value:
        start = self.pos
        for quote in ('"""', "'''", '"', "'"):
            if self.text.startswith(quote, self.pos):
                break
        else:  # pragma: no cover - callers check the first character
            raise ScanError(f"expected a string at offset {self.pos}")
        raw_start = self.pos + len(quote)
        index = raw_start
        while True:
            found = self.text.find(quote, index)
            if found < 0:
                raise ScanError(f"unterminated string at offset {start}")
            if quote[0] == '"' and _escaped(self.text, raw_start, found):
                index = found + 1
                continue
            break
        if len(quote) == 3:  # up to two quotes may close a multi-line string's content
            while self.text.startswith(quote[0], found + 3):
                found += 1
        raw = self.text[raw_start:found]
        self.pos = found + len(quote)
        decoded = _unescape(raw) if quote[0] == '"' else raw
        if len(quote) == 3 and decoded.startswith(("\r\n", "\n")):
            decoded = decoded.split("\n", 1)[1]
        return Value(start, self.pos, "string", decoded, raw_start, found, quote)

    def value(self, path: tuple[str, ...]) -> Value:
        char = self.peek()
        if char in ('"', "'"):
            return self.string()
        if char == "[":
            return self.array(path)
        if char == "{":
            return self.inline_table(path)
        match = _SCALAR.match(self.text, self.pos)
        if match is None:
            raise ScanError(f"expected a value at offset {self.pos}")
        self.pos = match.end()
        return Value(match.start(), match.end(), "other")

    def array(self, path: tuple[str, ...]) -> Value:
        start = self.pos
        self.pos += 1
        items: list[Item] = []
        while True:
            self.skip_blank()
            if self.peek() == "]":
                self.pos += 1
                return Value(start, self.pos, "array", items=items)
            item = Item(self.value(path), None)
            items.append(item)
            self.skip_blank()
            if self.peek() == ",":
                item.comma = self.pos
                self.pos += 1
            elif self.peek() != "]":
                raise ScanError(f"expected , or ] at offset {self.pos}")

    def inline_table(self, path: tuple[str, ...]) -> Value:
        start = self.pos
        self.pos += 1
        pairs: list[Pair] = []
        while True:
            self.skip_ws()
            if self.peek() == "}":
                self.pos += 1
                return Value(start, self.pos, "table", pairs=pairs)
            parts, key_start, key_end = self.key()
            self.skip_ws()
            if self.peek() != "=":
                raise ScanError(f"expected = at offset {self.pos}")
            self.pos += 1
            self.skip_ws()
            full = path + tuple(parts)
            pairs.append(Pair(full, key_start, key_end, self.value(full), _line_start(self.text, key_start)))
            self.skip_ws()
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "}":
                raise ScanError(f"expected , or }} at offset {self.pos}")

    # -- the document -------------------------------------------------------------------
    def document(self) -> list[Pair]:
        table: tuple[str, ...] = ()
        while self.pos < len(self.text):
            self.skip_ws()
            char = self.peek()
            if char in ("#", "\n", "\r", ""):
                self.end_of_line()
                continue
            if char == "[":
                double = self.peek(2) == "[["
                self.pos += 2 if double else 1
                parts, _, _ = self.key()
                self.skip_ws()
                closing = "]]" if double else "]"
                if not self.text.startswith(closing, self.pos):
                    raise ScanError(f"expected {closing} at offset {self.pos}")
                self.pos += len(closing)
                # An array of tables: its pairs are told apart by a marker in the path.
                table = tuple(parts) + (("[]",) if double else ())
                self.end_of_line()
                continue
            parts, key_start, key_end = self.key()
            self.skip_ws()
            if self.peek() != "=":
                raise ScanError(f"expected = at offset {self.pos}")
            self.pos += 1
            self.skip_ws()
            full = table + tuple(parts)
            self.pairs.append(Pair(full, key_start, key_end, self.value(full), _line_start(self.text, key_start)))
            self.end_of_line()
        return self.pairs


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _escaped(text: str, start: int, index: int) -> bool:
    """An odd number of backslashes before ``index``."""
    count = 0
    while index - 1 - count >= start and text[index - 1 - count] == "\\":
        count += 1
    return count % 2 == 1


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    out, index = [], 0
    while index < len(raw):
        char = raw[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        following = raw[index + 1 : index + 2]
        if following in _ESCAPES:
            out.append(_ESCAPES[following])
            index += 2
        elif following in ("u", "U"):
            width = 4 if following == "u" else 8
            out.append(chr(int(raw[index + 2 : index + 2 + width], 16)))
            index += 2 + width
        else:  # a line-ending backslash in a multi-line string: the escape eats the whitespace
            index += 1
            while index < len(raw) and raw[index] in " \t\r\n":
                index += 1
    return "".join(out)


def scan(text: str) -> list[Pair]:
    """Every top-level key/value pair of ``text`` (pairs of inline tables sit in their values)."""
    return _Scanner(text).document()
