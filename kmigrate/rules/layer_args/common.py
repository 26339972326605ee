"""The layer-arguments family's shared part: rule entries, helpers, and the call dispatch every
concern of the family uses (``LayerArgsBase``)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Sequence

import libcst as cst

from kmigrate import callargs
from kmigrate.context import Api
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.layer_args.catalog import RULES
from kmigrate.rules.layer_args_table import (
    HANDLED,
    LAYERS,
    MODEL_PATHS,
    MODEL_SPEC,
    REMOVED,
    TIME_DISTRIBUTED_DENSE,
    LayerSpec,
)

_KEYWORD_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
# Kernel sizes given as separate Keras 1 arguments, by LayerSpec step: (arguments, rule).
_KERNEL_FOLDS = {
    "fold2d": (("nb_row", "nb_col"), "KM214"),
    "fold3d": (("kernel_dim1", "kernel_dim2", "kernel_dim3"), "KM217"),
}
_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


class _Edit:
    """What one call's conversion did: fixes per rule, and findings."""

    def __init__(self) -> None:
        self.fixes: dict[str, list[str]] = {}
        self.flags: list[tuple[str, str]] = []

    def fix(self, rule: str, message: str) -> None:
        self.fixes.setdefault(rule, []).append(message)

    def flag(self, rule: str, message: str) -> None:
        self.flags.append((rule, message))


@dataclass
class LayerArgsBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = HANDLED
    # (step name, function) in the order they run: a LayerSpec's ``steps`` picks among them
    # (``preprocessors.Keras1Preprocessors.preprocessors``).
    preprocessors: ClassVar[tuple[tuple[str, Callable[..., cst.Call]], ...]] = ()

    _layer_classes: set[str] = field(default_factory=set)  # names of the layer classes defined so far
    _layer_class_nodes: set[int] = field(default_factory=set)  # id of each class judged a layer subclass

    # -- custom layers (add_weight) -----------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # Judged here, in file order: a base may be a layer class defined above.
        if any(self._is_layer_base(arg.value) for arg in node.bases if arg.keyword is None):
            self._layer_classes.add(node.name.value)
            self._layer_class_nodes.add(id(node))

    def _in_layer_class(self) -> bool:
        """The innermost class around the traversal is a layer subclass (``visit_ClassDef``)."""
        owner = self.ctx.scopes.current_class
        return owner is not None and id(owner) in self._layer_class_nodes

    def _is_layer_base(self, base: cst.BaseExpression) -> bool:
        """Derives from any legacy Keras layer or model class (``Dense`` too, unlike
        ``base.is_layer_subclass``), or from a layer class defined above in this file."""
        if isinstance(base, cst.Name):
            if base.value in self._layer_classes:
                return True
            if hasattr(builtins, base.value):
                return False  # `object` is not keras.layers.object, star import or not
        api = self.ctx.api(base)
        if api is None or not api.legacy or not api.leaf[:1].isupper():
            return False
        return api.path.startswith(("layers.", "legacy.layers.")) or api.path in MODEL_PATHS

    # -- calls --------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "add_weight"
            and isinstance(func.value, cst.Name)
            and func.value.value == "self"
            and self._in_layer_class()
        ):
            return self._add_weight(original, updated)
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return updated
        api = self.ctx.api(func)
        if api is None or not api.legacy:
            return updated
        path = api.path
        spec = LAYERS.get(path)
        if spec is not None:
            return self._layer(original, updated, api, spec)
        if path in MODEL_PATHS:
            return self._layer(original, updated, api, MODEL_SPEC)
        if path in TIME_DISTRIBUTED_DENSE:
            return self._time_distributed_dense(original, updated, api)
        removed = REMOVED.get(path)
        if removed is not None and self.ctx.allows(removed[0]):
            self.ctx.flag(removed[0], original, removed[1])
        return updated

    # -- provided by the concerns LayerArgsFixer is composed of (declared for the calls here) -----
    def _extra_positionals(self, call: cst.Call, spec: LayerSpec, edit: _Edit) -> cst.Call:
        raise NotImplementedError  # positionals.py
    def _fold_kernel(self, call: cst.Call, dims: tuple[str, ...], rule: str, edit: _Edit) -> cst.Call:
        raise NotImplementedError  # positionals.py
    def _renames(self, original: cst.Call, call: cst.Call, spec: LayerSpec, edit: _Edit) -> cst.Call:
        raise NotImplementedError  # renames.py
    def _time_distributed_dense(self, original: cst.Call, updated: cst.Call, api: Api) -> cst.BaseExpression:
        raise NotImplementedError  # special_layers.py
    def _add_weight(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        raise NotImplementedError  # special_layers.py


    # -- one layer call ------------------------------------------------------------------
    def _layer(self, original: cst.Call, updated: cst.Call, api: Api, spec: LayerSpec) -> cst.Call:
        edit = _Edit()
        call = self._convert(original, updated, spec, _standalone(api), edit)
        if spec.replace is not None and self.ctx.allows(spec.replace_rule or spec.rule):
            new_func = self.ctx.imports.reference(spec.replace)
            call = call.with_changes(func=new_func)
            edit.fix(spec.replace_rule or spec.rule, f"`{api.leaf}` -> `{code(new_func)}`")
        self._report(original, edit)
        return call

    def _convert(self, original: cst.Call, call: cst.Call, spec: LayerSpec, standalone: bool,
                 edit: _Edit) -> cst.Call:  # fmt: skip
        steps = spec.steps
        if standalone and spec.positionals is not None:
            if callargs.has_star_args(call):
                if len(callargs.positionals(call)) > spec.positionals:
                    edit.flag("KM228", "positional arguments before *args: bind them by keyword "
                              "(Keras 1 and tf.keras give them different meanings)")
            else:
                call = self._extra_positionals(call, spec, edit)
                fold = next((_KERNEL_FOLDS[step] for step in steps if step in _KERNEL_FOLDS), None)
                if fold is not None:
                    call = self._fold_kernel(call, fold[0], fold[1], edit)
        for step, preprocess in self.preprocessors:
            if step in steps:
                call = preprocess(self, call, edit)
        return self._renames(original, call, spec, edit)

    def _report(self, original: cst.CSTNode, edit: _Edit) -> None:
        for rule, messages in edit.fixes.items():
            self.ctx.fixed(rule, original, "; ".join(messages))
        for rule, message in edit.flags:
            if self.ctx.allows(rule):
                self.ctx.flag(rule, original, message)

    def _known_keras2(self) -> bool:
        version, assumed = self.ctx.settings.legacy_version
        return not assumed and version[:1] >= (2,)


# -- helpers ---------------------------------------------------------------------------------


def _standalone(api: Api) -> bool:
    """Standalone Keras (which had the Keras 1 shim), not TensorFlow's private copy."""
    return api.name.qualified.partition(".")[0] == "keras"


def _literal(node: cst.BaseExpression) -> object:
    try:
        return callargs.literal(node)
    except ValueError:
        return _NOT_LITERAL


class _NotLiteral:
    def __repr__(self) -> str:
        return "<not a literal>"


_NOT_LITERAL = _NotLiteral()


def _tuple(values: Sequence[cst.BaseExpression]) -> cst.Tuple:
    elements = [
        cst.Element(value=v, comma=_COMMA if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT)
        for i, v in enumerate(values)
    ]
    if len(elements) == 1:
        elements[0] = elements[0].with_changes(comma=cst.Comma())
    return cst.Tuple(elements=elements)


def _close(args: list[cst.Arg]) -> list[cst.Arg]:
    """Arguments moved into a new call: no dangling comma after the last one."""
    if args:
        args = [*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return args


def _quoted(original: cst.SimpleString, text: str) -> str:
    quote = original.quote
    prefix = original.prefix.replace("r", "").replace("R", "")
    return f"{prefix}{quote}{text}{quote}"


def _is_string(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _is_non_int_literal(node: cst.BaseExpression) -> bool:
    value = _literal(node)
    return value is not _NOT_LITERAL and (isinstance(value, bool) or not isinstance(value, int))


def _looks_like_shape(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Tuple, cst.List)):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _looks_like_shape(node.left) or _looks_like_shape(node.right)
    return "shape" in code(node).lower()


def _original_values(original: cst.Call, updated: cst.Call) -> dict[int, cst.BaseExpression]:
    """Original value nodes of ``updated``'s keyword arguments, by identity of the updated Arg."""
    found: dict[int, cst.BaseExpression] = {}
    before = {a.keyword.value: a.value for a in original.args if a.keyword is not None}
    for arg in updated.args:
        if arg.keyword is not None and arg.keyword.value in before:
            found[id(arg)] = before[arg.keyword.value]
    return found
