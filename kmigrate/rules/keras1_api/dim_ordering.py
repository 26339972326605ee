"""``dim_ordering`` values outside layers: preprocessing and application functions, and
``image_dim_ordering()`` calls and the comparisons that read them."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.names import Api
from kmigrate.nodes import code
from kmigrate.rules.keras1_api.common import (
    Keras1ApiBase,
    _leaf,
    _map_ordering,
    _mapping_expression,
    _ordering_literal,
)


class DimOrderingValues(Keras1ApiBase):
    """``dim_ordering`` values outside layers: preprocessing and application functions, and"""

    # -- dim_ordering values ------------------------------------------------------------------------
    def _dim_ordering_keyword(self, original: cst.Call, call: cst.Call, rule: str) -> cst.Call:
        arg = callargs.keyword(call, "dim_ordering")
        if arg is None or callargs.keyword(call, "data_format") is not None:
            return call
        if not self.ctx.allows(rule):
            return call
        value = arg.value
        if isinstance(value, cst.SimpleString) and value.evaluated_value == "default":
            self.ctx.fixed(rule, original, "dropped dim_ordering='default'")
            return callargs.remove_keyword(call, "dim_ordering")
        mapped = _map_ordering(value)
        if mapped is None:
            mapped = _mapping_expression(value)
        call = callargs.rename_keyword(callargs.replace_value(call, "dim_ordering", mapped), "dim_ordering", "data_format")
        self.ctx.fixed(rule, original, f"dim_ordering= -> data_format={code(mapped)}")
        return call

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left, *(c.comparator for c in node.comparisons)]
        if any(_ordering_literal(o) for o in operands) or any(
            isinstance(o, (cst.Tuple, cst.List, cst.Set)) and o.elements and all(_ordering_literal(e.value) for e in o.elements)
            for o in operands
        ):
            for operand in operands:
                if isinstance(operand, cst.Call):
                    self._compared.add(id(operand))

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        operands = [original.left, *(c.comparator for c in original.comparisons)]
        if not any(isinstance(o, cst.Call) and id(o) in self._compared and self._is_dim_ordering_call(o)
                   for o in operands):
            return updated
        left = _map_ordering(updated.left) or updated.left
        comparisons = []
        for comparison in updated.comparisons:
            comparator = comparison.comparator
            if isinstance(comparator, (cst.Tuple, cst.List, cst.Set)):
                elements = [e.with_changes(value=_map_ordering(e.value) or e.value) for e in comparator.elements]
                comparator = comparator.with_changes(elements=elements)
            else:
                comparator = _map_ordering(comparator) or comparator
            comparisons.append(comparison.with_changes(comparator=comparator))
        return updated.with_changes(left=left, comparisons=comparisons)

    def _is_dim_ordering_call(self, node: cst.Call) -> bool:
        api = self.ctx.api(node.func)
        return api is not None and api.path == "backend.image_dim_ordering"

    def _image_dim_ordering(self, original: cst.Call, call: cst.Call, api: Api) -> cst.BaseExpression:
        if not self.ctx.allows("KM250") or _leaf(call.func) != api.leaf:
            return call  # already rewritten (the backend family handles these names too)
        getter = api.leaf == "image_dim_ordering"
        new_leaf = "image_data_format" if getter else "set_image_data_format"
        func = call.func
        if isinstance(func, cst.Attribute):
            new_func: cst.BaseExpression = func.with_changes(attr=cst.Name(new_leaf))
        else:
            new_func = self.ctx.imports.reference(f"backend.{new_leaf}")
        if getter:
            new_call = call.with_changes(func=new_func)
            if id(original) in self._compared:
                self.ctx.fixed("KM250", original, "image_dim_ordering() -> image_data_format(), "
                               "compared values mapped")
                return new_call
            self.ctx.fixed("KM250", original, "image_dim_ordering() -> the same 'th'/'tf' value "
                           "computed from image_data_format()")
            plain = new_call.with_changes(lpar=(), rpar=())
            return cst.parse_expression(
                f"('th' if {code(plain)} == 'channels_first' else 'tf')"
            )
        if len(call.args) != 1 or call.args[0].star:
            self.ctx.flag("KM250", original, "use K.set_image_data_format('channels_first' | "
                          "'channels_last') ('th' is channels_first, 'tf' channels_last)")
            return call
        arg = call.args[0]
        mapped = _map_ordering(arg.value) or _mapping_expression(arg.value)
        self.ctx.fixed("KM250", original, f"set_image_dim_ordering -> set_image_data_format({code(mapped)})")
        return call.with_changes(func=new_func, args=[arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT, value=mapped)])

    implements: ClassVar[tuple[str, ...]] = ("KM250",)
