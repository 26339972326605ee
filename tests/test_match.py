"""kmigrate.match means what LibCST's matchers mean, for every pattern shape kmigrate uses:
each is compared with its libcst.matchers twin on every node of the fixture programs."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import libcst.matchers as libcst_matchers
import pytest

from kmigrate import match
from kmigrate.walk import walk

# The shapes of the patterns in kmigrate (grep "m\.matches" and find_all(..., pattern)), built
# the same way from either module.
PATTERNS = {
    "name": lambda m: m.Name("self"),
    "any name": lambda m: m.Name(),
    "name or super()": lambda m: m.Name("self") | m.Call(func=m.Name("super")),
    "bool constant": lambda m: m.Name("True"),
    "self attribute": lambda m: m.Attribute(value=m.Name("self")),
    "layers attribute or list": lambda m: m.Attribute(attr=m.Name("layers")) | m.List(),
    "layers subscript": lambda m: m.Subscript(value=m.Attribute(attr=m.Name("layers"))),
    "get_layer call": lambda m: m.Call(func=m.Attribute(attr=m.Name("get_layer"))),
    "method on self": lambda m: m.Call(func=m.Attribute(value=m.Name("self"), attr=m.Name("add_weight"))),
    "logs.get": lambda m: m.Call(func=m.Attribute(value=m.Name("logs"), attr=m.Name("get"))),
    "call without arguments": lambda m: m.SimpleStatementLine(body=[m.Expr(value=m.Call(args=()))]),
    "bare super().__init__()": lambda m: m.Call(
        func=m.Attribute(value=m.Call(func=m.Name("super")), attr=m.Name("__init__")), args=[]
    ),
    "docstring": lambda m: m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())]),
    "docstring, concatenated too": lambda m: m.SimpleStatementLine(
        body=[m.Expr(value=m.SimpleString() | m.ConcatenatedString())]
    ),
    "future import": lambda m: m.SimpleStatementLine(body=[m.ImportFrom(module=m.Name("__future__"))]),
    "expression statement call": lambda m: m.SimpleStatementLine(body=[m.Expr(value=m.Call())]),
    "__name__ comparison": lambda m: m.Comparison(
        left=m.Name("__name__"), comparisons=[m.ComparisonTarget(comparator=m.SimpleString())]
    ),
    "string by predicate": lambda m: m.SimpleString(value=m.MatchIfTrue(lambda v: "main" in v)),
    "trainable target": lambda m: m.AssignTarget(target=m.Attribute(attr=m.Name("trainable"))),
    "assignment of False": lambda m: m.Assign(value=m.Name("False")),
}

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "programs").glob("*.py"))
# Shapes the fixtures lack, and near misses.
EXTRA = '''\
"""A module docstring""" " continued"
from __future__ import print_function
from __future__ import division, absolute_import
d.trainable = False
d.trainable = True
e.trainable = f.trainable = False
if __name__ == "__main__":
    main()
if __name__ != name:
    pass
print("main")
'''


class _Nodes(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.nodes.append(node)
        return True


@pytest.fixture(scope="module")
def nodes() -> list[cst.CSTNode]:
    collector = _Nodes()
    for source in [path.read_bytes() for path in FIXTURES] + [EXTRA.encode()]:
        walk(cst.parse_module(source), collector)
    return collector.nodes


@pytest.mark.parametrize("shape", sorted(PATTERNS))
def test_each_pattern_matches_what_libcst_matchers_match(nodes, shape):
    ours, theirs = PATTERNS[shape](match), PATTERNS[shape](libcst_matchers)
    found = [node for node in nodes if match.matches(node, ours)]
    assert found == [node for node in nodes if libcst_matchers.matches(node, theirs)]
    assert found, "no node of this shape: the test would prove nothing"


def test_patterns_reject_fields_the_node_type_does_not_have():
    with pytest.raises(TypeError, match="no field 'atr'"):
        match.Attribute(atr=match.Name("x"))
    with pytest.raises(TypeError, match="at most one positional"):
        match.Name("a", "b")


def test_the_codemod_does_not_import_libcst_matchers():
    """Importing libcst.matchers costs a quarter of a second at every start (kmigrate.match)."""
    import subprocess
    import sys

    code = (
        "import sys, kmigrate.cli, kmigrate.pipeline\n"
        "from kmigrate.pipeline import enabled_fixers\nfrom kmigrate.settings import Settings\n"
        "enabled_fixers(Settings())\nprint('libcst.matchers' in sys.modules)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"
