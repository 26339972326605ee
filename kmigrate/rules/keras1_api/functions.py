"""Keras 1 functions that moved or changed shape: regularizers (``l1l2``, ``activity_l2``),
constraints (``maxnorm``), ``print_summary`` / ``count_total_params``."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.names import Api
from kmigrate.rules.keras1_api.common import CONSTRAINTS, REGULARIZERS, Keras1ApiBase


class Keras1Functions(Keras1ApiBase):
    """Keras 1 functions that moved or changed shape: regularizers (``l1l2``, ``activity_l2``),"""

    def _renames(self, original: cst.Call, call: cst.Call, rule: str, renames: dict[str, str]) -> cst.Call:
        present = [old for old in renames if callargs.keyword(call, old) is not None
                   and callargs.keyword(call, renames[old]) is None]
        if not present or not self.ctx.allows(rule):
            return call
        for old in present:
            call = callargs.rename_keyword(call, old, renames[old])
        self.ctx.fixed(rule, original, ", ".join(f"{o}= -> {renames[o]}=" for o in present))
        return call

    def _regularizer(self, original: cst.Call, call: cst.Call, api: Api) -> cst.BaseExpression:
        new_path, defaults = REGULARIZERS[api.path]
        if not self.ctx.allows("KM241") or callargs.has_star_args(call) or any(a.star for a in call.args):
            return call
        result = call
        notes = []
        if new_path != api.path or api.leaf != new_path.rpartition(".")[2]:
            result = result.with_changes(func=self.ctx.imports.reference(new_path))
            notes.append(f"{api.leaf} -> {new_path.rpartition('.')[2]}")
        if defaults is not None:
            bound = callargs.bind_positionals(result, ("l1", "l2"))
            if callargs.positionals(result):
                notes.append("arguments bound by keyword")
            for name, value in zip(("l1", "l2"), defaults):
                if callargs.keyword(bound, name) is None:
                    bound = callargs.add_keyword(bound, name, cst.parse_expression(value))
                    notes.append(f"{name}={value} made explicit")
            result = bound
        else:
            # l1(l=0.01) / l2(l=0.01): Keras 3 names the parameter l1/l2; pass it positionally.
            keyword = callargs.keyword(result, "l")
            if keyword is not None:
                args = [a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if a is keyword else a
                        for a in result.args]
                result = result.with_changes(args=args)
                notes.append("l= passed positionally")
        if not notes:
            return call
        self.ctx.fixed("KM241", original, "; ".join(notes))
        return result

    def _constraint(self, original: cst.Call, call: cst.Call, path: str) -> cst.BaseExpression:
        new_path, renames = CONSTRAINTS[path]
        if not self.ctx.allows("KM242"):
            return call
        result = call
        notes = []
        leaf = path.rpartition(".")[2]
        new_leaf = new_path.rpartition(".")[2]
        if leaf != new_leaf:
            result = result.with_changes(func=self.ctx.imports.reference(new_path))
            notes.append(f"{leaf} -> {new_leaf}")
        for old, new in renames.items():
            if callargs.keyword(result, old) is not None:
                result = callargs.rename_keyword(result, old, new)
                notes.append(f"{old}= -> {new}=")
        if not notes:
            return call
        self.ctx.fixed("KM242", original, "; ".join(notes))
        return result

    def _print_summary(self, original: cst.Call, call: cst.Call, api: Api) -> cst.BaseExpression:
        if not self.ctx.allows("KM246"):
            return call
        positional = callargs.positionals(call)
        keywords = callargs.keywords(call)
        ok = (
            api.leaf == "print_summary"
            and len(positional) == 1
            and not m.matches(positional[0].value, m.Attribute(attr=m.Name("layers")) | m.List())
            and set(keywords) <= {"line_length", "positions", "print_fn"}
            and len(call.args) == len(positional) + len(keywords)
        )
        if not ok:
            self.ctx.flag("KM246", original, f"{api.leaf} is gone: use model.summary(line_length=..., "
                          "positions=...) or model.count_params()")
            return call
        receiver = positional[0].value
        if not isinstance(receiver, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            receiver = receiver.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        self.ctx.fixed("KM246", original, "print_summary(model) -> model.summary()")
        rest = [a for a in call.args if a is not positional[0]]
        if rest:
            rest[-1] = rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return cst.Call(func=cst.Attribute(value=receiver, attr=cst.Name("summary")), args=rest,
                        lpar=call.lpar, rpar=call.rpar)

    implements: ClassVar[tuple[str, ...]] = ("KM241", "KM242", "KM246")
