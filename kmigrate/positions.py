"""Line and column of a few nodes, without LibCST's PositionProvider.

PositionProvider records a range for every node of the module and costs about twice a
parse; a migration needs positions only for the handful of nodes it reports.  This
replays code generation once and notes where the requested nodes start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import libcst as cst
from libcst._nodes.internal import CodegenState


@dataclass(frozen=False)
class _LocatingCodegenState(CodegenState):
    wanted: set[int] = field(default_factory=set)
    found: dict[int, tuple[int, int]] = field(default_factory=dict)
    line: int = 1
    column: int = 0

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        newlines = value.count("\n") + value.count("\r") - value.count("\r\n")
        if newlines:
            self.line += newlines
            self.column = len(value) - max(value.rfind("\n"), value.rfind("\r")) - 1
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted and key not in self.found:
            self.found[key] = (self.line, self.column + 1)
            if len(self.found) == len(self.wanted):
                raise _AllFound  # the rest of the module would only be generated to be thrown away


class _AllFound(Exception):
    """Every wanted node is located: code generation stops there."""


def locate(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, tuple[int, int]]:
    """Map ``id(node)`` to its 1-based (line, column) start in ``module``'s code."""
    wanted = {id(node) for node in nodes}
    if not wanted:
        return {}
    state = _LocatingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        wanted=wanted,
    )
    try:
        module._codegen(state)
    except _AllFound:
        pass
    return state.found


def statement_start(node: cst.CSTNode) -> cst.CSTNode:
    """The node whose first token is where a statement starts (after its leading lines)."""
    if isinstance(node, cst.SimpleStatementLine) and node.body:
        return node.body[0]
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node.decorators:
        return node.decorators[0]
    return node
