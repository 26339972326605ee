"""GitHub Actions workflow commands: one ``::warning``/``::error`` annotation per finding.

Syntax: ``::warning file=PATH,line=N,col=M,title=T::message``; in the message ``%``, CR and LF
are escaped as ``%25``, ``%0D``, ``%0A``; property values also escape ``:`` and ``,`` (as
``%3A``, ``%2C``), as GitHub's toolkit does (``escapeData`` / ``escapeProperty``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kmigrate.diagnostics import Diagnostic, FileResult, Status
from kmigrate.reporting.locations import notebook_line, relative_path


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def _annotation(kind: str, path: str, file: str, d: Diagnostic) -> str:
    if d.cell is None:
        return command(kind, d.message, file=file, line=d.line, col=d.column, title=d.rule)
    # In a notebook the line is the .ipynb file's line holding the cell's line, when known;
    # the message names the cell either way.
    return command(kind, f"cell {d.cell}, line {d.line}: {d.message}", file=file, line=notebook_line(path, d), title=d.rule)


def github_annotations(
    results: Sequence[FileResult], mode: str, show_fixes: bool, root: Path, output_dir: str | None = None,
) -> list[str]:  # fmt: skip
    lines = []
    for result in results:
        file = relative_path(result.path, root) or result.path
        if result.status is Status.ERROR:
            lines.append(command("error", f"kmigrate could not migrate this file: {result.error}", file=file, title="kmigrate"))
        elif result.status is Status.CHANGED and mode in ("diff", "check"):
            lines.append(command(
                "warning", f"would be rewritten by kmigrate: run `kmigrate {file}` (`kmigrate --diff {file}` shows the change)",
                file=file, title="kmigrate",
            ))  # fmt: skip
        elif result.status is Status.CHANGED:
            where = f" into {output_dir}" if output_dir else ""
            lines.append(command("notice", f"rewritten{where} by kmigrate", file=file, title="kmigrate"))
        for d in result.diagnostics:
            if not d.fixed:
                lines.append(_annotation("warning", result.path, file, d))
            elif show_fixes:
                lines.append(_annotation("notice", result.path, file, d))
    return lines
