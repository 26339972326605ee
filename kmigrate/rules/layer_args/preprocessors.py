"""The preprocessors a layer's ``LayerSpec.steps`` names (``layer_args_table.py``): arguments that
need code rather than a rename (separable init, forget_bias_init, consume_less, input_dim,
Embedding dropout, BatchNormalization mode, ZeroPadding2D)."""

from __future__ import annotations

from typing import Callable, ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.layer_args.common import (
    _COMMA,
    LayerArgsBase,
    _Edit,
    _literal,
    _tuple,
)
from kmigrate.rules.layer_args_table import (
    CONSUME_LESS,
)


# What a Keras 1 BatchNormalization(mode=...) computed and how to write it in tf.keras (Keras 1.2.2
# normalization.py): mode 1 normalized each sample over its last axis with its own mean and
# std (no moving statistics), mode 2 normalized per feature with the batch's statistics in
# training and at test time alike. Messages read "what it did: what to write; details".
_BATCHNORM_MODES = {
    1: "mode=1 normalized each sample: use LayerNormalization(axis=-1) instead; Keras 1 mode 1 took "
       "the mean and std of each sample over its last axis (whatever `axis` said, no moving statistics) "
       "and divided by (std + epsilon) with std = sqrt(var + epsilon), so epsilon enters twice",
    2: "mode=2 used batch stats at test time too: call the layer with training=True; Keras 1 mode 2 "
       "normalized per feature like mode 0 but with the batch's own statistics in training and at "
       "test time alike: in a functional model BatchNormalization()(x, training=True), in a "
       "Sequential one a Layer subclass whose call() returns self.bn(x, training=True)",
}
_BATCHNORM_MODE_UNKNOWN = (
    "mode is set at run time: 0 drop it, 1 LayerNormalization, 2 training=True; "
    "mode={mode}: Keras 2 kept only mode 0 (this BatchNormalization()); mode 1 was per-sample normalization "
    "(LayerNormalization(axis=-1)); mode 2 used the batch's statistics at test time too "
    "(call the layer with training=True)"
)
_BATCHNORM_MODE_INVALID = "mode={mode} was never a Keras 1 mode (0, 1 or 2): check what this code ran with"


class Keras1Preprocessors(LayerArgsBase):
    """The preprocessors a layer's ``LayerSpec.steps`` names (``layer_args_table.py``): arguments that"""

    # -- preprocessors ------------------------------------------------------------------
    def _separable_init(self, call: cst.Call, edit: _Edit) -> cst.Call:
        init = callargs.keyword(call, "init")
        if init is None or not self.ctx.allows("KM215"):
            return call
        given = callargs.keywords(call)
        if "depthwise_initializer" in given or "pointwise_initializer" in given:
            edit.flag("KM215", "both `init=` and depthwise_/pointwise_initializer= given (legacy Keras "
                      "raised here): keep one")
            return call
        depthwise = init.with_changes(keyword=cst.Name("depthwise_initializer"), comma=_COMMA)
        pointwise = init.with_changes(keyword=cst.Name("pointwise_initializer"))
        args: list[cst.Arg] = []
        for arg in call.args:
            args.extend([depthwise, pointwise] if arg is init else [arg])
        edit.fix("KM215", "`init=` -> `depthwise_initializer=` and `pointwise_initializer=`")
        return call.with_changes(args=args)

    def _drop(self, call: cst.Call, name: str, rule: str, message: str, edit: _Edit) -> cst.Call:
        if callargs.keyword(call, name) is None or not self.ctx.allows(rule):
            return call
        edit.fix(rule, message)
        return callargs.remove_keyword(call, name)

    def _forget_bias(self, call: cst.Call, rule: str, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "forget_bias_init")
        if arg is None or not self.ctx.allows(rule):
            return call
        value = _literal(arg.value)
        if value == "one":
            if callargs.keyword(call, "unit_forget_bias") is not None:
                return callargs.remove_keyword(call, "forget_bias_init")
            edit.fix(rule, "`forget_bias_init='one'` -> `unit_forget_bias=True`")
            new = arg.with_changes(keyword=cst.Name("unit_forget_bias"), value=cst.Name("True"))
            return call.with_changes(args=[new if a is arg else a for a in call.args])
        edit.fix(rule, "`forget_bias_init=` dropped (Keras 2 ignored values other than 'one')")
        if not self._known_keras2():
            if value in ("zero", "zeros"):
                hint = "Keras 1 initialised the forget-gate bias with zeros: add unit_forget_bias=False"
            else:
                hint = (f"Keras 1 initialised the forget-gate bias with {code(arg.value)}: "
                        "add unit_forget_bias=False and a bias_initializer if that matters")  # fmt: skip
            edit.flag(rule, hint + " (Keras 2 ignored it; tf.keras defaults to unit_forget_bias=True)")
        return callargs.remove_keyword(call, "forget_bias_init")

    def _consume_less(self, call: cst.Call, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "consume_less")
        if arg is None or not self.ctx.allows("KM207"):
            return call
        value = _literal(arg.value)
        if (
            self.ctx.target == "tf_keras"
            and isinstance(value, str)
            and value in CONSUME_LESS
            and callargs.keyword(call, "implementation") is None
        ):
            new = arg.with_changes(keyword=cst.Name("implementation"), value=cst.Integer(str(CONSUME_LESS[value])))
            edit.fix("KM207", f"`consume_less={value!r}` -> `implementation={CONSUME_LESS[value]}`")
            return call.with_changes(args=[new if a is arg else a for a in call.args])
        edit.fix("KM207", "`consume_less=` dropped (it only chose an implementation)")
        return callargs.remove_keyword(call, "consume_less")

    def _input_dim(self, call: cst.Call, rule: str, edit: _Edit) -> cst.Call:
        dim = callargs.keyword(call, "input_dim")
        if dim is None or not self.ctx.allows(rule):
            return call
        given = callargs.keywords(call)
        if "input_shape" in given or "batch_input_shape" in given:
            return call
        length = given.get("input_length")
        length_value = length.value if length is not None else cst.Name("None")
        shape = _tuple([length_value, dim.value])
        new = dim.with_changes(keyword=cst.Name("input_shape"), value=shape)
        call = call.with_changes(args=[new if a is dim else a for a in call.args])
        if length is not None:
            call = callargs.remove_args(call, [length])
        edit.fix(rule, f"`input_dim=`{'/`input_length=`' if length is not None else ''} -> "
                 f"`input_shape={code(shape)}`")  # fmt: skip
        return call

    def _embedding_dropout(self, call: cst.Call, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "dropout")
        if arg is None or not self.ctx.allows("KM203"):
            return call
        edit.fix("KM203", "`dropout=` dropped (Keras 2 ignored it)")
        value = _literal(arg.value)
        if value not in (0, 0.0, None) and not self._known_keras2():
            edit.flag("KM203", f"add SpatialDropout1D({code(arg.value)}) after this layer if the code relied "
                      f"on it; Keras 1 Embedding(dropout={code(arg.value)}) dropped whole words, Keras 2 "
                      "ignored it")  # fmt: skip
        return callargs.remove_keyword(call, "dropout")

    def _batchnorm_mode(self, call: cst.Call, edit: _Edit) -> cst.Call:
        arg = callargs.keyword(call, "mode")
        if arg is None or not self.ctx.allows("KM219"):
            return call
        value = _literal(arg.value)
        if value == 0 and not isinstance(value, bool):
            edit.fix("KM219", "`mode=0` dropped (the only mode Keras 2 kept)")
            return callargs.remove_keyword(call, "mode")
        mode = code(arg.value)
        if isinstance(arg.value, cst.Integer):
            edit.flag("KM219", _BATCHNORM_MODES.get(arg.value.evaluated_value, _BATCHNORM_MODE_INVALID.format(mode=mode)))
        else:
            edit.flag("KM219", _BATCHNORM_MODE_UNKNOWN.format(mode=mode))
        return call

    def _padding2d(self, call: cst.Call, edit: _Edit) -> cst.Call:
        if not self.ctx.allows("KM220"):
            return call
        arg = callargs.keyword(call, "padding")
        if arg is None:
            positional = callargs.positionals(call)
            arg = positional[0] if positional else None
        if arg is None:
            return call
        value = arg.value
        pairs: list[cst.BaseExpression] | None = None
        if isinstance(value, cst.Dict):
            keys = ("top_pad", "bottom_pad", "left_pad", "right_pad")
            found: dict[str, cst.BaseExpression] = {}
            for element in value.elements:
                if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                    return call
                key = element.key.evaluated_value
                if key not in keys:
                    return call
                found[key] = element.value
            pairs = [found.get(k, cst.Integer("0")) for k in keys]
        elif isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == 4:
            if any(not isinstance(e, cst.Element) for e in value.elements):
                return call
            pairs = [e.value for e in value.elements]
        if pairs is None:
            return call
        new_value = _tuple([_tuple(pairs[:2]), _tuple(pairs[2:])])
        edit.fix("KM220", f"padding `{code(value)}` -> `{code(new_value)}`")
        return call.with_changes(args=[arg.with_changes(value=new_value) if a is arg else a for a in call.args])

    # The steps a LayerSpec may name (``layer_args_table.py``), in the order they run.
    preprocessors: ClassVar[tuple[tuple[str, Callable[..., cst.Call]], ...]] = (
        ("separable_init", lambda self, call, edit: self._separable_init(call, edit)),
        ("output_shape", lambda self, call, edit: self._drop(
            call, "output_shape", "KM216",
            "`output_shape=` dropped (tf.keras infers the size; add output_padding= if it differs)", edit,
        )),
        ("forget_bias", lambda self, call, edit: self._forget_bias(call, "KM218", edit)),
        ("recurrent", lambda self, call, edit: self._input_dim(
            self._consume_less(self._forget_bias(call, "KM208", edit), edit), "KM208", edit,
        )),
        ("input_dim", lambda self, call, edit: self._input_dim(call, "KM212", edit)),
        ("embedding_dropout", lambda self, call, edit: self._embedding_dropout(call, edit)),
        ("batchnorm_mode", lambda self, call, edit: self._batchnorm_mode(call, edit)),
        ("padding2d", lambda self, call, edit: self._padding2d(call, edit)),
    )  # fmt: skip

    implements: ClassVar[tuple[str, ...]] = (
        "KM203", "KM207", "KM208", "KM212", "KM215", "KM216", "KM218", "KM219", "KM220",
    )  # fmt: skip
