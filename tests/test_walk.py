"""kmigrate.walk: LibCST's traversal order and results, without rebuilding unchanged nodes."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import libcst.matchers as m
import pytest

from kmigrate import match
from kmigrate.walk import TOKEN_TYPES, child_fields, find_all, rewrite, walk

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


# -- code_only: the traversal kmigrate's own passes use --------------------------------------


def _is_token(node: cst.CSTNode) -> bool:
    return isinstance(node, TOKEN_TYPES)


@pytest.mark.parametrize("path", CORPUS[::7], ids=lambda p: str(p.relative_to(ROOT)))
def test_code_only_walk_sees_every_code_node_in_order(path):
    """Leaving token fields out skips only layout, punctuation and operator nodes: every other
    node is visited and left in LibCST's order. (The few node types whose children LibCST visits
    conditionally are handed to LibCST whole, tokens included.)"""
    module = cst.parse_module(path.read_bytes())
    full, code = _Recorder(), _Recorder()
    walk(module, full)
    walk(module, code, code_only=True)
    nodes = {id(node): node for node in _all_nodes(module)}
    def without_tokens(events):  # noqa: E306
        return [event for event in events if not _inside_token(nodes[event[1]], module)]
    assert without_tokens(code.events) == without_tokens(full.events)
    assert len(code.events) <= len(full.events)
    assert rewrite(module, _Edits(), code_only=True).code == module.visit(_Edits()).code


@pytest.mark.parametrize("path", CORPUS[::9], ids=lambda p: str(p.relative_to(ROOT)))
def test_find_all_finds_what_libcst_findall_finds(path):
    """find_all is m.findall without rebuilding: the same nodes, the same order, the tree's
    root included when it matches, and a matcher narrows as LibCST's does."""
    module = cst.parse_module(path.read_bytes())
    for types, matcher, pattern in [
        ((cst.Call,), m.Call(), None),
        ((cst.Name, cst.Call), m.Name() | m.Call(), None),
        ((cst.Attribute,), m.Attribute(value=m.Name("self")), match.Attribute(value=match.Name("self"))),
        ((cst.Import, cst.ImportFrom, cst.SimpleString), m.Import() | m.ImportFrom() | m.SimpleString(), None),
    ]:
        expected = m.findall(module, matcher)
        found = find_all(module, types, pattern)  # kmigrate's patterns (kmigrate.match)
        assert [id(node) for node in found] == [id(node) for node in expected]
    statement = module.body[-1]
    assert find_all(statement, type(statement))[0] is statement
    assert [id(n) for n in find_all(statement, cst.Name)] == [id(n) for n in m.findall(statement, m.Name())]


def test_no_kmigrate_visitor_handles_a_token_node():
    """code_only is safe only while no fixer, scanner or collector has a visit_/leave_ method for
    a token node type: a new one would silently never be called."""
    import importlib
    import inspect
    import pkgutil

    import kmigrate

    token_names = {
        name for name, value in vars(cst).items()
        if isinstance(value, type) and issubclass(value, cst.CSTNode) and issubclass(value, TOKEN_TYPES)
    }  # fmt: skip
    handlers = set()
    for info in pkgutil.walk_packages(kmigrate.__path__, prefix="kmigrate."):
        if ".harness" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _, klass in inspect.getmembers(module, inspect.isclass):
            if klass.__module__ == module.__name__:
                handlers |= {attribute.split("_", 1)[1] for attribute in vars(klass)
                             if attribute.startswith(("visit_", "leave_"))}  # fmt: skip
    assert handlers, "no visitor methods found: the scan above is broken"
    assert not (handlers & token_names)


def _all_nodes(module: cst.Module) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class _Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            found.append(node)
            return True

    walk(module, _Collect())
    return found


def _inside_token(node: cst.CSTNode, module: cst.Module) -> bool:
    """``node`` is a token node or lies below one (a Comment inside a TrailingWhitespace)."""
    parents = _parents(module)
    while node is not None:
        if _is_token(node):
            return True
        node = parents.get(id(node))
    return False


_PARENTS: dict[int, dict[int, cst.CSTNode]] = {}


def _parents(module: cst.Module) -> dict[int, cst.CSTNode]:
    if id(module) not in _PARENTS:
        parents: dict[int, cst.CSTNode] = {}
        stack: list[cst.CSTNode] = []

        class _Track(cst.CSTVisitor):
            def on_visit(self, node: cst.CSTNode) -> bool:
                if stack:
                    parents[id(node)] = stack[-1]
                stack.append(node)
                return True

            def on_leave(self, original_node: cst.CSTNode) -> None:
                stack.pop()

        walk(module, _Track())
        _PARENTS.clear()
        _PARENTS[id(module)] = parents
    return _PARENTS[id(module)]
