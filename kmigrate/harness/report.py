"""Text table and JSON rendering of a `kmigrate verify` run."""

from __future__ import annotations

import json

from kmigrate.harness.compare import ERROR, FAIL, PASS, SKIP
from kmigrate.harness.runner import FixtureResult, VerifyReport

# (column title, check name, show the measured difference)
COLUMNS = (
    ("migrated", "migrate", False),
    ("legacy", "legacy_run", False),
    ("ran", "migrated_run", False),
    ("loss diff", "train", True),
    ("output diff", "probe", True),
    (".keras", "roundtrip_keras", False),
    (".h5", "roundtrip_h5", False),
    ("SavedModel", "savedmodel", False),
    ("resume", "resume", False),
    ("legacy .h5", "legacy_weights", True),
)


def cell(result: FixtureResult, check_name: str, show_diff: bool) -> str:
    check = result.check(check_name)
    if check is None:
        return "-"
    if check_name == "migrate" and check.status == PASS:
        return "yes" if result.migration.changed else "unchanged"
    if check.status == SKIP:
        return "n/c" if check.detail.startswith("not comparable") else "-"
    if show_diff and check.max_abs_diff is not None:
        text = f"{check.max_abs_diff:.1e}" if check.max_abs_diff else "0"
        return text if check.status == PASS else f"FAIL {text}"
    return {PASS: "ok", FAIL: "FAIL", ERROR: "ERROR"}[check.status]


def render_text(report: VerifyReport, verbose: bool = False) -> str:
    header = ["fixture", *(title for title, _, _ in COLUMNS), "result"]
    rows = [
        [r.name, *(cell(r, name, diff) for _, name, diff in COLUMNS), "pass" if r.passed else "FAIL"]
        for r in report.fixtures
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip()
             for row in [header, ["-" * w for w in widths], *rows]]

    failed = [r for r in report.fixtures if not r.passed]
    skipped = [(r, c) for r in report.fixtures for c in r.checks if c.status == SKIP
               and c.detail.startswith("not comparable")]
    if failed:
        lines += ["", "Failures:"]
        for result in failed:
            for check in result.checks:
                if check.status in (FAIL, ERROR):
                    lines.append(f"  {result.name} {check.name}: {check.detail}")
            if result.migration.output:
                lines += [f"    kmigrate: {line}" for line in result.migration.output.splitlines()[:8]]
            if verbose:
                for step, trace in result.errors.items():
                    lines += [f"    --- {step}"] + [f"    {line}" for line in trace.rstrip().splitlines()]
    if skipped:
        lines += ["", "Declared not comparable (n/c) by the fixture:"]
        lines += [f"  {r.name} {c.name}: {c.detail.removeprefix('not comparable: ')}" for r, c in skipped]
    passed = sum(r.passed for r in report.fixtures)
    legacy = report.runtimes.get("legacy", {})
    modern = report.runtimes.get("modern", {})
    lines += [
        "",
        f"legacy: Keras {legacy.get('keras', '?')} on TF {legacy.get('tensorflow', '?')}; "
        f"migrated: Keras {modern.get('keras', '?')} on TF {modern.get('tensorflow', '?')}",
        f"scratch: {report.scratch or '(removed: everything passed)'}",
        f"{passed} passed, {len(report.fixtures) - passed} failed in {report.seconds:.1f} s"
        + (f" (+{report.provision_seconds:.1f} s provisioning)" if report.provision_seconds else ""),
    ]
    return "\n".join(lines)


def render_json(report: VerifyReport) -> str:
    return json.dumps(
        {
            "passed": report.passed,
            "seconds": round(report.seconds, 3),
            "provision_seconds": round(report.provision_seconds, 3),
            "runtimes": report.runtimes,
            "scratch": report.scratch,
            "fixtures": [
                {
                    "name": r.name,
                    "path": r.path,
                    "passed": r.passed,
                    "migration": {
                        "exit_code": r.migration.exit_code,
                        "changed": r.migration.changed,
                        "migrated_path": str(r.migration.path),
                        "kmigrate_output": r.migration.output,
                        "error": r.migration.error,
                    },
                    "seconds": {"legacy": round(r.legacy_seconds, 3), "migrated": round(r.modern_seconds, 3)},
                    "checks": [c.to_json() for c in r.checks],
                    "errors": r.errors,
                }
                for r in report.fixtures
            ],
        },
        indent=2,
    )
