"""KM624: assignments to attributes that are read-only properties in Keras 3.

Legacy Keras kept ``model`` on a Callback and ``dtype``, ``input``, ``output``, ``losses``,
``weights``... on a Layer as plain attributes, so subclasses assigned them (``self.model = model``
in a callback's ``__init__``, ``self.dtype = dtype`` in a casting layer).  In Keras 3.15 they are
properties without a setter: the assignment raises ``AttributeError: property 'model' of ... has no
setter`` when the object is built.  Measured with TF 2.21 / Keras 3.15 by assigning each attribute
in a subclass's ``__init__``, before and after ``super().__init__()``: the names in
``_READ_ONLY`` raise; ``name``, ``input_spec``, ``built``, ``stateful``, ``supports_masking``,
``trainable``, ``input_shape``, ``output_shape``, Callback ``params`` and ``validation_data``,
Model ``inputs``/``outputs``/``optimizer``/``stop_training`` are still settable and not marked.
``trainable_weights``/``non_trainable_weights`` are KM609's (keras1_internals.py).

The user's attribute only has to take another name, but every use of it in the class (and in
code that reads it from outside) has to follow, and a Callback that relied on Keras setting
``self.model`` must not be renamed at all: the rule marks and never rewrites.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import match as m
from kmigrate.markers import MARKER_LIMIT
from kmigrate.names import Api
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM624",
        name="read-only-attributes",
        summary=(
            "`self.model = ...` in a Callback subclass, `self.dtype = ...` (and other read-only "
            "properties) in a Layer or Model subclass raise on Keras 3."
        ),
        before=(
            "import numpy as np\n"
            "from keras.callbacks import Callback\n"
            "from keras.layers import Dense\n"
            "from keras.models import Sequential\n"
            "\n"
            "\n"
            "class Evaluate(Callback):\n"
            "    def __init__(self, model, x):\n"
            "        super(Evaluate, self).__init__()\n"
            "        self.model = model\n"
            "        self.x = x\n"
            "\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        print(self.model.predict(self.x))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=3)])\n"
            "callback = Evaluate(model, np.zeros((2, 3)))"
        ),
        after=(
            "# fit() sets self.model (legacy fit() replaced the assigned value the same way)\n"
            "class Evaluate(Callback):\n"
            "    def __init__(self, x):\n"
            "        super().__init__()\n"
            "        self.x = x\n"
            "\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        print(self.model.predict(self.x))\n"
            "\n"
            "\n"
            "callback = Evaluate(np.zeros((2, 3)))"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Measured on Keras 3.15: these attributes are properties without a setter (AttributeError "
            "when the object is built). Renaming is left to a person: every use of the attribute must "
            "follow, and a callback that reads the model Keras sets through set_model() must keep "
            "self.model and drop the assignment instead."
        ),
        catalog=(),
        details=(
            "Marked inside subclasses of Keras layers (Layer: dtype, compute_dtype, variable_dtype, "
            "input_dtype, input, output, losses, metrics, weights, variables, trainable_variables, "
            "non_trainable_variables), models (also metrics_names, layers, distribute_strategy, "
            "compiled_metrics) and callbacks (model). In an overridden set_model(), `self.model = model` "
            "becomes `super().set_model(model)`."
        ),
    ),
)

_LAYER_READ_ONLY = frozenset({
    "dtype", "compute_dtype", "variable_dtype", "input_dtype", "input", "output", "losses", "metrics",
    "weights", "variables", "trainable_variables", "non_trainable_variables",
})  # fmt: skip
# Keras class (as the marker names it) -> the attributes a subclass cannot assign.
_READ_ONLY = {
    "Layer": _LAYER_READ_ONLY,
    "Model": _LAYER_READ_ONLY | {"metrics_names", "layers", "distribute_strategy", "compiled_metrics"},
    "Callback": frozenset({"model"}),
}
_MODEL_PATHS = frozenset({"Model", "models.Model", "Sequential", "models.Sequential"})
# What to do instead, where there is more to say than "rename it".
# attribute -> (message, marker) where there is more to say than "rename it"
_ADVICE = {
    "dtype": ("Keras 3 layers' dtype is a read-only property (AttributeError: has no setter): pass "
              "dtype= to super().__init__() if it is the layer's own dtype, else rename it "
              "(e.g. self.target_dtype) and follow every use",
              "rename (e.g. self.target_dtype): Keras 3 layers' dtype has no setter"),
    # Legacy fit() called set_model() on every callback, which replaced this value with the model
    # being trained: code that only reads self.model in its hooks saw that model, as on Keras 3.
    "model": ("Keras 3 Callback.model is a read-only property (AttributeError: has no setter): drop "
              "this assignment if the callback only runs in fit() (legacy fit() replaced this value with "
              "the trained model through set_model(), as Keras 3 does); if self.model is read outside "
              "fit(), keep the model under another name there (e.g. self.eval_model)",
              "drop it (fit() sets self.model) or rename: Keras 3 Callback.model has no setter"),
    "layers": ("Model.layers is reserved in Keras 3 (AttributeError): rename it (e.g. self.sublayers) "
               "and follow every use",
               "rename (e.g. self.sublayers): Model.layers is reserved in Keras 3"),
}


def _keras_class(base: Api) -> str | None:
    """Which table a Keras base class takes: models before layers (a Model is a Layer)."""
    if base.path in _MODEL_PATHS:
        return "Model"
    if base.path.startswith("callbacks."):
        return "Callback"
    if base.path.startswith("layers.") or base.path == "Layer":
        return "Layer"
    return None


def _self_attributes(target: cst.BaseExpression) -> list[cst.Attribute]:
    """``self.x`` targets of an assignment, also inside ``self.a, self.b = ...``."""
    if isinstance(target, cst.Attribute) and m.matches(target.value, m.Name("self")):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [a for element in target.elements for a in _self_attributes(element.value)]
    return []


@dataclass
class ReadOnlyAttributesFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"self.",)

    def _class_kind(self) -> str | None:
        """The table of the Keras class the class around derives from (Model before Layer)."""
        for kind in ("Model", "Callback", "Layer"):
            if self.ctx.in_class_deriving(lambda base, kind=kind: _keras_class(base) == kind):  # type: ignore[misc]
                return kind
        return None

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        for target in original.targets:
            self._check(original, target.target)
        return updated

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign) -> cst.AnnAssign:
        if original.value is not None:
            self._check(original, original.target)
        return updated

    def _check(self, statement: cst.CSTNode, target: cst.BaseExpression) -> None:
        attributes = _self_attributes(target)
        method = self.ctx.scopes.function
        if not attributes or method is None or not self.ctx.allows("KM624"):
            return
        kind = self._class_kind()
        if kind is None:
            return
        for attribute in attributes:
            name = attribute.attr.value
            if name in _READ_ONLY[kind]:
                self._flag(statement, kind, name, method.name.value)
                return  # one marker a statement

    def _flag(self, statement: cst.CSTNode, kind: str, name: str, method: str) -> None:
        if kind == "Callback" and method == "set_model":
            self.ctx.flag("KM624", statement, "Keras 3 Callback.model has no setter: call "
                          "super().set_model(model) instead of assigning self.model",
                          marker="call super().set_model(model): Keras 3 Callback.model has no setter")
            return
        message, marker = _ADVICE.get(name, (
            f"Keras 3 {kind}.{name} is a read-only property (AttributeError: has no setter): rename it "
            f"(e.g. self.my_{name}) and follow every use in the class",
            f"rename: Keras 3 {kind}.{name} has no setter (e.g. self.my_{name})",
        ))
        if len(marker) > MARKER_LIMIT:
            marker = f"rename: Keras 3 {kind}.{name} has no setter"
        self.ctx.flag("KM624", statement, message, marker=marker)

FIXER = ReadOnlyAttributesFixer
