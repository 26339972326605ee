"""Unified diffs of a result, and the same change as line hunks (for SARIF fixes)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import click

from kmigrate.diagnostics import FileResult

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def lines_of(text: str) -> list[str]:
    """Lines as Python sees them, each with its line ending: str.splitlines would also break
    at form feeds."""
    return _LINE.findall(text)


def unified_diff(result: FileResult) -> str:
    """The change as a unified diff of source lines; a document with sections (a notebook) gets
    one diff per changed section, named ``path:label``, never its raw file format."""
    if result.sections is not None:
        return "".join(
            _diff_text(section.original, section.output, f"{result.path}:{section.label}")
            for section in result.sections
        )
    return _diff_text(result.original or "", result.output or "", result.path)


def _diff_text(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(lines_of(before), lines_of(after), fromfile=name, tofile=name)
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def styled_diff(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(click.style(line, bold=True))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        else:
            out.append(line)
    return "".join(out)


@dataclass(frozen=True)
class Hunk:
    """Original lines ``first..last`` (1-based, inclusive; ``last == first - 1`` when lines are
    only inserted before ``first``) become ``inserted``; offsets are into the original text."""

    first: int
    last: int
    start: int  # character offset of the deleted text in the original
    end: int  # character offset just past it
    deleted: str
    inserted: str


def hunks(before: str, after: str) -> list[Hunk]:
    """The changed runs of lines between two texts, in order, never overlapping."""
    original, migrated = lines_of(before), lines_of(after)
    offsets = [0]
    for line in original:
        offsets.append(offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, original, migrated, autojunk=False)
    found = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found.append(Hunk(
            first=i1 + 1, last=i2, start=offsets[i1], end=offsets[i2],
            deleted="".join(original[i1:i2]), inserted="".join(migrated[j1:j2]),
        ))  # fmt: skip
    return found


def apply_hunks(before: str, changes: list[Hunk]) -> str:
    """``before`` with the hunks applied (what a SARIF consumer does with our fixes)."""
    out, position = [], 0
    for hunk in changes:
        out.append(before[position:hunk.start])
        out.append(hunk.inserted)
        position = hunk.end
    out.append(before[position:])
    return "".join(out)
