"""SARIF 2.1.0 for code scanning: one rule entry per KM id that appears, a result per finding
(level ``warning``) and per rewrite (level ``note``, with the rewrite as a fix made of per-hunk
replacements).

Artifact URIs are relative to the repository root (``%SRCROOT%``), with forward slashes; each
result has a ``partialFingerprints`` entry computed from its rule, file and the text of its
line (not the line number), so an alert keeps its identity when code above it moves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from kmigrate import __version__
from kmigrate.diagnostics import FileResult, Status
from kmigrate.reporting.diff import Hunk, hunks, lines_of
from kmigrate.reporting.locations import artifact_uri, notebook_line, root_uri
from kmigrate.reporting.rules import rule_url

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "kmigrate/v1"


def _rule_descriptor(rule_id: str) -> dict:
    from kmigrate.rules import rule_by_id

    rule = rule_by_id(rule_id)
    if rule is None:  # an id no registered rule carries (a document kind's own message)
        return {"id": rule_id, **_help_uri(rule_id), "shortDescription": {"text": rule_id}}
    full = " ".join(part for part in (rule.summary, rule.safety_note, rule.details) if part)
    help_text = (
        f"{rule.summary}\n\nFix safety: {rule.safety.value}. {rule.safety_note}\n\n"
        f"Before:\n{rule.before}\n\nAfter:\n{rule.after}"
    )
    help_markdown = (
        f"**{rule.id} {rule.name}** ({rule.safety.value})\n\n{rule.summary}\n\n{rule.safety_note}\n\n"
        f"Before:\n\n```python\n{rule.before}\n```\n\nAfter:\n\n```python\n{rule.after}\n```"
        + (f"\n\n[Rule reference]({rule_url(rule.id)})" if rule_url(rule.id) else "")
    )
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_markdown},
        **_help_uri(rule.id),
        "defaultConfiguration": {"level": "note" if rule.safety.value == "safe" else "warning"},
        "properties": {"fixSafety": rule.safety.value, "tags": ["keras", "migration"]},
    }


def _help_uri(rule_id: str) -> dict:
    url = rule_url(rule_id)
    return {"helpUri": url} if url else {}


class _Source:
    """The original text of one file, for fingerprints and fix regions."""

    def __init__(self, result: FileResult) -> None:
        self.text = result.original if result.original is not None else _read(result.path)
        self.lines = lines_of(self.text) if self.text is not None else []
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line))
        self.starts = starts

    def line_text(self, number: int) -> str:
        return self.lines[number - 1].strip() if 1 <= number <= len(self.lines) else ""

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset, columns in code points."""
        import bisect

        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= len(self.lines):  # the very end of a text that ends with a newline
            return len(self.lines) + 1, 1
        return index + 1, offset - self.starts[index] + 1


def _read(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace")


def _location(uri: str, relative: bool, region: dict | None) -> dict:
    artifact: dict = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = SRCROOT
    physical: dict = {"artifactLocation": artifact}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _region(source: _Source, hunk: Hunk) -> dict:
    start_line, start_column = source.position(hunk.start)
    end_line, end_column = source.position(hunk.end)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


def _hunks_for(line: int, changes: list[Hunk]) -> list[Hunk]:
    """The hunks that carry a rewrite reported at ``line``: those covering the line, else the
    nearest one (a rewrite may land on the line of the statement it was reported on)."""
    covering = [h for h in changes if h.first <= line <= max(h.first, h.last)]
    if covering or not changes:
        return covering
    return [min(changes, key=lambda h: min(abs(h.first - line), abs(h.last - line)))]


def sarif_report(
    results: Sequence[FileResult], mode: str, target: str, root: Path, include_fixes: bool = True,
) -> str:  # fmt: skip
    rule_ids: list[str] = []
    sarif_results = []
    notifications = []
    for result in results:
        uri, relative = artifact_uri(result.path, root)
        if result.status is Status.ERROR:
            notifications.append({
                "level": "error",
                "message": {"text": f"{result.path}: {result.error}"},
                "locations": [_location(uri, relative, None)],
            })  # fmt: skip
        if not result.diagnostics:
            continue
        source = _Source(result)
        changes: list[Hunk] = []
        # Fixes edit the artifact itself: for a notebook that is its JSON text, whose changed
        # lines are the changed source lines (kmigrate keeps the notebook's layout).
        if include_fixes and result.status is Status.CHANGED and result.output is not None and source.text is not None:
            changes = hunks(source.text, result.output)
        seen: dict[tuple[str, str], int] = {}
        for d in result.diagnostics:
            if d.rule not in rule_ids:
                rule_ids.append(d.rule)
            message = f"cell {d.cell}, line {d.line}: {d.message}" if d.cell is not None else d.message
            if d.cell is not None:
                # The line of the .ipynb holding the cell's line (its column there differs).
                line = notebook_line(result.path, d, source.text)
                region = {"startLine": line} if line is not None else None
                line_text = f"cell {d.cell}:" + (source.line_text(line) if line is not None else str(d.line))
            else:
                line = d.line
                region = {"startLine": d.line, "startColumn": d.column}
                line_text = source.line_text(d.line)
            # Fingerprint: rule, file, the line's text and its occurrence among equal ones.
            key = (d.rule, line_text)
            seen[key] = seen.get(key, 0) + 1
            digest = hashlib.sha256(f"{d.rule}\0{uri}\0{line_text}\0{seen[key]}".encode()).hexdigest()[:32]
            entry: dict = {
                "ruleId": d.rule,
                "ruleIndex": rule_ids.index(d.rule),
                "level": "note" if d.fixed else "warning",
                "message": {"text": message},
                "locations": [_location(uri, relative, region)],
                "partialFingerprints": {FINGERPRINT_KEY: digest},
            }
            if d.cell is not None:
                entry["properties"] = {"cell": d.cell, "lineInCell": d.line, "columnInCell": d.column}
            if d.fixed and changes and line is not None:
                fix_hunks = _hunks_for(line, changes)
                if fix_hunks:
                    entry["fixes"] = [{
                        "description": {"text": d.message},
                        "artifactChanges": [{
                            "artifactLocation": _location(uri, relative, None)["physicalLocation"]["artifactLocation"],
                            "replacements": [
                                {"deletedRegion": _region(source, h), "insertedContent": {"text": h.inserted}}
                                for h in fix_hunks
                            ],
                        }],
                    }]  # fmt: skip
            sarif_results.append(entry)
    run: dict = {
        "tool": {
            "driver": {
                "name": "kmigrate",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule_id) for rule_id in rule_ids],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri(root)}},
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
        "invocations": [{
            "executionSuccessful": not notifications,
            **({"toolExecutionNotifications": notifications} if notifications else {}),
        }],
        "properties": {"mode": mode, "target": target},
    }  # fmt: skip
    return json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, indent=2)
