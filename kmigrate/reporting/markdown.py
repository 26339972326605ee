"""The pull-request summary as Markdown: a headline, then a table per file with rule links."""

from __future__ import annotations

from collections.abc import Sequence

from kmigrate.diagnostics import FileResult, Status
from kmigrate.reporting.rules import rule_url
from kmigrate.reporting.text import marker_note, summarize


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def markdown_report(results: Sequence[FileResult], mode: str, output_dir: str | None = None) -> str:
    summary = summarize(results, mode, output_dir)
    out = [f"### kmigrate: {summary.headline}", ""]
    changed = [r for r in results if r.status is Status.CHANGED]
    if changed:
        out += [f"<details><summary>{len(changed)} changed file{'s' if len(changed) != 1 else ''}</summary>", ""]
        out += [f"- `{r.path}`" for r in changed]
        out += ["", "</details>", ""]
    for result, findings in summary.places:
        out += [f"#### `{result.path}`", "", "| where | rule | what to do |", "|---|---|---|"]
        for d in findings:
            where = f"cell {d.cell}, line {d.line}" if d.cell is not None else f"line {d.line}"
            url = rule_url(d.rule)
            out.append(f"| {where} | {f'[{d.rule}]({url})' if url else f'`{d.rule}`'} | {_cell(d.message)} |")
        out.append("")
    if summary.failures:
        out += ["#### Not migrated (left as they were)", ""]
        out += [f"- `{r.path}`: {_cell(r.error or '')}" for r in summary.failures]
        out.append("")
    if summary.places:
        out += [marker_note(mode), ""]
    return "\n".join(out)
