"""KM609/KM610: Keras 1/2 internals that custom layers and serving code used.

KM609: Keras 1 custom layers assigned ``self.trainable_weights = [...]`` (Keras 3 has no
setter).  KM610: removed Model/optimizer internals (``_make_predict_function()`` warm-ups,
``metrics_tensors``, ``internal_input_shapes``, ``loss_functions``, ``optimizer.get_updates``).
Layer weight attributes (``.W`` -> ``.kernel``) are KM254's; other private names are KM919's,
except the warm-up calls this family deletes (see ``deletes_warmup_call``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.context import FileContext
from kmigrate.names import Api
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.scopes import ScopeStack

RULES = (
    Rule(
        id="KM609",
        name="assigned-trainable-weights",
        summary=(
            "Keras 1 custom layers: `self.trainable_weights = [...]` of weights made by `add_weight` is "
            "dropped."
        ),
        before=(
            "from keras.engine.topology import Layer\n"
            "\n"
            "\n"
            "class Scale(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.gamma = self.add_weight(shape=(input_shape[-1],), initializer='ones', name='gamma')\n"
            "        self.trainable_weights = [self.gamma]\n"
            "\n"
            "    def call(self, x):\n"
            "        return x * self.gamma"
        ),
        after=(
            "from tensorflow.keras.layers import Layer\n"
            "\n"
            "\n"
            "class Scale(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.gamma = self.add_weight(shape=(input_shape[-1],), initializer='ones', name='gamma')\n"
            "\n"
            "    def call(self, x):\n"
            "        return x * self.gamma"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "Keras 3 layers have no trainable_weights setter (AttributeError). add_weight already tracks "
            "each weight, so an assignment listing exactly the class's add_weight weights of that "
            "trainability, in creation order, changes nothing and is dropped. Other lists, += and .append "
            "(which duplicated weights in legacy Keras) are marked."
        ),
        catalog=("B53",),
    ),
    Rule(
        id="KM610",
        name="removed-model-internals",
        summary=(
            "Removed Model/optimizer internals: `_make_predict_function()` warm-ups are dropped; "
            "`metrics_tensors`, `loss_functions`, `get_updates`, `add_metric()` are marked."
        ),
        before=(
            "from keras.models import load_model\n"
            "\n"
            "model = load_model('model.h5')\n"
            "model._make_predict_function()"
        ),
        after=(
            "from tensorflow.keras.models import load_model\n"
            "\n"
            "model = load_model('model.h5')"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "_make_predict_function()/_make_train_function()/_make_test_function() built the backend "
            "function ahead of time (a thread-safety warm-up in Flask apps); Keras 3 builds it on first use, "
            "so the statement is dropped. internal_input_shapes/internal_output_shapes become the shapes of "
            "model.inputs/outputs. The others have no Keras 3 counterpart."
        ),
        catalog=("D19",),
    ),
)

_LAYER_BASES = ("layers.Layer", "engine.Layer", "engine.topology.Layer")


def _is_layer(base: Api) -> bool:
    return base.path in _LAYER_BASES
_WEIGHT_LISTS = {"trainable_weights": True, "non_trainable_weights": False}
_WARMUPS = frozenset({"_make_predict_function", "_make_train_function", "_make_test_function"})
_SHAPE_LISTS = {"internal_input_shapes": "inputs", "internal_output_shapes": "outputs"}
_GONE = {
    "metrics_tensors": "use model.metrics or return_dict=True",
    "loss_functions": "use model.loss",
}


def deletes_warmup_call(ctx: FileContext, attribute: cst.Attribute) -> bool:
    """KM610 deletes the statement ``receiver._make_*_function()`` that ``attribute`` names."""
    if attribute.attr.value not in _WARMUPS or not ctx.allows("KM610"):
        return False
    statement = ctx.current_statement
    if statement is None or not m.matches(statement, m.SimpleStatementLine(body=[m.Expr(value=m.Call(args=()))])):
        return False
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    call = small.value if isinstance(small, cst.Expr) else None  # a Call, as matched
    # Known Keras receivers only: on an unknown one KM919 marks the call instead.
    return isinstance(call, cst.Call) and call.func is attribute and ctx.kind_of(attribute.value).is_keras


class _Weights(cst.CSTVisitor):
    """Per class: attributes assigned ``self.add_weight(...)``, in order, with their trainability."""

    def __init__(self, scopes: ScopeStack) -> None:
        super().__init__()
        self.scopes = scopes  # where the scan is (ctx.scopes)
        self.created: dict[int, list[tuple[str, bool | None]]] = {}  # id(class) -> [(attr, trainable)]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.created[id(node)] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        owner = self.scopes.current_class
        if owner is None or len(node.targets) != 1:
            return
        target, value = node.targets[0].target, node.value
        if isinstance(target, cst.Attribute) and m.matches(target, m.Attribute(value=m.Name("self"))) \
                and isinstance(value, cst.Call) \
                and m.matches(value, m.Call(func=m.Attribute(value=m.Name("self"), attr=m.Name("add_weight")))):
            flag = callargs.keyword(value, "trainable")
            trainable: bool | None = True
            if flag is not None:
                trainable = {"True": True, "False": False}.get(getattr(flag.value, "value", ""), None)
            self.created[id(owner)].append((target.attr.value, trainable))


@dataclass
class Keras1InternalsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)

    _weights: _Weights | None = None
    _blocks: list[int] = field(default_factory=list)  # statement counts of enclosing blocks
    _delete: set[int] = field(default_factory=set)  # id(original statement)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._weights = _Weights(self.ctx.scopes)
        return (self._weights,)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks.append(len(node.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        self._blocks.pop()
        return updated

    # -- KM609 ------------------------------------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        owner = self.ctx.scopes.current_class
        if len(node.body) != 1 or owner is None or self._weights is None or not self.ctx.in_class_deriving(_is_layer):
            return
        small = node.body[0]
        attr, listed, kind = _weight_list_statement(small)
        if attr is None or not self.ctx.allows("KM609"):
            return
        created = self._weights.created.get(id(owner), [])
        wanted = _WEIGHT_LISTS[attr]
        same_kind = [name for name, trainable in created if trainable is wanted]
        unknown = any(trainable is None for _, trainable in created)
        if kind == "assign" and listed is not None and listed == same_kind and same_kind and not unknown:
            self._delete.add(id(node))
            self.ctx.fixed("KM609", node, f"dropped self.{attr} = [...]: add_weight already tracks these weights")
            return
        if kind == "assign":
            message = "create weights with self.add_weight(trainable=...) and drop this list"
        else:
            message = "drop this: add_weight already lists the weight (no setter in Keras 3)"
        self.ctx.flag("KM609", node, message)

    # -- KM610 ------------------------------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = original.attr.value
        if name in _WARMUPS:
            if deletes_warmup_call(self.ctx, original):
                statement = self.ctx.current_statement
                self._delete.add(id(statement))
                self.ctx.fixed("KM610", original, f"dropped {name}(): Keras 3 builds it on first use")
            return updated
        if name not in _GONE and name not in _SHAPE_LISTS or not self.ctx.involves_keras:
            return updated
        if not self.ctx.allows("KM610") or not self.ctx.keras_receiver(original.value, name):
            return updated
        if name in _SHAPE_LISTS and self.ctx.kind_of(original.value).value == "model":
            self.ctx.fixed("KM610", original, f".{name} -> shapes of .{_SHAPE_LISTS[name]}")
            listed = cst.Attribute(value=updated.value, attr=cst.Name(_SHAPE_LISTS[name]))
            return cst.ListComp(
                elt=cst.parse_expression("tensor.shape"),
                for_in=cst.CompFor(target=cst.Name("tensor"), iter=listed),
                lpar=updated.lpar, rpar=updated.rpar,
            )  # fmt: skip
        hint = _GONE.get(name, f"use [t.shape for t in model.{_SHAPE_LISTS.get(name, '')}]")
        self.ctx.flag("KM610", original, f"{name} is gone: {hint}")
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_metric" and self.ctx.involves_keras:
            # Keras 2.3's Layer/Model.add_metric: Keras 3 keeps the name, raising NotImplementedError
            if self.ctx.allows("KM610") and self.ctx.keras_receiver(func.value, "add_metric"):
                self.ctx.flag("KM610", original, "add_metric() is disabled in Keras 3 (NotImplementedError): "
                              "pass the metric to compile(metrics=[...]), or update a keras.metrics.Metric "
                              "created in __init__ from call()",
                              marker="no add_metric() in Keras 3: compile(metrics=...) or a Metric updated in call()")
            return updated
        if not isinstance(func, cst.Attribute) or func.attr.value != "get_updates" or not self.ctx.involves_keras:
            return updated
        receiver = func.value
        if m.matches(receiver, m.Name("self") | m.Call(func=m.Name("super"))):
            return updated  # custom optimizers: KM227/KM311
        if self.ctx.allows("KM610") and self.ctx.keras_receiver(receiver, "get_updates"):
            self.ctx.flag("KM610", original, "use tf.GradientTape and optimizer.apply_gradients (no get_updates)")
        return updated

    # -- deleting statements ------------------------------------------------------------------------
    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
                                  ) -> cst.SimpleStatementLine | cst.RemovalSentinel:  # fmt: skip
        if id(original) not in self._delete:
            return updated
        self._delete.discard(id(original))
        if self._blocks and self._blocks[-1] == 1:
            return updated.with_changes(body=[cst.Pass()])
        return cst.RemovalSentinel.REMOVE


def _weight_list_statement(small: cst.BaseSmallStatement) -> tuple[str | None, list[str] | None, str | None]:
    """(attr, [self attributes listed] or None, "assign"/"extend") for a weight-list statement."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        attr = _self_attr(small.targets[0].target)
        if attr in _WEIGHT_LISTS:
            return attr, _self_attrs(small.value), "assign"
    if isinstance(small, cst.AugAssign):
        attr = _self_attr(small.target)
        if attr in _WEIGHT_LISTS:
            return attr, None, "extend"
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("append", "extend"):
            attr = _self_attr(func.value)
            if attr in _WEIGHT_LISTS:
                return attr, None, "extend"
    return None, None, None


def _self_attr(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute) and m.matches(node, m.Attribute(value=m.Name("self"))):
        return node.attr.value
    return None


def _self_attrs(node: cst.BaseExpression) -> list[str] | None:
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    names = [_self_attr(e.value) for e in node.elements if isinstance(e, cst.Element)]
    found = [n for n in names if n is not None]
    return found if len(found) == len(node.elements) else None


FIXER = Keras1InternalsFixer
