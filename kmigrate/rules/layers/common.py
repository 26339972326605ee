"""The layers family's shared part: rule entries, tables, helpers, and the state and hooks every
concern of the family uses (``LayersBase``: where a layer is constructed, the call dispatch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst
import libcst.matchers as m

from kmigrate import callargs
from kmigrate.nodes import LeaveResult, Statement, code, find_all
from kmigrate.rules.base import Fixer, FixSafety, Rule

SAFE, CTX, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

RULES = (
    Rule(
        id="KM401",
        name="input-tensor",
        summary="`Input(tensor=...)` is gone in Keras 3.",
        before=(
            "import tensorflow as tf\n"
            "from keras.layers import Input, Dense\n"
            "from keras.models import Model\n"
            "\n"
            "batch = tf.zeros((32, 4))\n"
            "inputs = Input(tensor=batch)\n"
            "model = Model(inputs, Dense(1)(inputs))"
        ),
        after="inp = Input(shape=...)  # feed the data through fit(tf.data.Dataset)",
        safety=FLAG,
        safety_note="Keras 3 inputs are symbolic KerasTensors; an existing tensor cannot become one.",
        catalog=("C-L01",),
        tf_keras=False,
    ),
    Rule(
        id="KM402",
        name="batch-input-shape",
        summary="`batch_input_shape=` / `batch_size=` on a layer become a leading `Input(batch_shape=...)`.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import LSTM, Dense\n"
            "\n"
            "model = Sequential()\n"
            "model.add(LSTM(32, batch_input_shape=(16, 10, 8), stateful=True))\n"
            "model.add(Dense(1))"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import LSTM, Dense, Input\n"
            "\n"
            "model = Sequential()\n"
            "model.add(Input(batch_shape=(16, 10, 8)))\n"
            "model.add(LSTM(32, stateful=True))\n"
            "model.add(Dense(1))"
        ),
        safety=CTX,
        safety_note=(
            "Keras 3 layers reject batch_input_shape/batch_size. Legacy Keras used them only on the first "
            "layer of a Sequential (elsewhere they were ignored and are dropped); other places are marked."
        ),
        catalog=("C-L02",),
        tf_keras=False,
    ),
    Rule(
        id="KM403",
        name="first-layer-input-shape",
        summary=(
            "Opt-in: a Sequential's first layer `input_shape=`/`input_dim=` becomes an explicit leading "
            "`Input(shape=...)`."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential()\n"
            "model.add(Dense(64, input_dim=100))\n"
            "model.add(Dense(1))"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense, Input\n"
            "\n"
            "model = Sequential()\n"
            "model.add(Input(shape=(100,)))\n"
            "model.add(Dense(64))\n"
            "model.add(Dense(1))"
        ),
        safety=SAFE,
        safety_note=(
            "Not needed: Keras 3 still honours input_shape/input_dim on a first layer (with a warning), and "
            "Sequential.layers does not list the InputLayer, so layer indexes are the same either way."
        ),
        catalog=("C-L03",),
        opt_in=True,
    ),
    Rule(
        id="KM404",
        name="embedding-input-length",
        summary="Embedding `input_length=` becomes `input_shape=`.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Embedding, Flatten, Dense\n"
            "\n"
            "model = Sequential([Embedding(1000, 64, input_length=10), Flatten(), Dense(1)])"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Embedding, Flatten, Dense\n"
            "\n"
            "model = Sequential([Embedding(1000, 64, input_shape=(10,)), Flatten(), Dense(1)])"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 accepts and ignores input_length, leaving the model unbuilt (no weights, summary() and "
            "set_weights() fail). Legacy Embedding set input_shape=(input_length,), or (None,) without it; "
            "called on a tensor the argument is dropped."
        ),
        catalog=("C-L04",),
        tf_keras=False,
    ),
    Rule(
        id="KM405",
        name="sequence-input-dim",
        summary=(
            "`input_dim=`/`input_length=` on RNN and Conv1D layers become `input_shape=(input_length, "
            "input_dim)`."
        ),
        before=(
            "from keras.layers import LSTM, Conv1D\n"
            "\n"
            "lstm = LSTM(32, input_dim=8)\n"
            "conv = Conv1D(16, 3, input_dim=8, input_length=20)"
        ),
        after=(
            "from tensorflow.keras.layers import LSTM, Conv1D\n"
            "\n"
            "lstm = LSTM(32, input_shape=(None, 8))\n"
            "conv = Conv1D(16, 3, input_shape=(20, 8))"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 turns a bare input_dim into input_shape=(input_dim,), the wrong rank for sequence "
            "layers; legacy Keras built (input_length, input_dim)."
        ),
        catalog=("C-L05", "B08", "B12"),
    ),
    Rule(
        id="KM406",
        name="get-output-at",
        summary="`layer.get_output_at(0)` and friends are gone: node 0 is `layer.output`.",
        before=(
            "from keras.layers import Input, Dense\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "hidden = Dense(3)\n"
            "y = hidden(x)\n"
            "output = hidden.get_output_at(0)\n"
            "shape = hidden.get_input_shape_at(0)"
        ),
        after=(
            "from tensorflow.keras.layers import Input, Dense\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "hidden = Dense(3)\n"
            "y = hidden(x)\n"
            "output = hidden.output\n"
            "shape = hidden.input.shape"
        ),
        safety=CTX,
        safety_note=(
            "Node 0 is the layer's first call, which .output/.input denote; other nodes of shared layers "
            "have no public API and are marked."
        ),
        catalog=("C-L06",),
        tf_keras=False,
    ),
    Rule(
        id="KM407",
        name="keras-shape",
        summary="`tensor._keras_shape` is gone: use `K.int_shape(tensor)`.",
        before=(
            "from keras.layers import Input, Dense\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "units = x._keras_shape[-1]\n"
            "y = Dense(units)(x)"
        ),
        after=(
            "from tensorflow.keras.layers import Input, Dense\n"
            "from tensorflow.keras.backend import int_shape\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "units = int_shape(x)[-1]\n"
            "y = Dense(units)(x)"
        ),
        safety=SAFE,
        safety_note="int_shape returns the same tuple with None for unknown dimensions.",
        catalog=("C-L07",),
    ),
    Rule(
        id="KM408",
        name="weights-ctor-kwarg",
        summary="Layers (other than Embedding) reject `weights=` in Keras 3.",
        before=(
            "import numpy as np\n"
            "from keras.layers import Dense\n"
            "\n"
            "kernel, bias = np.ones((4, 10)), np.zeros(10)\n"
            "layer = Dense(10, weights=[kernel, bias])"
        ),
        after="Dense(10)  # then, once built: layer.set_weights([W, b])",
        safety=FLAG,
        safety_note=(
            "The weights must be set after the layer is built, which needs a statement the call site does "
            "not show."
        ),
        catalog=("C-L08",),
        tf_keras=False,
    ),
    Rule(
        id="KM409",
        name="cudnn-rnn",
        summary="`CuDNNLSTM`/`CuDNNGRU` become `LSTM`/`GRU`.",
        before=(
            "from keras.layers import CuDNNLSTM\n"
            "\n"
            "lstm = CuDNNLSTM(128, return_sequences=True)"
        ),
        after=(
            "from tensorflow.keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(128, return_sequences=True)"
        ),
        safety=SAFE,
        safety_note=(
            "tf.keras LSTM/GRU with their default arguments (tanh, sigmoid gates, GRU reset_after=True) "
            "compute what the CuDNN layers computed and use cuDNN when available. Saved CuDNN weights "
            "(8*units biases) need a conversion (D13)."
        ),
        catalog=("C-L09",),
    ),
    Rule(
        id="KM410",
        name="advanced-activations",
        summary="`LeakyReLU(alpha=)` and `activations.relu(alpha=)` take `negative_slope=`.",
        before=(
            "from keras import activations\n"
            "from keras.layers import Input\n"
            "from keras.layers.advanced_activations import LeakyReLU\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "leaky = LeakyReLU(alpha=0.1)(x)\n"
            "y = activations.relu(x, alpha=0.1)"
        ),
        after=(
            "from tensorflow.keras import activations\n"
            "from tensorflow.keras.layers import Input\n"
            "from tensorflow.keras.layers import LeakyReLU\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "leaky = LeakyReLU(negative_slope=0.1)(x)\n"
            "y = activations.relu(x, negative_slope=0.1)"
        ),
        safety=SAFE,
        safety_note="Renamed parameter, same meaning (activations.relu(alpha=) raises in Keras 3).",
        catalog=("C-L10",),
        tf_keras=False,
    ),
    Rule(
        id="KM414",
        name="rnn-dropped-args",
        summary="RNN `implementation=` is ignored in Keras 3; `constants` and `time_major` are gone.",
        before=(
            "from keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(32, implementation=2)"
        ),
        after=(
            "from tensorflow.keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(32)"
        ),
        safety=CTX,
        safety_note=(
            "Keras 3 silently drops implementation (a performance hint). constants/time_major change the "
            "computation and are marked."
        ),
        catalog=("C-L14",),
        tf_keras=False,
    ),
    Rule(
        id="KM415",
        name="lambda-output-shape",
        summary="A `Lambda` built on backend/TF ops needs `output_shape=` for Keras 3 to reload it.",
        before=(
            "from keras import backend as K\n"
            "from keras.layers import Lambda\n"
            "\n"
            "normalize = Lambda(lambda t: K.l2_normalize(t, axis=-1))"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.layers import Lambda\n"
            "from tensorflow.keras.utils import register_keras_serializable\n"
            "\n"
            "\n"
            '@register_keras_serializable(package="kmigrate")\n'
            "def kmigrate_lambda_1(t):\n"
            "    return K.l2_normalize(t, axis=-1)\n"
            "\n"
            "\n"
            "normalize = Lambda(kmigrate_lambda_1, output_shape=lambda shape: shape)"
        ),
        safety=CTX,
        safety_note=(
            "Keras 3 infers a Lambda's output shape by calling the function on symbolic tensors; backend and "
            "TF ops cannot run on them, so the model trains but fails to load from .keras or .h5 (measured "
            "on TF 2.21). Element-wise backend ops keep the input shape, which is written out; any other "
            "backend/TF op in a Lambda without output_shape is marked."
        ),
        catalog=("C-L15", "D22"),
        tf_keras=False,
    ),
    Rule(
        id="KM416",
        name="locally-connected",
        summary="LocallyConnected1D/2D do not exist in Keras 3.",
        before=(
            "from keras.layers import LocallyConnected2D\n"
            "\n"
            "layer = LocallyConnected2D(16, (3, 3))"
        ),
        after="# copy a LocallyConnected2D implementation into the project, or use --target tf_keras",
        safety=FLAG,
        safety_note="Removed from Keras 3.",
        catalog=("C-L16", "D09"),
        tf_keras=False,
    ),
    Rule(
        id="KM417",
        name="private-rnn-bases",
        summary="The Keras 1/2 `Recurrent` and `ConvRecurrent2D` bases are gone.",
        before=(
            "from keras.layers.recurrent import Recurrent\n"
            "\n"
            "\n"
            "class MinimalRNN(Recurrent):\n"
            "    def step(self, inputs, states):\n"
            "        return inputs, states"
        ),
        after="class MyCell(Layer): ...  # and tf.keras.layers.RNN(MyCell(...))",
        safety=FLAG,
        safety_note="Custom recurrent layers must be rewritten as RNN cells.",
        catalog=("C-L17",),
    ),
    Rule(
        id="KM418",
        name="updates-api",
        summary="`add_update`, `state_updates` are gone in Keras 3.",
        before=(
            "from keras import backend as K\n"
            "from keras.engine.topology import Layer\n"
            "\n"
            "\n"
            "class RunningMean(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.mean = self.add_weight(shape=input_shape[-1:], initializer='zeros', name='mean', trainable=False)\n"
            "\n"
            "    def call(self, inputs):\n"
            "        new_mean = 0.9 * self.mean + 0.1 * K.mean(inputs, axis=0)\n"
            "        self.add_update([(self.mean, new_mean)], inputs)\n"
            "        return inputs"
        ),
        after="self.moving_mean.assign(new_mean)  # inside call(), guarded by `training`",
        safety=FLAG,
        safety_note="Keras 3 has no update collections.",
        catalog=("C-L18",),
        tf_keras=False,
    ),
    Rule(
        id="KM419",
        name="add-loss-inputs",
        summary="`add_loss(..., inputs=...)` loses its `inputs=` argument.",
        before=(
            "from keras import backend as K\n"
            "from keras.engine.topology import Layer\n"
            "\n"
            "\n"
            "class Penalty(Layer):\n"
            "    def call(self, x):\n"
            "        self.add_loss(0.01 * K.sum(K.square(x)), inputs=x)\n"
            "        return x"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.layers import Layer\n"
            "\n"
            "\n"
            "class Penalty(Layer):\n"
            "    def call(self, x):\n"
            "        self.add_loss(0.01 * K.sum(K.square(x)))\n"
            "        return x"
        ),
        safety=SAFE,
        safety_note="inputs= only said which call the loss was conditional on; Keras 3 raises on it.",
        catalog=("C-L19",),
        tf_keras=False,
    ),
    Rule(
        id="KM421",
        name="custom-layer-contract",
        summary=(
            "Custom layers that Keras 3 cannot track or reload: bare `tf.Variable` state, or constructor "
            "arguments without `get_config`."
        ),
        before=(
            "import tensorflow as tf\n"
            "from keras.engine.topology import Layer\n"
            "\n"
            "\n"
            "class Scale(Layer):\n"
            "    def __init__(self, factor, **kwargs):\n"
            "        super(Scale, self).__init__(**kwargs)\n"
            "        self.factor = factor\n"
            "\n"
            "    def build(self, shape):\n"
            "        self.w = tf.Variable(tf.ones(shape[-1:]))\n"
            "\n"
            "    def call(self, x):\n"
            "        return x * self.w * self.factor"
        ),
        after=(
            "class Scale(Layer):\n"
            "    ...\n"
            "    def build(self, shape):\n"
            "        self.w = self.add_weight(shape=shape[-1:], initializer='ones')\n"
            "    def get_config(self):\n"
            "        return {**super().get_config(), 'factor': self.factor}"
        ),
        safety=FLAG,
        safety_note=(
            "Keras 3 does not track tf.Variable attributes (they are neither trained nor saved), and "
            "rebuilds a layer from get_config() when loading: extra constructor arguments without it make "
            ".keras/.h5 files unloadable."
        ),
        catalog=("C-L21", "D07"),
    ),
    Rule(
        id="KM422",
        name="activity-regularizer-batch-sum",
        summary=(
            "Legacy activity penalties were summed over the batch; tf.keras divides them by the batch size."
        ),
        before=(
            "from keras.layers import Dense\n"
            "from keras.regularizers import l2\n"
            "\n"
            "layer = Dense(6, activity_regularizer=l2(0.001))"
        ),
        after=(
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.regularizers import l2\n"
            "from tensorflow.keras.utils import register_keras_serializable\n"
            "from tensorflow.keras import regularizers, backend\n"
            "\n"
            "\n"
            '@register_keras_serializable(package="kmigrate")\n'
            "class LegacyActivityRegularizer(regularizers.Regularizer):\n"
            '    """An activity penalty summed over the batch, as multi-backend Keras added it (kmigrate KM422)."""\n'
            "\n"
            "    def __init__(self, regularizer):\n"
            "        self.regularizer = regularizers.get(regularizer)\n"
            "\n"
            "    def __call__(self, x):\n"
            "        return self.regularizer(x) * backend.cast(backend.shape(x)[0], backend.dtype(x))\n"
            "\n"
            "    def get_config(self):\n"
            '        return {"regularizer": regularizers.serialize(self.regularizer)}\n'
            "\n"
            "\n"
            "layer = Dense(6, activity_regularizer=LegacyActivityRegularizer(l2(0.001)))"
        ),
        safety=SAFE,
        safety_note=(
            "tf.keras 2.x and Keras 3 add activity_regularizer(output) / batch_size to the loss; "
            "multi-backend Keras added it undivided. The injected, registered regularizer multiplies by the "
            "(dynamic) batch size, so the loss is the legacy one for every batch, including a smaller last "
            "batch, and the model still saves and loads."
        ),
        catalog=("B41",),
    ),
    Rule(
        id="KM420",
        name="removed-model-attrs",
        summary="`model.uses_learning_phase` is gone.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense, Dropout\n"
            "\n"
            "model = Sequential([Dense(4, input_dim=4), Dropout(0.5)])\n"
            "if model.uses_learning_phase:\n"
            "    print('dropout is active in training only')"
        ),
        after="# Keras 3 passes `training` to call(); decide the branch by hand",
        safety=FLAG,
        safety_note="AttributeError in tf.keras 2.x and Keras 3.",
        catalog=("C-L20",),
    ),
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
class LayersBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset(_CUDNN)

    _places: dict[int, _Place] = field(default_factory=dict)
    _seen_adds: set[tuple[int, str]] = field(default_factory=set)
    _scopes: list[int] = field(default_factory=lambda: [0])
    _loops: int = 0  # for/while bodies around the traversal: a statement put there runs repeatedly
    _before: dict[int, list[Statement]] = field(default_factory=dict)
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
            key = (self._scopes[-1], code(func.value))
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
    for inner in find_all(function.body, m.Lambda(), cst.Lambda):
        bound |= {p.name.value for p in inner.params.params}
    attributes = {
        id(a.attr) for a in find_all(function.body, m.Attribute(), cst.Attribute)
    }
    keywords = {id(a.keyword) for a in find_all(function.body, m.Arg(), cst.Arg) if a.keyword is not None}
    names = {
        n.value for n in find_all(function.body, m.Name(), cst.Name)
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
