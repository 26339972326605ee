"""Which names denote the Keras backend (``backend_name``), and what the whole file shows the backend
family: models, layers, local functions, tensors from K.gradients / K.placeholder, whether it
trains (read once, before any rewrite)."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from kmigrate import match as m
from kmigrate.context import FileContext

_BACKEND_MODULES = frozenset({"backend", "backend.tensorflow_backend", "backend.common", "backend.load_backend"})


_MODEL_FACTORIES = frozenset({"Sequential", "Model", "load_model", "model_from_json", "model_from_yaml",
                              "model_from_config", "clone_model"})  # fmt: skip


_TRAINING_METHODS = frozenset({"fit", "fit_generator", "train_on_batch"})


def _is_call_to(ctx: FileContext, node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Call) and backend_name(ctx, node.func) == name


def backend_name(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """``foo`` when ``node`` (Name or Attribute) denotes ``<keras backend>.foo``."""
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    if isinstance(node, cst.Attribute):
        module = ctx.resolver.keras_name(node.value)
        if module is None or module.path not in _BACKEND_MODULES:
            return None
        return node.attr.value
    keras_name = ctx.resolver.keras_name(node)
    if keras_name is None:
        return None
    parent, _, leaf = keras_name.path.rpartition(".")
    return leaf if parent in _BACKEND_MODULES else None


@dataclass
class _Scan(cst.CSTVisitor):
    """What the file shows about names: models, layers, local functions, placeholders, training."""

    ctx: FileContext
    models: set[str] = field(default_factory=set)
    layers: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    tainted: set[str] = field(default_factory=set)  # assigned from K.gradients / K.placeholder
    trains: bool = False
    legacy_ordering_set: bool = False
    uses: dict[str, int] = field(default_factory=dict)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if not isinstance(value, cst.Call):
            return
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        kind = backend_name(self.ctx, value.func)
        if kind in ("gradients", "placeholder"):
            self.tainted.update(names)
            return
        api = self.ctx.api(value.func)
        if api is None:
            return
        if api.leaf in _MODEL_FACTORIES:
            self.models.update(names)
        elif api.path.startswith("layers."):
            self.layers.update(names)

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name) and m.matches(node.iter, m.Attribute(attr=m.Name("layers"))):
            self.layers.add(node.target.value)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if isinstance(node.target, cst.Name) and m.matches(node.iter, m.Attribute(attr=m.Name("layers"))):
            self.layers.add(node.target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.add(node.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _TRAINING_METHODS:
            self.trains = True
        if backend_name(self.ctx, node.func) == "set_legacy_weight_ordering":
            self.legacy_ordering_set |= not (
                len(node.args) == 1 and m.matches(node.args[0].value, m.Name("False"))
            )

    def visit_Name(self, node: cst.Name) -> None:
        self.uses[node.value] = self.uses.get(node.value, 0) + 1

    # Keyword names and attribute names are not uses of a variable.
    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.uses[node.keyword.value] = self.uses.get(node.keyword.value, 0) - 1

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.uses[node.attr.value] = self.uses.get(node.attr.value, 0) - 1
