"""The report for people: findings grouped per file, a summary to paste into a pull request,
and the one-line summary every run ends with on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kmigrate.diagnostics import Diagnostic, FileResult, Status

# What happened to a changed file, by run mode ("copy": written into --output-dir).
_DONE = {
    "write": "rewritten",
    "diff": "would be rewritten",
    "check": "would be rewritten",
    "copy": "rewritten",
}


def _plural(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def file_report(result: FileResult, show_fixes: bool, header: bool = True) -> list[str]:
    """``path`` then one ``  line:col  KMxxx  message`` line per finding (and per rewrite with
    ``show_fixes``); nothing for a file with nothing to say."""
    shown = [d for d in result.diagnostics if show_fixes or not d.fixed]
    if not shown:
        return []
    width = max(len(d.where) for d in shown)
    lines = [result.path] if header else []
    for d in shown:
        fixed = "fixed: " if d.fixed else ""
        lines.append(f"  {d.where:<{width}}  {d.rule}  {fixed}{d.message}")
    return lines


def diagnostic_lines(result: FileResult, show_fixes: bool) -> list[str]:
    """One self-contained ``path:line:col: KMxxx [tag] message`` line per diagnostic (for
    callers that print lines without a file header)."""
    return [
        f"{result.path}:{d.where}: {d.rule} [{'fixed' if d.fixed else 'needs review'}] {d.message}"
        for d in result.diagnostics
        if show_fixes or not d.fixed
    ]


def summary_line(counts: dict[str, int], mode: str) -> str:
    return (
        f"kmigrate: {_plural(counts['scanned'], 'file')} scanned, {counts['changed']} {_DONE[mode]}, "
        f"{counts['skipped']} skipped, {_plural(counts['findings'], 'finding')}, "
        f"{_plural(counts['errors'], 'error')}"
    )


@dataclass(frozen=True)
class Summary:
    """What a pull request description needs: the headline and, per file, what is left."""

    headline: str
    places: list[tuple[FileResult, list[Diagnostic]]]  # files with findings, in run order
    failures: list[FileResult]


def summarize(results: Sequence[FileResult], mode: str, output_dir: str | None = None) -> Summary:
    changed = sum(r.status is Status.CHANGED for r in results)
    findings = sum(len(r.findings) for r in results)
    done = _DONE[mode] + (f" into {output_dir}" if output_dir else "")
    headline = f"{_plural(changed, 'file')} {done}, " + (
        f"{_plural(findings, 'place needs', 'places need')} a person" if findings else "no place needs a person"
    )
    failures = [r for r in results if r.status is Status.ERROR]
    if failures:
        headline += f", {_plural(len(failures), 'file')} could not be migrated"
    places = [(r, r.findings) for r in results if r.findings]
    return Summary(headline, places, failures)


def where_in_words(d: Diagnostic) -> str:
    return f"cell {d.cell} line {d.line}" if d.cell is not None else f"line {d.line}"


def pull_request_summary(results: Sequence[FileResult], mode: str, output_dir: str | None = None) -> str:
    """``12 files rewritten, 3 places need a person:`` and one line per file saying where,
    by rule; then the files that failed.  Plain text a person can paste as it is."""
    summary = summarize(results, mode, output_dir)
    lines = [summary.headline + (":" if summary.places else ".")]
    for result, findings in summary.places:
        by_rule: dict[str, list[str]] = {}
        for d in findings:
            by_rule.setdefault(d.rule, []).append(where_in_words(d))
        lines.append(f"- {result.path}: " + "; ".join(f"{rule} {', '.join(spots)}" for rule, spots in by_rule.items()))
    if summary.failures:
        lines.append("Not migrated (left as they were):")
        lines += [f"- {r.path}: {r.error}" for r in summary.failures]
    if summary.places:
        lines.append(marker_note(mode))
    earlier = earlier_marker_note(results)
    if earlier:
        lines.append(earlier)
    return "\n".join(lines)


def earlier_marker_note(results: Sequence[FileResult]) -> str | None:
    """Markers an earlier run left are not found again (their rules read legacy code, which is
    gone): say how many are still there, so a clean second run is not mistaken for done."""
    files = [r for r in results if r.earlier_markers]
    if not files:
        return None
    count = sum(r.earlier_markers for r in files)
    return (f"{_plural(count, 'marker')} from an earlier run still in {_plural(len(files), 'file')} "
            "(`# kmigrate: KMxxx` comments): each is a place that still needs a person.")


def marker_note(mode: str) -> str:
    # Dependency files are reported, never marked: the note speaks of code only.
    if mode in ("write", "copy"):
        return "Places in code are marked with a `# kmigrate: KMxxx` comment; `kmigrate rules KMxxx` explains a rule."
    return "Migrating marks places in code with a `# kmigrate: KMxxx` comment; `kmigrate rules KMxxx` explains a rule."
