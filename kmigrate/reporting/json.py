"""The machine-readable report (``--format json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from kmigrate import __version__
from kmigrate.diagnostics import FileResult, Status


def json_report(
    results: Sequence[FileResult], counts: dict[str, int], mode: str, target: str, stdin_output: str | None
) -> str:
    report = {
        "kmigrate": __version__,
        "target": target,
        "mode": mode,
        "summary": counts,
        "files": [_file_entry(r) for r in results],
        "diagnostics": [{"path": r.path, **d.as_dict()} for r in results for d in r.diagnostics],
        "errors": [{"path": r.path, "message": r.error} for r in results if r.status is Status.ERROR],
    }
    if stdin_output is not None:
        report["output"] = stdin_output
    return json.dumps(report, indent=2)


def _file_entry(result: FileResult) -> dict[str, object]:
    entry: dict[str, object] = {"path": result.path, "status": result.status.value}
    if result.error:
        entry["error"] = result.error
    if result.note:
        entry["note"] = result.note
    if result.earlier_markers:
        entry["earlier_markers"] = result.earlier_markers
    return entry
