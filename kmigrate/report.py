"""Kept for older imports: the reporting code lives in the ``kmigrate.reporting`` package."""

from kmigrate.reporting import (
    diagnostic_lines,
    explain,
    json_report,
    rule_table,
    rules_markdown,
    styled_diff,
    summary_line,
    unified_diff,
)

__all__ = [
    "diagnostic_lines", "explain", "json_report", "rule_table", "rules_markdown", "styled_diff",
    "summary_line", "unified_diff",
]  # fmt: skip
