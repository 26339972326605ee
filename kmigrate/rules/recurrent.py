"""KM411-KM413: recurrent numerics that changed between legacy Keras and Keras 3 (catalog C-L11..C-L13).

Keras <= 2.2 LSTM/GRU (and their cells) gated with ``hard_sigmoid`` by default, ConvLSTM2D
did so in every Keras 2 release and in tf.keras 2.x, and Keras 3 redefined ``hard_sigmoid``
(relu6(x + 3) / 6 instead of clip(0.2x + 0.5, 0, 1)).  On the Keras 3 target the exact old
function is injected once per module as a small activation registered with
``register_keras_serializable`` (a plain ``tf.keras.backend.hard_sigmoid`` reference does not
survive saving, nor the backward copy inside ``Bidirectional``), and passed explicitly.
Multi-backend GRUs used ``reset_after=False``; Keras 3 defaults to True (another weight layout).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.names import Api
from kmigrate.nodes import code
from kmigrate.rule_types import CONTEXT
from kmigrate.rules.base import Rule, ValueReferences

RULES = (
    Rule(
        id="KM411",
        name="recurrent-activation-default",
        summary=(
            "LSTM/GRU written for Keras <= 2.2 (and ConvLSTM2D for any Keras 2) gated with the legacy "
            "hard_sigmoid: keep those numerics explicitly."
        ),
        before=(
            "from keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(64)"
        ),
        after=(
            "from tensorflow.keras.layers import LSTM\n"
            "from tensorflow.keras.utils import register_keras_serializable\n"
            "from tensorflow.keras import backend\n"
            "\n"
            "\n"
            '@register_keras_serializable(package="kmigrate")\n'
            "def legacy_hard_sigmoid(x):\n"
            '    """hard_sigmoid as Keras 2 computed it: clip(0.2 * x + 0.5, 0, 1) (kmigrate KM411/KM412)."""\n'
            "    return backend.hard_sigmoid(x)\n"
            "\n"
            "\n"
            "lstm = LSTM(64, recurrent_activation=legacy_hard_sigmoid)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras <= 2.2.5 defaulted recurrent_activation to hard_sigmoid = clip(0.2x+0.5, 0, 1); 2.3 "
            "switched to sigmoid and Keras 3 redefined hard_sigmoid as relu6(x+3)/6. The injected, "
            "registered function computes the legacy formula and survives .keras/.h5 saving (it must be "
            "imported before load_model). It depends on the legacy Keras version (--from-version; 2.2.4 is "
            "assumed when unknown) and gives up the cuDNN kernel."
        ),
        catalog=("C-L11", "D17"),
        tf_keras=True,
        details=(
            "Under --target tf_keras the string 'hard_sigmoid' still means the legacy formula, so only the "
            "default is made explicit there."
        ),
    ),
    Rule(
        id="KM412",
        name="hard-sigmoid-activation",
        summary="`'hard_sigmoid'` activations mean another function in Keras 3: keep the legacy formula.",
        before=(
            "from keras.layers import Dense, Activation\n"
            "\n"
            "output = Dense(1, activation='hard_sigmoid')\n"
            "gate = Activation('hard_sigmoid')"
        ),
        after=(
            "from tensorflow.keras.layers import Dense, Activation\n"
            "from tensorflow.keras.utils import register_keras_serializable\n"
            "from tensorflow.keras import backend\n"
            "\n"
            "\n"
            '@register_keras_serializable(package="kmigrate")\n'
            "def legacy_hard_sigmoid(x):\n"
            '    """hard_sigmoid as Keras 2 computed it: clip(0.2 * x + 0.5, 0, 1) (kmigrate KM411/KM412)."""\n'
            "    return backend.hard_sigmoid(x)\n"
            "\n"
            "\n"
            "output = Dense(1, activation=legacy_hard_sigmoid)\n"
            "gate = Activation(legacy_hard_sigmoid)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 2 and tf.keras 2.x computed clip(0.2x+0.5, 0, 1); Keras 3's hard_sigmoid is relu6(x+3)/6 "
            "(0.667 vs 0.7 at 1.0). tf.keras.backend.hard_sigmoid keeps the old formula and is not "
            "rewritten."
        ),
        catalog=("C-L12",),
        tf_keras=False,
    ),
    Rule(
        id="KM413",
        name="gru-reset-after",
        summary="Multi-backend Keras GRUs used `reset_after=False`; Keras 3 defaults to True.",
        before=(
            "from keras.layers import GRU\n"
            "\n"
            "gru = GRU(64)"
        ),
        after=(
            "from tensorflow.keras.layers import GRU\n"
            "\n"
            "gru = GRU(64, reset_after=False)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Every multi-backend release up to 2.3.1 defaulted reset_after=False: another gate formula and "
            "bias layout, so legacy weights only load and compute the same with it."
        ),
        catalog=("C-L13",),
        tf_keras=True,
    ),
)

HELPER = "legacy_hard_sigmoid"
HELPER_PACKAGE = "kmigrate"

# Legacy (Keras 2.2.4) parameter order, up to the parameters these rules look at.
_RNN = ("units", "activation", "recurrent_activation", "use_bias")
_CONVLSTM = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
             "activation", "recurrent_activation")  # fmt: skip


@dataclass(frozen=True)
class _Recurrent:
    params: tuple[str, ...]
    # The legacy default was hard_sigmoid: "<2.3" only for code written for Keras < 2.3,
    # "always" for every Keras 2 release and tf.keras 2.x (ConvLSTM2D).
    legacy_default: str
    gru: bool = False


TABLE: dict[str, _Recurrent] = {
    "layers.LSTM": _Recurrent(_RNN, "<2.3"),
    "layers.LSTMCell": _Recurrent(_RNN, "<2.3"),
    "layers.GRU": _Recurrent(_RNN, "<2.3", gru=True),
    "layers.GRUCell": _Recurrent(_RNN, "<2.3", gru=True),
    "layers.ConvLSTM2D": _Recurrent(_CONVLSTM, "always"),
}
# Keyword spellings of the recurrent activation (Keras 1's is renamed by KM207).
_RECURRENT_KEYWORDS = ("recurrent_activation", "inner_activation")
_ACTIVATION_KEYWORDS = ("activation", *_RECURRENT_KEYWORDS)
_HARD_SIGMOID_PATHS = frozenset({"activations.hard_sigmoid"})


def _is_hard_sigmoid_string(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == "hard_sigmoid"


def _standalone(api: Api) -> bool:
    """Multi-backend Keras (not tensorflow.python.keras, whose defaults followed TF)."""
    return api.legacy and api.name.qualified.split(".")[0] in ("keras",)


@dataclass
class RecurrentFixer(ValueReferences):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"LSTM", b"GRU", b"hard_sigmoid")

    _helper_name: str | None = None
    _helper_needed: bool = False

    # -- the helper ---------------------------------------------------------------------
    def _helper(self) -> cst.Name:
        if self._helper_name is None:
            self._helper_name = self._choose_helper_name()
        self._helper_needed = True
        return cst.Name(self._helper_name)

    def _choose_helper_name(self) -> str:
        for candidate in (HELPER, f"kmigrate_{HELPER}", f"_kmigrate_{HELPER}"):
            if any(
                isinstance(s, cst.FunctionDef) and s.name.value == candidate for s in self.ctx.module.body
            ):
                return candidate  # injected by an earlier run
            if not self.ctx.resolver.is_bound(candidate):
                return candidate
        return f"_kmigrate_{HELPER}_"

    def _legacy_value(self) -> cst.BaseExpression:
        """What to pass for the legacy hard_sigmoid on this target."""
        if self.ctx.target == "tf_keras":
            return cst.SimpleString('"hard_sigmoid"')
        return self._helper()

    def _version_note(self) -> str:
        version, assumed = self.ctx.settings.legacy_version
        text = ".".join(map(str, version))
        if assumed:
            return (f" (legacy Keras {text} assumed; if the code was written for Keras >= 2.3, "
                    "run with --from-version and drop this argument)")
        return f" (code written for Keras {text})"

    # -- calls -----------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None:
            return updated
        if api.path in TABLE:
            updated = self._recurrent(original, updated, api, TABLE[api.path])
        if api.path.startswith("layers."):
            updated = self._string_activations(original, updated, api)
        return updated

    def _recurrent(self, original: cst.Call, call: cst.Call, api: Api, spec: _Recurrent) -> cst.Call:
        positional = callargs.positionals(call)
        keywords = callargs.keywords(call)
        opaque = callargs.has_star_args(call) or any(a.star == "**" for a in call.args)
        index = spec.params.index("recurrent_activation")
        given = next((keywords[k] for k in _RECURRENT_KEYWORDS if k in keywords), None)
        if given is None and len(positional) > index:
            given = positional[index]
        # C-L11: the default.
        if given is None:
            if self._default_was_hard_sigmoid(api, spec):
                if opaque:
                    if self.ctx.allows("KM411"):
                        self.ctx.flag("KM411", original, "if the unpacked arguments do not set "
                                      "recurrent_activation, pass recurrent_activation="
                                      f"{self._spelled_legacy()} to keep the legacy hard_sigmoid gates"
                                      + self._version_note())
                elif self.ctx.allows("KM411"):
                    call = callargs.add_keyword(call, "recurrent_activation", self._legacy_value())
                    self.ctx.fixed("KM411", original, "made the legacy default recurrent_activation "
                                   "(hard_sigmoid = clip(0.2x+0.5, 0, 1)) explicit" + self._version_note())
        # C-L13: GRU reset_after.
        if spec.gru and _standalone(api) and "reset_after" not in keywords and self.ctx.allows("KM413"):
            if opaque:
                self.ctx.flag("KM413", original, "if the unpacked arguments do not set reset_after, "
                              "pass reset_after=False (the multi-backend Keras GRU formula and weight layout)")
            else:
                call = callargs.add_keyword(call, "reset_after", cst.Name("False"))
                self.ctx.fixed("KM413", original, "reset_after=False: the multi-backend Keras GRU "
                               "formula and weight layout")
        return call

    def _default_was_hard_sigmoid(self, api: Api, spec: _Recurrent) -> bool:
        if spec.legacy_default == "always":
            # tf.keras 2.x and every Keras 2 ConvLSTM2D: only Keras 3 changed it.
            if self.ctx.target == "tf_keras":
                return False
            return _standalone(api) or not api.legacy
        if not _standalone(api):
            return False
        version, _ = self.ctx.settings.legacy_version
        return version < (2, 3)

    def _spelled_legacy(self) -> str:
        if self.ctx.target == "tf_keras":
            return "'hard_sigmoid'"
        return self._helper().value

    def _string_activations(self, original: cst.Call, call: cst.Call, api: Api) -> cst.Call:
        """C-L12: 'hard_sigmoid' (or activations.hard_sigmoid) given to a layer."""
        if self.ctx.target == "tf_keras":
            return call
        args = list(call.args)
        changed = False
        for position, arg in enumerate(args):
            is_activation = (
                arg.keyword is not None and arg.keyword.value in _ACTIVATION_KEYWORDS
            ) or (arg.keyword is None and not arg.star and position == 0 and api.path == "layers.Activation")
            if not is_activation:
                continue
            if self._means_hard_sigmoid(arg.value) and self.ctx.allows("KM412"):
                args[position] = arg.with_changes(value=self._helper())
                changed = True
        if not changed:
            return call
        self.ctx.fixed("KM412", original, f"'hard_sigmoid' -> {self._helper_name} (the legacy "
                       "clip(0.2x+0.5, 0, 1); Keras 3 redefined hard_sigmoid)")
        return call.with_changes(args=args)

    def _means_hard_sigmoid(self, value: cst.BaseExpression) -> bool:
        if _is_hard_sigmoid_string(value):
            return True
        if isinstance(value, (cst.Name, cst.Attribute)):
            api = self.ctx.api(value)
            return api is not None and api.path in _HARD_SIGMOID_PATHS
        return False

    # -- activations.hard_sigmoid used as a value elsewhere (a call, an argument) -----------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if original.attr.value != "hard_sigmoid":
            return updated
        return self._hard_sigmoid_reference(original, updated)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if original.value != "hard_sigmoid" or id(original) in self.not_references:
            return updated
        return self._hard_sigmoid_reference(original, updated)

    def _hard_sigmoid_reference(self, original: cst.Name | cst.Attribute, updated: cst.Name | cst.Attribute
                                ) -> cst.BaseExpression:  # fmt: skip
        if self.ctx.target == "tf_keras":
            return updated
        api = self.ctx.api(original)
        if api is None or api.path not in _HARD_SIGMOID_PATHS or not self.ctx.allows("KM412"):
            return updated
        helper = self._helper()
        self.ctx.fixed("KM412", original, f"activations.hard_sigmoid -> {helper.value} "
                       "(the legacy clip(0.2x+0.5, 0, 1); Keras 3 redefined hard_sigmoid)")
        return helper.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    # -- injecting the helper ----------------------------------------------------------------
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._helper_needed or self._helper_name is None:
            return updated
        register = code(self.ctx.imports.reference("utils.register_keras_serializable"))
        backend = code(self.ctx.imports.reference("backend"))
        self.ctx.imports.add_definition(
            self._helper_name,
            f'@{register}(package="{HELPER_PACKAGE}")\n'
            f"def {self._helper_name}(x):\n"
            f'    """hard_sigmoid as Keras 2 computed it: clip(0.2 * x + 0.5, 0, 1) (kmigrate KM411/KM412)."""\n'
            f"    return {backend}.hard_sigmoid(x)\n",
        )
        return updated




FIXER = RecurrentFixer
