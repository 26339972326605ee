"""``predict_classes`` / ``predict_proba``, ``train_on_batch(reset_metrics=)`` and Keras 1 ``compile`` arguments."""

from __future__ import annotations

from typing import Callable, ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.training.common import (
    _EQ,
    _LEGACY_COMPILE,
    TrainingBase,
    _substitute,
)
from kmigrate.rules.training_table import (
    has_single_star,
    positional_count,
)


class ModelMethods(TrainingBase):
    """``predict_classes`` / ``predict_proba``, ``train_on_batch(reset_metrics=)`` and Keras 1 ``compile`` arguments."""

    # -- predict_classes / predict_proba ----------------------------------------------------
    def _predict_classes(self, original: cst.Call, call: cst.Call, name: str) -> cst.BaseExpression:
        rule = "KM325" if name == "predict_classes" else "KM326"
        if not self.ctx.allows(rule) or has_single_star(call):
            return call
        version, _ = self.ctx.settings.legacy_version
        func = cst.ensure_type(call.func, cst.Attribute).with_changes(attr=cst.Name("predict"))
        predict = call.with_changes(func=func, lpar=[], rpar=[])
        if callargs.keyword(predict, "verbose") is None and positional_count(predict) < 3 and version >= (2, 0):
            predict = callargs.add_keyword(predict, "verbose", cst.Integer("0"))  # the legacy default
        if name == "predict_proba":
            self.ctx.fixed(rule, original, "`predict_proba` -> `predict`")
            return predict.with_changes(lpar=call.lpar, rpar=call.rpar)
        units = self.facts.output_units(cst.ensure_type(original.func, cst.Attribute).value, self._scopes)
        if units is not None and units > 1:
            result: cst.BaseExpression = cst.Call(
                func=cst.Attribute(value=predict, attr=cst.Name("argmax")),
                args=[cst.Arg(keyword=cst.Name("axis"), value=cst.parse_expression("-1"), equal=_EQ)],
            )
            self.ctx.fixed(rule, original, f"`predict_classes` -> `predict(...).argmax(axis=-1)` ({units} output units)")
        elif units == 1:
            result = cst.parse_expression("(P > 0.5).astype('int32')")
            result = _substitute(result, predict)
            self.ctx.fixed(rule, original, "`predict_classes` -> `(predict(...) > 0.5).astype('int32')` (one output unit)")
        else:
            result = _substitute(cst.parse_expression(
                "(lambda p: p.argmax(axis=-1) if p.shape[-1] > 1 else (p > 0.5).astype('int32'))(P)"
            ), predict)
            self.ctx.fixed(rule, original, "`predict_classes` -> predict + the Keras 2 choice between "
                           "argmax and the 0.5 threshold (the model's last layer is not visible here)")
        if call.lpar:
            result = result.with_changes(lpar=call.lpar, rpar=call.rpar)
        return result

    # -- train_on_batch / compile ------------------------------------------------------------
    def _reset_metrics(self, original: cst.Call, call: cst.Call) -> cst.Call:
        arg = callargs.keyword(call, "reset_metrics")
        if arg is None or not self.ctx.allows("KM327"):
            return call
        if isinstance(arg.value, cst.Name) and arg.value.value == "True":
            self.ctx.fixed("KM327", original, "`reset_metrics=True` dropped (Keras 3 always resets)")
            return callargs.remove_keyword(call, "reset_metrics")
        self.ctx.flag("KM327", original, "Keras 3 batch methods always reset metrics: accumulate the "
                      "returned values yourself instead of reset_metrics=False")
        return call

    def _compile(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if has_single_star(call):
            return call
        if positional_count(call) > 2 and self.ctx.allows("KM328"):
            if positional_count(call) > len(_LEGACY_COMPILE):
                return call
            call = callargs.bind_positionals(call, _LEGACY_COMPILE, keep=2)
            self.ctx.fixed("KM328", original, "compile arguments after `loss` passed by keyword (Keras 3 "
                           "has loss_weights third)")
        mode = callargs.keyword(call, "sample_weight_mode")
        if mode is not None and self.ctx.allows("KM328"):
            call = callargs.remove_keyword(call, "sample_weight_mode")
            self.ctx.fixed("KM328", original, "`sample_weight_mode=` dropped: Keras 3 fit takes "
                           "(batch, timesteps) sample weights directly")
            if not (isinstance(mode.value, cst.Name) and mode.value.value == "None"):
                # Temporal weights are 0 on padded steps as a rule, and there the losses part.
                self.ctx.flag("KM328", original, "legacy Keras divided each batch's weighted loss by the "
                              "fraction of non-zero sample weights, Keras 3 does not: with zero weights "
                              "(padded timesteps) loss and gradients shrink by that fraction; mask the "
                              "padded steps (Masking, mask_zero), which Keras 3 rescales as legacy did, "
                              "or scale the weights",
                              marker="zero sample weights no longer scale the loss up: mask padding instead")
        targets = callargs.keyword(call, "target_tensors")
        if targets is not None and self.ctx.allows("KM329"):
            if isinstance(targets.value, cst.Name) and targets.value.value == "None":  # the default: no targets
                self.ctx.fixed("KM329", original, "`target_tensors=None` dropped (the default; Keras 3 has no such argument)")
                return callargs.remove_keyword(call, "target_tensors")
            self.ctx.flag("KM329", original, "compile(target_tensors=) is gone: pass the targets to "
                          "fit(y=...) or through a tf.data.Dataset",
                          marker="target_tensors= is gone: pass the targets to fit(y=...) or a tf.data.Dataset")
        return call

    # Method name -> its rewrite, called as (fixer, original, updated, name) by ``leave_Call``.
    method_calls: ClassVar[dict[str, Callable[..., cst.BaseExpression]]] = {
        "predict_classes": _predict_classes,
        "predict_proba": _predict_classes,
        "train_on_batch": lambda self, original, updated, name: self._reset_metrics(original, updated),
        "test_on_batch": lambda self, original, updated, name: self._reset_metrics(original, updated),
        "compile": lambda self, original, updated, name: self._compile(original, updated),
    }

    implements: ClassVar[tuple[str, ...]] = ("KM325", "KM326", "KM327", "KM328", "KM329")
