"""The learning rate read and written on an optimizer: ``optimizer.lr``, ``K.set_value`` /
``K.get_value`` on it, and ``compile(optimizer='...')`` strings whose defaults changed."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.kinds import Kind
from kmigrate.nodes import code
from kmigrate.rules.optimizers.common import (
    _COMMA,
    _EQ,
    _NADAM_MARKER,
    _NADAM_MESSAGE,
    _STRING_IDS,
    EPSILON_INSIDE_SQRT,
    OptimizersBase,
    flag_epsilon_placement,
)
from kmigrate.rules.training_table import (
    file_is_legacy,
    positional_count,
    string_value,
)


class LearningRateAccess(OptimizersBase):
    """The learning rate read and written on an optimizer: ``optimizer.lr``, ``K.set_value`` /"""

    # -- attributes: optimizer.lr ----------------------------------------------------------------
    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._assigned_ids.add(id(node.target))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if original.attr.value == "decay":
            self._decay_read(original)
            return updated
        if original.attr.value != "lr" or not self._is_optimizer(original.value):
            return updated
        if self._in_custom_optimizer():
            return updated  # a custom optimizer's own attribute
        if not self.ctx.allows("KM308"):
            return updated
        self.ctx.fixed("KM308", original, "`optimizer.lr` -> `optimizer.learning_rate`")
        return updated.with_changes(attr=cst.Name("learning_rate"))

    def _decay_read(self, original: cst.Attribute) -> None:
        """``optimizer.decay`` read: Keras 3 optimizers have none (AttributeError, measured); the
        constructor's decay became a learning-rate schedule (KM302), which learning_rate applies."""
        if id(original) in self._assigned_ids or not self._is_optimizer(original.value) \
                or self._in_custom_optimizer() or not self.ctx.allows("KM308"):
            return
        self.ctx.flag("KM308", original, "Keras 3 optimizers have no .decay: the decay is a learning-rate schedule "
                      "now and optimizer.learning_rate reads the decayed rate; drop the decay arithmetic",
                      marker="no optimizer.decay in Keras 3: optimizer.learning_rate is the decayed rate")

    def _is_optimizer(self, node: cst.BaseExpression) -> bool:
        if not self.ctx.involves_keras:
            return False
        if self.ctx.kind_of(node) is Kind.OPTIMIZER:
            return True
        if isinstance(node, cst.Attribute) and node.attr.value == "optimizer":
            # `x.optimizer.lr`: Keras's idiom unless x is visibly something else.
            return not self.ctx.kind_of(node.value).is_not_keras
        if isinstance(node, cst.Name):
            return node.value in self._names_bound_to_optimizers()
        return False

    def _is_optimizer_lr(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value in ("lr", "learning_rate")
            and self._is_optimizer(node.value)
        )

    def _set_get_value(self, original: cst.Call, updated: cst.Call, which: str) -> cst.BaseExpression:
        if not original.args or not self._is_optimizer_lr(original.args[0].value):
            return updated
        if which == "get_value" or len(updated.args) != 2 or updated.args[0].keyword is not None:
            return updated  # the attribute itself is renamed by KM308
        if not isinstance(updated.func, type(original.func)) or code(updated.func) != code(original.func):
            return updated  # another family already rewrote this call
        if not self.ctx.allows("KM309"):
            return updated
        target = updated.args[0].value
        value = updated.args[1].value
        if isinstance(target, cst.Attribute) and target.attr.value == "lr":
            target = target.with_changes(attr=cst.Name("learning_rate"))
        self.ctx.fixed("KM309", original, "`K.set_value(optimizer.lr, v)` -> `optimizer.learning_rate.assign(v)`")
        return cst.Call(
            func=cst.Attribute(value=target, attr=cst.Name("assign")),
            args=[cst.Arg(value=value)],
            lpar=updated.lpar, rpar=updated.rpar,
        )

    def _compile_string(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not file_is_legacy(self.ctx):
            return updated
        arg = callargs.keyword(updated, "optimizer")
        if arg is None and positional_count(updated) >= 1:
            arg = updated.args[0]
        if arg is None:
            return updated
        value = string_value(arg.value)
        if value is None or value.lower() not in _STRING_IDS:
            return updated
        cls = _STRING_IDS[value.lower()]
        rule = "KM313" if cls == "RMSprop" else "KM305"
        if not self.ctx.allows(rule):
            return updated
        settings = self._legacy_settings(cls, given_lr=False, given_epsilon=None)
        text = ", ".join(f"{k}={v}" for k, v in settings)
        constructor = cst.Call(func=self.ctx.imports.reference(f"optimizers.{cls}"), args=[
            cst.Arg(keyword=cst.Name(k), value=cst.parse_expression(v), equal=_EQ) for k, v in settings
        ])  # fmt: skip
        if settings:
            last = constructor.args[-1]
            constructor = constructor.with_changes(
                args=[a.with_changes(comma=_COMMA) for a in constructor.args[:-1]] + [last]
            )
        self.ctx.fixed(rule, original, f"optimizer '{value}' -> {cls}({text}): the legacy defaults")
        if cls in EPSILON_INSIDE_SQRT and self.ctx.allows("KM313"):
            flag_epsilon_placement(self.ctx, original, cls)
        if cls == "Nadam" and self.ctx.allows("KM306"):
            self.ctx.flag("KM306", original, _NADAM_MESSAGE, marker=_NADAM_MARKER)
        args = [a.with_changes(value=constructor) if a is arg else a for a in updated.args]
        return updated.with_changes(args=args)

    implements: ClassVar[tuple[str, ...]] = ("KM308", "KM309")
