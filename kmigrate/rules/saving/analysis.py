"""Where the saving family traces paths: every path written by save/save_weights/ModelCheckpoint and
read by load_model/load_weights, followed to the string literal that spells it, and the edit
each literal needs (read once, before any rewrite)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.context import FileContext
from kmigrate.nodes import code
from kmigrate.rules.training_table import method_name, positional_count, string_value

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


def _uses_lambda(ctx: FileContext) -> bool:
    return ctx.kinds.scanner.calls_lambda_layer_with_lambda


class _Scan(cst.CSTVisitor):
    """Every call that names a saved artefact, and the names assigned exactly once (None when
    assigned more than once): collected in the pipeline's one read-only pass."""

    def __init__(self, ctx: FileContext) -> None:
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


def _analyse(ctx: FileContext, scan: _Scan) -> _Facts:
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


def _classify(ctx: FileContext, call: cst.Call) -> _Use | None:
    name = method_name(call)
    api = ctx.api(call.func)
    path = api.path if api is not None else None
    if path == "callbacks.ModelCheckpoint":
        node = callargs.argument(call, "filepath", 0)
        if node is None:
            return None
        weights_only = callargs.keyword(call, "save_weights_only")
        if weights_only is None and positional_count(call) > 4:
            weights_only = call.args[4]
        if weights_only is not None and not isinstance(weights_only.value, cst.Name):
            return None
        is_weights = weights_only is not None and m.matches(weights_only.value, m.Name("True"))
        return _Use("weights" if is_weights else "model", call, node, "KM361")
    if path == "models.save_model":
        node = callargs.argument(call, "filepath", 1)
        return _Use("model", call, node, "KM341") if node is not None else None
    if path == "models.load_model":
        node = callargs.argument(call, "filepath", 0)
        return _Use("read_model", call, node, "") if node is not None else None
    if api is not None or name not in ("save", "save_weights", "load_weights"):
        return None
    receiver = cst.ensure_type(call.func, cst.Attribute).value  # one of the methods above
    if _foreign_receiver(ctx, receiver) or not ctx.keras_receiver(receiver, name):
        return None
    node = callargs.argument(call, "filepath", 0)
    if node is None or positional_count(call) > 2:
        return None
    if name == "save_weights":
        return _Use("weights", call, node, "KM344")
    if name == "save":
        save_format = callargs.keyword(call, "save_format")
        if positional_count(call) > 1 or save_format is not None and \
                string_value(save_format.value) in ("tf", "tensorflow"):
            return None
        return _Use("model", call, node, "KM341")
    return _Use("read_weights", call, node, "")


_MODEL_METHODS = frozenset({"save", "load_weights", "to_yaml"})


def _foreign_receiver(ctx: FileContext, receiver: cst.BaseExpression) -> bool:
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


def _literal(node: cst.BaseExpression, constants: Mapping[str, cst.BaseExpression | None], depth: int = 0
             ) -> tuple[cst.CSTNode, str] | None:  # fmt: skip
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
        return _literal(node.right, constants, depth + 1)
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
        assigned = constants.get(node.value)
        return _literal(assigned, constants, depth + 1) if assigned is not None else None
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
