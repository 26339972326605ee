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
    cell: int | None = None  # in a notebook: the cell (``line`` is then the line in that cell)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            **({"cell": self.cell} if self.cell is not None else {}),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "fixed": self.fixed,
        }

    @property
    def where(self) -> str:
        """``line:column``, or ``cell N:line:column`` in a notebook."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{cell}{self.line}:{self.column}"


@dataclass(frozen=True)
class DiffSection:
    """One part of a document shown on its own in a diff (a notebook cell), as source text."""

    label: str  # "cell 7"
    original: str
    output: str


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
    # For documents that are not one source text (notebooks): the changed parts, for diffs.
    sections: list[DiffSection] | None = None
    # `# kmigrate: KMxxx` markers an earlier run left in the file: places still waiting for a
    # person, which rules that read legacy code cannot find again once the file is migrated.
    earlier_markers: int = 0

    @property
    def findings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.fixed]

    @property
    def fixes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.fixed]
