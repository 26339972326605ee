"""What a migration reports: diagnostics per rule hit, and the outcome of each file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Diagnostic:
    """One rule hit: a rewrite that was made (``fixed``) or a finding left for a person."""

    rule: str
    message: str
    line: int  # 1-based, in the original source
    column: int  # 1-based, in the original source
    fixed: bool

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "fixed": self.fixed,
        }


class Status(str, Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    SKIPPED = "skipped"  # could not involve Keras: never parsed
    ERROR = "error"


@dataclass
class FileResult:
    """The outcome of migrating one source; ``output`` is set only when it changed."""

    path: str
    status: Status
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    original: str | None = None  # decoded text, kept for diffs
    output: str | None = None  # decoded migrated text
    output_bytes: bytes | None = None  # migrated text encoded as the original was
    written: bool = False
    note: str | None = None  # why a file was skipped, when it is not obvious

    @property
    def findings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.fixed]

    @property
    def fixes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.fixed]
