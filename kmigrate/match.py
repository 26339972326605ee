"""Structural patterns over LibCST nodes, spelled as LibCST's matchers: ``m.Name("self")``,
``m.Call(func=m.Attribute(attr=m.Name("get")))``, ``a | b``, ``m.MatchIfTrue(f)``, and
``m.matches(node, pattern)``.

``libcst.matchers`` is a generated module of a matcher class per node type (about a thousand
dataclasses): importing it took a quarter of a second at every start of kmigrate, a third of
a one-file run such as a pre-commit hook's. kmigrate matches on a dozen node types, so the
patterns are built here with the same meaning for what it uses: a node pattern matches a node
of the same class whose listed fields match (fields not given: any value); a string or a bool
matches an equal value, None only None; a list or tuple matches a sequence of the same length
element by element; ``a | b`` either; ``MatchIfTrue(f)`` a value for which ``f`` is true.
``tests/test_match.py`` checks each pattern kmigrate uses against LibCST's matchers on every
node of the fixture programs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst

__all__ = [
    "Assign", "AssignTarget", "Attribute", "Call", "Comparison", "ComparisonTarget", "ConcatenatedString",
    "Expr", "If", "ImportFrom", "List", "MatchIfTrue", "Name", "OneOf", "Pattern", "SimpleStatementLine",
    "SimpleString", "Subscript", "matches",
]  # fmt: skip


class Pattern:
    """What ``matches`` compares a node with."""

    def __or__(self, other: Pattern) -> OneOf:
        return OneOf(self, other)


class NodePattern(Pattern):
    """A node of ``node_type`` whose ``fields`` match."""

    __slots__ = ("node_type", "fields")

    def __init__(self, node_type: type[cst.CSTNode], fields: dict[str, Any]) -> None:
        self.node_type = node_type
        self.fields = fields

    def __repr__(self) -> str:
        return f"{self.node_type.__name__}({', '.join(f'{k}={v!r}' for k, v in self.fields.items())})"


class OneOf(Pattern):
    __slots__ = ("options",)

    def __init__(self, *options: Any) -> None:
        self.options = options


class MatchIfTrue(Pattern):
    __slots__ = ("func",)

    def __init__(self, func: Callable[[Any], bool]) -> None:
        self.func = func


def _node_pattern(node_type: type[cst.CSTNode]) -> Callable[..., NodePattern]:
    field_names = [field.name for field in dataclasses.fields(node_type)]

    def pattern(*values: Any, **fields: Any) -> NodePattern:
        if len(values) > 1:
            raise TypeError(f"{node_type.__name__}(): at most one positional pattern (its {field_names[0]})")
        if values:
            fields = {field_names[0]: values[0], **fields}
        unknown = set(fields) - set(field_names)
        if unknown:
            raise TypeError(f"{node_type.__name__} has no field {sorted(unknown)[0]!r}")
        return NodePattern(node_type, fields)

    pattern.__name__ = pattern.__qualname__ = node_type.__name__
    return pattern


Assign = _node_pattern(cst.Assign)
AssignTarget = _node_pattern(cst.AssignTarget)
Attribute = _node_pattern(cst.Attribute)
Call = _node_pattern(cst.Call)
Comparison = _node_pattern(cst.Comparison)
ComparisonTarget = _node_pattern(cst.ComparisonTarget)
ConcatenatedString = _node_pattern(cst.ConcatenatedString)
Expr = _node_pattern(cst.Expr)
If = _node_pattern(cst.If)
ImportFrom = _node_pattern(cst.ImportFrom)
List = _node_pattern(cst.List)
Name = _node_pattern(cst.Name)
SimpleStatementLine = _node_pattern(cst.SimpleStatementLine)
SimpleString = _node_pattern(cst.SimpleString)
Subscript = _node_pattern(cst.Subscript)


def matches(value: object, pattern: Any) -> bool:
    """``value`` (a node, or a field's value) has the shape ``pattern`` describes."""
    if isinstance(pattern, NodePattern):
        # by class name, as LibCST's matchers compare node and matcher
        if type(value).__name__ != pattern.node_type.__name__:
            return False
        return all(matches(getattr(value, field), wanted) for field, wanted in pattern.fields.items())
    if isinstance(pattern, OneOf):
        return any(matches(value, option) for option in pattern.options)
    if isinstance(pattern, MatchIfTrue):
        return bool(pattern.func(value))
    if pattern is None:
        return value is None
    if isinstance(pattern, bool):
        return value is pattern
    if isinstance(pattern, str):
        return value == pattern
    if isinstance(pattern, Sequence):
        return isinstance(value, Sequence) and not isinstance(value, str) and len(value) == len(pattern) \
            and all(matches(item, wanted) for item, wanted in zip(value, pattern))  # fmt: skip
    raise TypeError(f"not a pattern: {pattern!r}")
