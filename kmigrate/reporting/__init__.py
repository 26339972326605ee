"""How results are shown: diffs, the text report, JSON, SARIF, GitHub annotations, Markdown,
and the rule reference.  One module per format; this package re-exports their entry points."""

from kmigrate.reporting.diff import hunks, styled_diff, unified_diff
from kmigrate.reporting.github import github_annotations
from kmigrate.reporting.json import json_report
from kmigrate.reporting.markdown import markdown_report
from kmigrate.reporting.rules import explain, rule_table, rule_url, rules_markdown
from kmigrate.reporting.sarif import sarif_report
from kmigrate.reporting.text import (
    diagnostic_lines,
    earlier_marker_note,
    file_report,
    pull_request_summary,
    summary_line,
)

__all__ = [
    "diagnostic_lines", "earlier_marker_note", "explain", "file_report", "github_annotations", "hunks", "json_report",
    "markdown_report", "pull_request_summary", "rule_table", "rule_url", "rules_markdown",
    "sarif_report", "styled_diff", "summary_line", "unified_diff",
]  # fmt: skip
