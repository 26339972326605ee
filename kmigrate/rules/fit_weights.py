"""KM620/KM621: per-sample and per-class weights that Keras 3 applies differently or rejects.

Measured on TF 2.21 / Keras 3.15 against Keras 2.2.4:

* ``fit``/``evaluate``/``train_on_batch``/``test_on_batch`` with ``sample_weight={'out_a': w, ...}``
  (one array per named output, the legacy way) raise ``KeyError: 0`` on a model whose outputs
  are a list, which every legacy multi-output model is (keras-team/keras#20992); a list of arrays
  in output order works when ``y`` is a list too.  ``class_weight`` of any form raises "only
  supported for Models with a single output" on such models; the legacy per-output form is a dict
  of dicts.
* ``fit(class_weight=..., validation_split=...)``: legacy Keras applied the class weights before
  cutting off the validation samples, so ``val_loss`` was class-weighted; Keras 3 (and tf.keras 2)
  cut first and weight only the training part.  Same training, another ``val_loss`` (0.97 vs 0.53
  measured), so callbacks monitoring it (EarlyStopping, ReduceLROnPlateau, ModelCheckpoint) act on
  other numbers.

Neither has a rewrite that needs no knowledge of the model's output order or the data, so both
are marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM620",
        name="per-output-weights",
        summary="`sample_weight`/`class_weight` dicts keyed by output name fail on Keras 3 multi-output models.",
        before=(
            "from keras.layers import Input, Dense\n"
            "from keras.models import Model\n"
            "\n"
            "inputs = Input(shape=(4,))\n"
            "model = Model(inputs, [Dense(1, name='a')(inputs), Dense(1, name='b')(inputs)])\n"
            "model.compile(loss='mse', optimizer='sgd')\n"
            "model.fit(x, {'a': ya, 'b': yb}, epochs=2, sample_weight={'a': wa, 'b': wb})"
        ),
        after=(
            "model.fit(x, {'a': ya, 'b': yb}, epochs=2, sample_weight={'a': wa, 'b': wb})  "
            "# kmigrate: KM620 pass y and sample_weight as lists in output order"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Keras 3 raises KeyError: 0 for a sample_weight dict on a model whose outputs are a list "
            "(keras-team/keras#20992) and accepts class_weight only for single-output models. Legacy "
            "multi-output models have list outputs; pass y and sample_weight as lists in model.output_names "
            "order, and turn per-output class weights into sample weights."
        ),
        catalog=(),
        details="Found by the fixture multi_output_evaluate_metrics_names (kmigrate verify).",
    ),
    Rule(
        id="KM621",
        name="class-weight-validation-split",
        summary="`fit(class_weight=, validation_split=)`: legacy Keras class-weighted `val_loss`, Keras 3 does not.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd')\n"
            "model.fit(x, y, epochs=3, class_weight={0: 1., 1: 4.}, validation_split=0.2)"
        ),
        after=(
            "model.fit(x, y, epochs=3, class_weight={0: 1., 1: 4.}, validation_split=0.2)  "
            "# kmigrate: KM621 val_loss is no longer class-weighted: split and weight by hand"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Legacy Keras turned class_weight into sample weights before cutting off the validation split, "
            "so val_loss (and whatever monitors it) was class-weighted; Keras 3 and tf.keras 2 weight only the "
            "training part. For the legacy numbers, cut the last validation_split of the data by hand and pass "
            "validation_data=(x_val, y_val, class-weighted sample weights)."
        ),
        catalog=(),
        details="Found by the fixture class_weight_validation_split: val_loss 0.965 (Keras 2.2.4) vs 0.526.",
    ),
)

# Methods that take per-sample weights, and where they pass them positionally (0-based).
_SAMPLE_WEIGHT_POSITION = {"fit": None, "evaluate": None, "train_on_batch": 2, "test_on_batch": 2}
_CLASS_WEIGHT_POSITION = {"fit": None, "fit_generator": None, "train_on_batch": 3}
_PER_OUTPUT_MARKER = "pass y and sample_weight as lists in output order"


@dataclass
class _DictNames(cst.CSTVisitor):
    """Names every assignment of which, in the whole file, is a dict display (or dict(...) of keywords)."""

    bound: dict[str, bool] = field(default_factory=dict)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                name = target.target.value
                self.bound[name] = self.bound.get(name, True) and _is_dict(node.value)


def _is_dict(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Dict):
        return bool(node.elements)
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict"
            and bool(node.args) and all(arg.keyword is not None for arg in node.args))  # fmt: skip


def _nested_dict(node: cst.BaseExpression) -> bool:
    """``{'out': {0: 1., 1: 2.}, ...}``: per-output class weights."""
    return isinstance(node, cst.Dict) and bool(node.elements) and all(
        isinstance(e, cst.DictElement) and isinstance(e.value, cst.Dict) for e in node.elements
    )


def _argument(call: cst.Call, keyword: str, position: int | None) -> cst.Arg | None:
    arg = callargs.keyword(call, keyword)
    if arg is None and position is not None:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        arg = positional[position] if len(positional) > position else None
    return arg


def _none_or_zero(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return node.value == "None"
    return isinstance(node, (cst.Integer, cst.Float)) and float(node.value) == 0.0


@dataclass
class FitWeightsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"_weight",)

    _names: _DictNames | None = None

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._names = _DictNames()
        return (self._names,)

    def _dict_like(self, node: cst.BaseExpression) -> bool:
        if _is_dict(node):
            return True
        return isinstance(node, cst.Name) and self._names is not None and self._names.bound.get(node.value, False)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or not self.ctx.involves_keras:
            return updated
        method = func.attr.value
        if method not in _SAMPLE_WEIGHT_POSITION and method not in _CLASS_WEIGHT_POSITION:
            return updated
        if not self.ctx.keras_receiver(func.value, method, original):
            return updated
        self._per_output(original, method)
        if method == "fit":
            self._validation_split(original)
        return updated

    def _per_output(self, call: cst.Call, method: str) -> None:
        if not self.ctx.allows("KM620"):
            return
        if method in _SAMPLE_WEIGHT_POSITION:
            weights = _argument(call, "sample_weight", _SAMPLE_WEIGHT_POSITION[method])
            if weights is not None and self._dict_like(weights.value):
                self.ctx.flag("KM620", call, "Keras 3 raises KeyError for a sample_weight dict on a model with "
                              "list outputs (keras-team/keras#20992): pass y and sample_weight as lists in "
                              "model.output_names order", marker=_PER_OUTPUT_MARKER)
                return
        if method in _CLASS_WEIGHT_POSITION:
            weights = _argument(call, "class_weight", _CLASS_WEIGHT_POSITION[method])
            if weights is not None and _nested_dict(weights.value):
                self.ctx.flag("KM620", call, "Keras 3 takes class_weight only for single-output models: turn "
                              "the per-output class weights into sample_weight arrays (a list in output order)",
                              marker="per-output class_weight is gone: use sample_weight lists")

    def _validation_split(self, call: cst.Call) -> None:
        split = callargs.keyword(call, "validation_split")
        weights = callargs.keyword(call, "class_weight")
        if split is None or weights is None or _none_or_zero(split.value) or _none_or_zero(weights.value):
            return
        if not self.ctx.allows("KM621"):
            return
        self.ctx.flag("KM621", call, "legacy Keras class-weighted the validation_split samples, so val_loss (and "
                      "callbacks monitoring it) differs in Keras 3: cut the split by hand and pass "
                      "validation_data=(x_val, y_val, class-weighted sample weights)",
                      marker="val_loss is no longer class-weighted: split and weight by hand")


FIXER = FitWeightsFixer
