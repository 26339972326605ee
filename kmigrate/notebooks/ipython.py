"""IPython syntax in a code cell, masked so that the cell parses as Python, and restored after.

Masked, at the start of a logical line (not inside a string or brackets): line magics
(``%time f()``), shell escapes (``!ls``), help (``obj?``, ``??obj``), the other escapes
(``/f 1``, ``,f a b``, ``;f a b``), assignments from them (``files = !ls``,
``t = %timeit -o f()``), ``from __future__`` imports (valid only first in a cell; the
joined cells are one program) and encoding declarations (``# -*- coding: latin-1 -*-``: the
joined program is UTF-8, as the notebook is).  A line ending in a backslash continues the
escape on the next line.  Each masked physical line becomes one placeholder line with the same indentation
(``pass  # <tag> N`` for the first line of an escape, ``# <tag> N`` for its continuations), so
line numbers stay those of the cell and no rule has anything to rewrite there; ``restore``
puts the original text back.  ``get_ipython()`` calls are Python and stay as they are.

A cell whose first line is a cell magic (``%%time``, ``%%bash``) is not Python at all and is
left out of the migration (``is_cell_magic``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPES = ("%", "!", "?", "/", ",", ";")
_ASSIGNED_ESCAPE = re.compile(r"[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")
_FUTURE_IMPORT = re.compile(r"from\s+__future__\s+import\b")
# A source-encoding declaration (PEP 263): the joined cells are UTF-8 whatever a cell declares.
_CODING_COOKIE = re.compile(r"[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
_STRING_START = re.compile(r"""[rRbBuUfF]{0,2}('''|\"\"\"|'|")""")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def physical_lines(text: str) -> list[str]:
    """Lines as Python counts them (str.splitlines would also break at form feeds)."""
    return _LINE.findall(text)


def _indent(line: str) -> str:
    """The spaces and tabs ``line`` starts with."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


# Cell magics whose body is Python run in the notebook (or a Python process).
_PYTHON_CELL_MAGICS = frozenset({"%%time", "%%timeit", "%%capture", "%%prun", "%%debug", "%%python", "%%python3"})


def is_cell_magic(source: str) -> bool:
    """The cell starts with a ``%%`` cell magic (blank lines before it are allowed)."""
    return source.lstrip(" \t\r\n").startswith("%%")


def cell_magic_name(source: str) -> str:
    """``%%time`` for a cell starting ``%%time -o t``; "" when it has no cell magic."""
    words = source.lstrip(" \t\r\n").split(None, 1)
    return words[0] if words and words[0].startswith("%%") else ""


def cell_magic_runs_python(source: str) -> bool:
    return cell_magic_name(source) in _PYTHON_CELL_MAGICS


@dataclass
class Masked:
    """A cell's source with its IPython lines replaced by placeholders."""

    text: str
    originals: dict[int, str] = field(default_factory=dict)  # placeholder number -> original line
    escapes: list[tuple[int, str]] = field(default_factory=list)  # (line in cell, original) per escape


@dataclass
class _Scanner:
    """Python's lexical state across physical lines: open brackets, an open string."""

    depth: int = 0
    quote: str | None = None  # the delimiter of a string that continues on the next line
    continued: bool = False  # the line ended with a backslash

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> bool:
        """Consume one physical line; return whether its code (outside strings and comments)
        holds a ``?`` (IPython help: never valid Python)."""
        help_mark = False
        at, end = 0, len(line.rstrip("\r\n"))
        self.continued = False
        while at < end:
            if self.quote is not None:
                at = self._in_string(line, at, end)
                continue
            ch = line[at]
            if ch == "#":
                break
            if ch == "\\" and at == end - 1:
                self.continued = True
                break
            word_start = at == 0 or not (line[at - 1].isalnum() or line[at - 1] == "_")
            match = _STRING_START.match(line, at) if ch in "'\"" or word_start else None
            if match:
                self.quote = match.group(1)
                at = match.end()
                continue
            if ch in "([{":
                self.depth += 1
            elif ch in ")]}":
                self.depth = max(0, self.depth - 1)
            elif ch == "?":
                help_mark = True
            at += 1
        if self.quote in ("'", '"') and not self.continued:
            self.quote = None  # an unterminated one-line string: a syntax error, not ours
        return help_mark

    def _in_string(self, line: str, at: int, end: int) -> int:
        quote = self.quote or ""
        while at < end:
            if line[at] == "\\":
                if at == end - 1:
                    self.continued = len(quote) == 1
                    return end
                at += 2
                continue
            if line.startswith(quote, at):
                self.quote = None
                return at + len(quote)
            at += 1
        return end


def _is_escape(line: str) -> bool:
    stripped = line.lstrip(" \t")
    return stripped.startswith(_ESCAPES) or _ASSIGNED_ESCAPE.match(stripped) is not None


def mask(source: str, tag: str, first_number: int = 0) -> Masked:
    """Replace the IPython lines of ``source``; placeholders are numbered from ``first_number``
    so that several cells can share one numbering."""
    lines = physical_lines(source)
    out: list[str] = []
    masked = Masked("")
    number = first_number
    scanner = _Scanner()
    index = 0
    while index < len(lines):
        line = lines[index]
        cookie = index < 2 and _CODING_COOKIE.match(line) is not None
        if scanner.at_statement_start and (_is_escape(line) or cookie or _FUTURE_IMPORT.match(line.lstrip(" \t"))):
            span = _escape_span(lines, index) if _is_escape(line) else _statement_span(lines, index)
            masked.escapes.append((index + 1, "".join(lines[index : index + span])))
            for offset in range(span):
                original = lines[index + offset]
                indent = _indent(original)
                statement = "pass  " if offset == 0 else ""
                out.append(f"{indent}{statement}# {tag} {number}{_ending(original)}")
                masked.originals[number] = original.rstrip("\r\n")
                number += 1
            index += span
            continue
        state = (scanner.depth, scanner.quote, scanner.continued)
        if scanner.feed(line) and state == (0, None, False) and scanner.at_statement_start:
            # `obj?` / `obj.method??` on one line: help, not Python.
            masked.escapes.append((index + 1, line))
            indent = _indent(line)
            out.append(f"{indent}pass  # {tag} {number}{_ending(line)}")
            masked.originals[number] = line.rstrip("\r\n")
            number += 1
        else:
            out.append(line)
        index += 1
    masked.text = "".join(out)
    return masked


def _escape_span(lines: list[str], index: int) -> int:
    """Physical lines of the escape starting at ``index``: more while a line ends in ``\\``."""
    span = 1
    while lines[index + span - 1].rstrip("\r\n").endswith("\\") and index + span < len(lines):
        span += 1
    return span


def _statement_span(lines: list[str], index: int) -> int:
    """Physical lines of the Python statement starting at ``index`` (brackets, backslashes)."""
    scanner = _Scanner()
    span = 0
    while index + span < len(lines):
        scanner.feed(lines[index + span])
        span += 1
        if scanner.at_statement_start:
            break
    return span


def restore(text: str, tag: str, originals: dict[int, str]) -> str | None:
    """``text`` with every placeholder back to its original line (stored without its line end,
    which the placeholder keeps); None when a placeholder is
    missing or repeated (a rule moved it: the caller must not write the result)."""
    pattern = re.compile(rf"^[ \t]*(?:pass  )?# {re.escape(tag)} (\d+)(?:\r\n|\r|\n)?$", re.MULTILINE)
    seen: set[int] = set()
    out = []
    for line in physical_lines(text):
        match = pattern.match(line)
        if match is None:
            out.append(line)
            continue
        number = int(match.group(1))
        if number not in originals or number in seen:
            return None
        seen.add(number)
        out.append(originals[number] + _ending(line))  # the line end the joined program gave it
    if seen != set(originals):
        return None
    return "".join(out)


def mark_statements(source: str, pattern: re.Pattern[str], comment: str) -> str:
    """``source`` with ``comment`` appended to each line that starts a statement (outside
    strings and brackets), matches ``pattern`` and has no comment yet.  Works on cells that
    do not parse, which is what it is for."""
    out = []
    scanner = _Scanner()
    for line in physical_lines(source):
        body = line.rstrip("\r\n")
        if scanner.at_statement_start and pattern.match(body) and "#" not in body:
            out.append(f"{body}  {comment}{_ending(line)}")
        else:
            out.append(line)
        scanner.feed(line)
    return "".join(out)
