"""KM401-KM421: layers and model structure, Keras 2 -> Keras 3 (catalog C-L01..C-L21).

The recurrent numerics (C-L11..C-L13) live in ``recurrent.py``.  Here: input specification
arguments that Keras 3 rejects or ignores (``batch_input_shape``, ``input_dim`` on sequence
layers, Embedding ``input_length``), renamed activation arguments, CuDNN layers, removed layer
methods and attributes.  Where the fix needs a statement the code does not show, the line is
marked with the concrete replacement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst
import libcst.matchers as m

from kmigrate import callargs
from kmigrate.kinds import Kind
from kmigrate.rules.base import Fixer, FixSafety, Rule

SAFE, CTX, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

RULES = (
    Rule("KM401", "input-tensor", "`Input(tensor=...)` is gone in Keras 3.",
         "inp = Input(tensor=batch_tensor)",
         "inp = Input(shape=...)  # feed the data through fit(tf.data.Dataset)",
         FLAG, "Keras 3 inputs are symbolic KerasTensors; an existing tensor cannot become one.",
         ("C-L01",), tf_keras=False),
    Rule("KM402", "batch-input-shape", "`batch_input_shape=` / `batch_size=` on a layer become a "
         "leading `Input(batch_shape=...)`.",
         "model.add(LSTM(32, batch_input_shape=(16, 10, 8), stateful=True))",
         "model.add(Input(batch_shape=(16, 10, 8)))\nmodel.add(LSTM(32, stateful=True))",
         CTX, "Keras 3 layers reject batch_input_shape/batch_size. Legacy Keras used them only on "
         "the first layer of a Sequential (elsewhere they were ignored and are dropped); other "
         "places are marked.", ("C-L02",), tf_keras=False),
    Rule("KM403", "first-layer-input-shape", "Opt-in: a Sequential's first layer `input_shape=`/"
         "`input_dim=` becomes an explicit leading `Input(shape=...)`.",
         "model = Sequential()\nmodel.add(Dense(64, input_dim=100))",
         "model = Sequential()\nmodel.add(Input(shape=(100,)))\nmodel.add(Dense(64))",
         SAFE, "Not needed: Keras 3 still honours input_shape/input_dim on a first layer (with a "
         "warning), and Sequential.layers does not list the InputLayer, so layer indexes are the "
         "same either way.", ("C-L03",), opt_in=True),
    Rule("KM404", "embedding-input-length", "Embedding `input_length=` becomes `input_shape=`.",
         "Sequential([Embedding(1000, 64, input_length=10), Flatten(), Dense(1)])",
         "Sequential([Embedding(1000, 64, input_shape=(10,)), Flatten(), Dense(1)])",
         SAFE, "Keras 3 accepts and ignores input_length, leaving the model unbuilt (no weights, "
         "summary() and set_weights() fail). Legacy Embedding set input_shape=(input_length,), "
         "or (None,) without it; called on a tensor the argument is dropped.",
         ("C-L04",), tf_keras=False),
    Rule("KM405", "sequence-input-dim", "`input_dim=`/`input_length=` on RNN and Conv1D layers "
         "become `input_shape=(input_length, input_dim)`.",
         "LSTM(32, input_dim=8)\nConv1D(16, 3, input_dim=8, input_length=20)",
         "LSTM(32, input_shape=(None, 8))\nConv1D(16, 3, input_shape=(20, 8))",
         SAFE, "Keras 3 turns a bare input_dim into input_shape=(input_dim,), the wrong rank for "
         "sequence layers; legacy Keras built (input_length, input_dim).", ("C-L05", "B08", "B12")),
    Rule("KM406", "get-output-at", "`layer.get_output_at(0)` and friends are gone: node 0 is "
         "`layer.output`.",
         "layer.get_output_at(0)\nlayer.get_input_shape_at(0)",
         "layer.output\nlayer.input.shape",
         CTX, "Node 0 is the layer's first call, which .output/.input denote; other nodes of "
         "shared layers have no public API and are marked.", ("C-L06",), tf_keras=False),
    Rule("KM407", "keras-shape", "`tensor._keras_shape` is gone: use `K.int_shape(tensor)`.",
         "n = x._keras_shape[-1]",
         "n = backend.int_shape(x)[-1]",
         SAFE, "int_shape returns the same tuple with None for unknown dimensions.",
         ("C-L07",)),
    Rule("KM408", "weights-ctor-kwarg", "Layers (other than Embedding) reject `weights=` in Keras 3.",
         "Dense(10, weights=[W, b])",
         "Dense(10)  # then, once built: layer.set_weights([W, b])",
         FLAG, "The weights must be set after the layer is built, which needs a statement the "
         "call site does not show.", ("C-L08",), tf_keras=False),
    Rule("KM409", "cudnn-rnn", "`CuDNNLSTM`/`CuDNNGRU` become `LSTM`/`GRU`.",
         "CuDNNLSTM(128, return_sequences=True)",
         "LSTM(128, return_sequences=True)",
         SAFE, "tf.keras LSTM/GRU with their default arguments (tanh, sigmoid gates, GRU "
         "reset_after=True) compute what the CuDNN layers computed and use cuDNN when available. "
         "Saved CuDNN weights (8*units biases) need a conversion (D13).", ("C-L09",)),
    Rule("KM410", "advanced-activations", "`LeakyReLU(alpha=)` and `activations.relu(alpha=)` take "
         "`negative_slope=`.",
         "LeakyReLU(alpha=0.1)\nactivations.relu(x, alpha=0.1)",
         "LeakyReLU(negative_slope=0.1)\nactivations.relu(x, negative_slope=0.1)",
         SAFE, "Renamed parameter, same meaning (activations.relu(alpha=) raises in Keras 3).",
         ("C-L10",), tf_keras=False),
    Rule("KM414", "rnn-dropped-args", "RNN `implementation=` is ignored in Keras 3; `constants` and "
         "`time_major` are gone.",
         "LSTM(32, implementation=2)",
         "LSTM(32)",
         CTX, "Keras 3 silently drops implementation (a performance hint). constants/time_major "
         "change the computation and are marked.", ("C-L14",), tf_keras=False),
    Rule("KM415", "lambda-output-shape", "A `Lambda` built on backend/TF ops needs `output_shape=` "
         "for Keras 3 to reload it.",
         "Lambda(lambda t: K.l2_normalize(t, axis=-1))",
         "Lambda(lambda t: K.l2_normalize(t, axis=-1), output_shape=lambda shape: shape)",
         CTX, "Keras 3 infers a Lambda's output shape by calling the function on symbolic tensors; "
         "backend and TF ops cannot run on them, so the model trains but fails to load from .keras "
         "or .h5 (measured on TF 2.21). Element-wise backend ops keep the input shape, which is "
         "written out; any other backend/TF op in a Lambda without output_shape is marked.",
         ("C-L15", "D22"), tf_keras=False),
    Rule("KM416", "locally-connected", "LocallyConnected1D/2D do not exist in Keras 3.",
         "LocallyConnected2D(16, (3, 3))",
         "# copy a LocallyConnected2D implementation into the project, or use --target tf_keras",
         FLAG, "Removed from Keras 3.", ("C-L16", "D09"), tf_keras=False),
    Rule("KM417", "private-rnn-bases", "The Keras 1/2 `Recurrent` and `ConvRecurrent2D` bases are "
         "gone.",
         "class MyRNN(Recurrent): ...",
         "class MyCell(Layer): ...  # and tf.keras.layers.RNN(MyCell(...))",
         FLAG, "Custom recurrent layers must be rewritten as RNN cells.", ("C-L17",)),
    Rule("KM418", "updates-api", "`add_update`, `state_updates` are gone in Keras 3.",
         "self.add_update([(self.moving_mean, new_mean)], inputs)",
         "self.moving_mean.assign(new_mean)  # inside call(), guarded by `training`",
         FLAG, "Keras 3 has no update collections.", ("C-L18",), tf_keras=False),
    Rule("KM419", "add-loss-inputs", "`add_loss(..., inputs=...)` loses its `inputs=` argument.",
         "self.add_loss(reg, inputs=x)",
         "self.add_loss(reg)",
         SAFE, "inputs= only said which call the loss was conditional on; Keras 3 raises on it.",
         ("C-L19",), tf_keras=False),
    Rule("KM421", "custom-layer-contract", "Custom layers that Keras 3 cannot track or reload: "
         "bare `tf.Variable` state, or constructor arguments without `get_config`.",
         "class Scale(Layer):\n    def __init__(self, factor, **kwargs):\n        ...\n"
         "    def build(self, shape):\n        self.w = tf.Variable(tf.ones(shape[-1:]))",
         "class Scale(Layer):\n    ...\n    def build(self, shape):\n"
         "        self.w = self.add_weight(shape=shape[-1:], initializer='ones')\n"
         "    def get_config(self):\n        return {**super().get_config(), 'factor': self.factor}",
         FLAG, "Keras 3 does not track tf.Variable attributes (they are neither trained nor saved), "
         "and rebuilds a layer from get_config() when loading: extra constructor arguments without "
         "it make .keras/.h5 files unloadable.", ("C-L21", "D07")),
    Rule("KM422", "activity-regularizer-batch-sum", "Legacy activity penalties were summed over the "
         "batch; tf.keras divides them by the batch size.",
         "Dense(6, activity_regularizer=l2(0.001))",
         "Dense(6, activity_regularizer=LegacyActivityRegularizer(l2(0.001)))",
         SAFE, "tf.keras 2.x and Keras 3 add activity_regularizer(output) / batch_size to the loss; "
         "multi-backend Keras added it undivided. The injected, registered regularizer multiplies by "
         "the (dynamic) batch size, so the loss is the legacy one for every batch, including a "
         "smaller last batch, and the model still saves and loads.", ("B41",)),
    Rule("KM420", "removed-model-attrs", "`model.uses_learning_phase` is gone.",
         "if model.uses_learning_phase: ...",
         "# Keras 3 passes `training` to call(); decide the branch by hand",
         FLAG, "AttributeError in tf.keras 2.x and Keras 3.", ("C-L20",)),
)

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
class LayerFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset(_CUDNN)

    _places: dict[int, _Place] = field(default_factory=dict)
    _seen_adds: set[tuple[int, str]] = field(default_factory=set)
    _scopes: list[int] = field(default_factory=lambda: [0])
    _loops: int = 0  # for/while bodies around the traversal: a statement put there runs repeatedly
    _before: dict[int, list[cst.SimpleStatementLine]] = field(default_factory=dict)
    _list_heads: dict[int, cst.BaseExpression] = field(default_factory=dict)

    _targets: set[int] = field(default_factory=set)
    _activity_helper: bool = False
    _lifted: int = 0

    # -- assignment targets are never rewritten into calls --------------------------------------
    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets.add(id(node.target))

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

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(id(node))

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self._scopes.pop()
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
            key = (self._scopes[-1], _code(func.value))
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

    def _lambda_output_shape(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """Make a Lambda built from a Python lambda reloadable in Keras 3.

        Keras 3 rebuilds a saved Python lambda without its module's globals (``K``, ``tf``
        raise NameError after loading) and infers a Lambda's output shape by calling it on
        symbolic tensors, which backend/TF ops cannot take.  A lambda that uses only
        module-level imports is lifted into a registered top-level function, and an
        element-wise backend op gets ``output_shape``; what cannot be decided is marked.
        """
        positional = callargs.positionals(call)
        has_shape = callargs.keyword(call, "output_shape") is not None or len(positional) >= 2
        function_arg = positional[0] if positional else callargs.keyword(call, "function")
        function = getattr(function_arg, "value", None)
        if not isinstance(function, cst.Lambda) or not self.ctx.allows("KM415"):
            return call
        free = _free_names(function)
        globals_used = free - _BUILTIN_NAMES
        uses_backend = any(
            self._is_backend_or_tf(node.func)  # type: ignore[attr-defined]
            for node in m.findall(function.body, m.Call())
        )
        if not globals_used and not uses_backend:
            return call  # plain arithmetic on the argument: Keras 3 handles it
        liftable = (
            all(self._top_level_import(name) for name in globals_used)
            and not isinstance(function.params.star_arg, (cst.Param, cst.ParamStar))
            and function.params.star_kwarg is None
            and not function.params.kwonly_params
            and all(p.default is None for p in function.params.params)
        )
        if not liftable:
            self.ctx.flag("KM415", original, "Keras 3 reloads a Python lambda without the names it "
                          "uses from its module: define a named function decorated with "
                          "@tf.keras.utils.register_keras_serializable() and pass it (plus output_shape=)",
                          marker="pass a named function registered with register_keras_serializable")
            return call
        name = self._lift_lambda(function)
        new_call = callargs.replace_value(call, function_arg.keyword.value, cst.Name(name)) if (
            function_arg.keyword is not None
        ) else call.with_changes(
            args=[arg.with_changes(value=cst.Name(name)) if arg is function_arg else arg for arg in call.args]
        )
        message = f"the lambda became the registered function `{name}` so that Keras 3 can reload it"
        if not has_shape and uses_backend:
            if not self._elementwise(function):
                self.ctx.fixed("KM415", original, message)
                self.ctx.flag("KM415", original, "Keras 3 cannot infer this Lambda's output shape when "
                              "the model is loaded: add output_shape=(...) (without the batch dimension)")
                return new_call
            new_call = callargs.add_keyword(new_call, "output_shape", cst.parse_expression("lambda shape: shape"))
            message += ", with output_shape (the element-wise op keeps the input shape)"
        self.ctx.fixed("KM415", original, message)
        return new_call

    def _elementwise(self, function: cst.Lambda) -> bool:
        params = function.params.params
        body = function.body
        if len(params) != 1 or not isinstance(body, cst.Call) or not body.args:
            return False
        api = self.ctx.api(body.func)
        return (
            m.matches(body.args[0].value, m.Name(params[0].name.value))
            and api is not None
            and api.path.startswith("backend.")
            and api.leaf in _SHAPE_PRESERVING_OPS
        )

    def _top_level_import(self, name: str) -> bool:
        return self.ctx.resolver.only_imported_at_top_level(name)

    def _lift_lambda(self, function: cst.Lambda) -> str:
        self._lifted += 1
        name = f"kmigrate_lambda_{self._lifted}"
        while self.ctx.resolver.is_bound(name):
            self._lifted += 1
            name = f"kmigrate_lambda_{self._lifted}"
        register = _code(self.ctx.imports.reference("utils.register_keras_serializable"))
        params = _code_params(function.params)
        body = cst.Module(body=[]).code_for_node(function.body)
        self.ctx.imports.add_definition(
            name,
            f'@{register}(package="kmigrate")\n'
            f"def {name}({params}):\n"
            f"    return {body}\n",
        )
        return name

    def _is_backend_or_tf(self, func: cst.BaseExpression) -> bool:
        api = self.ctx.api(func)
        if api is not None:
            return api.path.startswith("backend.")
        qualified = self.ctx.resolver.qualified_name(func)
        return qualified is not None and qualified.startswith("tensorflow.")

    def _activity_regularizer(self, original: cst.Call, call: cst.Call) -> cst.Call:
        arg = callargs.keyword(call, "activity_regularizer")
        if arg is None or m.matches(arg.value, m.Name("None")) or not self.ctx.allows("KM422"):
            return call
        if m.matches(arg.value, m.Call(func=m.Name(_ACTIVITY_HELPER))):
            return call
        self._activity_helper = True
        self.ctx.fixed("KM422", original, "activity_regularizer wrapped so that its penalty is summed "
                       "over the batch as in legacy Keras (tf.keras divides it by the batch size)")
        wrapped = cst.Call(func=cst.Name(_ACTIVITY_HELPER), args=[cst.Arg(arg.value)])
        return callargs.replace_value(call, "activity_regularizer", wrapped)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._activity_helper:
            return updated
        register = _code(self.ctx.imports.reference("utils.register_keras_serializable"))
        regularizers = _code(self.ctx.imports.reference("regularizers"))
        backend = _code(self.ctx.imports.reference("backend"))
        self.ctx.imports.add_definition(
            _ACTIVITY_HELPER,
            f'@{register}(package="kmigrate")\n'
            f"class {_ACTIVITY_HELPER}({regularizers}.Regularizer):\n"
            '    """An activity penalty summed over the batch, as multi-backend Keras added it (kmigrate KM422)."""\n'
            "\n"
            "    def __init__(self, regularizer):\n"
            f"        self.regularizer = {regularizers}.get(regularizer)\n"
            "\n"
            "    def __call__(self, x):\n"
            f"        return self.regularizer(x) * {backend}.cast({backend}.shape(x)[0], {backend}.dtype(x))\n"
            "\n"
            "    def get_config(self):\n"
            f'        return {{"regularizer": {regularizers}.serialize(self.regularizer)}}\n'
            + self._plain_name_registration(_ACTIVITY_HELPER),
        )
        return updated

    def _plain_name_registration(self, name: str) -> str:
        """tf_keras's .h5 loader looks custom objects up by class name, not registered name."""
        if self.ctx.target != "tf_keras":
            return ""
        custom_objects = _code(self.ctx.imports.reference("utils.get_custom_objects"))
        return f"\n\n{custom_objects}()[{name!r}] = {name}  # for tf_keras's .h5 loader\n"

    def _rename(self, original: cst.Call, call: cst.Call, rule: str, old: str, new: str) -> cst.Call:
        if callargs.keyword(call, old) is None or callargs.keyword(call, new) is not None:
            return call
        if not self.ctx.allows(rule):
            return call
        self.ctx.fixed(rule, original, f"{old}= -> {new}=")
        return callargs.rename_keyword(call, old, new)

    def _thresholded_relu(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        """ThresholdedReLU(theta) -> ReLU(threshold=theta): a built-in that saves and loads."""
        if self.ctx.target == "tf_keras" or not self.ctx.allows("KM410") or any(a.star for a in call.args):
            return call
        call = callargs.bind_positionals(call, ("theta",))
        if callargs.keyword(call, "theta") is None:
            call = callargs.add_keyword(call, "theta", cst.Float("1.0"))
        call = callargs.rename_keyword(call, "theta", "threshold")
        self.ctx.fixed("KM410", original, "ThresholdedReLU(theta=t) -> ReLU(threshold=t) (identical except "
                       "at x == t exactly; Keras 3 cannot reload ThresholdedReLU from a saved file)")
        return call.with_changes(func=self.ctx.imports.reference("layers.ReLU"))

    def _cudnn(self, original: cst.Call, call: cst.Call, path: str) -> cst.BaseExpression:
        if not self.ctx.allows("KM409"):
            return call
        new = self.ctx.imports.reference(_CUDNN[path])
        self.ctx.fixed("KM409", original, f"{path.rpartition('.')[2]} -> {_CUDNN[path].rpartition('.')[2]} "
                       "(same computation; cuDNN is used automatically when available)")
        return call.with_changes(func=new)

    def _sequence_input(self, original: cst.Call, call: cst.Call, path: str) -> cst.Call:
        """C-L05: input_dim (+ input_length) -> input_shape=(input_length, input_dim)."""
        dim = callargs.keyword(call, "input_dim")
        if dim is None:
            return call
        if self.ctx.target == "tf_keras" and path in _RNN_LAYERS:
            return call  # tf_keras RNNs keep the mapping
        if not self.ctx.allows("KM405"):
            return call
        if callargs.keyword(call, "input_shape") is not None:
            call = callargs.remove_keyword(callargs.remove_keyword(call, "input_dim"), "input_length")
            self.ctx.fixed("KM405", original, "dropped input_dim/input_length (input_shape is given)")
            return call
        length = callargs.keyword(call, "input_length")
        length_code = _code(length.value) if length is not None else "None"
        shape = cst.parse_expression(f"({length_code}, {_code(dim.value)})")
        call = callargs.replace_value(call, "input_dim", shape)
        call = callargs.rename_keyword(call, "input_dim", "input_shape")
        if length is not None:
            call = callargs.remove_keyword(call, "input_length")
        self.ctx.fixed("KM405", original, f"input_dim/input_length -> input_shape={_code(shape)}")
        return call

    def _rnn_args(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L14: implementation= dropped; time_major= marked."""
        if callargs.keyword(call, "implementation") is not None and self.ctx.allows("KM414"):
            call = callargs.remove_keyword(call, "implementation")
            self.ctx.fixed("KM414", original, "dropped implementation= (Keras 3 ignores it)")
        if callargs.keyword(call, "time_major") is not None and self.ctx.allows("KM414"):
            self.ctx.flag("KM414", original, "Keras 3 RNNs have no time_major: drop it and transpose "
                          "the input to (batch, time, features) with tf.transpose(x, [1, 0, 2])")
        return call

    def _embedding(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L04: input_length -> input_shape=(input_length,) where it builds the model."""
        length = callargs.keyword(call, "input_length")
        place = self._places.get(id(original))
        if not self.ctx.allows("KM404"):
            return call
        has_shape = any(callargs.keyword(call, k) is not None for k in ("input_shape", "batch_input_shape", "batch_size"))
        if length is None:
            if place is not None and place.kind in ("first-add", "first-in-list") and not has_shape \
                    and not callargs.has_star_args(call) and not any(a.star for a in call.args):
                call = callargs.add_keyword(call, "input_shape", cst.parse_expression("(None,)"))
                self.ctx.fixed("KM404", original, "input_shape=(None,): the input legacy Embedding "
                               "declared, so that the model is built as before")
            return call
        if has_shape or (place is not None and place.kind == "called"):
            self.ctx.fixed("KM404", original, "dropped input_length= (Keras 3 ignores it)")
            return callargs.remove_keyword(call, "input_length")
        shape = cst.parse_expression(f"({_code(length.value)},)")
        call = callargs.replace_value(call, "input_length", shape)
        call = callargs.rename_keyword(call, "input_length", "input_shape")
        self.ctx.fixed("KM404", original, f"input_length= -> input_shape={_code(shape)}")
        return call

    def _weights(self, original: cst.Call, call: cst.Call) -> cst.Call:
        weights = callargs.keyword(call, "weights")
        if weights is None or not self.ctx.allows("KM408"):
            return call
        self.ctx.flag("KM408", original, f"Keras 3 layers reject weights=: remove it and call "
                      f"layer.set_weights({_code(weights.value)}) once the layer is built "
                      "(e.g. after model construction: model.layers[i].set_weights(...))")
        return call

    def _batch_input(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L02: batch_input_shape / batch_size on a layer."""
        batch_shape_arg = callargs.keyword(call, "batch_input_shape")
        batch_size_arg = callargs.keyword(call, "batch_size")
        if batch_shape_arg is None and batch_size_arg is None:
            return call
        if not self.ctx.allows("KM402"):
            return call
        place = self._places.get(id(original))
        if batch_shape_arg is not None:
            shape = batch_shape_arg.value
        else:
            shape = _batch_shape(call, batch_size_arg.value)  # type: ignore[union-attr]
        stripped = call
        for name in ("batch_input_shape", "batch_size"):
            stripped = callargs.remove_keyword(stripped, name)
        if batch_shape_arg is None:
            for name in ("input_shape", "input_dim"):
                stripped = callargs.remove_keyword(stripped, name)
        if place is not None and place.kind in ("later-add", "later-in-list", "called"):
            self.ctx.fixed("KM402", original, "dropped batch_input_shape/batch_size (legacy Keras "
                           "ignored them on a layer that is not the model's first)")
            return stripped
        if shape is None:
            self._flag_batch(original, "batch_size=")
            return call
        dtype = callargs.keyword(call, "dtype")
        input_call = f"{_code(self.ctx.imports.reference('layers.Input'))}(batch_shape={_code(shape)}"
        input_call += f", dtype={_code(dtype.value)})" if dtype is not None else ")"
        if place is not None and place.kind == "first-add" and place.statement is not None:
            statement = cst.parse_statement(f"{_code(place.receiver)}.add({input_call})")  # type: ignore[arg-type]
            self._before.setdefault(id(place.statement), []).append(statement)  # type: ignore[arg-type]
            self.ctx.fixed("KM402", original, f"batch_input_shape -> a leading {input_call}")
            return stripped
        if place is not None and place.kind == "first-in-list" and place.list_node is not None:
            self._list_heads[id(place.list_node)] = cst.parse_expression(input_call)
            self.ctx.fixed("KM402", original, f"batch_input_shape -> a leading {input_call}")
            return stripped
        self._flag_batch(original, f"Input(batch_shape={_code(shape)})")
        return call

    def _first_layer_input(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L03 (opt-in): the Keras 3 spelling of a Sequential's input specification."""
        place = self._places.get(id(original))
        if place is None or place.kind not in ("first-add", "first-in-list"):
            return call
        shape_arg, dim_arg = callargs.keyword(call, "input_shape"), callargs.keyword(call, "input_dim")
        if (shape_arg is None) == (dim_arg is None) or callargs.keyword(call, "batch_input_shape") is not None:
            return call  # nothing to move, or both given (ambiguous), or KM402's case
        if not self.ctx.allows("KM403"):
            return call
        shape = _code(shape_arg.value) if shape_arg is not None else f"({_code(dim_arg.value)},)"  # type: ignore[union-attr]
        input_call = f"{_code(self.ctx.imports.reference('layers.Input'))}(shape={shape})"
        stripped = callargs.remove_keyword(callargs.remove_keyword(call, "input_shape"), "input_dim")
        if place.kind == "first-add" and place.statement is not None:
            statement = cst.parse_statement(f"{_code(place.receiver)}.add({input_call})")  # type: ignore[arg-type]
            self._before.setdefault(id(place.statement), []).append(statement)  # type: ignore[arg-type]
        elif place.kind == "first-in-list" and place.list_node is not None:
            self._list_heads[id(place.list_node)] = cst.parse_expression(input_call)
        else:
            return call
        self.ctx.fixed("KM403", original, f"the input specification -> a leading {input_call}")
        return stripped

    def _flag_batch(self, original: cst.Call, what: str) -> None:
        self.ctx.flag("KM402", original, "Keras 3 layers reject batch_input_shape/batch_size: start "
                      f"the model with {what} (Sequential: model.add(Input(batch_shape=...)) first; "
                      "functional: Input(batch_shape=...)) and drop the argument")

    def _sequential_list(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if not original.args:
            return call
        head = self._list_heads.pop(id(original.args[0].value), None)
        if head is None:
            return call
        container = call.args[0].value
        elements = list(container.elements)  # type: ignore[attr-defined]
        first = elements[0]
        comma = first.comma if isinstance(first.comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        elements.insert(0, cst.Element(value=head, comma=comma))
        args = list(call.args)
        args[0] = args[0].with_changes(value=container.with_changes(elements=elements))  # type: ignore[attr-defined]
        return call.with_changes(args=args)

    # -- methods on layers/models: get_output_at, add_update, add_loss(inputs=) ------------
    def _method_call(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression | None:
        func = call.func
        if not isinstance(func, cst.Attribute) or not self.ctx.involves_keras:
            return None
        name = func.attr.value
        if not self.ctx.keras_receiver(original.func.value, name):  # type: ignore[attr-defined]
            return None
        if name in _NODE_METHODS:
            if not self.ctx.allows("KM406"):
                return call
            replacement = _NODE_METHODS[name]
            index = call.args[0].value if len(call.args) == 1 and call.args[0].keyword is None else None
            if replacement is not None and isinstance(index, cst.Integer) and index.evaluated_value == 0:
                self.ctx.fixed("KM406", original, f"{name}(0) -> .{replacement}")
                return _attribute_chain(func.value, replacement)
            self.ctx.flag("KM406", original, f"{name}() is gone in Keras 3: node 0 is layer.output/"
                          "layer.input; other nodes of a shared layer have no public API (keep the "
                          "tensors returned by each call instead)")
            return call
        if name == "reset_states" and not call.args and self.ctx.target != "tf_keras":
            if not self.ctx.allows("KM420"):
                return call
            if self.ctx.kind_of(original.func.value) is not Kind.MODEL:  # type: ignore[attr-defined]
                if self.ctx.kind_of(original.func.value) is Kind.UNKNOWN:  # type: ignore[attr-defined]
                    self.ctx.flag("KM420", original, "if this is a model, reset each stateful layer "
                                  "(Keras 3 models have no reset_states)")
                return call
            receiver = _code(func.value)
            self.ctx.fixed("KM420", original, "Model.reset_states() is gone in Keras 3: reset each "
                           "stateful layer, as Keras 2 did")
            return cst.parse_expression(
                f'[layer.reset_states() for layer in {receiver}.layers if getattr(layer, "stateful", False)]'
            ).with_changes(lpar=call.lpar, rpar=call.rpar)
        if name == "add_update":
            if self.ctx.allows("KM418"):
                self.ctx.flag("KM418", original, "Keras 3 has no add_update: assign inside call(), "
                              "e.g. self.var.assign(new_value), guarded by the `training` argument",
                              marker="assign in call() instead: self.var.assign(value), guarded by `training`")
            return call
        if name == "add_loss" and callargs.keyword(call, "inputs") is not None:
            if self.ctx.allows("KM419"):
                self.ctx.fixed("KM419", original, "dropped add_loss(inputs=) (removed in Keras 3)")
                return callargs.remove_keyword(call, "inputs")
            return call
        return None

    # -- attributes: _keras_shape, uses_learning_phase, state_updates ------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = original.attr.value
        if name not in ("_keras_shape", "uses_learning_phase", "state_updates", "inbound_nodes", "outbound_nodes"):
            return updated
        if not self.ctx.involves_keras or not self.ctx.keras_receiver(original.value, name):
            return updated
        if name == "_keras_shape":
            if not self.ctx.allows("KM407") or id(original) in self._targets:
                return updated
            int_shape = self.ctx.imports.reference("backend.int_shape")
            self.ctx.fixed("KM407", original, "._keras_shape -> backend.int_shape(...)")
            return cst.Call(func=int_shape, args=[cst.Arg(updated.value)], lpar=updated.lpar, rpar=updated.rpar)
        if name == "uses_learning_phase":
            if self.ctx.allows("KM420"):
                self.ctx.flag("KM420", original, "uses_learning_phase is gone: layers receive a "
                              "`training` argument in call(); decide this branch by hand")
            return updated
        if name == "state_updates":
            if self.ctx.allows("KM418"):
                self.ctx.flag("KM418", original, "state_updates is gone in Keras 3: reset or read "
                              "the state variables directly (layer.states / layer.reset_states())")
            return updated
        if self.ctx.allows("KM406"):
            self.ctx.flag("KM406", original, f"{name} is not public in Keras 3: keep the tensors "
                          "returned by each layer call instead of walking the graph")
        return updated

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        """C-L21: what a Keras 3 Layer subclass must do that Keras 2 let slide."""
        if not self._is_layer_subclass(original) or not isinstance(original.body, cst.IndentedBlock):
            return updated
        methods = {s.name.value: s for s in original.body.body if isinstance(s, cst.FunctionDef)}
        for assign in m.findall(original.body, m.Assign(targets=[m.AssignTarget(m.Attribute(value=m.Name("self")))])):
            value = assign.value  # type: ignore[attr-defined]
            if isinstance(value, cst.Call) and self.ctx.resolver.qualified_name(value.func) == "tensorflow.Variable":
                if self.ctx.allows("KM421"):
                    self.ctx.flag("KM421", value, "Keras 3 does not track a bare tf.Variable on a layer (not "
                                  "trained, not saved): create it with self.add_weight(shape=..., initializer=...)",
                                  marker="create it with self.add_weight(shape=..., initializer=...)")
        init = methods.get("__init__")
        if init is not None and "get_config" not in methods:
            params = init.params
            extra = [p.name.value for p in params.params[1:] if p.name.value not in ("name", "trainable", "dtype")]
            extra += [p.name.value for p in params.kwonly_params]
            if extra and self.ctx.allows("KM421"):
                listed = ", ".join(f"'{p}': self.{p}" for p in extra[:4])
                self.ctx.flag("KM421", init, f"Keras 3 rebuilds layers from get_config() when loading: add "
                              f"`def get_config(self): return {{**super().get_config(), {listed}}}`",
                              marker=f"add get_config() returning {listed}" if len(listed) < 50 else "add get_config() returning the constructor arguments")
        return updated

    def _is_layer_subclass(self, node: cst.ClassDef) -> bool:
        for base in node.bases:
            api = self.ctx.api(base.value)
            if api is not None and api.path in ("layers.Layer", "Layer"):
                return True
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            api = self.ctx.api(base.value)
            if api is not None and api.path in _PRIVATE_RNN and self.ctx.allows("KM417"):
                self.ctx.flag("KM417", base.value, f"{api.leaf} is gone: rewrite this as an RNN cell "
                              "(a Layer with state_size and call(inputs, states)) wrapped in "
                              "tf.keras.layers.RNN, or use ConvLSTM2D/LSTM directly")

    # -- statements inserted before a statement --------------------------------------------------
    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ):  # type: ignore[no-untyped-def]
        before = self._before.pop(id(original), None)
        if not before:
            return updated
        first = before[0].with_changes(leading_lines=updated.leading_lines)
        rest = before[1:]
        return cst.FlattenSentinel([first, *rest, updated.with_changes(leading_lines=())])


def _free_names(function: cst.Lambda) -> set[str]:
    """Names a lambda reads that are not its own parameters (nested lambdas included)."""
    bound = {p.name.value for p in function.params.params}
    for inner in m.findall(function.body, m.Lambda()):
        bound |= {p.name.value for p in inner.params.params}  # type: ignore[attr-defined]
    attributes = {
        id(a.attr) for a in m.findall(function.body, m.Attribute())  # type: ignore[attr-defined]
    }
    keywords = {id(a.keyword) for a in m.findall(function.body, m.Arg()) if a.keyword is not None}  # type: ignore[attr-defined]
    names = {
        n.value for n in m.findall(function.body, m.Name())  # type: ignore[attr-defined]
        if id(n) not in attributes and id(n) not in keywords
    }
    return names - bound


def _code_params(params: cst.Parameters) -> str:
    return cst.Module(body=[]).code_for_node(
        cst.FunctionDef(name=cst.Name("f"), params=params, body=cst.SimpleStatementSuite([cst.Pass()]))
    ).split("(", 1)[1].rsplit(")", 1)[0]


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _attribute_chain(value: cst.BaseExpression, dotted: str) -> cst.BaseExpression:
    result = value
    for part in dotted.split("."):
        result = cst.Attribute(value=result, attr=cst.Name(part))
    return result


def _batch_shape(call: cst.Call, batch_size: cst.BaseExpression) -> cst.BaseExpression | None:
    """batch_size plus input_shape/input_dim -> the batch shape, or None when no shape is given."""
    shape = callargs.keyword(call, "input_shape")
    dim = callargs.keyword(call, "input_dim")
    size = _code(batch_size)
    if dim is not None:
        return cst.parse_expression(f"({size}, {_code(dim.value)})")
    if shape is None:
        return None
    try:
        value = callargs.literal(shape.value)
    except ValueError:
        return cst.parse_expression(f"({size},) + tuple({_code(shape.value)})")
    if isinstance(value, (tuple, list)):
        inner = ", ".join(_code(e.value) for e in shape.value.elements)  # type: ignore[attr-defined]
        return cst.parse_expression(f"({size}, {inner})")
    return cst.parse_expression(f"({size},) + tuple({_code(shape.value)})")


FIXER = LayerFixer
