"""The layers family's shared part: rule entries, tables, helpers, and the state and hooks every
concern of the family uses (``LayersBase``: where a layer is constructed, the call dispatch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import LeaveResult, Statement, code, text
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.layers.catalog import RULES
from kmigrate.walk import find_all

_ACTIVITY_HELPER = "LegacyActivityRegularizer"
_BUILTIN_NAMES = frozenset(dir(__import__("builtins")))
# Backend functions whose output has the shape of their first argument.
_SHAPE_PRESERVING_OPS = frozenset({
    "abs", "cast", "clip", "cos", "elu", "exp", "hard_sigmoid", "l2_normalize", "log", "relu",
    "round", "sigmoid", "sign", "sin", "softmax", "softplus", "softsign", "sqrt", "square",
    "stop_gradient", "tanh", "pow", "dropout", "zeros_like", "ones_like",
})  # fmt: skip
_RNN_LAYERS = frozenset({"layers.SimpleRNN", "layers.LSTM", "layers.GRU"})
_CONV1D_LAYERS = frozenset({"layers.Conv1D", "layers.Convolution1D", "layers.SeparableConv1D",
                            "layers.LocallyConnected1D"})  # fmt: skip
_CUDNN = {"layers.CuDNNLSTM": "layers.LSTM", "layers.CuDNNGRU": "layers.GRU"}
_LOCALLY_CONNECTED = frozenset({"layers.LocallyConnected1D", "layers.LocallyConnected2D"})
_PRIVATE_RNN = frozenset({"layers.Recurrent", "layers.ConvRecurrent2D", "layers.ConvRNN2D",
                          "layers.ConvLSTM2DCell"})  # fmt: skip
_NODE_METHODS = {
    "get_output_at": "output",
    "get_input_at": "input",
    "get_output_shape_at": "output.shape",
    "get_input_shape_at": "input.shape",
    "get_output_mask_at": None,
    "get_input_mask_at": None,
}


@dataclass
class _Place:
    kind: str  # "first-add", "later-add", "first-in-list", "later-in-list", "called"
    receiver: cst.BaseExpression | None = None
    statement: cst.CSTNode | None = None
    list_node: cst.CSTNode | None = None


@dataclass
class LayersBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset(_CUDNN)

    _places: dict[int, _Place] = field(default_factory=dict)
    _seen_adds: set[tuple[int, str]] = field(default_factory=set)
    _loops: int = 0  # for/while bodies around the traversal: a statement put there runs repeatedly
    _before: dict[int, list[Statement]] = field(default_factory=dict)
    _list_heads: dict[int, cst.BaseExpression] = field(default_factory=dict)

    _targets: set[int] = field(default_factory=set)
    _activity_helper: bool = False
    _lifted: int = 0

    # -- assignment targets are never rewritten into calls --------------------------------------
    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets.add(id(node.target))
        # `model = Sequential()` again: the next `model.add(...)` is a new model's first layer
        bound = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else (node.target,)
        for target in bound:
            name = target.value if isinstance(target, cst.Element) else target
            self._seen_adds.discard((self.ctx.scopes.function_key, text(name)))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets.add(id(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets.add(id(node.target))

    def visit_Del(self, node: cst.Del) -> None:
        self._targets.add(id(node.target))

    # -- where a layer is constructed ---------------------------------------------------------
    def visit_For(self, node: cst.For) -> None:
        self._loops += 1

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.For:
        self._loops -= 1
        return updated

    def visit_While(self, node: cst.While) -> None:
        self._loops += 1

    def leave_While(self, original: cst.While, updated: cst.While) -> cst.While:
        self._loops -= 1
        return updated

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Call):
            self._places.setdefault(id(node.func), _Place("called"))
            return
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "add"
            and self.ctx.keras_receiver(func.value, "add")
            and len(node.args) == 1
            and node.args[0].keyword is None
            and not node.args[0].star
            and isinstance(node.args[0].value, cst.Call)
        ):
            key = (self.ctx.scopes.function_key, text(func.value))  # `model.add` once per def
            first = key not in self._seen_adds
            self._seen_adds.add(key)
            statement = self.ctx.current_statement
            own_statement = (
                not self._loops  # an Input added inside a loop would be added on every iteration
                and isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Expr)
                and statement.body[0].value is node
            )
            self._places[id(node.args[0].value)] = _Place(
                "first-add" if first else "later-add", func.value, statement if own_statement else None
            )
            return
        if node.args and isinstance(node.args[0].value, (cst.List, cst.Tuple)) and node.args[0].keyword is None:
            api = self.ctx.api(func)
            if api is not None and api.path == "models.Sequential":
                elements = node.args[0].value.elements
                for index, element in enumerate(elements):
                    if isinstance(element.value, cst.Call):
                        kind = "first-in-list" if index == 0 else "later-in-list"
                        self._places[id(element.value)] = _Place(kind, list_node=node.args[0].value)

    # -- calls ------------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        result = self._method_call(original, updated)
        if result is not None:
            return result
        api = self.ctx.api(original.func)
        if api is None:
            return updated
        path = api.path
        if path == "Input" or path == "layers.Input":
            if callargs.keyword(updated, "tensor") is not None and self.ctx.allows("KM401"):
                self.ctx.flag("KM401", original, "Keras 3 Input() cannot wrap an existing tensor: use "
                              "Input(shape=...) and feed the data through fit()/a tf.data.Dataset")
            return updated
        if path == "models.Sequential":
            return self._sequential_list(original, updated)
        if not path.startswith("layers."):
            if path == "activations.relu":
                return self._rename(original, updated, "KM410", "alpha", "negative_slope")
            return updated
        if path in _CUDNN:
            return self._cudnn(original, updated, path)
        if path in _LOCALLY_CONNECTED:
            if self.ctx.allows("KM416"):
                self.ctx.flag("KM416", original, f"{api.leaf} does not exist in Keras 3: copy an "
                              "implementation into the project, or migrate with --target tf_keras")
            return updated
        if path == "layers.ThresholdedReLU":
            return self._thresholded_relu(original, updated)
        if path == "layers.LeakyReLU":
            updated = self._rename(original, updated, "KM410", "alpha", "negative_slope")
        if path == "layers.Lambda":
            return self._lambda_output_shape(original, updated)
        if path in _RNN_LAYERS or path in _CONV1D_LAYERS:
            updated = self._sequence_input(original, updated, path)
        if path in _RNN_LAYERS or path == "layers.RNN":
            updated = self._rnn_args(original, updated)
        if path == "layers.Embedding":
            updated = self._embedding(original, updated)
        if path != "layers.Embedding" and path != "layers.InputLayer":
            updated = self._weights(original, updated)
        if path != "layers.InputLayer":
            updated = self._batch_input(original, updated)
            updated = self._first_layer_input(original, updated)
        if api.legacy:
            updated = self._activity_regularizer(original, updated)
        return updated

    # -- statements inserted before a statement --------------------------------------------------
    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> LeaveResult:
        before = self._before.pop(id(original), None)
        if not before:
            return updated
        first = before[0].with_changes(leading_lines=updated.leading_lines)
        rest = before[1:]
        return cst.FlattenSentinel([first, *rest, updated.with_changes(leading_lines=())])

    # -- provided by the concerns LayersFixer is composed of (declared for the calls above) ------
    def _activity_regularizer(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # arguments.py
    def _rename(self, original: cst.Call, call: cst.Call, rule: str, old: str, new: str) -> cst.Call:
        raise NotImplementedError  # arguments.py
    def _thresholded_relu(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        raise NotImplementedError  # arguments.py
    def _cudnn(self, original: cst.Call, call: cst.Call, path: str) -> cst.BaseExpression:
        raise NotImplementedError  # arguments.py
    def _rnn_args(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # arguments.py
    def _embedding(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # arguments.py
    def _weights(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # arguments.py
    def _sequence_input(self, original: cst.Call, call: cst.Call, path: str) -> cst.Call:
        raise NotImplementedError  # input_shape.py
    def _batch_input(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # input_shape.py
    def _first_layer_input(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # input_shape.py
    def _sequential_list(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # input_shape.py
    def _lambda_output_shape(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # lambdas.py
    def _plain_name_registration(self, name: str) -> str:
        raise NotImplementedError  # lambdas.py
    def _method_call(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression | None:
        raise NotImplementedError  # members.py


def _free_names(function: cst.Lambda) -> set[str]:
    """Names a lambda reads that are not its own parameters (nested lambdas included)."""
    bound = {p.name.value for p in function.params.params}
    for inner in find_all(function.body, cst.Lambda):
        bound |= {p.name.value for p in inner.params.params}
    attributes = {
        id(a.attr) for a in find_all(function.body, cst.Attribute)
    }
    keywords = {id(a.keyword) for a in find_all(function.body, cst.Arg) if a.keyword is not None}
    names = {
        n.value for n in find_all(function.body, cst.Name)
        if id(n) not in attributes and id(n) not in keywords
    }
    return names - bound


def _code_params(params: cst.Parameters) -> str:
    return code(
        cst.FunctionDef(name=cst.Name("f"), params=params, body=cst.SimpleStatementSuite([cst.Pass()]))
    ).split("(", 1)[1].rsplit(")", 1)[0]


def _attribute_chain(value: cst.BaseExpression, dotted: str) -> cst.BaseExpression:
    result = value
    for part in dotted.split("."):
        result = cst.Attribute(value=result, attr=cst.Name(part))
    return result


def _batch_shape(call: cst.Call, batch_size: cst.BaseExpression) -> cst.BaseExpression | None:
    """batch_size plus input_shape/input_dim -> the batch shape, or None when no shape is given."""
    shape = callargs.keyword(call, "input_shape")
    dim = callargs.keyword(call, "input_dim")
    size = code(batch_size)
    if dim is not None:
        return cst.parse_expression(f"({size}, {code(dim.value)})")
    if shape is None:
        return None
    try:
        value = callargs.literal(shape.value)
    except ValueError:
        return cst.parse_expression(f"({size},) + tuple({code(shape.value)})")
    if isinstance(value, (tuple, list)) and isinstance(shape.value, (cst.Tuple, cst.List)):
        inner = ", ".join(code(e.value) for e in shape.value.elements)
        return cst.parse_expression(f"({size}, {inner})")
    return cst.parse_expression(f"({size},) + tuple({code(shape.value)})")
