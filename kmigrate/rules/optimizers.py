"""KM3xx optimizers (catalog C-O01..C-O13) and B27.

The constructor of every built-in optimizer is rewritten keyword-exactly: positional
arguments are bound to the legacy signature of the source release, ``lr`` becomes
``learning_rate``, ``decay`` becomes the ``InverseTimeDecay`` schedule with identical numbers,
and defaults that Keras 3 changed (learning rates, Adagrad's accumulator, where RMSprop and
Adagrad add epsilon) are written out so the updates stay those of legacy Keras.  Verified
against genuine Keras 2.2.4: SGD+decay 6e-8, Adam+decay 2e-6, RMSprop 4e-6, Adagrad 2e-6,
Adadelta/Adamax 7e-8 (three epochs of losses and the predictions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.kinds import Kind
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule, rename_imported_names
from kmigrate.rules.training_table import (
    file_is_legacy,
    has_double_star,
    has_single_star,
    method_name,
    number_literal,
    number_value,
    positional_count,
    string_value,
    version_note,
)

SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

RULES = (
    Rule("KM301", "optimizer-lr-kwarg", "Optimizer `lr=` becomes `learning_rate=`.",
         "SGD(lr=0.01, momentum=0.9)", "SGD(learning_rate=0.01, momentum=0.9)",
         SAFE, "Keras 3 rejects `lr` (ValueError); the parameter is the same.", ("C-O01",)),
    Rule("KM302", "optimizer-decay", "Optimizer `decay=` becomes an `InverseTimeDecay` schedule "
         "with the same numbers.",
         "SGD(lr=0.01, decay=1e-6, momentum=0.9)",
         "SGD(learning_rate=InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6), momentum=0.9)",
         CONTEXT, "Keras 2 used lr / (1 + decay * iterations) with the iteration count before the "
         "update, which is what InverseTimeDecay(lr, 1, decay) computes on Keras 3 (measured against "
         "Keras 2.2.4: 6e-8). Keras 3 ignores `decay` with only a warning. A schedule cannot be "
         "changed by LearningRateScheduler, ReduceLROnPlateau or set_value: files that do that are "
         "marked.", ("C-O02",)),
    Rule("KM303", "optimizer-positional", "Positional optimizer arguments become keywords of the "
         "legacy signature.",
         "SGD(0.01, 0.9, 1e-6, True)",
         "SGD(0.01, momentum=0.9, nesterov=True, learning_rate=...)  # decay per KM302",
         CONTEXT, "Keras 3 orders parameters differently (SGD(0.01, 0.9, 1e-6, True) sets "
         "nesterov=1e-6 and weight_decay=True). The legacy order depends on the release "
         "(2.3 dropped decay/epsilon from the signatures).", ("C-O03",)),
    Rule("KM304", "optimizer-epsilon-none", "`epsilon=None` is dropped.",
         "Adam(lr=1e-3, epsilon=None)", "Adam(learning_rate=1e-3)",
         SAFE, "None meant K.epsilon() (1e-7), the Keras 3 default; Keras 3 fails on None at the "
         "first step.", ("C-O04",)),
    Rule("KM305", "optimizer-defaults", "Default learning rates (and Adagrad's initial "
         "accumulator) that Keras 3 changed are written out.",
         "Adadelta()\nmodel.compile(optimizer='adagrad', loss='mse')",
         "Adadelta(learning_rate=1.0)\nmodel.compile(optimizer=Adagrad(learning_rate=0.01, "
         "initial_accumulator_value=0.0, epsilon=1e-14), loss='mse')",
         SAFE, "Legacy defaults: Adadelta 1.0, Adagrad 0.01 with zero accumulators, Adamax and "
         "Nadam 0.002; Keras 3 uses 0.001 and starts Adagrad's accumulators at 0.1.", ("C-O05",)),
    Rule("KM306", "nadam-schedule-decay", "Nadam's `schedule_decay` is gone and its momentum "
         "schedule changed.",
         "Nadam(lr=0.002, schedule_decay=0.004)", "Nadam(learning_rate=0.002)  # kmigrate: KM306 ...",
         FLAG, "Keras 3 Nadam uses 0.96**t where legacy Keras used 0.96**(t * schedule_decay): "
         "training differs (measured 1e-2 on a small model). Accept the drift or keep a custom "
         "optimizer.", ("C-O06",)),
    Rule("KM307", "optimizer-lowercase-aliases", "Lower-case optimizer aliases (`adam`, `sgd`, "
         "...) become the classes.",
         "from keras.optimizers import adam\nopt = adam(lr=1e-3)",
         "from tensorflow.keras.optimizers import Adam as adam\nopt = adam(learning_rate=1e-3)",
         SAFE, "The aliases were the same classes.", ("C-O07",)),
    Rule("KM308", "optimizer-lr-attribute", "`optimizer.lr` becomes `optimizer.learning_rate`.",
         "lr = K.get_value(self.model.optimizer.lr)",
         "lr = K.get_value(self.model.optimizer.learning_rate)",
         CONTEXT, "Keras 3 optimizers have no `lr` attribute. Matched on `.optimizer.lr` chains and "
         "names bound to optimizer constructors in the file.", ("C-O08",)),
    Rule("KM309", "set-value-learning-rate", "`K.set_value(optimizer.lr, v)` becomes "
         "`optimizer.learning_rate.assign(v)`.",
         "K.set_value(self.model.optimizer.lr, lr * 0.5)",
         "self.model.optimizer.learning_rate.assign(lr * 0.5)",
         CONTEXT, "The legacy set_value fails on Keras 3 variables (dtype is a string); assign "
         "stores the same value. K.get_value keeps working on the renamed attribute.",
         ("C-O09",), tf_keras=False),
    Rule("KM310", "tfoptimizer", "`TFOptimizer(tf.train.X)` has no tf.keras equivalent.",
         "TFOptimizer(tf.train.AdamOptimizer(1e-3))",
         "tf.keras.optimizers.Adam(learning_rate=1e-3)  # check epsilon (tf.train used 1e-8)",
         FLAG, "The tf.train optimizers differ in defaults and update details.", ("C-O10",)),
    Rule("KM311", "custom-optimizer-api", "Custom optimizers written against `get_updates` must "
         "be ported.",
         "class MyOpt(Optimizer):\n    def get_updates(self, loss, params): ...",
         "class MyOpt(Optimizer):\n    def build(self, var_list): ...\n"
         "    def update_step(self, gradient, variable, learning_rate): ...",
         FLAG, "Keras 3 optimizers have no graph-mode update lists.", ("C-O11",)),
    Rule("KM312", "optimizers-legacy-namespace", "`tf.keras.optimizers.legacy.X` becomes "
         "`tf.keras.optimizers.X`.",
         "tf.keras.optimizers.legacy.Adam(learning_rate=1e-3)",
         "tf.keras.optimizers.Adam(learning_rate=1e-3)",
         SAFE, "Keras 3 raises ImportError for the legacy namespace; arguments are converted like "
         "other Keras 2 optimizers.", ("C-O12",), tf_keras=False),
    Rule("KM313", "optimizer-epsilon", "Epsilon is written out where Keras 3 uses it differently.",
         "RMSprop(lr=0.001)",
         "RMSprop(learning_rate=0.001, epsilon=1e-14)",
         SAFE, "Legacy RMSprop and Adagrad divided by sqrt(v) + epsilon, Keras 3 by "
         "sqrt(v + epsilon): epsilon squared keeps the updates of legacy Keras (measured 4e-6 on "
         "RMSprop, against 3e-3 with the default). Keras <= 2.1.2 defaulted to epsilon=1e-8, "
         "written out when that version is known.", ("C-O13",)),
    Rule("KM227", "optimizer-get-updates-signature", "Keras 1 `get_updates(self, params, "
         "constraints, loss)` must be ported.",
         "def get_updates(self, params, constraints, loss): ...",
         "def build(self, var_list): ...\ndef update_step(self, gradient, variable, learning_rate): ...",
         FLAG, "No mechanical path to the Keras 3 optimizer API.", ("B27",)),
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


def _kw(call: cst.Call, name: str) -> cst.Arg | None:
    return callargs.keyword(call, name)


def _number(value: float) -> cst.BaseExpression:
    return cst.parse_expression(number_literal(value))


@dataclass
class OptimizerFixer(Fixer):
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

    # -- imports: lower-case aliases keep their local name -------------------------------------
    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        def rename(alias: cst.ImportAlias, keras_name) -> tuple[str, str, str] | None:  # type: ignore[no-untyped-def]
            name = alias.evaluated_name
            if keras_name.legacy and keras_name.path == f"optimizers.{name}" and name in _LOWERCASE:
                return "KM307", _LOWERCASE[name], f"`{name}` is the class `{_LOWERCASE[name]}`"
            return None

        return rename_imported_names(self.ctx, original, updated, rename)

    # -- classes: custom optimizers --------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        is_optimizer = False
        for base in node.bases:
            api = self.ctx.api(base.value)
            if api is not None and api.path in ("optimizers.Optimizer", "optimizers.legacy.Optimizer"):
                is_optimizer = True
        self._class_stack.append(is_optimizer)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self._class_stack.pop()
        return updated

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):  # type: ignore[no-untyped-def]
        if not self._class_stack or original.name.value != "get_updates" or not self.ctx.involves_keras:
            return updated
        params = [p.name.value for p in original.params.params]
        if params[:4] == ["self", "params", "constraints", "loss"] and self.ctx.allows("KM227"):
            self.ctx.flag("KM227", original, "Keras 1 get_updates(params, constraints, loss): port the "
                          "optimizer to Keras 3 (build(var_list) + update_step(gradient, variable, "
                          "learning_rate)), or use a built-in optimizer")
        elif self._class_stack[-1] and self.ctx.allows("KM311"):
            self.ctx.flag("KM311", original, "Keras 3 optimizers have no get_updates: port to "
                          "build(var_list) + update_step(gradient, variable, learning_rate), or use a "
                          "built-in optimizer")
        return updated

    # -- attributes: optimizer.lr ----------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute):  # type: ignore[no-untyped-def]
        if original.attr.value != "lr" or not self._is_optimizer(original.value):
            return updated
        if self._class_stack and self._class_stack[-1]:
            return updated  # a custom optimizer's own attribute
        if not self.ctx.allows("KM308"):
            return updated
        self.ctx.fixed("KM308", original, "`optimizer.lr` -> `optimizer.learning_rate`")
        return updated.with_changes(attr=cst.Name("learning_rate"))

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
        if name == "compile" and self.ctx.involves_keras \
                and self.ctx.keras_receiver(original.func.value, name, original):  # type: ignore[attr-defined]
            return self._compile_string(original, updated)
        if name == "set_value" and self._is_optimizer_lr(original.func.value):  # type: ignore[attr-defined]
            # Theano idiom: model.optimizer.lr.set_value(v)
            if self.ctx.allows("KM309") and len(updated.args) == 1:
                self.ctx.fixed("KM309", original, "`lr.set_value(v)` -> `learning_rate.assign(v)`")
                func = updated.func.with_changes(attr=cst.Name("assign"))  # type: ignore[attr-defined]
                return updated.with_changes(func=func)
        return updated

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
        arg = _kw(updated, "optimizer")
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
        if cls == "Nadam" and self.ctx.allows("KM306"):
            self.ctx.flag("KM306", original, _NADAM_MESSAGE, marker=_NADAM_MARKER)
        args = [a.with_changes(value=constructor) if a is arg else a for a in updated.args]
        return updated.with_changes(args=args)

    def _legacy_settings(self, cls: str, given_lr: bool, given_epsilon: float | None) -> list[tuple[str, str]]:
        """Keyword arguments that make a Keras 3 optimizer behave like the legacy default one."""
        out: list[tuple[str, str]] = []
        default_lr = _LEGACY[cls][2]
        if not given_lr and default_lr != _KERAS3_DEFAULT_LR.get(cls, 0.001):
            out.append(("learning_rate", number_literal(default_lr)))
        for key, value in KERAS3_LEGACY_DEFAULTS.get(cls, {}).items():
            out.append((key, number_literal(value)))
        if cls in EPSILON_INSIDE_SQRT:
            eps = given_epsilon if given_epsilon is not None else self._legacy_epsilon()
            out.append(("epsilon", number_literal(eps * eps)))
        return out

    def _legacy_epsilon(self) -> float:
        version, _ = self.ctx.settings.legacy_version
        return 1e-8 if version < (2, 1, 3) else 1e-7

    # -- optimizer constructors -------------------------------------------------------------------
    def _constructor(self, original: cst.Call, call: cst.Call, api, cls: str, legacy_namespace: bool):  # type: ignore[no-untyped-def]
        legacy = api.legacy
        version, _ = self.ctx.settings.legacy_version
        note = version_note(self.ctx) if legacy else ""
        if legacy_namespace and not legacy:
            if self.ctx.allows("KM312"):
                call = call.with_changes(func=self.ctx.imports.reference(f"optimizers.{cls}"))
                self.ctx.fixed("KM312", original, f"optimizers.legacy.{cls} -> optimizers.{cls}")
        elif legacy and api.leaf in _LOWERCASE and isinstance(original.func, cst.Attribute):
            if self.ctx.allows("KM307"):
                call = call.with_changes(func=self.ctx.imports.reference(f"optimizers.{cls}"))
                self.ctx.fixed("KM307", original, f"`{api.leaf}` -> `{cls}`")
        if has_single_star(call):
            if self.ctx.allows("KM303"):
                self.ctx.flag("KM303", original, f"{cls}(*args): bind the arguments to keywords of the "
                              f"legacy signature {_signature(cls, legacy, version)}, then rerun kmigrate")
            return call
        if has_double_star(call) and self.ctx.allows("KM301"):
            self.ctx.flag("KM301", original, f"{cls}(**kwargs): rename `lr` to `learning_rate` in the "
                          "mapping, and turn `decay` into learning_rate=InverseTimeDecay(lr, "
                          "decay_steps=1, decay_rate=decay)")
        # 1. positionals -> keywords of the legacy signature (the first, lr, means the same everywhere)
        names = _signature(cls, legacy, version)
        count = positional_count(call)
        if count > len(names):
            if self.ctx.allows("KM303"):
                self.ctx.flag("KM303", original, f"{cls} takes at most {len(names)} positional arguments "
                              f"{names}; check this call")
            return call
        if count > 1 and self.ctx.allows("KM303"):
            call = callargs.bind_positionals(call, names, keep=1)
            self.ctx.fixed("KM303", original, f"positional arguments of {cls} bound to {names[1:count]}{note}")
        # 2. lr -> learning_rate
        if _kw(call, "lr") is not None and self.ctx.allows("KM301"):
            if _kw(call, "learning_rate") is not None:
                self.ctx.flag("KM301", original, "both `lr` and `learning_rate` given: keep one `learning_rate`")
            else:
                call = callargs.rename_keyword(call, "lr", "learning_rate")
                self.ctx.fixed("KM301", original, "`lr=` -> `learning_rate=`")
        lr_arg = _kw(call, "learning_rate")
        lr_positional = count >= 1
        # 3. epsilon
        eps_arg = _kw(call, "epsilon")
        eps_none = eps_arg is not None and isinstance(eps_arg.value, cst.Name) and eps_arg.value.value == "None"
        if eps_none and self.ctx.allows("KM304"):
            call = callargs.remove_keyword(call, "epsilon")
            self.ctx.fixed("KM304", original, "`epsilon=None` (K.epsilon() = 1e-7) dropped")
            eps_arg = None
        if legacy and not legacy_namespace and self.ctx.allows("KM313"):
            call = self._epsilon(original, call, cls, eps_arg, eps_none)
        # 4. defaults Keras 3 changed
        if legacy and not legacy_namespace and self.ctx.allows("KM305"):
            if lr_arg is None and not lr_positional:
                default_lr = _LEGACY[cls][2]
                if default_lr != _KERAS3_DEFAULT_LR.get(cls, 0.001):
                    call = _add_first(call, "learning_rate", _number(default_lr))
                    lr_arg = _kw(call, "learning_rate")
                    self.ctx.fixed("KM305", original, f"{cls}: legacy default learning_rate={default_lr} made explicit")
            if cls == "Adagrad" and _kw(call, "initial_accumulator_value") is None:
                call = callargs.add_keyword(call, "initial_accumulator_value", cst.Float("0.0"))
                self.ctx.fixed("KM305", original, "Adagrad: legacy accumulators started at 0 (Keras 3: 0.1)")
        # 5. decay -> schedule
        decay_arg = _kw(call, "decay")
        if decay_arg is not None and self.ctx.allows("KM302"):
            call = self._decay(original, call, cls, legacy, lr_positional)
        # 6. Nadam
        if cls == "Nadam" and (legacy or _kw(call, "schedule_decay") is not None) and self.ctx.allows("KM306"):
            if _kw(call, "schedule_decay") is not None:
                call = callargs.remove_keyword(call, "schedule_decay")
            self.ctx.flag("KM306", original, _NADAM_MESSAGE, marker=_NADAM_MARKER)
        return call

    def _epsilon(self, original: cst.Call, call: cst.Call, cls: str, eps_arg, eps_none: bool) -> cst.Call:  # type: ignore[no-untyped-def]
        version, assumed = self.ctx.settings.legacy_version
        if cls in EPSILON_INSIDE_SQRT:
            if eps_arg is None:
                value = self._legacy_epsilon()
                call = callargs.add_keyword(call, "epsilon", _number(value * value))
                self.ctx.fixed("KM313", original, f"{cls}: legacy sqrt(v) + {value} is matched by "
                               f"Keras 3 sqrt(v + {number_literal(value * value)})")
                return call
            given = number_value(eps_arg.value)
            if given is not None:
                new: cst.BaseExpression = _number(given * given)
            else:
                inner = eps_arg.value
                if not isinstance(inner, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
                    inner = inner.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                new = cst.BinaryOperation(left=inner, operator=cst.Power(), right=cst.Integer("2"))
            if code(new) == code(eps_arg.value):
                return call
            self.ctx.fixed("KM313", original, f"{cls}: legacy added epsilon after the square root, "
                           "Keras 3 adds it inside: squared to keep the updates")
            return callargs.replace_value(call, "epsilon", new)
        if eps_arg is None and not eps_none and not assumed and version < (2, 1, 3):
            call = callargs.add_keyword(call, "epsilon", cst.Float("1e-08"))
            self.ctx.fixed("KM313", original, f"{cls}: Keras {'.'.join(map(str, version))} defaulted to epsilon=1e-8")
        return call

    def _decay(self, original: cst.Call, call: cst.Call, cls: str, legacy: bool, lr_positional: bool) -> cst.Call:
        decay_arg = _kw(call, "decay")
        assert decay_arg is not None
        if is_zero(decay_arg.value):
            self.ctx.fixed("KM302", original, "`decay=0` dropped (no decay)")
            return callargs.remove_keyword(call, "decay")
        lr_arg = _kw(call, "learning_rate")
        if lr_arg is not None:
            lr_value = lr_arg.value
        elif lr_positional:
            lr_value = call.args[0].value
        else:
            default = _LEGACY[cls][2] if legacy else _TF2[cls][1]
            lr_value = _number(default)
        if isinstance(lr_value, cst.Call) and "Decay" in code(lr_value.func):
            return call  # already a schedule
        schedule = cst.Call(
            func=self.ctx.imports.reference("optimizers.schedules.InverseTimeDecay"),
            args=[
                cst.Arg(value=_strip(lr_value), comma=_COMMA),
                cst.Arg(keyword=cst.Name("decay_steps"), value=cst.Integer("1"), equal=_EQ, comma=_COMMA),
                cst.Arg(keyword=cst.Name("decay_rate"), value=_strip(decay_arg.value), equal=_EQ),
            ],
        )
        if lr_arg is not None:
            call = callargs.replace_value(call, "learning_rate", schedule)
        elif lr_positional:
            args = list(call.args)
            args[0] = args[0].with_changes(value=schedule)
            call = call.with_changes(args=args)
        else:
            call = _replace_arg(call, decay_arg, "learning_rate", schedule)
            self.ctx.fixed("KM302", original, f"decay -> learning_rate=InverseTimeDecay({code(lr_value)}, "
                           f"decay_steps=1, decay_rate={code(decay_arg.value)})")
            return self._flag_lr_setters(original, call)
        call = callargs.remove_keyword(call, "decay")
        self.ctx.fixed("KM302", original, f"decay -> learning_rate=InverseTimeDecay({code(lr_value)}, "
                       f"decay_steps=1, decay_rate={code(decay_arg.value)})")
        return self._flag_lr_setters(original, call)

    def _flag_lr_setters(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if self._file_sets_lr():
            self.ctx.flag("KM302", original, "the learning rate is now a schedule, which "
                          "LearningRateScheduler/ReduceLROnPlateau/set_value cannot change (TypeError): "
                          "fold that logic into the schedule, or keep a float learning_rate and apply "
                          "lr / (1 + decay * iterations) yourself")
        return call


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


def _assignments(module: cst.Module):  # type: ignore[no-untyped-def]
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


FIXER = OptimizerFixer
