"""The Keras 1 image dim ordering: ``K.image_dim_ordering()`` / ``K.set_image_dim_ordering('th')``
and the 'th'/'tf' literals compared with it."""

from __future__ import annotations

from typing import Callable, ClassVar

import libcst as cst

from kmigrate.nodes import code
from kmigrate.rules.backend.common import _COMPARABLE, _DIM, BackendBase, _restring
from kmigrate.rules.backend.scan import _is_call_to
from kmigrate.rules.backend_table import (
    Entry,
    rule_id,
)  # fmt: skip


class DimOrdering(BackendBase):
    """The Keras 1 image dim ordering: ``K.image_dim_ordering()`` / ``K.set_image_dim_ordering('th')``"""

    def _call_image_dim_ordering(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        call = updated.with_changes(func=self._backend_ref(original.func, updated.func, entry.target))
        self.ctx.fixed(rule, original, entry.message)
        if id(original) in self._dim_calls:
            return call
        return cst.IfExp(
            test=cst.Comparison(call, [cst.ComparisonTarget(cst.Equal(), cst.SimpleString("'channels_first'"))]),
            body=cst.SimpleString("'th'"), orelse=cst.SimpleString("'tf'"),
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()],
        )

    def _call_set_image_dim_ordering(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if len(updated.args) != 1 or updated.args[0].star:
            self.ctx.flag(rule, original, entry.message)
            return updated
        arg = updated.args[0]
        value = arg.value
        if isinstance(value, cst.SimpleString) and value.evaluated_value in _DIM:
            new_value: cst.BaseExpression = _restring(value, _DIM[value.evaluated_value])
        elif isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString, cst.Integer)):
            self.ctx.flag(rule, original, entry.message)
            return updated
        else:
            new_value = cst.parse_expression(
                f"{{'th': 'channels_first', 'tf': 'channels_last'}}[{code(value)}]"
            )
        new_arg = arg.with_changes(value=new_value, keyword=cst.Name("data_format") if arg.keyword else None)
        self.ctx.fixed(rule, original, entry.message)
        return updated.with_changes(
            func=self._backend_ref(original.func, updated.func, entry.target), args=[new_arg]
        )

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left, *(c.comparator for c in node.comparisons)]
        calls = [o for o in operands if isinstance(o, cst.Call) and _is_call_to(self.ctx, o, "image_dim_ordering") and not o.args]
        if len(calls) != 1 or len(operands) != 2:
            return
        if not all(isinstance(c.operator, _COMPARABLE) for c in node.comparisons):
            return
        other = operands[1] if operands[0] is calls[0] else operands[0]
        strings = [other] if isinstance(other, cst.SimpleString) else (
            [e.value for e in other.elements] if isinstance(other, (cst.Tuple, cst.List, cst.Set)) else []
        )
        if not strings or not all(isinstance(s, cst.SimpleString) and s.evaluated_value in _DIM for s in strings):
            return
        self._dim_calls.add(id(calls[0]))
        for string in strings:
            value = string.evaluated_value if isinstance(string, cst.SimpleString) else None
            if isinstance(value, str):  # always, as checked above
                self._strings[id(string)] = _DIM[value]

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.BaseExpression:
        mapped = self._strings.get(id(original))
        if mapped is None or not self.ctx.allows(rule_id("image_dim_ordering")):
            return updated
        return _restring(updated, mapped)

    # Table names (lower case) this concern rewrites -> the method that does it.
    special_calls: ClassVar[dict[str, Callable]] = {
        "image_dim_ordering": _call_image_dim_ordering,
        "set_image_dim_ordering": _call_set_image_dim_ordering,
    }
    implements: ClassVar[tuple[str, ...]] = tuple(rule_id(name) for name in special_calls)
