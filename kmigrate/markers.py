"""In-place markers for what cannot be rewritten safely, and per-line opt-outs.

A marker is a comment that starts with ``# kmigrate: KMxxx`` and says what to do.  It goes
at the end of the statement's line when the statement is one line without a comment, and
on its own line just above the statement otherwise.  A marker already present for the same
rule is never added twice, so a second run leaves the file as it is.
"""

from __future__ import annotations

import re

import libcst as cst

MARKER_PREFIX = "# kmigrate: "
_IGNORE = re.compile(r"#\s*kmigrate:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s]*)\])?")


def ignore_comments(source: str) -> dict[int, frozenset[str] | None]:
    """Lines carrying ``# kmigrate: ignore[...]``: the codes they name, or None for all."""
    found: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        match = _IGNORE.search(line)
        if match:
            codes = match.group("codes")
            found[number] = (
                frozenset(c.strip() for c in codes.split(",") if c.strip())
                if codes is not None
                else None
            )
    return found


def marker_text(rule_id: str, message: str) -> str:
    return f"{MARKER_PREFIX}{rule_id} {message}".rstrip()


def _comments_near(statement: cst.CSTNode) -> list[str]:
    comments: list[str] = []
    leading = getattr(statement, "leading_lines", ())
    # Only the comment block directly above belongs to this statement.
    for line in reversed(leading):
        if line.comment is None:
            break
        comments.append(line.comment.value)
    trailing = _trailing(statement)
    if trailing is not None and trailing.comment is not None:
        comments.append(trailing.comment.value)
    return comments


def has_marker(statement: cst.CSTNode, rule_id: str) -> bool:
    needle = f"{MARKER_PREFIX}{rule_id}"
    return any(
        needle == c[: len(needle)] and c[len(needle) : len(needle) + 1] in ("", " ")
        for c in _comments_near(statement)
    )


def _trailing(statement: cst.CSTNode) -> cst.TrailingWhitespace | None:
    if isinstance(statement, cst.SimpleStatementLine):
        return statement.trailing_whitespace
    body = getattr(statement, "body", None)
    if isinstance(body, cst.IndentedBlock):
        return body.header
    return None


def _with_trailing(statement: cst.CSTNode, trailing: cst.TrailingWhitespace) -> cst.CSTNode:
    if isinstance(statement, cst.SimpleStatementLine):
        return statement.with_changes(trailing_whitespace=trailing)
    return statement.with_changes(body=statement.body.with_changes(header=trailing))  # type: ignore[attr-defined]


def add_markers(
    statement: cst.CSTNode, markers: list[tuple[str, str]], module: cst.Module
) -> cst.CSTNode:
    """Return ``statement`` carrying a marker for each (rule id, message) it lacks."""
    missing = []
    for rule_id, message in markers:
        if not has_marker(statement, rule_id) and (rule_id, message) not in missing:
            missing.append((rule_id, message))
    if not missing:
        return statement
    trailing = _trailing(statement)
    if len(missing) == 1 and trailing is not None and trailing.comment is None:
        if _header_is_one_line(statement, module):
            comment = cst.Comment(marker_text(*missing[0]))
            return _with_trailing(
                statement,
                trailing.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment),
            )
    if not hasattr(statement, "leading_lines"):
        return statement
    above = [
        cst.EmptyLine(indent=True, whitespace=cst.SimpleWhitespace(""), comment=cst.Comment(marker_text(r, m)))
        for r, m in missing
    ]
    return statement.with_changes(leading_lines=[*statement.leading_lines, *above])  # type: ignore[attr-defined]


def _header_is_one_line(statement: cst.CSTNode, module: cst.Module) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        code = module.code_for_node(statement.with_changes(leading_lines=()))
    else:
        # A compound statement: its header is everything before the body.
        body = statement.body  # type: ignore[attr-defined]
        stripped = statement.with_changes(
            leading_lines=(), body=body.with_changes(body=(), header=cst.TrailingWhitespace())
        )
        if hasattr(statement, "decorators"):
            stripped = stripped.with_changes(decorators=())
        try:
            code = module.code_for_node(stripped)
        except Exception:  # an empty body does not always render; be conservative
            return False
    return code.rstrip("\r\n").count("\n") == 0
