"""kmigrate.walk: LibCST's traversal order and results, without rebuilding unchanged nodes."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from kmigrate.walk import child_fields, rewrite, walk

ROOT = Path(__file__).resolve().parents[1]
# Code nobody shaped for this test: the fixtures and kmigrate's own source.
CORPUS = sorted((ROOT / "fixtures" / "programs").glob("*.py")) + sorted((ROOT / "kmigrate").rglob("*.py"))


class _Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return not isinstance(node, cst.Lambda)  # skipping a subtree is honoured too

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


class _Edits(cst.CSTTransformer):
    """Renames, removals from sequences and from optional fields, and flattening."""

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=updated_node.value + "_") if updated_node.value.startswith("K") else updated_node

    def leave_Arg(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        keyword = updated_node.keyword
        return cst.RemovalSentinel.REMOVE if keyword is not None and keyword.value == "verbose" else updated_node

    def leave_Decorator(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        return cst.RemovalSentinel.REMOVE

    def leave_Pass(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        return cst.FlattenSentinel([updated_node, cst.Expr(cst.Ellipsis())])


def test_the_corpus_is_real():
    assert len(CORPUS) > 100


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_walk_and_rewrite_match_libcst(path):
    module = cst.parse_module(path.read_bytes())
    expected, got = _Recorder(), _Recorder()
    module.visit(expected)
    walk(module, got)
    assert got.events == expected.events
    assert rewrite(module, _Edits()).code == module.visit(_Edits()).code


def test_rewrite_keeps_unchanged_subtrees_as_they_are():
    module = cst.parse_module("def f():\n    return 1\n\nx = K\n")
    updated = rewrite(module, _Edits())
    assert updated.body[0] is module.body[0]  # nothing below it changed: not rebuilt
    assert updated.body[1] is not module.body[1]
    assert updated.code == "def f():\n    return 1\n\nx = K_\n"


class _DropReturnAnnotation(cst.CSTTransformer):
    def leave_Annotation(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        return cst.RemovalSentinel.REMOVE  # FunctionDef.returns is optional: it becomes None


def test_removal_from_an_optional_field_is_none_as_in_libcst():
    module = cst.parse_module("def f(x) -> int:\n    return x\n")
    assert rewrite(module, _DropReturnAnnotation()).code == module.visit(_DropReturnAnnotation()).code
    assert rewrite(module, _DropReturnAnnotation()).code == "def f(x):\n    return x\n"


def test_every_node_type_has_a_readable_field_order():
    node_types = [t for t in vars(cst).values() if isinstance(t, type) and issubclass(t, cst.CSTNode)]
    concrete = [t for t in node_types if "_visit_and_replace_children" in vars(t)]
    assert len(concrete) > 100
    # These visit their children conditionally; walk() and rewrite() hand them to LibCST.
    conditional = {"FormattedStringExpression", "TemplatedStringExpression", "ImportFrom", "LazyImportFrom"}
    assert {t.__name__ for t in concrete if child_fields(t) is None} <= conditional
