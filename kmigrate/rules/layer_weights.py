"""KM603: `weights=[W, b]` in layer constructors becomes `Constant` initializers.

Keras 2.2.4 kept `weights=` and, when the layer was built, called `set_weights(weights)` in the
order of `layer.weights` (engine/base_layer.py).  Keras 3.15 layers reject the keyword
(ValueError), except Embedding, which has its own `weights=` parameter and is left alone.
Where the list is a display whose length matches the layer's weights (Dense, Conv1D/2D/3D:
kernel and bias, or only the kernel with `use_bias=False`), each array becomes the
`Constant` initializer of its variable: the same values at build time (cast to the layer's
dtype as `set_weights` did).  Everything else keeps its `weights=` for KM408 to mark; this
family runs before the `layers` family in the traversal (registry order is alphabetical), so
KM408 sees the keyword only when this rule did not rewrite it.

Verified on TF 2.21: Dense(kernel_initializer=Constant(W), bias_initializer=Constant(b)) equals
x @ W + b; the model saves and reloads in .keras and .h5.  The arrays are stored in the layer
config (a 1000x512 kernel makes the .keras file 12 MB instead of about 2 MB): documented in
the rule, not a reason to mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.markers import has_marker
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.training_table import has_single_star

RULES = (
    Rule(
        id="KM603",
        name="weights-as-constant-initializers",
        summary="`Dense(k, weights=[W, b])` becomes `Constant` kernel and bias initializers.",
        before=(
            "import numpy as np\n"
            "from keras.layers import Dense\n"
            "\n"
            "kernel, bias = np.ones((4, 10)), np.zeros(10)\n"
            "layer = Dense(10, weights=[kernel, bias])"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.initializers import Constant\n"
            "\n"
            "kernel, bias = np.ones((4, 10)), np.zeros(10)\n"
            "layer = Dense(10, kernel_initializer=Constant(kernel), bias_initializer=Constant(bias))"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "Keras 2 set the list with set_weights() when the layer was built; Constant initializers put the "
            "same arrays into the same variables at build time. Rewritten for Dense and Conv1D/2D/3D when "
            "the list is written out with one array per weight; other layers and lists stay for KM408 to "
            "mark. Embedding keeps weights= (Keras 3 accepts it)."
        ),
        catalog=("C-L08",),
        tf_keras=False,
        details=(
            "The arrays become part of the layer config, so a saved .keras/.h5 file also holds them as JSON "
            "(larger files, same model). `weights=None` is dropped. Keras 1 convolution kernels "
            "(dim_ordering 'th') had another layout and are left to KM408."
        ),
    ),
)

# layer path -> (weight name, initializer keyword) in the order of layer.weights
_KERNEL_BIAS = (("kernel", "kernel_initializer"), ("bias", "bias_initializer"))
_LAYERS: dict[str, tuple[tuple[str, str], ...]] = {
    "layers.Dense": _KERNEL_BIAS,
    "layers.Conv1D": _KERNEL_BIAS,
    "layers.Conv2D": _KERNEL_BIAS,
    "layers.Conv3D": _KERNEL_BIAS,
    "layers.Convolution1D": _KERNEL_BIAS,
    "layers.Convolution2D": _KERNEL_BIAS,
    "layers.Convolution3D": _KERNEL_BIAS,
}
_CONVOLUTIONS = frozenset(p for p in _LAYERS if p != "layers.Dense")
# keywords that also set what `weights=` overrides (Keras 1 spellings included)
_CONFLICTING = ("kernel_initializer", "bias_initializer", "init", "weights_initializer")
_KERAS1_CONV_KEYWORDS = ("nb_filter", "nb_row", "nb_col", "filter_length", "border_mode", "subsample",
                         "subsample_length", "dim_ordering", "kernel_dim1")
_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


@dataclass
class LayerWeightsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"weights",)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None or api.path not in _LAYERS or has_single_star(updated):
            return updated
        weights = callargs.keyword(updated, "weights")
        if weights is None or any(a.star == "**" for a in updated.args) or not self.ctx.allows("KM603"):
            return updated
        if isinstance(weights.value, cst.Name) and weights.value.value == "None":
            self.ctx.fixed("KM603", original, "`weights=None` dropped (no initial weights)")
            return callargs.remove_keyword(updated, "weights")
        statement = self.ctx.current_statement
        if statement is not None and has_marker(statement, "KM408"):
            return updated  # marked in an earlier pass, when the call still showed Keras 1 arguments
        arrays = self._arrays(original, updated, weights.value, api.path)
        if arrays is None:
            return updated  # KM408 marks it
        constant = self.ctx.imports.reference("initializers.Constant")
        new_args: list[cst.Arg] = []
        for arg in updated.args:
            if arg is not weights:
                new_args.append(arg)
                continue
            for (_, keyword), array in zip(_LAYERS[api.path], arrays):
                call = cst.Call(func=constant, args=[cst.Arg(value=array)])
                new_args.append(cst.Arg(value=call, keyword=cst.Name(keyword), equal=_EQUAL,
                                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
            new_args[-1] = new_args[-1].with_changes(comma=weights.comma)
        names = " and ".join(name for (name, _), _ in zip(_LAYERS[api.path], arrays))
        self.ctx.fixed("KM603", original, f"weights= -> Constant initializers for the {names}")
        return updated.with_changes(args=new_args)

    def _arrays(self, original: cst.Call, call: cst.Call, value: cst.BaseExpression, path: str
                ) -> list[cst.BaseExpression] | None:  # fmt: skip
        """The arrays of a `weights=[...]` display, when they map one to one onto the layer's weights."""
        if not isinstance(value, (cst.List, cst.Tuple)) or any(isinstance(e, cst.StarredElement) for e in value.elements):
            return None
        if any(callargs.keyword(call, k) is not None for k in _CONFLICTING):
            return None
        if path in _CONVOLUTIONS and self._keras1_convolution(original):
            return None
        use_bias = self._use_bias(call)
        if use_bias is None:
            return None
        expected = 2 if use_bias else 1
        if len(value.elements) != expected:
            return None
        return [element.value for element in value.elements]

    def _keras1_convolution(self, original: cst.Call) -> bool:
        """Keras 1 kernels had another layout (dim_ordering 'th', Convolution1D's extra axis)."""
        version, _ = self.ctx.settings.legacy_version
        if version < (2, 0):
            return True
        if any(callargs.keyword(original, k) is not None for k in _KERAS1_CONV_KEYWORDS):
            return True
        return len(callargs.positionals(original)) > 2

    @staticmethod
    def _use_bias(call: cst.Call) -> bool | None:
        """The literal `use_bias=` (Keras 1: `bias=`), True when absent, None when not visible."""
        for keyword in ("use_bias", "bias"):
            arg = callargs.keyword(call, keyword)
            if arg is not None:
                if isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False"):
                    return arg.value.value == "True"
                return None
        return True


FIXER = LayerWeightsFixer
