"""What converting one file did: the report the CLI prints and the harness reads, and how a
converted file reaches the disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kmigrate.models.config import Problem
from kmigrate.output_tree import write_new_atomically


@dataclass
class ConversionReport:
    source: Path
    destination: Path | None
    keras_version: str = ""
    changes: list[tuple[str, str]] = field(default_factory=list)  # (layer name, what changed)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def format(self, verbose: bool = True) -> str:
        head = f"{self.source}"
        if self.keras_version:
            head += f" (Keras {self.keras_version})"
        if self.ok:
            head += f" -> {self.destination}" if self.written else ": convertible"
        else:
            head += ": cannot be converted"
        lines = [head]
        if verbose:
            lines += [f"  change  {where}: {what}" for where, what in self.changes]
        lines += [f"  PROBLEM {p.layer}: {p.what}\n          what to do: {p.todo}" for p in self.problems]
        return "\n".join(lines)



def write_file_atomically(destination: Path, data: bytes) -> None:
    """A temporary file beside the destination, then one rename: never a half-written file."""
    write_new_atomically(str(destination), data, 0o644)
