"""How results are shown: diffs, diagnostic lines, the JSON report and the summary."""

from __future__ import annotations

import difflib
import json
import re
from typing import Sequence

import click

from kmigrate import __version__
from kmigrate.diagnostics import FileResult, Status
from kmigrate.rules import all_rules


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    """Lines as Python sees them: str.splitlines would also break at form feeds."""
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
    original = _lines(before)
    migrated = _lines(after)
    lines = difflib.unified_diff(original, migrated, fromfile=name, tofile=name)
    text = "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)
    return text


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


def diagnostic_lines(result: FileResult, show_fixes: bool) -> list[str]:
    lines = []
    for d in result.diagnostics:
        if d.fixed and not show_fixes:
            continue
        tag = "fixed" if d.fixed else "needs review"
        lines.append(f"{result.path}:{d.where}: {d.rule} [{tag}] {d.message}")
    return lines


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def summary_line(counts: dict[str, int], mode: str) -> str:
    changed = {
        "write": f"{counts['changed']} rewritten",
        "diff": f"{counts['changed']} would be rewritten",
        "check": f"{counts['changed']} would be rewritten",
    }[mode]
    return (
        f"kmigrate: {_plural(counts['scanned'], 'file')} scanned, {changed}, "
        f"{counts['skipped']} skipped, {_plural(counts['findings'], 'finding')}, "
        f"{_plural(counts['errors'], 'error')}"
    )


def json_report(
    results: Sequence[FileResult], counts: dict[str, int], mode: str, target: str, stdin_output: str | None
) -> str:
    report = {
        "kmigrate": __version__,
        "target": target,
        "mode": mode,
        "summary": counts,
        "files": [
            {"path": r.path, "status": r.status.value, **({"error": r.error} if r.error else {}),
             **({"note": r.note} if r.note else {})}
            for r in results
        ],
        "diagnostics": [
            {"path": r.path, **d.as_dict()} for r in results for d in r.diagnostics
        ],
        "errors": [
            {"path": r.path, "message": r.error} for r in results if r.status is Status.ERROR
        ],
    }
    if stdin_output is not None:
        report["output"] = stdin_output
    return json.dumps(report, indent=2)


# -- the rule reference ------------------------------------------------------------------


def rule_table() -> str:
    rules = all_rules()
    width = max(len(r.name) for r in rules)
    lines = [f"{'id':<6} {'name':<{width}} {'fix':<13} summary"]
    for rule in rules:
        opt_in = " (opt-in)" if rule.opt_in else ""
        lines.append(f"{rule.id:<6} {rule.name:<{width}} {rule.safety.value:<13} {rule.summary}{opt_in}")
    return "\n".join(lines)


def explain(rule_id: str) -> str | None:
    from kmigrate.rules import rule_by_id

    rule = rule_by_id(rule_id)
    if rule is None:
        return None
    return "\n".join(
        [
            f"{rule.id} {rule.name}",
            "",
            rule.summary,
            "",
            f"Fix safety: {rule.safety.value}. {rule.safety_note}",
            f"Target tf_keras: {'applies' if rule.tf_keras else 'skipped (the legacy API still works there)'}",
            *([f"Opt-in: runs only with --select {rule.id}"] if rule.opt_in else []),
            f"Catalog: {', '.join(rule.catalog)}",
            *(["", rule.details] if rule.details else []),
            "",
            "Before:",
            _indent(rule.before),
            "",
            "After:",
            _indent(rule.after),
        ]
    )


def _indent(code: str) -> str:
    return "\n".join("    " + line if line else "" for line in code.splitlines())


def rules_markdown() -> str:
    """docs/rules.md, generated from the registry (a test keeps the file in step)."""
    out = [
        "# Rule reference",
        "",
        "Generated by `kmigrate rules --format markdown`; do not edit by hand.",
        "",
        "Fix safety: **safe** rules rewrite and keep behaviour identical on the target; "
        "**needs-context** rules rewrite when the code shows enough and otherwise leave a "
        "`# kmigrate: KMxxx` marker with the suggested replacement; **flag-only** rules "
        "always mark the line and explain.",
        "",
        "| id | name | fix | summary |",
        "|---|---|---|---|",
    ]
    rules = all_rules()
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        out.append(f"| [{rule.id}](#{rule.id.lower()}) | {rule.name} | {rule.safety.value} | {summary} |")
    for rule in rules:
        out += [
            "",
            f"## {rule.id}",
            "",
            f"**{rule.name}** ({rule.safety.value}; catalog {', '.join(rule.catalog)}"
            f"{'' if rule.tf_keras else '; skipped under `--target tf_keras`'}"
            f"{f'; opt-in: only with `--select {rule.id}`' if rule.opt_in else ''})",
            "",
            rule.summary,
            "",
            f"Fix safety: {rule.safety_note}",
            *(["", rule.details] if rule.details else []),
            "",
            "Before:",
            "",
            "```python",
            rule.before,
            "```",
            "",
            "After:",
            "",
            "```python",
            rule.after,
            "```",
        ]
    return "\n".join(out) + "\n"
