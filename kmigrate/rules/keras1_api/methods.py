"""Methods whose Keras 1 keywords changed: ``compile(metrics=)``, ``flow(X=)``."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.base import in_layer_subclass
from kmigrate.rules.keras1_api.common import _KERAS1_METRICS, Keras1ApiBase


class Keras1Methods(Keras1ApiBase):
    """Methods whose Keras 1 keywords changed: ``compile(metrics=)``, ``flow(X=)``."""

    # -- method calls: compile(metrics=), flow(X=) --------------------------------------------------
    def _methods(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or not self.ctx.involves_keras:
            return call
        name = func.attr.value
        if not self.ctx.keras_receiver(func.value, name, original):
            return call
        if name == "compile":
            metrics = callargs.keyword(call, "metrics")
            if metrics is not None and isinstance(metrics.value, (cst.List, cst.Tuple)):
                found = [e.value.evaluated_value for e in metrics.value.elements
                         if isinstance(e.value, cst.SimpleString) and e.value.evaluated_value in _KERAS1_METRICS]
                if found and self.ctx.allows("KM243"):
                    self.ctx.flag("KM243", original, f"Keras 1 batch-wise metrics {', '.join(found)} are "
                                  "gone or mean stateful global metrics now: use tf.keras.metrics.Precision(), "
                                  "Recall() or F1Score(), or keep a local copy of the Keras 1 function")
        elif name in ("flow",) and callargs.keyword(call, "X") is not None and self._imports_image_preprocessing():
            if self.ctx.allows("KM249"):
                self.ctx.fixed("KM249", original, "flow(X=) -> flow(x=)")
                return callargs.rename_keyword(call, "X", "x")
        elif name == "get_output_shape_for" and in_layer_subclass(self.ctx):
            if self.ctx.allows("KM253"):
                self.ctx.fixed("KM253", original, "get_output_shape_for -> compute_output_shape")
                return call.with_changes(func=call.func.with_changes(attr=cst.Name("compute_output_shape")))
        return call

    def _imports_image_preprocessing(self) -> bool:
        return any("preprocessing" in b[0].qualified for b in self.ctx.resolver.bindings.values()) or bool(
            self.ctx.resolver.star_modules
        )

    implements: ClassVar[tuple[str, ...]] = ("KM243", "KM249", "KM253")
