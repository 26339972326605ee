"""The saving family's fixer: rewrites the traced path literals and flags what it cannot decide
(the tracing itself is ``analysis.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.saving.analysis import (
    _MODEL_METHODS,
    _UNKNOWN_MARKERS,
    _UNKNOWN_MESSAGES,
    _analyse,
    _Facts,
    _Scan,
    _uses_lambda,
)
from kmigrate.rules.training_table import make_string, method_name, string_value

SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

RULES = (
    Rule("KM341", "save-without-extension", "`model.save('dir')` writes `.keras`.",
         "model.save('my_model')\nmodel = load_model('my_model')",
         "model.save('my_model.keras')\nmodel = load_model('my_model.keras')",
         CONTEXT, "Keras 3 refuses paths without .keras/.h5. Readers in the file follow; an artefact "
         "read elsewhere is marked (model.export('dir') writes a SavedModel for serving).", ("C-S01",)),
    Rule("KM342", "save-format-arg", "`save_format=` is dropped.",
         "model.save('m.h5', save_format='h5')", "model.save('m.h5')",
         SAFE, "Keras 3 infers the format from the suffix and raises on save_format with other "
         "paths; save_format='tf' is marked (model.export).", ("C-S02",), tf_keras=False),
    Rule("KM343", "h5-model-resume", "A full model saved to `.h5` and loaded back in the same "
         "program is saved as `.keras`.",
         "model.save('ckpt.h5')\nmodel = load_model('ckpt.h5')",
         "model.save('ckpt.keras')\nmodel = load_model('ckpt.keras')",
         CONTEXT, "A model loaded from .h5 by Keras 3 cannot continue training (its optimizer state "
         "is lost: 'Unknown variable'); .keras restores it as legacy .h5 did.", ("C-S03",)),
    Rule("KM344", "save-weights-suffix", "Weights files written by the program end with "
         "`.weights.h5`.",
         "model.save_weights('w.h5')\nmodel.load_weights('w.h5')",
         "model.save_weights('w.weights.h5')\nmodel.load_weights('w.weights.h5')",
         CONTEXT, "Keras 3 save_weights requires the suffix. Readers of the same path follow; "
         "load_weights of existing legacy .h5 files keeps working and is left alone.", ("C-S04",),
         tf_keras=False),
    Rule("KM345", "load-weights-kwargs", "`load_weights(reshape=)` is dropped; `by_name` only "
         "works on legacy .h5 files.",
         "model.load_weights('w.h5', by_name=True, reshape=False)",
         "model.load_weights('w.h5', by_name=True)",
         CONTEXT, "reshape (2.2) is gone; by_name raises for .weights.h5/.keras files.", ("C-S05",),
         tf_keras=False),
    Rule("KM346", "load-model-safe-mode", "Models with Python lambdas load with `safe_mode=False` "
         "when the program wrote them itself.",
         "model.save('m.keras')\nload_model('m.keras')  # model has Lambda(lambda x: ...)",
         "model.save('m.keras')\nload_model('m.keras', safe_mode=False)",
         CONTEXT, "Keras 3 refuses to deserialize lambdas by default. Files the same program wrote "
         "are trusted; other files are marked.", ("C-S06",), tf_keras=False),
    Rule("KM347", "load-legacy-model-file", "Full-model `.h5` files written by legacy Keras often "
         "do not load in Keras 3.",
         "model = load_model('old_model.h5')",
         "model = build_model(); model.load_weights('old_model.h5')",
         FLAG, "Keras 3 cannot rebuild legacy Sequential configs (batch_input_shape) or RNN "
         "configs; weights load fine into a model built in code.", ("C-S07", "D13"), tf_keras=False),
    Rule("KM348", "yaml", "`to_yaml`/`model_from_yaml` become `to_json`/`model_from_json`.",
         "s = model.to_yaml()\nm = model_from_yaml(s)", "s = model.to_json()\nm = model_from_json(s)",
         CONTEXT, "YAML support was removed (arbitrary code execution); YAML files written earlier "
         "cannot be read and are marked.", ("C-S08",)),
    Rule("KM349", "model-from-json-legacy", "JSON written by legacy Keras does not load in "
         "Keras 3.",
         "model = model_from_json(open('model.json').read())",
         "build the model in code, then load_weights",
         FLAG, "Keras 3 cannot locate the legacy class names ('Sequential', 'Model').", ("C-S09",),
         tf_keras=False),
    Rule("KM350", "load-savedmodel", "`load_model('dir')` of a SavedModel does not work in "
         "Keras 3.",
         "model = load_model('saved_model_dir')",
         "layer = tf.keras.layers.TFSMLayer('saved_model_dir', call_endpoint='serving_default')",
         FLAG, "Keras 3 load_model reads .keras and .h5 only; TFSMLayer is inference-only.",
         ("C-S10",), tf_keras=False),
    Rule("KM361", "modelcheckpoint-extension", "ModelCheckpoint paths end with `.weights.h5` "
         "(weights) or `.keras`/`.h5` (models).",
         "ModelCheckpoint('weights.{epoch:02d}.hdf5', save_weights_only=True)",
         "ModelCheckpoint('weights.{epoch:02d}.weights.h5', save_weights_only=True)",
         CONTEXT, "Keras 3 rejects other suffixes (.hdf5 included). Readers of the same path "
         "follow.", ("C-CB01",), tf_keras=False),
)


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
            if self._scan is None:  # used outside the pipeline: scan now
                self.ctx.module.visit(self.scanners()[0])
            self._facts = _analyse(self.ctx, self._scan) if self.ctx.involves_keras else _Facts()
        return self._facts

    # -- the traced string literals -----------------------------------------------------------
    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString):  # type: ignore[no-untyped-def]
        edit = self.facts.edits.get(id(original))
        if edit is None or not self.ctx.allows(edit.rule):
            return updated
        self.ctx.fixed(edit.rule, original, edit.message)
        return make_string(edit.text, updated)

    def leave_FormattedStringText(self, original, updated):  # type: ignore[no-untyped-def]
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
        if name in _MODEL_METHODS and not self.ctx.keras_receiver(original.func.value, name, original):  # type: ignore[attr-defined]
            name = None  # the same method name on something that is not a Keras model
        api = self.ctx.api(original.func)
        path = api.path if api is not None else None
        if name == "save" or path == "models.save_model":
            updated = self._save_format(original, updated)
        if name == "load_weights":
            updated = self._load_weights(original, updated)
        if path == "models.load_model":
            updated = self._load_model(original, updated)
        if name == "to_yaml" and not updated.args and self.ctx.allows("KM348"):
            self.ctx.fixed("KM348", original, "`to_yaml()` -> `to_json()` (YAML support was removed)")
            return updated.with_changes(func=updated.func.with_changes(attr=cst.Name("to_json")))  # type: ignore[attr-defined]
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


