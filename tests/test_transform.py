"""The single-traversal machinery: scanners share one read-only pass."""

from __future__ import annotations

import libcst as cst

from kmigrate.transform import _AllOf


class _Recorder(cst.CSTVisitor):
    def __init__(self, skip_functions: bool) -> None:
        super().__init__()
        self.skip_functions = skip_functions
        self.names: list[str] = []
        self.left: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return not self.skip_functions

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.left.append(original_node.name.value)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)


def test_visitors_together_see_what_each_sees_alone():
    module = cst.parse_module("a = b\ndef f(x):\n    return y\nc = d\n")
    alone = [_Recorder(skip_functions=False), _Recorder(skip_functions=True)]
    for visitor in alone:
        module.visit(visitor)
    together = [_Recorder(skip_functions=False), _Recorder(skip_functions=True)]
    module.visit(_AllOf(together))
    for single, shared in zip(alone, together):
        assert single.names == shared.names
        assert single.left == shared.left
    assert "y" not in together[1].names and "y" in together[0].names
