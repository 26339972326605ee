"""The saving family's fixer: rewrites the traced path literals and flags what it cannot decide
(the tracing itself is ``analysis.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.saving.analysis import (
    _MODEL_METHODS,
    _UNKNOWN_MARKERS,
    _UNKNOWN_MESSAGES,
    _analyse,
    _Facts,
    _Scan,
    _uses_lambda,
)
from kmigrate.rules.saving.catalog import RULES
from kmigrate.rules.training_table import make_string, method_name, string_value


@dataclass
class SavingFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({"models.model_from_yaml"})

    _facts: _Facts | None = None

    _scan: _Scan | None = None

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Scan(self.ctx)
        return (self._scan,)

    @property
    def facts(self) -> _Facts:
        if self._facts is None:
            scan = self._scan
            if scan is None:  # used outside the pipeline: scan now
                scan = self._scan = _Scan(self.ctx)
                self.ctx.module.visit(scan)
            self._facts = _analyse(self.ctx, scan) if self.ctx.involves_keras else _Facts()
        return self._facts

    # -- the traced string literals -----------------------------------------------------------
    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        edit = self.facts.edits.get(id(original))
        if edit is None or not self.ctx.allows(edit.rule):
            return updated
        self.ctx.fixed(edit.rule, original, edit.message)
        return make_string(edit.text, updated)

    def leave_FormattedStringText(self, original: cst.FormattedStringText, updated: cst.FormattedStringText
                                  ) -> cst.FormattedStringText:  # fmt: skip
        edit = self.facts.edits.get(id(original))
        if edit is None or not self.ctx.allows(edit.rule):
            return updated
        self.ctx.fixed(edit.rule, original, edit.message)
        return updated.with_changes(value=edit.text.replace("\\", "\\\\"))

    # -- calls ---------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.ctx.involves_keras:
            return updated
        facts = self.facts
        rule = facts.unknown_writers.get(id(original))
        if rule is not None and self.ctx.allows(rule):
            self.ctx.flag(rule, original, _UNKNOWN_MESSAGES[rule], marker=_UNKNOWN_MARKERS.get(rule))
        note = facts.writer_notes.get(id(original))
        if note is not None and self.ctx.allows(note[0]):
            self.ctx.flag(note[0], original, note[1])
        name = method_name(original)
        if isinstance(original.func, cst.Attribute) and name in _MODEL_METHODS \
                and not self.ctx.keras_receiver(original.func.value, name, original):
            name = None  # the same method name on something that is not a Keras model
        api = self.ctx.api(original.func)
        path = api.path if api is not None else None
        if name == "save" or path == "models.save_model":
            updated = self._save_format(original, updated)
        if name == "load_weights":
            updated = self._load_weights(original, updated)
        if path == "models.load_model":
            updated = self._load_model(original, updated)
        if name == "to_yaml" and isinstance(updated.func, cst.Attribute) and self.ctx.allows("KM348"):
            if updated.args:  # yaml.dump options (default_flow_style=...): to_json passes its own to json.dumps
                self.ctx.flag("KM348", original, "Keras 3 models have no to_yaml(): use to_json() (json.dumps "
                              "options such as indent=; the yaml.dump ones do not apply)",
                              marker="no to_yaml() in Keras 3: use to_json() (yaml.dump options do not apply)")
                return updated
            self.ctx.fixed("KM348", original, "`to_yaml()` -> `to_json()` (YAML support was removed)")
            return updated.with_changes(func=updated.func.with_changes(attr=cst.Name("to_json")))
        if path == "models.model_from_yaml" and self.ctx.allows("KM348"):
            self.ctx.fixed("KM348", original, "`model_from_yaml` -> `model_from_json`")
            if "to_yaml" not in self.ctx.kinds.scanner.called_names:
                self.ctx.flag("KM348", original, "YAML written by legacy Keras cannot be read: rebuild "
                              "the model in code, or regenerate the file with to_json()")
            return updated.with_changes(func=self.ctx.imports.reference("models.model_from_json"))
        if path == "models.model_from_json" and "to_json" not in self.ctx.kinds.scanner.called_names \
                and self.ctx.allows("KM349"):
            self.ctx.flag("KM349", original, "Keras 3 cannot read JSON written by legacy Keras: build the "
                          "model in code and load_weights(), or convert once with --target tf_keras")
        return updated

    def _save_format(self, original: cst.Call, call: cst.Call) -> cst.Call:
        arg = callargs.keyword(call, "save_format")
        if arg is None or not self.ctx.allows("KM342"):
            return call
        value = string_value(arg.value)
        if value in ("tf", "tensorflow"):
            self.ctx.flag("KM342", original, "save_format='tf' is gone: model.export(path) writes a "
                          "SavedModel (not loadable by load_model), or save to 'name.keras'")
            return call
        self.ctx.fixed("KM342", original, "`save_format=` dropped (Keras 3 uses the suffix)")
        return callargs.remove_keyword(call, "save_format")

    def _load_weights(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if callargs.keyword(call, "reshape") is not None and self.ctx.allows("KM345"):
            call = callargs.remove_keyword(call, "reshape")
            self.ctx.fixed("KM345", original, "`reshape=` dropped (gone in Keras 3)")
        if id(original) in self.facts.by_name_broken and self.ctx.allows("KM345"):
            self.ctx.flag("KM345", original, "by_name only works for legacy .h5 files; this path is now "
                          "a Keras 3 .weights.h5 file: drop by_name and load into the same architecture")
        return call

    def _load_model(self, original: cst.Call, call: cst.Call) -> cst.Call:
        state = self.facts.model_reads.get(id(original))
        if state == "paired" and _uses_lambda(self.ctx) and callargs.keyword(call, "safe_mode") is None:
            if self.ctx.allows("KM346"):
                self.ctx.fixed("KM346", original, "safe_mode=False: the program wrote this file itself "
                               "and its model has Python lambdas")
                call = callargs.add_keyword(call, "safe_mode", cst.Name("False"))
        elif state in ("external", "dir") and _uses_lambda(self.ctx) and self.ctx.allows("KM346"):
            self.ctx.flag("KM346", original, "Keras 3 refuses Lambda layers with Python lambdas: add "
                          "safe_mode=False if you trust this file")
        if state == "external" and self.ctx.allows("KM347"):
            self.ctx.flag("KM347", original, "if this .h5 was written by legacy Keras, Keras 3 may fail "
                          "to rebuild it (Sequential batch_input_shape, RNN configs): build the model in "
                          "code and call load_weights() on the file")
        if state == "dir" and self.ctx.allows("KM350"):
            self.ctx.flag("KM350", original, "Keras 3 load_model reads .keras/.h5 only: for a SavedModel "
                          "use tf.keras.layers.TFSMLayer(path, call_endpoint='serving_default') "
                          "(inference only), or re-save the model as .keras")
        return call


# -- the analysis ------------------------------------------------------------------------------


