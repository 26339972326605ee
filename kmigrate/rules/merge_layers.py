"""KM232/KM233: the Keras 1 ``Merge`` layer and ``merge`` function (catalog B32/B33).

Both took a ``mode``; Keras 2 replaced them with one layer class per mode.  A literal mode is
rewritten to that class (``merge([a, b], mode='concat', concat_axis=1)`` ->
``Concatenate(axis=1)([a, b])``), a ``lambda`` mode to ``Lambda``; ``Merge([model_a, model_b])``
(a branching Sequential), the 'cos' mode (a different output shape) and modes that are not
literals are marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM232",
        name="merge-layer-class",
        summary="The Keras 1 `Merge(mode=...)` layer becomes the Keras 2 layer for its mode.",
        before=(
            "from keras.layers import Input, Merge\n"
            "\n"
            "a, b = Input(shape=(4,)), Input(shape=(4,))\n"
            "joined = Merge(mode='concat', concat_axis=1)([a, b])\n"
            "scores = Merge(mode='dot', dot_axes=1)([a, b])"
        ),
        after=(
            "from tensorflow.keras.layers import Input, Concatenate, Dot\n"
            "\n"
            "a, b = Input(shape=(4,)), Input(shape=(4,))\n"
            "joined = Concatenate(axis=1)([a, b])\n"
            "scores = Dot(axes=1)([a, b])"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "sum/mul/ave/max/concat/dot map one to one (Add, Multiply, Average, Maximum, Concatenate, Dot) "
            "and a lambda mode to Lambda. Merge of layers or models (a branching Sequential) needs the "
            "functional API, 'cos' returned shape (batch, 1, 1), and a mode held in a variable is unknown: "
            "those are marked."
        ),
        catalog=("B32", "D08"),
    ),
    Rule(
        id="KM233",
        name="merge-function",
        summary=(
            "The Keras 1 `merge(inputs, mode=...)` function becomes the Keras 2 layer for its mode, applied "
            "to the inputs."
        ),
        before=(
            "from keras.layers import Input, merge\n"
            "\n"
            "a, b = Input(shape=(4,)), Input(shape=(4,))\n"
            "joined = merge([a, b], mode='concat', concat_axis=-1)\n"
            "scores = merge([a, b], mode='dot', dot_axes=1)"
        ),
        after=(
            "from tensorflow.keras.layers import Input, Concatenate, Dot\n"
            "\n"
            "a, b = Input(shape=(4,)), Input(shape=(4,))\n"
            "joined = Concatenate(axis=-1)([a, b])\n"
            "scores = Dot(axes=1)([a, b])"
        ),
        safety=FixSafety.CONTEXT,
        safety_note="Same mode map as KM232; a mode that is not a literal is marked.",
        catalog=("B33",),
    ),
)

MERGE_MODES = {
    "sum": "layers.Add",
    "mul": "layers.Multiply",
    "ave": "layers.Average",
    "max": "layers.Maximum",
    "concat": "layers.Concatenate",
    "dot": "layers.Dot",
}
# Keras 1.2.2 signatures.
_CLASS_SIGNATURE = ("layers", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask",
                    "arguments", "node_indices", "tensor_indices", "name")  # fmt: skip
_FUNCTION_SIGNATURE = ("inputs", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask",
                       "arguments", "name")  # fmt: skip
_CLASSES = frozenset({"layers.Merge", "legacy.layers.Merge"})
_FUNCTIONS = frozenset({"layers.merge", "legacy.layers.merge"})
# Arguments no tf.keras merge layer has an equivalent for (unless they are None).
_UNSUPPORTED = ("output_mask", "node_indices", "tensor_indices")
_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


@dataclass
class MergeFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = _CLASSES | _FUNCTIONS

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not isinstance(original.func, (cst.Name, cst.Attribute)):
            return updated
        api = self.ctx.api(original.func)
        if api is None or not api.legacy:
            return updated
        if api.path in _CLASSES:
            return self._merge(original, updated, "KM232", is_function=False)
        if api.path in _FUNCTIONS:
            return self._merge(original, updated, "KM233", is_function=True)
        return updated

    def _merge(self, original: cst.Call, updated: cst.Call, rule: str, is_function: bool) -> cst.BaseExpression:
        if not self.ctx.allows(rule):
            return updated
        what = "merge(...)" if is_function else "Merge(...)"
        if callargs.has_star_args(updated):
            self.ctx.flag(rule, original, f"{what} with *args/**kwargs: rewrite it as the Keras 2 layer "
                          "for its mode (Add, Multiply, Average, Maximum, Concatenate(axis=), Dot(axes=))")
            return updated
        signature = _FUNCTION_SIGNATURE if is_function else _CLASS_SIGNATURE
        if len(callargs.positionals(updated)) > len(signature):
            self.ctx.flag(rule, original, f"too many positional arguments for {what}")
            return updated
        call = callargs.bind_positionals(updated, signature, keep=1 if is_function else 0)
        given = callargs.keywords(call)
        inputs = callargs.positionals(call)[0] if is_function and callargs.positionals(call) else given.get("inputs")
        if is_function and inputs is None:
            self.ctx.flag(rule, original, "merge(...) without inputs: apply the Keras 2 merge layer to the inputs")
            return updated
        layers = given.get("layers")
        if not is_function and layers is not None and not _is_none(layers.value):
            self.ctx.flag(rule, original, "Merge of layers/models (a branching Sequential) has no tf.keras "
                          "equivalent: build the model with the functional API, e.g. `a = Input(...); "
                          "b = Input(...); out = Concatenate()([left(a), right(b)]); model = Model([a, b], out)` "
                          "and fit on a list of inputs",
                          marker="build this model with the functional API (Merge of branches is gone)")  # fmt: skip
            return updated
        for name in _UNSUPPORTED:
            if name in given and not _is_none(given[name].value):
                self.ctx.flag(rule, original, f"`{name}=` of {what} has no tf.keras equivalent: rewrite this "
                              "merge by hand (Concatenate, Add, ... or a Lambda)")
                return updated
        mode_arg = given.get("mode")
        mode_value = mode_arg.value if mode_arg is not None else None
        keep: dict[str, str]  # legacy keyword -> new keyword
        if mode_value is None or isinstance(mode_value, cst.SimpleString):
            mode = mode_value.evaluated_value if mode_value is not None else "sum"
            if mode == "cos":
                axes = code(given["dot_axes"].value) if "dot_axes" in given else "-1"
                self.ctx.flag(rule, original, f"mode='cos' returned shape (batch, 1, 1) in Keras 1: use "
                              f"Reshape((1, 1))(Dot(axes={axes}, normalize=True)([a, b])) for 2D inputs, "
                              "or drop the Reshape if the extra axis was not needed")  # fmt: skip
                return updated
            if mode not in MERGE_MODES:
                self.ctx.flag(rule, original, f"unknown merge mode {mode!r}")
                return updated
            target = MERGE_MODES[mode]
            keep = {"name": "name"}
            if mode == "concat":
                keep["concat_axis"] = "axis"
            elif mode == "dot":
                keep["dot_axes"] = "axes"
        elif isinstance(mode_value, cst.Lambda):
            target = "layers.Lambda"
            keep = {"output_shape": "output_shape", "arguments": "arguments", "name": "name"}
        else:
            self.ctx.flag(rule, original, f"merge mode `{code(mode_value)}` is not a literal: use Add, "
                          "Multiply, Average, Maximum, Concatenate(axis=) or Dot(axes=) for a mode string, "
                          "Lambda(function) for a function")  # fmt: skip
            return updated

        layer_args: list[cst.Arg] = []
        if target == "layers.Lambda" and mode_value is not None:  # the mode is a lambda
            layer_args.append(cst.Arg(value=mode_value, comma=_COMMA))
        for arg in call.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword in keep:
                layer_args.append(arg.with_changes(keyword=cst.Name(keep[keyword])))
        if target == "layers.Dot" and "dot_axes" not in given:
            layer_args.insert(0, cst.Arg(value=cst.parse_expression("-1"), keyword=cst.Name("axes"), comma=_COMMA,
                                         equal=_equal()))  # fmt: skip
        layer_args = _close(layer_args)
        layer = cst.Call(func=self.ctx.imports.reference(target), args=layer_args)
        if is_function:
            assert inputs is not None
            value = inputs.value
            result: cst.BaseExpression = updated.with_changes(
                func=layer, args=[cst.Arg(value=value)]
            )
            self.ctx.fixed(rule, original, f"merge(mode=...) -> `{code(layer)}(...)`")
            return result
        self.ctx.fixed(rule, original, f"Merge(mode=...) -> `{code(layer)}`")
        return updated.with_changes(func=layer.func, args=layer.args)




def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _close(args: list[cst.Arg]) -> list[cst.Arg]:
    if args:
        args = [*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return args


FIXER = MergeFixer
