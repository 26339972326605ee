"""KM34x saving and loading (catalog C-S01..C-S10), and ModelCheckpoint paths (C-CB01).

Keras 3 picks the format from the file name: ``save_weights`` needs ``.weights.h5``, full
models ``.keras`` or ``.h5``, and ModelCheckpoint rejects ``.hdf5``.  Renaming an artefact is
only safe when every reader follows, so the file is read once: every path written by
``save``/``save_weights``/``ModelCheckpoint`` and read by ``load_model``/``load_weights`` is
traced to the string literal that spells it (directly, through a constant, an f-string, ``+``,
``%``, ``.format`` or ``os.path.join``), and that literal is rewritten once, for writers and
readers alike.  Paths read but never written here are existing artefacts and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.training_table import make_string, method_name, positional_count, string_value

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

_H5 = (".h5", ".hdf5")
_OTHER_MODULES = ("numpy", "np", "pickle", "joblib", "torch", "json", "plt", "matplotlib")


@dataclass
class _Use:
    kind: str  # "weights" | "model" (writers), "read_weights" | "read_model" (readers)
    call: cst.Call
    node: cst.BaseExpression  # the path expression
    rule: str  # the rule a writer's rename belongs to


@dataclass
class _Edit:
    text: str  # the new string value
    rule: str
    message: str


@dataclass
class _Facts:
    edits: dict[int, _Edit] = field(default_factory=dict)  # id(original string node) -> edit
    unknown_writers: dict[int, str] = field(default_factory=dict)  # id(call) -> rule
    model_reads: dict[int, str] = field(default_factory=dict)  # id(call) -> "paired" | "external" | "dir"
    writer_notes: dict[int, tuple[str, str]] = field(default_factory=dict)  # id(call) -> (rule, message)
    by_name_broken: set[int] = field(default_factory=set)  # id(call)


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


_UNKNOWN_MESSAGES = {
    "KM344": "Keras 3 save_weights needs a path ending in '.weights.h5' (kmigrate could not trace this "
             "one): add the suffix here and in the load_weights() calls that read it",
    "KM341": "Keras 3 saves full models to '.keras' (or legacy '.h5') paths only, and kmigrate could not "
             "trace this one: make it end in '.keras' (and its readers), or use model.export(path) "
             "for a SavedModel",
    "KM361": "Keras 3 ModelCheckpoint needs '.weights.h5' with save_weights_only=True and '.keras'/'.h5' "
             "otherwise (not '.hdf5'); kmigrate could not trace this path: fix its suffix and its readers",
}


_UNKNOWN_MARKERS = {
    "KM361": "use a '.keras' path ('.weights.h5' if save_weights_only) and fix its readers",
}


def _uses_lambda(ctx) -> bool:  # type: ignore[no-untyped-def]
    return ctx.kinds.scanner.calls_lambda_layer_with_lambda


# -- the analysis ------------------------------------------------------------------------------


class _Scan(cst.CSTVisitor):
    """Every call that names a saved artefact, and the names assigned exactly once (None when
    assigned more than once): collected in the pipeline's one read-only pass."""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.ctx = ctx
        self.uses: list[_Use] = []
        self.constants: dict[str, cst.BaseExpression | None] = {}

    def visit_Call(self, node: cst.Call) -> None:
        use = _classify(self.ctx, node)
        if use is not None:
            self.uses.append(use)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                key = target.target.value
                self.constants[key] = None if key in self.constants else node.value


def _analyse(ctx, scan: _Scan) -> _Facts:  # type: ignore[no-untyped-def]
    facts = _Facts()
    uses, constants = scan.uses, scan.constants

    # Group uses by the artefact they name: the same literal (through a constant), or equal text.
    by_literal: dict[object, list[tuple[_Use, cst.CSTNode, str]]] = {}
    for use in uses:
        found = _literal(use.node, constants)
        if found is None:
            if use.kind == "weights":
                facts.unknown_writers[id(use.call)] = use.rule
            elif use.kind == "model" and use.rule == "KM361":
                facts.unknown_writers[id(use.call)] = use.rule
            elif use.kind == "read_model":
                facts.model_reads[id(use.call)] = "unknown"
            continue
        literal, text = found
        if isinstance(use.node, cst.Name):
            key: object = ("literal", id(literal))
        elif isinstance(use.node, cst.SimpleString):
            key = ("text", text)
        else:
            key = ("code", code(use.node))
        by_literal.setdefault(key, []).append((use, literal, text))

    for entries in by_literal.values():
        literal = entries[0][1]
        text = entries[0][2]
        kinds = {use.kind for use, _, _ in entries}
        writers = [use for use, _, _ in entries if use.kind in ("weights", "model")]
        readers = [use for use, _, _ in entries if use.kind.startswith("read_")]
        if {"weights", "model"} <= kinds:
            for use in writers:
                facts.unknown_writers[id(use.call)] = use.rule
            continue
        if not writers:
            for use in readers:
                if use.kind == "read_model":
                    facts.model_reads[id(use.call)] = "external" if text.lower().endswith(_H5) else (
                        "dir" if _extension(text) == "" and not text.endswith(".keras") else "ok")
            continue
        if "weights" in kinds:
            new = _weights_name(text)
            rule = writers[0].rule
            message = f"'{text}' -> '{new}' (Keras 3 weights files end with .weights.h5; readers follow)"
            for use in readers:
                if use.kind == "read_weights" and callargs.keyword(use.call, "by_name") is not None and new != text:
                    facts.by_name_broken.add(id(use.call))
        else:
            read_back = any(use.kind == "read_model" for use in readers)
            checkpoint = any(use.rule == "KM361" for use in writers)
            ext = _extension(text)
            if ext == ".keras":
                new = text
            elif ext in _H5 and (read_back or (checkpoint and ext == ".hdf5")):
                new = text[: -len(ext)] + ".keras"
            elif ext in _H5:
                new = text
            else:
                new = text + ".keras"
            rule = "KM343" if ext in _H5 and not checkpoint else writers[0].rule
            if ext == "" and not checkpoint:
                rule = "KM341"
            message = f"'{text}' -> '{new}'" + (
                " (a model loaded from .h5 cannot resume training in Keras 3)" if ext in _H5 else
                " (Keras 3 saves full models to .keras)"
            )
            for use in readers:
                if use.kind == "read_model":
                    facts.model_reads[id(use.call)] = "paired"
            if ext == "" and not read_back and not checkpoint:
                for use in writers:
                    facts.writer_notes[id(use.call)] = ("KM341", (
                        f"the model is now saved to '{new}' (Keras 3 needs the suffix): code elsewhere "
                        f"that reads '{text}' must follow, or use model.export('{text}') for a SavedModel"
                    ))
        if new == text:
            continue
        for _, literal, _ in entries:
            full = _full_text(literal)
            if full is not None and full.endswith(text):
                facts.edits[id(literal)] = _Edit(full[: len(full) - len(text)] + new, rule, message)
    return facts


def _classify(ctx, call: cst.Call) -> _Use | None:  # type: ignore[no-untyped-def]
    name = method_name(call)
    api = ctx.api(call.func)
    path = api.path if api is not None else None
    if path == "callbacks.ModelCheckpoint":
        node = _arg(call, "filepath", 0)
        if node is None:
            return None
        weights_only = callargs.keyword(call, "save_weights_only")
        if weights_only is None and positional_count(call) > 4:
            weights_only = call.args[4]
        if weights_only is not None and not isinstance(weights_only.value, cst.Name):
            return None
        is_weights = weights_only is not None and weights_only.value.value == "True"  # type: ignore[attr-defined]
        return _Use("weights" if is_weights else "model", call, node, "KM361")
    if path == "models.save_model":
        node = _arg(call, "filepath", 1)
        return _Use("model", call, node, "KM341") if node is not None else None
    if path == "models.load_model":
        node = _arg(call, "filepath", 0)
        return _Use("read_model", call, node, "") if node is not None else None
    if api is not None or name not in ("save", "save_weights", "load_weights"):
        return None
    if _foreign_receiver(ctx, call.func.value) or not ctx.keras_receiver(call.func.value, name):  # type: ignore[attr-defined]
        return None
    node = _arg(call, "filepath", 0)
    if node is None or positional_count(call) > 2:
        return None
    if name == "save_weights":
        return _Use("weights", call, node, "KM344")
    if name == "save":
        if positional_count(call) > 1 or callargs.keyword(call, "save_format") is not None and \
                string_value(callargs.keyword(call, "save_format").value) in ("tf", "tensorflow"):  # type: ignore[union-attr]
            return None
        return _Use("model", call, node, "KM341")
    return _Use("read_weights", call, node, "")


_MODEL_METHODS = frozenset({"save", "load_weights", "to_yaml"})


def _foreign_receiver(ctx, receiver: cst.BaseExpression) -> bool:  # type: ignore[no-untyped-def]
    """``np.save(...)``, ``pickle``...: a receiver that is an imported non-Keras module."""
    head = receiver
    while isinstance(head, cst.Attribute):
        head = head.value
    if not isinstance(head, cst.Name):
        return False
    if head.value in _OTHER_MODULES:
        return True
    bindings = ctx.resolver.bindings.get(head.value)
    return bool(bindings)


def _arg(call: cst.Call, name: str, position: int) -> cst.BaseExpression | None:
    arg = callargs.keyword(call, name)
    if arg is not None:
        return arg.value
    if positional_count(call) > position:
        return call.args[position].value
    return None


def _literal(node: cst.BaseExpression, constants, depth: int = 0):  # type: ignore[no-untyped-def]
    """The string node whose text ends the path, and that text (the path's suffix part)."""
    if depth > 4:
        return None
    if isinstance(node, cst.SimpleString):
        value = string_value(node)
        return (node, value) if value is not None else None
    if isinstance(node, cst.FormattedString):
        if node.parts and isinstance(node.parts[-1], cst.FormattedStringText):
            return node.parts[-1], node.parts[-1].value
        return None
    if isinstance(node, cst.ConcatenatedString):
        return _literal(node.right, constants, depth + 1)  # type: ignore[arg-type]
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.Add):
            return _literal(node.right, constants, depth + 1)
        if isinstance(node.operator, cst.Modulo):
            return _literal(node.left, constants, depth + 1)
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value == "format":
            return _literal(node.func.value, constants, depth + 1)
        if node.func.attr.value == "join" and node.args and cst.helpers.get_full_name_for_node(node.func) in ("os.path.join", "path.join"):
            return _literal(node.args[-1].value, constants, depth + 1)
        return None
    if isinstance(node, cst.Name):
        value = constants.get(node.value)
        return _literal(value, constants, depth + 1) if value is not None else None
    return None


def _full_text(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.SimpleString):
        return string_value(node)
    if isinstance(node, cst.FormattedStringText):
        return node.value
    return None


def _extension(text: str) -> str:
    base = text.rsplit("/", 1)[-1]
    if text.lower().endswith(".weights.h5"):
        return ".weights.h5"
    match = re.search(r"\.(h5|hdf5|keras|ckpt|tf|pb|json|yaml)$", base, re.IGNORECASE)
    return "." + match.group(1).lower() if match else ""


def _weights_name(text: str) -> str:
    if text.lower().endswith(".weights.h5"):
        return text
    ext = _extension(text)
    if ext in _H5 or ext == ".keras":
        return text[: -len(ext)] + ".weights.h5"
    return text + ".weights.h5"


FIXER = SavingFixer
