"""A read-only traversal of a LibCST tree that builds nothing.

LibCST's ``visit()`` rebuilds every node it passes, even for a read-only ``CSTVisitor`` (its own
source says "TODO: provide traversal where children are not replaced"), which made the shared scan
and the read-only confirming pass cost as much as a rewriting pass. Those only read, so they walk
the tree here, in exactly LibCST's order: each node type's children are taken in the order its own
``_visit_and_replace_children`` visits them, read once per type from LibCST's source. Should that
source not be readable (a build without it), the type is walked with LibCST's ``visit()``.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import typing
from functools import cache
from typing import TypeVar

import libcst as cst

from kmigrate import match as m
from kmigrate.nodes import LeaveResult

NodeT = TypeVar("NodeT", bound=cst.CSTNode)

# LibCST's helpers that visit one field: visit_required(self, "field", value, visitor), ...
_FIELD_VISITORS = frozenset({
    "visit_required", "visit_optional", "visit_sentinel", "visit_sequence", "visit_iterable",
    "visit_body_sequence", "visit_body_iterable",
})  # fmt: skip


@cache
def child_fields(node_type: type[cst.CSTNode]) -> tuple[str, ...] | None:
    """The fields of ``node_type`` that LibCST visits, in its order; None if unreadable."""
    found = _field_visitors(node_type)
    return None if found is None else tuple(field for field, _ in found)


@cache
def _field_visitors(node_type: type[cst.CSTNode]) -> tuple[tuple[str, str], ...] | None:
    """(field, LibCST helper that visits it) for ``node_type``, in visiting order."""
    try:
        source = textwrap.dedent(inspect.getsource(node_type._visit_and_replace_children))
    except (OSError, TypeError):
        return None
    tree = ast.parse(source)
    calls = sorted(
        (node for node in ast.walk(tree)
         if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FIELD_VISITORS),
        key=lambda node: (node.lineno, node.col_offset),
    )  # fmt: skip
    fields = []
    for call in calls:
        if len(call.args) < 2 or not isinstance(call.args[1], ast.Constant) or not isinstance(call.args[1].value, str) \
                or not isinstance(call.func, ast.Name):  # fmt: skip
            return None
        fields.append((call.args[1].value, call.func.id))
    # A method that visits conditionally or in a loop is not a plain field list: leave it to LibCST.
    if any(isinstance(node, (ast.If, ast.IfExp, ast.For, ast.While, ast.comprehension)) for node in ast.walk(tree)):
        return None
    return tuple(fields)


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor, code_only: bool = False) -> None:
    """Call ``visitor.on_visit`` / ``on_leave`` on ``node`` and below, as ``node.visit(visitor)``
    would (children skipped when on_visit returns False), without building a node.

    ``code_only``: leave out the fields that hold only whitespace, comments, punctuation and
    operator tokens (see :func:`token_field`), for visitors that never look at those nodes; they
    are about half the nodes of a module."""
    plan = _walk_plan(type(node), code_only)
    if plan is None:
        node.visit(visitor)
        return
    if visitor.on_visit(node):
        for field, kind in plan:
            value = getattr(node, field)
            if kind is _ONE:
                walk(value, visitor, code_only)
            elif kind is _MANY:
                for item in value:
                    walk(item, visitor, code_only)
            elif value is not None and value is not cst.MaybeSentinel.DEFAULT:  # optional / sentinel
                walk(value, visitor, code_only)
    visitor.on_leave(node)


def find_all(tree: cst.CSTNode, node_types: tuple[type[NodeT], ...] | type[NodeT],
             matcher: m.Pattern | None = None) -> list[NodeT]:
    """The nodes of ``tree`` (itself included) whose type is one of the concrete ``node_types``
    and that ``matcher`` matches, in traversal order: ``m.findall`` without rebuilding the tree
    (LibCST's ``findall`` visits with its rebuilding traversal, about a parse's cost per call)."""
    collector = _Collector(frozenset(node_types if isinstance(node_types, tuple) else (node_types,)))
    walk(tree, collector, code_only=True)  # none of the wanted types is a token
    if matcher is not None:
        return [node for node in collector.found if m.matches(node, matcher)]
    return collector.found


class _Collector(cst.CSTVisitor):
    def __init__(self, wanted: frozenset[type]) -> None:
        super().__init__()
        self.wanted = wanted
        self.found: list = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) in self.wanted:
            self.found.append(node)
        return True


@cache
def _walk_plan(node_type: type[cst.CSTNode], code_only: bool) -> tuple[tuple[str, str], ...] | None:
    """(field, shape of its value) for ``node_type``, in visiting order; None if unreadable."""
    fields = _field_visitors(node_type)
    if fields is None:
        return None
    return tuple(
        (field, _SHAPES[helper]) for field, helper in fields if not (code_only and token_field(node_type, field))
    )


# Nodes that are layout, punctuation or an operator: no fixer, scanner or name collector of
# kmigrate has a visit_/leave_ method for any of them (tests/test_walk.py checks that).
TOKEN_TYPES: tuple[type[cst.CSTNode], ...] = (
    cst.BaseParenthesizableWhitespace, cst.TrailingWhitespace, cst.EmptyLine, cst.Newline, cst.Comment,
    cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual,
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
    cst.LeftCurlyBrace, cst.RightCurlyBrace,
    cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp, cst.Asynchronous,
)  # fmt: skip


@cache
def token_field(node_type: type[cst.CSTNode], field: str) -> bool:
    """Whether ``node_type.field`` can hold nothing but token nodes (by LibCST's annotations)."""
    try:
        hints = typing.get_type_hints(node_type)
    except Exception:  # an annotation that does not resolve: assume it holds code
        return False
    classes = _classes(hints.get(field))
    return bool(classes) and all(
        klass in (type(None), cst.MaybeSentinel) or (isinstance(klass, type) and issubclass(klass, TOKEN_TYPES))
        for klass in classes
    )


def _classes(annotation: object) -> list[object]:
    """The classes an annotation admits: Union/Optional members, Sequence items."""
    if annotation is None:
        return []
    arguments = typing.get_args(annotation)
    if not arguments:
        return [annotation]
    if typing.get_origin(annotation) is typing.Union:
        return [klass for argument in arguments for klass in _classes(argument)]
    return [klass for argument in arguments if argument is not Ellipsis for klass in _classes(argument)]


# What each of LibCST's field helpers visits: one node, a sequence, or a node that may be absent
# (None or MaybeSentinel.DEFAULT). Read from the helper's name instead of testing each value
# with isinstance(value, CSTNode), which goes through ABCMeta and cost a fifth of a walk.
_ONE, _MANY, _MAYBE = "one", "many", "maybe"
_SHAPES = {
    "visit_required": _ONE, "visit_optional": _MAYBE, "visit_sentinel": _MAYBE,
    "visit_sequence": _MANY, "visit_iterable": _MANY, "visit_body_sequence": _MANY,
    "visit_body_iterable": _MANY,
}  # fmt: skip


def rewrite(node: cst.CSTNode, transformer: cst.CSTTransformer, code_only: bool = False) -> LeaveResult:
    """``node.visit(transformer)``, building only what changes: a node none of whose children
    changed is handed to ``on_leave`` as its own updated node, and ancestors are rebuilt (with
    ``with_changes``, validated as LibCST validates) only above a change. Sentinels returned by
    ``on_leave`` mean what they mean to LibCST: removed from a sequence, flattened into it, None
    for an optional field, MaybeSentinel.DEFAULT for a sentinel field."""
    fields = _rewrite_plan(type(node), code_only)
    if fields is None:
        return node.visit(transformer)
    updated = node
    if transformer.on_visit(node):
        changes: dict[str, object] = {}
        for field, helper, kind in fields:
            value = getattr(node, field)
            if kind is not _MANY:
                if value is None or value is cst.MaybeSentinel.DEFAULT:
                    continue
                new = rewrite(value, transformer, code_only)
                if new is not value:
                    changes[field] = _single(new, helper, node, field)
            else:
                items: list[object] | None = None  # built from the first changed item on
                for index, item in enumerate(value):
                    new = rewrite(item, transformer, code_only)
                    if new is item:
                        if items is not None:
                            items.append(item)
                        continue
                    if items is None:
                        items = list(value[:index])
                    if isinstance(new, cst.FlattenSentinel):
                        items.extend(new.nodes)
                    elif not isinstance(new, cst.RemovalSentinel):
                        items.append(new)
                if items is not None:
                    changes[field] = tuple(items)
        if changes:
            updated = node.with_changes(**changes)
    return transformer.on_leave(node, updated)


@cache
def _rewrite_plan(node_type: type[cst.CSTNode], code_only: bool) -> tuple[tuple[str, str, str], ...] | None:
    fields = _field_visitors(node_type)
    if fields is None:
        return None
    return tuple(
        (field, helper, _SHAPES[helper]) for field, helper in fields
        if not (code_only and token_field(node_type, field))
    )  # fmt: skip


def _single(new: object, helper: str, parent: cst.CSTNode, field: str) -> object:
    if isinstance(new, cst.RemovalSentinel):
        if helper == "visit_optional":
            return None
        if helper == "visit_sentinel":
            return cst.MaybeSentinel.DEFAULT
    if isinstance(new, (cst.RemovalSentinel, cst.FlattenSentinel)):
        raise cst.CSTValidationError(
            f"{type(parent).__name__}.{field} cannot be removed or flattened (returned {type(new).__name__})"
        )
    return new
