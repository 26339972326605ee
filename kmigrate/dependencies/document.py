"""What every dependency-file format shares: decoding, text edits, findings, the FileResult.

Formats never reformat a file: they compute edits (a span of the original text and what to
put there) and findings, and :func:`build_result` applies them, so everything outside the
edited entries stays byte for byte as it was (line endings, quotes, comments, order).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from kmigrate.dependencies.requirement import Advice
from kmigrate.diagnostics import Diagnostic, FileResult, Status
from kmigrate.settings import Settings


class FormatError(ValueError):
    """The file cannot be read as its format: reported as an error, the file left alone."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass
class Changes:
    """Edits and diagnostics one format collects over a file's text."""

    text: str
    settings: Settings
    edits: list[Edit] = field(default_factory=list)
    diagnostics: list[tuple[int, str, str, bool]] = field(default_factory=list)  # offset, rule, message, fixed

    def allows(self, rule: str) -> bool:
        return self.settings.rule_enabled(rule)

    def report(self, offset: int, rule: str, message: str, fixed: bool = False) -> None:
        if self.allows(rule):
            self.diagnostics.append((offset, rule, message, fixed))

    def apply(self, advice: Advice, offset: int, edits: list[Edit]) -> bool:
        """Record ``advice`` at ``offset`` with the edits that carry it out, when its rule is
        enabled; returns whether the edits were taken."""
        if not self.allows(advice.rule):
            return False
        self.edits.extend(edits)
        self.diagnostics.append((offset, advice.rule, advice.message, advice.fixed))
        return True

    @property
    def newline(self) -> str:
        return newline_of(self.text)


def newline_of(text: str) -> str:
    """The file's own line ending (its first one), for inserted lines."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8, with its BOM kept when there is one."""
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise FormatError(f"cannot decode as UTF-8: {exc}") from exc


def apply_edits(text: str, edits: list[Edit]) -> str:
    out, position = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        out.append(text[position : edit.start])
        out.append(edit.text)
        position = edit.end
    out.append(text[position:])
    return "".join(out)


def line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def build_result(
    path: str, changes: Changes, encoding: str, report_fixes: bool, output: str | None = None,
) -> FileResult:  # fmt: skip
    """The FileResult of a format's edits (or of an ``output`` it produced itself)."""
    text = changes.text
    diagnostics = []
    for offset, rule, message, fixed in sorted(changes.diagnostics, key=lambda d: d[0]):
        if fixed and not report_fixes:
            continue
        line, column = line_column(text, offset)
        diagnostics.append(Diagnostic(rule, message, line, column, fixed))
    if output is None:
        output = apply_edits(text, changes.edits)
    if output == text:
        return FileResult(path, Status.UNCHANGED, diagnostics=diagnostics)
    return FileResult(
        path, Status.CHANGED, diagnostics=diagnostics, original=text, output=output,
        output_bytes=output.encode(encoding),
    )  # fmt: skip


def error_result(path: str, message: str) -> FileResult:
    return FileResult(path, Status.ERROR, error=f"{message}; file left unchanged")
