"""KM500-KM506: backend names that still exist but behave differently on Keras 3
(set_value / batch_set_value, gradients, variables inside layers, the tf/np module attributes)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate.callargs import has_star_args
from kmigrate.nodes import code
from kmigrate.scopes import ScopeFrame
from kmigrate.rules.backend.common import BackendBase, _atom
from kmigrate.rules.backend_table import (
    OPTIMIZER_RATE_ATTRS,
)  # fmt: skip

# Keras's Optimizer base, however the code spells it (as in rules/optimizers/common.py).
_OPTIMIZER_BASES = frozenset({"optimizers.Optimizer", "optimizers.legacy.Optimizer"})


class SemanticChanges(BackendBase):
    """KM500-KM506: backend names that still exist but behave differently on Keras 3"""

    def _semantic_call(self, name: str, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if rule == "KM501":
            return self._set_value(name, original, updated)
        if rule == "KM502":
            args = [code(a.value) for a in original.args[:2]]
            loss, variables = (args + ["loss", "variables"])[:2]
            self.ctx.flag(rule, original, "K.gradients raises under eager execution: compute the loss "
                          f"inside `with tf.GradientTape() as tape:` and use `tape.gradient({loss}, {variables})`",
                          marker=f"use tape.gradient({loss}, {variables}) in a tf.GradientTape")
        elif rule == "KM503" and self.ctx.scopes.in_class and not _plain_class(self.ctx.scopes.class_frame) \
                and not self.ctx.in_class_deriving(lambda base: base.path in _OPTIMIZER_BASES):  # fmt: skip
            # a custom optimizer's K.update/K.variable: KM227/KM311 mark the class for a port
            if name == "variable":
                self.ctx.flag(rule, original, "a K.variable is not tracked by Keras 3 layers (not trained "
                              "or saved): create it in build() with `self.add_weight(shape=..., "
                              "initializer=..., trainable=...)`")
            else:
                self.ctx.flag(rule, original, f"K.{name} inside a layer is a graph update op: assign in "
                              "call() instead (`variable.assign(new_value)`)")
        return updated

    def _module_attr(self, name: str, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if not self.ctx.allows("KM506"):
            return updated
        if name == "T":
            self.ctx.flag("KM506", original, "`K.T` is Theano, which is gone: port the code to `tf` / `K` operations")
            return updated
        local = self._tf() if name == "tf" else self._numpy()
        self.ctx.fixed("KM506", original, f"`{code(original)}` -> `{local}`")
        return cst.parse_expression(local).with_changes(lpar=updated.lpar, rpar=updated.rpar)

    # -- C-K01: set_value ---------------------------------------------------------------------
    def _set_value(self, name: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        args = updated.args
        if has_star_args(updated) or any(a.keyword for a in args):
            return updated
        if name == "set_value" and len(args) == 2:
            target = original.args[0].value
            if isinstance(target, cst.Attribute) and target.attr.value in OPTIMIZER_RATE_ATTRS:
                return updated  # the optimizer family's (KM308)
            variable = _atom(args[0].value)
            self.ctx.fixed("KM501", original, "`K.set_value(v, x)` -> `v.assign(x)`")
            return cst.Call(
                func=cst.Attribute(value=variable, attr=cst.Name("assign")),
                args=[args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)],
                lpar=updated.lpar, rpar=updated.rpar,
            )
        if name == "batch_set_value" and len(args) == 1:
            if id(original) in self._statement_calls:
                self._plan_loop_replacement(original, args[0].value)
            elif self.ctx.allows("KM501"):  # in a lambda or an expression: no room for the loop
                self.ctx.flag("KM501", original, "K.batch_set_value fails on Keras 3 weights ('str' object has "
                              "no attribute 'name'): `for variable, value in pairs: variable.assign(value)`",
                              marker="K.batch_set_value fails on Keras 3 weights: assign each variable")
        return updated

    def _plan_loop_replacement(self, original: cst.Call, pairs: cst.BaseExpression) -> None:
        statement = self.ctx.current_statement
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            self.ctx.flag("KM501", original, "K.batch_set_value fails on Keras 3 weights: "
                          "`for variable, value in pairs: variable.assign(value)`")
            return
        variable, value = self._fresh("variable"), self._fresh("value")
        loop = cst.parse_statement(
            f"for {variable}, {value} in {code(pairs)}:\n    {variable}.assign({value})\n",
            config=self.ctx.module.config_for_parsing,
        )
        self._plan[id(statement)] = loop.with_changes(leading_lines=statement.leading_lines)
        self.ctx.fixed("KM501", original, "`K.batch_set_value(pairs)` -> a loop of `variable.assign(value)`")
    implements: ClassVar[tuple[str, ...]] = ("KM501", "KM502", "KM503", "KM505", "KM506")


def _plain_class(frame: ScopeFrame | None) -> bool:
    """`class Holder:` / `class Holder(object):`: not a layer, so a K.variable it keeps is an
    ordinary tf.Variable on Keras 3 (K.set_value / K.eval still work on it); nothing to mark."""
    return frame is not None and all(isinstance(base, cst.Name) and base.value == "object" for base in frame.bases)
