"""The optimizer family's shared part: rule entries, tables, helpers, file facts and the call
dispatch (``OptimizersBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.context import FileContext
from kmigrate.names import Api
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.optimizers.catalog import RULES
from kmigrate.rules.training_table import (
    method_name,
    number_literal,
    number_value,
    positional_count,
)
from kmigrate.walk import walk

# class -> (Keras <= 2.2 positional order, Keras 2.3 order, legacy default learning rate)
LEGACY_OPTIMIZERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
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
_LOWERCASE = {c.lower(): c for c in LEGACY_OPTIMIZERS}
_STRING_IDS = {  # compile(optimizer='...') whose Keras 3 meaning differs from legacy Keras
    "rmsprop": "RMSprop", "adagrad": "Adagrad", "adadelta": "Adadelta", "adamax": "Adamax",
    "nadam": "Nadam",
}  # fmt: skip
# Code that changes the learning rate while training (callees, or attributes assigned).
_LR_SETTER_CALLS = frozenset({"LearningRateScheduler", "ReduceLROnPlateau", "set_value", "lr.assign",
                              "learning_rate.assign"})
_LR_ATTRIBUTES = frozenset({"lr", "learning_rate"})
# Base classes that make a class a custom optimizer.
_OPTIMIZER_BASES = ("optimizers.Optimizer", "optimizers.legacy.Optimizer")


def _optimizer_class(api_path: str) -> tuple[str, bool] | None:
    """``optimizers.Adam`` -> ("Adam", False); ``optimizers.legacy.Adam`` -> ("Adam", True)."""
    module, _, leaf = api_path.rpartition(".")
    if module == "optimizers":
        if leaf in LEGACY_OPTIMIZERS:
            return leaf, False
        if leaf in _LOWERCASE:
            return _LOWERCASE[leaf], False
    if module == "optimizers.legacy" and leaf in LEGACY_OPTIMIZERS:
        return leaf, True
    return None


def _number(value: float) -> cst.BaseExpression:
    return cst.parse_expression(number_literal(value))


def flag_epsilon_placement(ctx: FileContext, original: cst.Call, cls: str) -> None:
    """KM313's rewrite is the closest constant, not an equal update: say so where it is made."""
    ctx.flag(
        "KM313", original,
        f"{cls}: legacy Keras divided by sqrt(v) + epsilon, Keras 3 by sqrt(v + epsilon); epsilon squared "
        "comes closest but is not the same update: steps differ where gradients are near epsilon "
        "(an MLP's loss after one step: 2e-3 apart, 0.4 with the default epsilon)",
        marker=f"{cls}: Keras 3 adds epsilon inside sqrt(v): tiny-gradient steps differ",
    )  # fmt: skip


@dataclass
class OptimizersBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    # `optimizers.rmsprop(...)`, the lowercase aliases of Keras 2: rewritten to their classes
    # (KM307), so the import family must not mark them as having no tf.keras home.
    handles: ClassVar[frozenset[str]] = frozenset(f"optimizers.{alias}" for alias in _LOWERCASE)

    _optimizer_names: set[str] | None = None
    _sets_lr: bool | None = None
    _assigned_ids: set[int] = field(default_factory=set)  # `x.decay = ...` targets: not reads

    def _in_custom_optimizer(self) -> bool:
        """The innermost class around derives from Keras's Optimizer."""
        return self.ctx.in_class_deriving(lambda base: base.path in _OPTIMIZER_BASES)

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
    old, new, _ = LEGACY_OPTIMIZERS[cls]
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
    walk(module, collector)
    return collector.found
