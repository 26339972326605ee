"""The optimizer family's shared part: rule entries, tables, helpers, file facts and the call
dispatch (``OptimizersBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.names import Api
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.training_table import (
    method_name,
    number_literal,
    number_value,
    positional_count,
)

SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

RULES = (
    Rule(
        id="KM301",
        name="optimizer-lr-kwarg",
        summary="Optimizer `lr=` becomes `learning_rate=`.",
        before=(
            "from keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(lr=0.01, momentum=0.9)"
        ),
        after=(
            "from tensorflow.keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(learning_rate=0.01, momentum=0.9)"
        ),
        safety=SAFE,
        safety_note="Keras 3 rejects `lr` (ValueError); the parameter is the same.",
        catalog=("C-O01",),
    ),
    Rule(
        id="KM302",
        name="optimizer-decay",
        summary="Optimizer `decay=` becomes an `InverseTimeDecay` schedule with the same numbers.",
        before=(
            "from keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(lr=0.01, decay=1e-6, momentum=0.9)"
        ),
        after=(
            "from tensorflow.keras.optimizers import SGD\n"
            "from tensorflow.keras.optimizers.schedules import InverseTimeDecay\n"
            "\n"
            "optimizer = SGD(learning_rate=InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6), momentum=0.9)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 2 used lr / (1 + decay * iterations) with the iteration count before the update, which is "
            "what InverseTimeDecay(lr, 1, decay) computes on Keras 3 (measured against Keras 2.2.4: 6e-8). "
            "Keras 3 ignores `decay` with only a warning. A schedule cannot be changed by "
            "LearningRateScheduler, ReduceLROnPlateau or set_value: files that do that are marked."
        ),
        catalog=("C-O02",),
    ),
    Rule(
        id="KM303",
        name="optimizer-positional",
        summary="Positional optimizer arguments become keywords of the legacy signature.",
        before=(
            "from keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(0.01, 0.9, 0.0, True)"
        ),
        after=(
            "from tensorflow.keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(0.01, momentum=0.9, nesterov=True)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 orders parameters differently (SGD(0.01, 0.9, 1e-6, True) sets nesterov=1e-6 and "
            "weight_decay=True). The legacy order depends on the release (2.3 dropped decay/epsilon from the "
            "signatures)."
        ),
        catalog=("C-O03",),
    ),
    Rule(
        id="KM304",
        name="optimizer-epsilon-none",
        summary="`epsilon=None` is dropped.",
        before=(
            "from keras.optimizers import Adam\n"
            "\n"
            "optimizer = Adam(lr=1e-3, epsilon=None)"
        ),
        after=(
            "from tensorflow.keras.optimizers import Adam\n"
            "\n"
            "optimizer = Adam(learning_rate=1e-3)"
        ),
        safety=SAFE,
        safety_note=(
            "None meant K.epsilon() (1e-7), the Keras 3 default; Keras 3 fails on None at the first step."
        ),
        catalog=("C-O04",),
    ),
    Rule(
        id="KM305",
        name="optimizer-defaults",
        summary=(
            "Default learning rates (and Adagrad's initial accumulator) that Keras 3 changed are written "
            "out."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.optimizers import Adadelta\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(optimizer='adagrad', loss='mse')\n"
            "optimizer = Adadelta()"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.optimizers import Adadelta, Adagrad\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(optimizer=Adagrad(learning_rate=0.01, initial_accumulator_value=0.0, epsilon=1e-14), loss='mse')\n"
            "optimizer = Adadelta(learning_rate=1.0)"
        ),
        safety=SAFE,
        safety_note=(
            "Legacy defaults: Adadelta 1.0, Adagrad 0.01 with zero accumulators, Adamax and Nadam 0.002; "
            "Keras 3 uses 0.001 and starts Adagrad's accumulators at 0.1."
        ),
        catalog=("C-O05",),
    ),
    Rule(
        id="KM306",
        name="nadam-schedule-decay",
        summary="Nadam's `schedule_decay` is gone and its momentum schedule changed.",
        before=(
            "from keras.optimizers import Nadam\n"
            "\n"
            "optimizer = Nadam(lr=0.002, schedule_decay=0.004)"
        ),
        after="Nadam(learning_rate=0.002)  # kmigrate: KM306 ...",
        safety=FLAG,
        safety_note=(
            "Keras 3 Nadam uses 0.96**t where legacy Keras used 0.96**(t * schedule_decay): training differs "
            "(measured 1e-2 on a small model). Accept the drift or keep a custom optimizer."
        ),
        catalog=("C-O06",),
    ),
    Rule(
        id="KM307",
        name="optimizer-lowercase-aliases",
        summary="Lower-case optimizer aliases (`adam`, `sgd`, ...) become the classes.",
        before=(
            "from keras.optimizers import adam\n"
            "\n"
            "optimizer = adam(lr=1e-3)"
        ),
        after=(
            "from tensorflow.keras.optimizers import Adam as adam\n"
            "\n"
            "optimizer = adam(learning_rate=1e-3)"
        ),
        safety=SAFE,
        safety_note="The aliases were the same classes.",
        catalog=("C-O07",),
    ),
    Rule(
        id="KM308",
        name="optimizer-lr-attribute",
        summary="`optimizer.lr` becomes `optimizer.learning_rate`.",
        before=(
            "from keras import backend as K\n"
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class ShowRate(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.lr)\n"
            "        print(epoch, rate)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class ShowRate(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.learning_rate)\n"
            "        print(epoch, rate)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 optimizers have no `lr` attribute. Matched on `.optimizer.lr` chains and names bound to "
            "optimizer constructors in the file."
        ),
        catalog=("C-O08",),
    ),
    Rule(
        id="KM309",
        name="set-value-learning-rate",
        summary="`K.set_value(optimizer.lr, v)` becomes `optimizer.learning_rate.assign(v)`.",
        before=(
            "from keras import backend as K\n"
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Halve(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.learning_rate)\n"
            "        K.set_value(self.model.optimizer.lr, rate * 0.5)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Halve(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.learning_rate)\n"
            "        self.model.optimizer.learning_rate.assign(rate * 0.5)"
        ),
        safety=CONTEXT,
        safety_note=(
            "The legacy set_value fails on Keras 3 variables (dtype is a string); assign stores the same "
            "value. K.get_value keeps working on the renamed attribute."
        ),
        catalog=("C-O09",),
        tf_keras=False,
    ),
    Rule(
        id="KM310",
        name="tfoptimizer",
        summary="`TFOptimizer(tf.train.X)` has no tf.keras equivalent.",
        before=(
            "import tensorflow as tf\n"
            "from keras.optimizers import TFOptimizer\n"
            "\n"
            "optimizer = TFOptimizer(tf.train.AdamOptimizer(1e-3))"
        ),
        after="tf.keras.optimizers.Adam(learning_rate=1e-3)  # check epsilon (tf.train used 1e-8)",
        safety=FLAG,
        safety_note="The tf.train optimizers differ in defaults and update details.",
        catalog=("C-O10",),
    ),
    Rule(
        id="KM311",
        name="custom-optimizer-api",
        summary="Custom optimizers written against `get_updates` must be ported.",
        before=(
            "from keras.optimizers import Optimizer\n"
            "\n"
            "\n"
            "class PlainSGD(Optimizer):\n"
            "    def get_updates(self, loss, params):\n"
            "        grads = self.get_gradients(loss, params)\n"
            "        return [(p, p - 0.01 * g) for p, g in zip(params, grads)]"
        ),
        after=(
            "class MyOpt(Optimizer):\n"
            "    def build(self, var_list): ...\n"
            "    def update_step(self, gradient, variable, learning_rate): ..."
        ),
        safety=FLAG,
        safety_note="Keras 3 optimizers have no graph-mode update lists.",
        catalog=("C-O11",),
    ),
    Rule(
        id="KM312",
        name="optimizers-legacy-namespace",
        summary="`tf.keras.optimizers.legacy.X` becomes `tf.keras.optimizers.X`.",
        before=(
            "import tensorflow as tf\n"
            "\n"
            "optimizer = tf.keras.optimizers.legacy.Adam(learning_rate=1e-3)"
        ),
        after=(
            "import tensorflow as tf\n"
            "\n"
            "optimizer = tf.keras.optimizers.Adam(learning_rate=1e-3)"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 raises ImportError for the legacy namespace; arguments are converted like other Keras 2 "
            "optimizers."
        ),
        catalog=("C-O12",),
        tf_keras=False,
    ),
    Rule(
        id="KM313",
        name="optimizer-epsilon",
        summary="Epsilon is written out where Keras 3 uses it differently.",
        before=(
            "from keras.optimizers import RMSprop\n"
            "\n"
            "optimizer = RMSprop(lr=0.001)"
        ),
        after=(
            "from tensorflow.keras.optimizers import RMSprop\n"
            "\n"
            "optimizer = RMSprop(learning_rate=0.001, epsilon=1e-14)"
        ),
        safety=SAFE,
        safety_note=(
            "Legacy RMSprop and Adagrad divided by sqrt(v) + epsilon, Keras 3 by sqrt(v + epsilon): epsilon "
            "squared keeps the updates of legacy Keras (measured 4e-6 on RMSprop, against 3e-3 with the "
            "default). Keras <= 2.1.2 defaulted to epsilon=1e-8, written out when that version is known."
        ),
        catalog=("C-O13",),
    ),
    Rule(
        id="KM227",
        name="optimizer-get-updates-signature",
        summary="Keras 1 `get_updates(self, params, constraints, loss)` must be ported.",
        before=(
            "from keras.optimizers import Optimizer\n"
            "\n"
            "\n"
            "class PlainSGD(Optimizer):\n"
            "    def get_updates(self, params, constraints, loss):\n"
            "        grads = self.get_gradients(loss, params)\n"
            "        return [(p, p - 0.01 * g) for p, g in zip(params, grads)]"
        ),
        after=(
            "def build(self, var_list): ...\n"
            "def update_step(self, gradient, variable, learning_rate): ..."
        ),
        safety=FLAG,
        safety_note="No mechanical path to the Keras 3 optimizer API.",
        catalog=("B27",),
    ),
)

# class -> (Keras <= 2.2 positional order, Keras 2.3 order, legacy default learning rate)
_LEGACY: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    "SGD": (("lr", "momentum", "decay", "nesterov"), ("learning_rate", "momentum", "nesterov"), 0.01),
    "RMSprop": (("lr", "rho", "epsilon", "decay"), ("learning_rate", "rho"), 0.001),
    "Adagrad": (("lr", "epsilon", "decay"), ("learning_rate",), 0.01),
    "Adadelta": (("lr", "rho", "epsilon", "decay"), ("learning_rate", "rho"), 1.0),
    "Adam": (("lr", "beta_1", "beta_2", "epsilon", "decay", "amsgrad"),
             ("learning_rate", "beta_1", "beta_2", "amsgrad"), 0.001),
    "Adamax": (("lr", "beta_1", "beta_2", "epsilon", "decay"), ("learning_rate", "beta_1", "beta_2"), 0.002),
    "Nadam": (("lr", "beta_1", "beta_2", "epsilon", "schedule_decay"), ("learning_rate", "beta_1", "beta_2"), 0.002),
}  # fmt: skip
# tf.keras 2.x (OptimizerV2 and optimizers.legacy) orders, with their defaults.
_TF2: dict[str, tuple[tuple[str, ...], float]] = {
    "SGD": (("learning_rate", "momentum", "nesterov", "name"), 0.01),
    "RMSprop": (("learning_rate", "rho", "momentum", "epsilon", "centered", "name"), 0.001),
    "Adagrad": (("learning_rate", "initial_accumulator_value", "epsilon", "name"), 0.001),
    "Adadelta": (("learning_rate", "rho", "epsilon", "name"), 0.001),
    "Adam": (("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "name"), 0.001),
    "Adamax": (("learning_rate", "beta_1", "beta_2", "epsilon", "name"), 0.001),
    "Nadam": (("learning_rate", "beta_1", "beta_2", "epsilon", "name"), 0.001),
}
_KERAS3_DEFAULT_LR = {"SGD": 0.01}  # every other built-in defaults to 0.001
# Legacy RMSprop/Adagrad added epsilon after the square root, Keras 3 inside: squared (KM313).
EPSILON_INSIDE_SQRT = frozenset({"RMSprop", "Adagrad"})
# Keras 3 defaults that differ from the legacy behaviour, written out (KM305); also read by
# kmigrate.models when converting stored optimizer configs.
KERAS3_LEGACY_DEFAULTS: dict[str, dict[str, float]] = {"Adagrad": {"initial_accumulator_value": 0.0}}
_LOWERCASE = {c.lower(): c for c in _LEGACY}
_STRING_IDS = {  # compile(optimizer='...') whose Keras 3 meaning differs from legacy Keras
    "rmsprop": "RMSprop", "adagrad": "Adagrad", "adadelta": "Adadelta", "adamax": "Adamax",
    "nadam": "Nadam",
}  # fmt: skip
# Code that changes the learning rate while training (callees, or attributes assigned).
_LR_SETTER_CALLS = frozenset({"LearningRateScheduler", "ReduceLROnPlateau", "set_value", "lr.assign",
                              "learning_rate.assign"})
_LR_ATTRIBUTES = frozenset({"lr", "learning_rate"})


def _optimizer_class(api_path: str) -> tuple[str, bool] | None:
    """``optimizers.Adam`` -> ("Adam", False); ``optimizers.legacy.Adam`` -> ("Adam", True)."""
    module, _, leaf = api_path.rpartition(".")
    if module == "optimizers":
        if leaf in _LEGACY:
            return leaf, False
        if leaf in _LOWERCASE:
            return _LOWERCASE[leaf], False
    if module == "optimizers.legacy" and leaf in _LEGACY:
        return leaf, True
    return None


def _number(value: float) -> cst.BaseExpression:
    return cst.parse_expression(number_literal(value))


@dataclass
class OptimizersBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)

    _optimizer_names: set[str] | None = None
    _sets_lr: bool | None = None
    _class_stack: list[bool] = field(default_factory=list)

    # -- facts about the file -------------------------------------------------------------
    def _names_bound_to_optimizers(self) -> set[str]:
        if self._optimizer_names is None:
            names: set[str] = set()
            for node in _assignments(self.ctx.module):
                target, value = node
                if isinstance(value, cst.Call):
                    api = self.ctx.api(value.func)
                    if api is not None and _optimizer_class(api.path):
                        names.add(target)
            self._optimizer_names = names
        return self._optimizer_names

    def _file_sets_lr(self) -> bool:
        if self._sets_lr is None:
            scanner = self.ctx.kinds.scanner
            self._sets_lr = bool(_LR_SETTER_CALLS & scanner.called_names or _LR_ATTRIBUTES & scanner.assigned_attributes)
        return self._sets_lr

    # -- calls ---------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is not None:
            if api.path in ("backend.set_value", "backend.get_value"):
                return self._set_get_value(original, updated, api.leaf)
            if api.path == "optimizers.TFOptimizer" or api.leaf == "TFOptimizer" and api.path.startswith("optimizers"):
                if self.ctx.allows("KM310"):
                    self.ctx.flag("KM310", original, "TFOptimizer is gone: use the matching "
                                  "tf.keras.optimizers class (tf.train.AdamOptimizer(lr) -> "
                                  "Adam(learning_rate=lr, epsilon=1e-8)), check the remaining defaults")
                return updated
            found = _optimizer_class(api.path)
            if found is not None:
                return self._constructor(original, updated, api, *found)
            return updated
        name = method_name(original)
        if not isinstance(original.func, cst.Attribute):  # no method call (name is None)
            return updated
        if name == "compile" and self.ctx.involves_keras \
                and self.ctx.keras_receiver(original.func.value, name, original):
            return self._compile_string(original, updated)
        if name == "set_value" and self._is_optimizer_lr(original.func.value):
            # Theano idiom: model.optimizer.lr.set_value(v)
            if self.ctx.allows("KM309") and len(updated.args) == 1 and isinstance(updated.func, cst.Attribute):
                self.ctx.fixed("KM309", original, "`lr.set_value(v)` -> `learning_rate.assign(v)`")
                func = updated.func.with_changes(attr=cst.Name("assign"))
                return updated.with_changes(func=func)
        return updated

    # -- provided by the concerns OptimizersFixer is composed of (declared for the calls here) ---
    def _constructor(self, original: cst.Call, call: cst.Call, api: Api, cls: str, legacy_namespace: bool) -> cst.Call:
        raise NotImplementedError  # constructors.py
    def _legacy_settings(self, cls: str, given_lr: bool, given_epsilon: float | None) -> list[tuple[str, str]]:
        raise NotImplementedError  # constructors.py
    def _is_optimizer_lr(self, node: cst.BaseExpression) -> bool:
        raise NotImplementedError  # learning_rate.py
    def _set_get_value(self, original: cst.Call, updated: cst.Call, which: str) -> cst.BaseExpression:
        raise NotImplementedError  # learning_rate.py
    def _compile_string(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        raise NotImplementedError  # learning_rate.py


_NADAM_MARKER = "accept the drift or choose another optimizer (Keras 3 Nadam's schedule changed)"
_NADAM_MESSAGE = ("Keras 3 Nadam's momentum schedule is 0.96**t (legacy: 0.96**(t * schedule_decay)): "
                  "training differs slightly; accept the drift or choose another optimizer")
_EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def is_zero(node: cst.BaseExpression) -> bool:
    value = number_value(node)
    return value == 0.0


def _strip(node: cst.BaseExpression) -> cst.BaseExpression:
    return node


def _signature(cls: str, legacy: bool, version: tuple[int, ...]) -> tuple[str, ...]:
    if not legacy:
        return _TF2[cls][0]
    old, new, _ = _LEGACY[cls]
    return new if version >= (2, 3) else old


def _add_first(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """Add ``name=value`` as the first keyword argument (after positionals)."""
    args = list(call.args)
    index = positional_count(call)
    new = cst.Arg(keyword=cst.Name(name), value=value, equal=_EQ)
    if index < len(args):
        new = new.with_changes(comma=_COMMA)
        args.insert(index, new)
        return call.with_changes(args=args)
    return callargs.add_keyword(call, name, value)


def _replace_arg(call: cst.Call, old: cst.Arg, name: str, value: cst.BaseExpression) -> cst.Call:
    args = [a.with_changes(keyword=cst.Name(name), value=value) if a is old else a for a in call.args]
    return call.with_changes(args=args)


def _assignments(module: cst.Module) -> list[tuple[str, cst.BaseExpression]]:
    """(name, value) for every simple ``name = value`` in the file."""

    class _Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[tuple[str, cst.BaseExpression]] = []

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.found.append((target.target.value, node.value))
                elif isinstance(target.target, cst.Attribute):
                    self.found.append((cst.helpers.get_full_name_for_node(target.target) or "", node.value))

    collector = _Collect()
    module.visit(collector)
    return collector.found
