"""Text table and JSON of `kmigrate verify` on ordinary scripts."""

from __future__ import annotations

import json

from kmigrate.harness import report as fixture_report
from kmigrate.harness.runner import VerifyReport
from kmigrate.harness.scripts import DIFFERS, ScriptReport, ScriptResult

OUTCOME_CELLS = {"completed": "ran", "capped": "capped", "needs-network": "network", "needs-file": "needs file",
                 "exception": "error"}
LEVEL_MEANING = {0: "nothing proved", 1: "same ending", 2: "same architecture", 3: "same numerics"}


def _outcome_cell(outcome: dict) -> str:
    if not outcome:
        return "-"
    kind = str(outcome.get("kind"))
    cell = OUTCOME_CELLS.get(kind, kind)
    return f"{cell}:{outcome['type']}" if outcome.get("kind") == "exception" else cell


def _diff_cell(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1e}" if value else "0"


def row(result: ScriptResult) -> list[str]:
    migrated = "-" if result.migration.exit_code is None else ("yes" if result.migration.changed else "unchanged")
    if result.migration.error:
        migrated = "ERROR"
    return [result.name, migrated, _outcome_cell(result.legacy), _outcome_cell(result.migrated),
            str(result.models), _diff_cell(result.loss_diff), _diff_cell(result.output_diff),
            str(result.level), result.status]


def level_counts(results: list[ScriptResult]) -> dict[int, int]:
    """How many scripts reached each level (a script at level 3 also counts for 1 and 2)."""
    return {level: sum(r.level >= level for r in results) for level in (1, 2, 3)}


def render_text(report: ScriptReport, verbose: bool = False) -> str:
    header = ["script", "migrated", "legacy", "migrated run", "models", "loss diff", "output diff", "level",
              "result"]
    rows = [row(r) for r in report.scripts]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip()
             for line in [header, ["-" * w for w in widths], *rows]]
    lines += ["", "Why each script stopped at its level:"]
    for result in report.scripts:
        lines.append(f"  {result.name} (level {result.level}, {LEVEL_MEANING[result.level]}): {result.reason}")
        if result.status == DIFFERS and result.migration.output:
            lines += [f"    kmigrate: {line}" for line in result.migration.output.splitlines()[:8]]
        if verbose:
            for side, trace in result.errors.items():
                lines += [f"    --- {side}"] + [f"    {line}" for line in trace.rstrip().splitlines()]
    caps = report.caps
    legacy, modern = report.runtimes.get("legacy", {}), report.runtimes.get("modern", {})
    counts = level_counts(report.scripts)
    differs = sum(r.status == DIFFERS for r in report.scripts)
    lines += [
        "",
        f"caps (both sides): {caps.epochs} epoch(s), {caps.samples} samples per fit/evaluate, {caps.steps} "
        f"generator steps, runs end after {caps.fit_calls} fit / {caps.batch_calls} train_on_batch calls; "
        f"synthetic keras.datasets, no network, Dropout/noise rates recorded then set to 0",
        f"legacy: Keras {legacy.get('keras', '?')} on TF {legacy.get('tensorflow', '?')}; "
        f"migrated: Keras {modern.get('keras', '?')} on TF {modern.get('tensorflow', '?')}",
        f"scratch: {report.scratch or '(removed: nothing differed)'}",
        f"{len(report.scripts)} scripts: level 1 {counts[1]}, level 2 {counts[2]}, level 3 {counts[3]}; "
        f"{differs} behaved differently after migration; {report.seconds:.1f} s",
    ]
    return "\n".join(lines)


def script_report_json(report: ScriptReport) -> dict:
    return {
        "passed": report.passed,
        "seconds": round(report.seconds, 3),
        "runtimes": report.runtimes,
        "scratch": report.scratch,
        "caps": vars(report.caps),
        "levels": level_counts(report.scripts),
        "scripts": [r.to_json() for r in report.scripts],
    }


def render_json(fixtures: VerifyReport | None, scripts: ScriptReport | None) -> str:
    """The fixtures' JSON as before when only fixtures ran; the scripts' when only
    scripts ran; both under "fixtures" and "scripts" otherwise."""
    if scripts is None:
        if fixtures is None:
            raise ValueError("nothing was verified")
        return fixture_report.render_json(fixtures)
    if fixtures is None:
        return json.dumps(script_report_json(scripts), indent=2)
    return json.dumps({"passed": fixtures.passed and scripts.passed,
                       "fixtures": json.loads(fixture_report.render_json(fixtures)),
                       "scripts": script_report_json(scripts)}, indent=2)
