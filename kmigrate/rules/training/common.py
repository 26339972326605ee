"""The training family's shared part: rule entries, tables, the function scopes, and the call
dispatch every concern of the family uses (``TrainingBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, ClassVar, Mapping

import libcst as cst

from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.training.facts import _FileFacts, _Scope
from kmigrate.rules.training_table import (
    EVALUATE_GENERATOR,
    FIT_GENERATOR,
    PREDICT_GENERATOR,
    method_name,
    number_value,
)

SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

RULES = (
    Rule("KM223", "generator-method-args", "Keras 1 generator arguments become Keras 2 ones; "
         "sample counts become step counts.",
         "model.fit_generator(flow, samples_per_epoch=6400, nb_epoch=10, nb_worker=4)",
         "model.fit(flow, steps_per_epoch=6400 // 32, epochs=10)",
         CONTEXT, "Keras 2.2's shim divided samples_per_epoch by the generator's batch_size when "
         "it had one and passed nb_val_samples/val_samples through as step counts; kmigrate "
         "writes the same numbers when the batch size is visible (a literal, "
         "ImageDataGenerator.flow(batch_size=...) in the same scope) and marks the call "
         "otherwise.", ("B23",)),
    Rule("KM230", "fit-nb-epoch", "`nb_epoch=` becomes `epochs=`.",
         "model.fit(X, y, batch_size=32, nb_epoch=10)", "model.fit(X, y, batch_size=32, epochs=10)",
         SAFE, "Same parameter, renamed in Keras 2; Keras 3 rejects nb_epoch.", ("B30",)),
    Rule("KM231", "sequential-fit-default-epochs", "Keras 1 / 2.0 `fit` without epochs trained "
         "10 epochs.",
         "model = Sequential([...])\nmodel.fit(X, y)", "model = Sequential([...])\nmodel.fit(X, y, epochs=10)",
         CONTEXT, "Keras 1 fit and Keras 2.0 Sequential.fit defaulted to 10 epochs, later releases to "
         "1. Applied only when --from-version says the code is that old.", ("B31",)),
    Rule("KM321", "fit-generator", "`fit_generator` becomes `fit` with keyword arguments.",
         "model.fit_generator(gen, 100, 10, validation_data=vgen)",
         "model.fit(gen, steps_per_epoch=100, epochs=10, validation_data=vgen)",
         SAFE, "Keras 3 fit accepts generators and Sequences; positionals are bound to the legacy "
         "signature first (fit's second parameter is y).", ("C-T01",)),
    Rule("KM322", "evaluate-generator", "`evaluate_generator` becomes `evaluate`.",
         "model.evaluate_generator(gen, 50)", "model.evaluate(gen, steps=50)",
         SAFE, "evaluate's second parameter is y: steps is passed by keyword.", ("C-T02",)),
    Rule("KM323", "predict-generator", "`predict_generator` becomes `predict`.",
         "model.predict_generator(gen, 50, verbose=1)", "model.predict(gen, steps=50, verbose=1)",
         SAFE, "predict's second parameter is batch_size: steps is passed by keyword.", ("C-T03",)),
    Rule("KM324", "worker-args", "`workers`, `use_multiprocessing` and `max_queue_size` are "
         "dropped from fit/evaluate/predict.",
         "model.fit(seq, epochs=3, workers=4, use_multiprocessing=True)", "model.fit(seq, epochs=3)",
         SAFE, "Keras 3 rejects them (TypeError); they only tuned data loading. A PyDataset takes "
         "them in its constructor.", ("C-T04",), tf_keras=False),
    Rule("KM325", "predict-classes", "`predict_classes` becomes `predict` plus argmax or a 0.5 "
         "threshold.",
         "y = model.predict_classes(x)", "y = model.predict(x, verbose=0).argmax(axis=-1)",
         SAFE, "The Keras 2 body: argmax when the output has more than one unit, (p > 0.5) as int32 "
         "otherwise. kmigrate decides from the model's last layer when the file shows it, and "
         "otherwise writes the same test evaluated at run time.", ("C-T05",)),
    Rule("KM326", "predict-proba", "`predict_proba` becomes `predict`.",
         "p = model.predict_proba(x)", "p = model.predict(x, verbose=0)",
         SAFE, "predict_proba was predict plus a range warning.", ("C-T06",)),
    Rule("KM327", "batch-methods-metrics-names", "`reset_metrics=` is gone; `metrics_names` no "
         "longer lines up with returned lists.",
         "model.train_on_batch(x, y, reset_metrics=True)", "model.train_on_batch(x, y)",
         CONTEXT, "Keras 3 always resets metrics per batch call (the old default). metrics_names is "
         "['loss', 'compile_metrics'] on Keras 3: uses are marked (use return_dict=True).", ("C-T07",)),
    Rule("KM328", "compile-arguments", "compile: `sample_weight_mode=` is dropped and positional "
         "arguments after `loss` become keywords.",
         "model.compile('sgd', 'mse', ['mae'], sample_weight_mode='temporal')",
         "model.compile('sgd', 'mse', metrics=['mae'])",
         SAFE, "Keras 3 fit accepts 2-D sample weights without it; its compile has loss_weights "
         "third.", ("C-T08",), tf_keras=False),
    Rule("KM329", "compile-target-tensors", "`target_tensors=` has no Keras 3 equivalent.",
         "model.compile(..., target_tensors=[y])", "feed targets through fit(y=...) or tf.data",
         FLAG, "A structural change of the input pipeline.", ("C-T09",), tf_keras=False),
    Rule("KM330", "accuracy-metric-names", "History/log keys and `monitor=` follow the metric's "
         "tf.keras name (`acc` -> `accuracy`).",
         "model.compile(..., metrics=['accuracy'])\nhistory.history['val_acc']",
         "model.compile(..., metrics=['accuracy'])\nhistory.history['val_accuracy']",
         CONTEXT, "Keras <= 2.2 logged metrics=['accuracy'] as 'acc' and 'mae' as "
         "'mean_absolute_error'; tf.keras logs the spelling given to compile. Applied when the "
         "file's compile calls show the spelling, marked otherwise.", ("C-T10",)),
    Rule("KM331", "history-lr-key", "`history['lr']` becomes `history['learning_rate']`.",
         "history.history['lr']", "history.history['learning_rate']",
         SAFE, "Keras 3 callbacks log the rate as 'learning_rate'.", ("C-T11",), tf_keras=False),
)

_GENERATOR_METHODS = {
    "fit_generator": ("fit", FIT_GENERATOR, "KM321"),
    "evaluate_generator": ("evaluate", EVALUATE_GENERATOR, "KM322"),
    "predict_generator": ("predict", PREDICT_GENERATOR, "KM323"),
}
_MODEL_METHODS = frozenset({*_GENERATOR_METHODS, "fit", "evaluate", "predict", "predict_classes",
                            "predict_proba", "train_on_batch", "test_on_batch", "compile"})
_LEGACY_COMPILE = ("optimizer", "loss", "metrics", "loss_weights", "sample_weight_mode",
                   "weighted_metrics", "target_tensors")  # fmt: skip
_CALLBACK_MONITOR_POSITION = {"callbacks.EarlyStopping": 0, "callbacks.ReduceLROnPlateau": 0,
                              "callbacks.ModelCheckpoint": 1}  # fmt: skip


class FunctionScopes:
    """The module/function scopes around the traversal, for the file facts' model lookups
    (a fixer that mixes this in keeps ``_scopes: list[_Scope]``)."""

    _scopes: list[_Scope]

    def visit_Module(self, node: cst.Module) -> None:
        self._scopes.append(_Scope(node, frozenset()))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params
        names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        self._scopes.append(_Scope(node, frozenset(names)))

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self._scopes.pop()
        return updated


@dataclass
class TrainingBase(FunctionScopes, Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)

    _scopes: list[_Scope] = field(default_factory=list)
    _facts: "_FileFacts | None" = None

    # -- scopes: see FunctionScopes -------------------------------------------------------

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._facts = _FileFacts(self.ctx)
        return (self._facts,)

    @property
    def facts(self) -> "_FileFacts":
        if self._facts is None:  # used outside the pipeline: scan now
            self.ctx.module.visit(self.scanners()[0])
        return self._facts  # type: ignore[return-value]

    # -- calls ---------------------------------------------------------------------------
    # Method name -> its rewrite (fixer, original, updated, name): each concern lists its own,
    # the composed fixer merges them (``__init__.py``).
    method_calls: ClassVar[Mapping[str, Callable[..., cst.BaseExpression]]] = {}

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.ctx.involves_keras:
            return updated
        name = method_name(original)
        result: cst.BaseExpression = updated
        if name in _MODEL_METHODS and not self.ctx.keras_receiver(original.func.value, name, original):  # type: ignore[attr-defined]
            return updated  # a method of the same name on something that is not a Keras model
        rewrite = self.method_calls.get(name) if name is not None else None
        if rewrite is not None:
            result = rewrite(self, original, updated, name)
        if isinstance(result, cst.Call):
            result = self._monitor(original, result)
        return result


_EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _substitute(template: cst.BaseExpression, value: cst.BaseExpression) -> cst.BaseExpression:
    class _Put(cst.CSTTransformer):
        def leave_Name(self, original: cst.Name, updated: cst.Name):  # type: ignore[no-untyped-def]
            return value if original.value == "P" else updated

    return template.visit(_Put())  # type: ignore[return-value]


def _operand(node: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)) or node.lpar:
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _floor_div(samples: cst.BaseExpression, batch: cst.BaseExpression) -> cst.BaseExpression:
    a, b = number_value(samples), number_value(batch)
    if a is not None and b is not None and b and a == int(a) and b == int(b):
        return cst.Integer(str(int(a) // int(b)))
    return cst.BinaryOperation(
        left=_operand(samples), operator=cst.FloorDivide(
            whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")
        ), right=_operand(batch),
    )  # fmt: skip


def _ceil_div(samples: cst.BaseExpression, batch: cst.BaseExpression) -> cst.BaseExpression:
    a, b = number_value(samples), number_value(batch)
    if a is not None and b is not None and b and a == int(a) and b == int(b):
        return cst.Integer(str(-(-int(a) // int(b))))
    return cst.parse_expression(f"-(-{code(_operand(samples))} // {code(_operand(batch))})")


