"""Layer constructor arguments that changed: renames (``alpha`` -> ``negative_slope``),
ThresholdedReLU, CuDNN layers, RNN and Embedding arguments, ``weights=``, legacy activity regularizers."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.nodes import code
from kmigrate.rules.layers.common import _ACTIVITY_HELPER, _CUDNN, LayersBase


class LayerArguments(LayersBase):
    """Layer constructor arguments that changed: renames (``alpha`` -> ``negative_slope``),"""

    def _activity_regularizer(self, original: cst.Call, call: cst.Call) -> cst.Call:
        arg = callargs.keyword(call, "activity_regularizer")
        if arg is None or m.matches(arg.value, m.Name("None")) or not self.ctx.allows("KM422"):
            return call
        if m.matches(arg.value, m.Call(func=m.Name(_ACTIVITY_HELPER))):
            return call
        self._activity_helper = True
        self.ctx.fixed("KM422", original, "activity_regularizer wrapped so that its penalty is summed "
                       "over the batch as in legacy Keras (tf.keras divides it by the batch size)")
        wrapped = cst.Call(func=cst.Name(_ACTIVITY_HELPER), args=[cst.Arg(arg.value)])
        return callargs.replace_value(call, "activity_regularizer", wrapped)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._activity_helper:
            return updated
        register = code(self.ctx.imports.reference("utils.register_keras_serializable"))
        regularizers = code(self.ctx.imports.reference("regularizers"))
        backend = code(self.ctx.imports.reference("backend"))
        self.ctx.imports.add_definition(
            _ACTIVITY_HELPER,
            f'@{register}(package="kmigrate")\n'
            f"class {_ACTIVITY_HELPER}({regularizers}.Regularizer):\n"
            '    """An activity penalty summed over the batch, as multi-backend Keras added it (kmigrate KM422)."""\n'
            "\n"
            "    def __init__(self, regularizer):\n"
            f"        self.regularizer = {regularizers}.get(regularizer)\n"
            "\n"
            "    def __call__(self, x):\n"
            f"        return self.regularizer(x) * {backend}.cast({backend}.shape(x)[0], {backend}.dtype(x))\n"
            "\n"
            "    def get_config(self):\n"
            f'        return {{"regularizer": {regularizers}.serialize(self.regularizer)}}\n'
            + self._plain_name_registration(_ACTIVITY_HELPER),
        )
        return updated

    def _rename(self, original: cst.Call, call: cst.Call, rule: str, old: str, new: str) -> cst.Call:
        if callargs.keyword(call, old) is None or callargs.keyword(call, new) is not None:
            return call
        if not self.ctx.allows(rule):
            return call
        self.ctx.fixed(rule, original, f"{old}= -> {new}=")
        return callargs.rename_keyword(call, old, new)

    def _thresholded_relu(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        """ThresholdedReLU(theta) -> ReLU(threshold=theta): a built-in that saves and loads."""
        if self.ctx.target == "tf_keras" or not self.ctx.allows("KM410") or any(a.star for a in call.args):
            return call
        call = callargs.bind_positionals(call, ("theta",))
        if callargs.keyword(call, "theta") is None:
            call = callargs.add_keyword(call, "theta", cst.Float("1.0"))
        call = callargs.rename_keyword(call, "theta", "threshold")
        self.ctx.fixed("KM410", original, "ThresholdedReLU(theta=t) -> ReLU(threshold=t) (identical except "
                       "at x == t exactly; Keras 3 cannot reload ThresholdedReLU from a saved file)")
        return call.with_changes(func=self.ctx.imports.reference("layers.ReLU"))

    def _cudnn(self, original: cst.Call, call: cst.Call, path: str) -> cst.BaseExpression:
        if not self.ctx.allows("KM409"):
            return call
        new = self.ctx.imports.reference(_CUDNN[path])
        self.ctx.fixed("KM409", original, f"{path.rpartition('.')[2]} -> {_CUDNN[path].rpartition('.')[2]} "
                       "(same computation; cuDNN is used automatically when available)")
        return call.with_changes(func=new)

    def _rnn_args(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L14: implementation= dropped; time_major= marked."""
        if callargs.keyword(call, "implementation") is not None and self.ctx.allows("KM414"):
            call = callargs.remove_keyword(call, "implementation")
            self.ctx.fixed("KM414", original, "dropped implementation= (Keras 3 ignores it)")
        if callargs.keyword(call, "time_major") is not None and self.ctx.allows("KM414"):
            self.ctx.flag("KM414", original, "Keras 3 RNNs have no time_major: drop it and transpose "
                          "the input to (batch, time, features) with tf.transpose(x, [1, 0, 2])")
        return call

    def _embedding(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L04: input_length -> input_shape=(input_length,) where it builds the model."""
        length = callargs.keyword(call, "input_length")
        place = self._places.get(id(original))
        if not self.ctx.allows("KM404"):
            return call
        has_shape = any(callargs.keyword(call, k) is not None for k in ("input_shape", "batch_input_shape", "batch_size"))
        if length is None:
            if place is not None and place.kind in ("first-add", "first-in-list") and not has_shape \
                    and not callargs.has_star_args(call) and not any(a.star for a in call.args):
                call = callargs.add_keyword(call, "input_shape", cst.parse_expression("(None,)"))
                self.ctx.fixed("KM404", original, "input_shape=(None,): the input legacy Embedding "
                               "declared, so that the model is built as before")
            return call
        if has_shape or (place is not None and place.kind == "called"):
            self.ctx.fixed("KM404", original, "dropped input_length= (Keras 3 ignores it)")
            return callargs.remove_keyword(call, "input_length")
        shape = cst.parse_expression(f"({code(length.value)},)")
        call = callargs.replace_value(call, "input_length", shape)
        call = callargs.rename_keyword(call, "input_length", "input_shape")
        self.ctx.fixed("KM404", original, f"input_length= -> input_shape={code(shape)}")
        return call

    def _weights(self, original: cst.Call, call: cst.Call) -> cst.Call:
        weights = callargs.keyword(call, "weights")
        if weights is None or not self.ctx.allows("KM408"):
            return call
        self.ctx.flag("KM408", original, f"Keras 3 layers reject weights=: remove it and call "
                      f"layer.set_weights({code(weights.value)}) once the layer is built "
                      "(e.g. after model construction: model.layers[i].set_weights(...))")
        return call

    implements: ClassVar[tuple[str, ...]] = ("KM422", "KM410", "KM409", "KM414", "KM404", "KM408")
