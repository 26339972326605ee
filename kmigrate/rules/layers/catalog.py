"""The documented rules of kmigrate.rules.layers.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import FixSafety, Rule

CTX = FixSafety.CONTEXT
FLAG = FixSafety.FLAG
SAFE = FixSafety.SAFE


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
