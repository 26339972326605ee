"""Removing a statement or a decorator never removes the comments written above it.

In LibCST a comment on the lines above a statement belongs to that statement
(``leading_lines``), so a rule that deletes the statement would delete the comment too. The
transformers record what each statement and decorator became; when a block (a module, an
indented body, a decorator list) is left, the comment lines of what was removed move to the
next thing that survived, or to the block's end.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from kmigrate.nodes import LeaveResult

_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
_BLOCKS = (cst.Module, cst.IndentedBlock)
_DECORATED = (cst.FunctionDef, cst.ClassDef)


class CommentKeeper:
    """Mix into a CSTTransformer: call ``keep(original, result)`` from ``on_leave`` for every
    node, and use what it returns."""

    def __init__(self) -> None:
        self._results: dict[int, LeaveResult] = {}

    @staticmethod
    def concerns(node_type: type[cst.CSTNode]) -> bool:
        """Whether ``keep`` does anything for nodes of this type (the others can skip it)."""
        return issubclass(node_type, (*_DECORATED, *_BLOCKS, *_STATEMENTS, cst.Decorator))

    def keep(self, original: cst.CSTNode, result: LeaveResult) -> LeaveResult:
        if isinstance(original, _DECORATED) and isinstance(result, _DECORATED):
            result = self._carry(original.decorators, result, "decorators", "lines_after_decorators")
        elif isinstance(original, _BLOCKS) and isinstance(result, _BLOCKS):
            result = self._carry(original.body, result, "body", "footer")
        if isinstance(original, (*_STATEMENTS, cst.Decorator)):
            self._results[id(original)] = result
        return result

    def _carry(self, originals: Sequence[cst.CSTNode], updated: cst.CSTNode, field: str, end: str) -> cst.CSTNode:
        carried: list[cst.EmptyLine] = []
        replaced: dict[int, cst.CSTNode] = {}
        for node in originals:
            result = self._results.pop(id(node), node)
            if isinstance(result, cst.RemovalSentinel):
                carried += _kept_lines(node)
                continue
            first = result.nodes[0] if isinstance(result, cst.FlattenSentinel) and result.nodes else result
            if carried and isinstance(first, cst.CSTNode) and hasattr(first, "leading_lines"):
                replaced[id(first)] = first.with_changes(leading_lines=_merge(carried, list(first.leading_lines)))
                carried = []
        carried = carried if any(line.comment is not None for line in carried) else []  # blank lines at the end go
        if not replaced and not carried:
            return updated
        nodes = [replaced.get(id(node), node) for node in getattr(updated, field)]
        changes: dict[str, object] = {field: nodes}
        if carried:
            changes[end] = [*carried, *getattr(updated, end)] if end == "lines_after_decorators" else [
                *getattr(updated, end), *carried]  # fmt: skip
        return updated.with_changes(**changes)


def _merge(carried: list[cst.EmptyLine], following: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The lines of a removed statement, then those of the statement after it: blank lines that
    only separated the removed statement do not pile up (two runs of blank lines become the
    longer of the two), so the layout around it stays as it was."""
    if any(line.comment is not None for line in carried):
        return [*carried, *following]
    blank_before = len(following) - len(_strip_leading_blanks(following))
    extra = max(0, len(carried) - blank_before)
    return [*carried[:extra], *following]


def _strip_leading_blanks(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    index = 0
    while index < len(lines) and lines[index].comment is None:
        index += 1
    return lines[index:]


def _kept_lines(node: cst.CSTNode) -> list[cst.EmptyLine]:
    """The lines above ``node`` that outlive it: the user's comments and blank lines, not
    kmigrate's own markers (stale once the statement is gone)."""
    return [
        line for line in getattr(node, "leading_lines", ())
        if line.comment is None or not line.comment.value.startswith("# kmigrate:")
    ]  # fmt: skip
