"""KM3xx training API (catalog C-T01..C-T11) and the Keras 1 fit/generator rules B23, B30, B31.

Method-name rules (``fit_generator``, ``predict_classes``, ``nb_epoch=``) apply to any receiver
in a file that involves Keras.  Generator methods are keywordized against the legacy signature
of the source release before they become ``fit``/``evaluate``/``predict``: ``fit``'s second
parameter is ``y``, not ``steps_per_epoch``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.training_table import (
    EVALUATE_GENERATOR,
    FIT_GENERATOR,
    FLOW_METHODS,
    GENERATOR_KEYWORDS,
    PREDICT_GENERATOR,
    WORKER_KEYWORDS,
    code,
    has_single_star,
    make_string,
    method_name,
    number_value,
    pick,
    positional_count,
    string_value,
    version_note,
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
# compile metric spelling -> the history key Keras <= 2.2 logged for it
_LEGACY_METRIC_KEYS = {
    "accuracy": "acc", "acc": "acc", "mae": "mean_absolute_error", "mse": "mean_squared_error",
    "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
}  # fmt: skip
_SHAPE_KEEPING_LAYERS = {
    "Activation", "Dropout", "BatchNormalization", "GaussianNoise", "GaussianDropout",
    "ActivityRegularization", "AlphaDropout", "Softmax", "ReLU", "LeakyReLU", "PReLU", "ELU",
}  # fmt: skip
_CALLBACK_MONITOR_POSITION = {"callbacks.EarlyStopping": 0, "callbacks.ReduceLROnPlateau": 0,
                              "callbacks.ModelCheckpoint": 1}  # fmt: skip


@dataclass
class _Scope:
    node: cst.CSTNode  # Module or FunctionDef
    params: frozenset[str]


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
class TrainingFixer(FunctionScopes, Fixer):
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
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.ctx.involves_keras:
            return updated
        name = method_name(original)
        result: cst.BaseExpression = updated
        if name in _MODEL_METHODS and not self.ctx.keras_receiver(original.func.value, name, original):  # type: ignore[attr-defined]
            return updated  # a method of the same name on something that is not a Keras model
        if name in _GENERATOR_METHODS:
            result = self._generator_method(original, updated, name)
        elif name == "fit":
            result = self._fit(original, updated)
        elif name in ("evaluate", "predict"):
            result = self._drop_workers(original, updated, name)
        elif name in ("predict_classes", "predict_proba"):
            result = self._predict_classes(original, updated, name)
        elif name in ("train_on_batch", "test_on_batch"):
            result = self._reset_metrics(original, updated)
        elif name == "compile":
            result = self._compile(original, updated)
        elif name == "get" and isinstance(original.func, cst.Attribute):
            result = self._key_get(original, updated)
        if isinstance(result, cst.Call):
            result = self._monitor(original, result)
        return result

    # -- fit / generator methods ------------------------------------------------------------
    def _fit(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if callargs.keyword(call, "nb_epoch") is not None and self.ctx.allows("KM230"):
            if callargs.keyword(call, "epochs") is not None:
                self.ctx.flag("KM230", original, "both nb_epoch and epochs given: keep `epochs=` only")
            else:
                call = callargs.rename_keyword(call, "nb_epoch", "epochs")
                self.ctx.fixed("KM230", original, "`nb_epoch=` -> `epochs=`")
        call = self._default_epochs(original, call)
        return self._drop_workers(original, call, "fit")

    def _default_epochs(self, original: cst.Call, call: cst.Call) -> cst.Call:
        version, assumed = self.ctx.settings.legacy_version
        if assumed or version >= (2, 1) or not self.ctx.allows("KM231"):
            return call
        if callargs.keyword(call, "epochs") is not None or positional_count(call) >= 4 or has_single_star(call):
            return call
        if any(a.star == "**" for a in call.args):
            return call
        kind = self.facts.model_kind(original.func.value, self._scopes)  # type: ignore[attr-defined]
        if version < (2, 0) or kind == "Sequential":
            self.ctx.fixed("KM231", original, f"Keras {'.'.join(map(str, version))} fit trained 10 epochs by default")
            return callargs.add_keyword(call, "epochs", cst.Integer("10"))
        if kind is None:
            self.ctx.flag("KM231", original, "Keras 2.0 Sequential.fit defaulted to 10 epochs (Model.fit "
                          "to 1): add epochs=10 if this is a Sequential model")
        return call

    def _drop_workers(self, original: cst.Call, call: cst.Call, name: str) -> cst.Call:
        present = [w for w in WORKER_KEYWORDS if callargs.keyword(call, w) is not None]
        if not present or not self.ctx.allows("KM324") or self.ctx.enabled("KM614"):
            return call  # KM614 (data_loading_args.py) moves, drops or marks them
        for keyword in present:
            call = callargs.remove_keyword(call, keyword)
        self.ctx.fixed("KM324", original, f"{', '.join(present)} dropped from {name}() (Keras 3 rejects them)")
        return call

    def _generator_method(self, original: cst.Call, call: cst.Call, name: str) -> cst.BaseExpression:
        new_name, signatures, rule = _GENERATOR_METHODS[name]
        version, _ = self.ctx.settings.legacy_version
        if has_single_star(call):
            if self.ctx.allows(rule):
                self.ctx.flag(rule, original, f"{name}(*args): bind the arguments to keywords "
                              f"{pick(signatures, version)}, then call {new_name}()")
            return call
        names = pick(signatures, version)
        count = positional_count(call)
        if count > len(names):
            if self.ctx.allows(rule):
                self.ctx.flag(rule, original, f"{name} takes at most {len(names)} positional arguments {names}")
            return call
        if not self.ctx.allows(rule):
            return call
        note = version_note(self.ctx) if count > 1 else ""
        call = callargs.bind_positionals(call, names, keep=1)
        # Keras 1 keyword names (KM223), with sample counts turned into step counts.
        if self.ctx.allows("KM223"):
            call = self._keras1_arguments(original, call, name)
        call = self._drop_workers(original, call, new_name)
        generator = callargs.keyword(call, "generator")
        if generator is not None:
            call = callargs.rename_keyword(call, "generator", "x")
        func = call.func.with_changes(attr=cst.Name(new_name))  # type: ignore[attr-defined]
        self.ctx.fixed(rule, original, f"`{name}` -> `{new_name}` with keyword arguments{note}")
        return call.with_changes(func=func)

    def _keras1_arguments(self, original: cst.Call, call: cst.Call, name: str) -> cst.Call:
        version, assumed = self.ctx.settings.legacy_version
        keras1 = version < (2, 0)
        for old, new in GENERATOR_KEYWORDS.items():
            arg = callargs.keyword(call, old)
            if arg is None:
                continue
            if callargs.keyword(call, new) is not None:
                self.ctx.flag("KM223", original, f"both `{old}` and `{new}` given: keep `{new}` only")
                continue
            if old in ("samples_per_epoch", "nb_val_samples", "val_samples"):
                call = self._samples_to_steps(original, call, name, old, new, arg, keras1)
                continue
            call = callargs.rename_keyword(call, old, new)
            self.ctx.fixed("KM223", original, f"`{old}=` -> `{new}=`")
        return call

    def _samples_to_steps(self, original, call, name, old, new, arg, keras1):  # type: ignore[no-untyped-def]
        """Keras 1 counted samples; Keras 2.2's shim converted them as below (interfaces.py)."""
        if old == "nb_val_samples":
            source = callargs.keyword(call, "validation_data")
        else:
            source = call.args[0] if call.args and call.args[0].keyword is None else callargs.keyword(call, "generator")
        batch = self.facts.batch_size(source.value, self._scopes) if source is not None else None
        samples = arg.value
        call = callargs.rename_keyword(call, old, new)
        if keras1:
            if batch is None or batch is _PLAIN_GENERATOR:
                self.ctx.flag("KM223", original, f"Keras 1 `{old}` counted samples, `{new}` counts "
                              f"batches: use `{new}=-(-{code(samples)} // batch_size)` with the "
                              "generator's batch size")
                return call
            steps = _ceil_div(samples, batch)
            self.ctx.fixed("KM223", original, f"`{old}={code(samples)}` -> `{new}={code(steps)}` (samples -> batches)")
            return callargs.replace_value(call, new, steps)
        if old != "samples_per_epoch":
            # Keras 2.x passed nb_val_samples/val_samples through unchanged: the legacy program
            # ran that many batches, and so does the migrated one.
            self.ctx.fixed("KM223", original, f"`{old}=` -> `{new}=` (Keras 2 ran {code(samples)} batches; "
                           f"Keras 1 meant samples){version_note(self.ctx)}")
            return call
        if batch is _PLAIN_GENERATOR:
            self.ctx.flag("KM223", original, f"Keras 2 ran samples_per_epoch={code(samples)} as "
                          f"{code(samples)} batches for a plain generator (kept); if samples were meant, "
                          f"use steps_per_epoch={code(samples)} // batch_size")
            return call
        if batch is None:
            self.ctx.flag("KM223", original, f"samples_per_epoch counted samples: set steps_per_epoch="
                          f"{code(samples)} // batch_size with the generator's batch size (Keras 2.2 did "
                          "that division when the generator had a batch_size attribute)")
            return call
        steps = _floor_div(samples, batch)
        self.ctx.fixed("KM223", original, f"`samples_per_epoch={code(samples)}` -> `steps_per_epoch={code(steps)}`")
        return callargs.replace_value(call, new, steps)

    # -- predict_classes / predict_proba ----------------------------------------------------
    def _predict_classes(self, original: cst.Call, call: cst.Call, name: str) -> cst.BaseExpression:
        rule = "KM325" if name == "predict_classes" else "KM326"
        if not self.ctx.allows(rule) or has_single_star(call):
            return call
        version, _ = self.ctx.settings.legacy_version
        func = call.func.with_changes(attr=cst.Name("predict"))  # type: ignore[attr-defined]
        predict = call.with_changes(func=func, lpar=[], rpar=[])
        if callargs.keyword(predict, "verbose") is None and positional_count(predict) < 3 and version >= (2, 0):
            predict = callargs.add_keyword(predict, "verbose", cst.Integer("0"))  # the legacy default
        if name == "predict_proba":
            self.ctx.fixed(rule, original, "`predict_proba` -> `predict`")
            return predict.with_changes(lpar=call.lpar, rpar=call.rpar)
        units = self.facts.output_units(original.func.value, self._scopes)  # type: ignore[attr-defined]
        if units is not None and units > 1:
            result: cst.BaseExpression = cst.Call(
                func=cst.Attribute(value=predict, attr=cst.Name("argmax")),
                args=[cst.Arg(keyword=cst.Name("axis"), value=cst.parse_expression("-1"), equal=_EQ)],
            )
            self.ctx.fixed(rule, original, f"`predict_classes` -> `predict(...).argmax(axis=-1)` ({units} output units)")
        elif units == 1:
            result = cst.parse_expression("(P > 0.5).astype('int32')")
            result = _substitute(result, predict)
            self.ctx.fixed(rule, original, "`predict_classes` -> `(predict(...) > 0.5).astype('int32')` (one output unit)")
        else:
            result = _substitute(cst.parse_expression(
                "(lambda p: p.argmax(axis=-1) if p.shape[-1] > 1 else (p > 0.5).astype('int32'))(P)"
            ), predict)
            self.ctx.fixed(rule, original, "`predict_classes` -> predict + the Keras 2 choice between "
                           "argmax and the 0.5 threshold (the model's last layer is not visible here)")
        if call.lpar:
            result = result.with_changes(lpar=call.lpar, rpar=call.rpar)
        return result

    # -- train_on_batch / compile ------------------------------------------------------------
    def _reset_metrics(self, original: cst.Call, call: cst.Call) -> cst.Call:
        arg = callargs.keyword(call, "reset_metrics")
        if arg is None or not self.ctx.allows("KM327"):
            return call
        if isinstance(arg.value, cst.Name) and arg.value.value == "True":
            self.ctx.fixed("KM327", original, "`reset_metrics=True` dropped (Keras 3 always resets)")
            return callargs.remove_keyword(call, "reset_metrics")
        self.ctx.flag("KM327", original, "Keras 3 batch methods always reset metrics: accumulate the "
                      "returned values yourself instead of reset_metrics=False")
        return call

    def _compile(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if has_single_star(call):
            return call
        if positional_count(call) > 2 and self.ctx.allows("KM328"):
            if positional_count(call) > len(_LEGACY_COMPILE):
                return call
            call = callargs.bind_positionals(call, _LEGACY_COMPILE, keep=2)
            self.ctx.fixed("KM328", original, "compile arguments after `loss` passed by keyword (Keras 3 "
                           "has loss_weights third)")
        mode = callargs.keyword(call, "sample_weight_mode")
        if mode is not None and self.ctx.allows("KM328"):
            call = callargs.remove_keyword(call, "sample_weight_mode")
            self.ctx.fixed("KM328", original, "`sample_weight_mode=` dropped: Keras 3 fit takes "
                           "(batch, timesteps) sample weights directly")
        if callargs.keyword(call, "target_tensors") is not None and self.ctx.allows("KM329"):
            self.ctx.flag("KM329", original, "compile(target_tensors=) is gone: pass the targets to "
                          "fit(y=...) or through a tf.data.Dataset")
        return call

    # -- metric keys ---------------------------------------------------------------------------
    def _rename_key(self, original: cst.CSTNode, node: cst.BaseExpression, allow_lr: bool):  # type: ignore[no-untyped-def]
        """A string that names a logged metric, renamed for tf.keras (or None)."""
        value = string_value(node)
        if value is None:
            return None
        if allow_lr and value in ("lr", "val_lr") and self.ctx.allows("KM331"):
            self.ctx.fixed("KM331", original, f"'{value}' -> 'learning_rate'")
            return make_string(value.replace("lr", "learning_rate"), node)
        new = self.facts.metric_key(value)
        if new is _UNKNOWN:
            if self.ctx.allows("KM330"):
                self.ctx.flag("KM330", original, f"'{value}': tf.keras logs metrics=['accuracy'] as "
                              f"'{value.replace('acc', 'accuracy')}' (legacy Keras <= 2.2 wrote 'acc'); "
                              "rename the key, or compile with metrics=['acc']" + version_note(self.ctx))
            return None
        if new is None or not self.ctx.allows("KM330"):
            return None
        self.ctx.fixed("KM330", original, f"'{value}' -> '{new}' (the key tf.keras logs for this "
                       f"metric){version_note(self.ctx)}")
        return make_string(new, node)  # type: ignore[arg-type]

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        if len(original.slice) != 1 or not isinstance(original.slice[0].slice, cst.Index):
            return updated
        if not self.ctx.involves_keras or not self.facts.is_history_dict(original.value, self._scopes):
            return updated
        index = updated.slice[0].slice
        new = self._rename_key(original, index.value, allow_lr=True)  # type: ignore[attr-defined]
        if new is None:
            return updated
        return updated.with_changes(slice=[updated.slice[0].with_changes(slice=index.with_changes(value=new))])

    def _key_get(self, original: cst.Call, call: cst.Call) -> cst.Call:
        receiver = original.func.value  # type: ignore[attr-defined]
        if not call.args or not self.facts.is_history_dict(receiver, self._scopes):
            return call
        new = self._rename_key(original, call.args[0].value, allow_lr=True)
        if new is None:
            return call
        return call.with_changes(args=[call.args[0].with_changes(value=new), *call.args[1:]])

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        if len(original.comparisons) != 1 or not isinstance(original.comparisons[0].operator, (cst.In, cst.NotIn)):
            return updated
        if not self.ctx.involves_keras or not self.facts.is_history_dict(original.comparisons[0].comparator, self._scopes):
            return updated
        new = self._rename_key(original, updated.left, allow_lr=True)
        return updated.with_changes(left=new) if new is not None else updated

    def _monitor(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """``monitor='val_acc'`` of callbacks, and ``{val_acc}`` in ModelCheckpoint paths."""
        arg = callargs.keyword(call, "monitor")
        api = self.ctx.api(original.func)
        if arg is None and api is not None and api.path in _CALLBACK_MONITOR_POSITION:
            position = _CALLBACK_MONITOR_POSITION[api.path]
            if positional_count(call) > position:
                arg = call.args[position]
        if arg is not None:
            new = self._rename_key(original, arg.value, allow_lr=False)
            if new is not None:
                call = call.with_changes(args=[a.with_changes(value=new) if a is arg else a for a in call.args])
        if api is not None and api.path == "callbacks.ModelCheckpoint":
            path = callargs.keyword(call, "filepath") or (call.args[0] if positional_count(call) else None)
            if path is not None:
                new_path = self._format_keys(original, path.value)
                if new_path is not None:
                    call = call.with_changes(args=[a.with_changes(value=new_path) if a is path else a for a in call.args])
        return call

    def _format_keys(self, original: cst.Call, node: cst.BaseExpression):  # type: ignore[no-untyped-def]
        value = string_value(node)
        if value is None or "{" not in value:
            return None
        import re

        changed = value
        for key in sorted(set(re.findall(r"\{(\w+)", value)), key=len, reverse=True):
            new = self.facts.metric_key(key)
            if new is _UNKNOWN:
                if self.ctx.allows("KM330"):
                    self.ctx.flag("KM330", original, f"'{{{key}}}': tf.keras logs metrics=['accuracy'] as "
                                  f"'{key.replace('acc', 'accuracy')}'; rename it, or compile with metrics=['acc']")
                continue
            if new is not None:
                changed = re.sub(r"\{" + key + r"(?=[:}!])", "{" + new, changed)  # type: ignore[operator]
        if changed == value or not self.ctx.allows("KM330"):
            return None
        self.ctx.fixed("KM330", original, f"checkpoint path keys follow tf.keras metric names{version_note(self.ctx)}")
        return make_string(changed, node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "metrics_names" and self.ctx.keras_receiver(node.value, "metrics_names") \
                and self.ctx.allows("KM327"):
            self.ctx.flag("KM327", node, "Keras 3 metrics_names is ['loss', 'compile_metrics'] and no "
                          "longer lines up with returned lists: call evaluate/train_on_batch with "
                          "return_dict=True and use the dict keys")


class _Marker:
    pass


_UNKNOWN = _Marker()
_PLAIN_GENERATOR = _Marker()
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


class _FileFacts(cst.CSTVisitor):
    """What the whole file says about models, generators and compiled metrics.

    A scanner: filled in the pipeline's one read-only pass before the rewrite."""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.ctx = ctx
        self.functions: dict[str, cst.FunctionDef] = {}
        self.generator_functions: set[str] = set()
        self.history_names: set[str] = set()
        self.spellings: set[str] = set()
        self._open: list[cst.CSTNode] = []  # enclosing functions and lambdas, innermost last

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, node)
        self._open.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._open.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._open.append(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._open.pop()

    def visit_Yield(self, node: cst.Yield) -> None:
        if self._open and isinstance(self._open[-1], cst.FunctionDef):
            self.generator_functions.add(self._open[-1].name.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if isinstance(value, cst.Attribute) and value.attr.value == "history":
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.history_names.add(target.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        if method_name(node) == "compile":
            metrics = callargs.keyword(node, "metrics")
            if metrics is None and positional_count(node) >= 3:
                metrics = node.args[2]
            if metrics is not None:
                self.spellings.update(_strings_in(metrics.value))

    # -- metric names ------------------------------------------------------------------
    def metric_key(self, key: str):  # type: ignore[no-untyped-def]
        """The tf.keras key for a legacy history key: a str, None (unchanged) or _UNKNOWN."""
        version, _ = self.ctx.settings.legacy_version
        if version >= (2, 3):
            return None
        prefix = "val_" if key.startswith("val_") else ""
        base = key[len(prefix):]
        spelled = {s for s in self.spellings if _LEGACY_METRIC_KEYS.get(s, s) == base}
        if base == "acc":
            if not spelled:
                return _UNKNOWN
            if spelled == {"acc"}:
                return None
            if len(spelled) > 1:
                return _UNKNOWN
            return prefix + spelled.pop()
        spelled.discard(base)
        if len(spelled) == 1:
            return prefix + spelled.pop()
        return None

    # -- history dicts -------------------------------------------------------------------
    def is_history_dict(self, node: cst.BaseExpression, scopes: list[_Scope]) -> bool:
        if isinstance(node, cst.Attribute):
            return node.attr.value == "history"
        if isinstance(node, cst.Name):
            return node.value == "logs" or node.value in self.history_names
        return False

    # -- models --------------------------------------------------------------------------
    def _assigned(self, name: str, scopes: list[_Scope]) -> tuple[cst.BaseExpression, cst.CSTNode] | None:
        """The value assigned to ``name`` in the innermost scope that assigns it (if unique)."""
        for scope in reversed(scopes):
            if name in scope.params:
                return None
            values = _assignments_in(scope.node, name)
            if len(values) == 1:
                return values[0], scope.node
            if values:
                return None
        return None

    def _layers(self, receiver: cst.BaseExpression, scopes: list[_Scope], depth: int = 0):  # type: ignore[no-untyped-def]
        """(kind, layer calls in order) of the model ``receiver`` names, when the file shows it."""
        if depth > 3 or not isinstance(receiver, cst.Name):
            return None
        found = self._assigned(receiver.value, scopes)
        if found is None:
            return None
        value, scope = found
        if isinstance(value, cst.Call):
            api = self.ctx.api(value.func)
            if api is not None and api.path in ("models.Sequential", "Sequential"):
                layers: list[cst.BaseExpression] = []
                if value.args and isinstance(value.args[0].value, (cst.List, cst.Tuple)) and value.args[0].keyword is None:
                    layers.extend(e.value for e in value.args[0].value.elements)  # type: ignore[union-attr]
                layers.extend(_added_layers(scope, receiver.value))
                return "Sequential", layers
            if api is not None and api.path in ("models.Model", "Model"):
                return "Model", self._functional_output(value, scope)
            if isinstance(value.func, cst.Name) and value.func.value in self.functions and not value.args:
                function = self.functions[value.func.value]
                returned = _returned_name(function)
                if returned is not None:
                    inner = [_Scope(function, frozenset())]
                    return self._layers(cst.Name(returned), inner, depth + 1)
        return None

    def _functional_output(self, call: cst.Call, scope: cst.CSTNode) -> list[cst.BaseExpression]:
        outputs = callargs.keyword(call, "outputs") or callargs.keyword(call, "output")
        if outputs is None and len(call.args) >= 2 and call.args[1].keyword is None:
            outputs = call.args[1]
        if outputs is None or not isinstance(outputs.value, cst.Name):
            return []
        layers: list[cst.BaseExpression] = []
        name = outputs.value.value
        for _ in range(5):
            values = _assignments_in(scope, name)
            if len(values) != 1 or not isinstance(values[0], cst.Call) or not isinstance(values[0].func, cst.Call):
                break
            applied = values[0]
            layers.insert(0, applied.func)  # type: ignore[arg-type]
            if not applied.args or not isinstance(applied.args[0].value, cst.Name):
                break
            name = applied.args[0].value.value  # type: ignore[union-attr]
        return layers

    def model_kind(self, receiver: cst.BaseExpression, scopes: list[_Scope]) -> str | None:
        found = self._layers(receiver, scopes)
        return found[0] if found else None

    def output_units(self, receiver: cst.BaseExpression, scopes: list[_Scope]) -> int | None:
        found = self._layers(receiver, scopes)
        if not found:
            return None
        for layer in reversed(found[1]):
            if not isinstance(layer, cst.Call):
                return None
            api = self.ctx.api(layer.func)
            if api is None:
                return None
            if api.leaf in _SHAPE_KEEPING_LAYERS:
                continue
            if api.leaf == "TimeDistributed" and layer.args:
                inner = layer.args[0].value
                if isinstance(inner, cst.Call):
                    layer = inner
                    api = self.ctx.api(layer.func)
                    if api is None:
                        return None
            if api.leaf == "Dense":
                units = callargs.keyword(layer, "units") or callargs.keyword(layer, "output_dim")
                if units is None and layer.args and layer.args[0].keyword is None:
                    units = layer.args[0]
                value = number_value(units.value) if units is not None else None
                return int(value) if value is not None and value == int(value) and value >= 1 else None
            return None
        return None

    # -- generators ------------------------------------------------------------------------
    def batch_size(self, node: cst.BaseExpression, scopes: list[_Scope]):  # type: ignore[no-untyped-def]
        """The batch size expression of an iterator, _PLAIN_GENERATOR, or None when unknown."""
        for _ in range(3):
            if isinstance(node, cst.Name):
                found = self._assigned(node.value, scopes)
                if found is None:
                    return None
                node = found[0]
                continue
            break
        if not isinstance(node, cst.Call):
            return None
        name = method_name(node)
        if name in FLOW_METHODS:
            arg = callargs.keyword(node, "batch_size")
            position = {"flow": 2, "flow_from_directory": 5}.get(name)
            if arg is None and position is not None and positional_count(node) > position:
                arg = node.args[position]
            if arg is None:
                return cst.Integer(str(FLOW_METHODS[name]))
            return arg.value
        if isinstance(node.func, cst.Name) and node.func.value in self.generator_functions:
            return _PLAIN_GENERATOR
        return None


def _strings_in(node: cst.BaseExpression) -> set[str]:
    found: set[str] = set()
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        for element in node.elements:
            found |= _strings_in(element.value)
    elif isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                found |= _strings_in(element.value)
    else:
        value = string_value(node)
        if value is not None:
            found.add(value)
    return found


def _own_statements(scope: cst.CSTNode):  # type: ignore[no-untyped-def]
    """Simple statements of a scope, descending into if/for/while/with/try but not into defs."""
    body = scope.body if isinstance(scope, cst.Module) else scope.body.body  # type: ignore[attr-defined]
    stack = list(reversed(list(body)))
    while stack:
        statement = stack.pop()
        if isinstance(statement, cst.SimpleStatementLine):
            yield statement
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            stack.extend(reversed(_blocks(statement)))


def _blocks(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements directly inside a compound statement, its else/except/finally parts included."""
    out: list[cst.CSTNode] = []
    suite = getattr(statement, "body", None)
    if isinstance(suite, cst.IndentedBlock):
        out.extend(suite.body)
    elif isinstance(suite, cst.SimpleStatementSuite):
        out.append(cst.SimpleStatementLine(body=suite.body))
    for attr in ("orelse", "finalbody"):
        part = getattr(statement, attr, None)
        if isinstance(part, cst.If):
            out.append(part)
        elif part is not None:
            out.extend(_blocks(part))
    for handler in getattr(statement, "handlers", ()) or ():
        out.extend(_blocks(handler))
    return out


def _assignments_in(scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
    values = []
    for statement in _own_statements(scope):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name) and target.target.value == name:
                        values.append(small.value)
    return values


def _added_layers(scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
    layers = []
    for statement in _own_statements(scope):
        for small in statement.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                call = small.value
                if (
                    isinstance(call.func, cst.Attribute) and call.func.attr.value == "add"
                    and isinstance(call.func.value, cst.Name) and call.func.value.value == name
                    and call.args
                ):
                    layers.append(call.args[0].value)
    return layers


def _returned_name(function: cst.FunctionDef) -> str | None:
    names = set()
    for statement in _own_statements(function):
        for small in statement.body:
            if isinstance(small, cst.Return) and isinstance(small.value, cst.Name):
                names.add(small.value.value)
    return names.pop() if len(names) == 1 else None


FIXER = TrainingFixer
