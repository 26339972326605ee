"""The documented rules of kmigrate.rules.layers.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE, Rule
from kmigrate.rules.layers.catalog_continued import MORE_RULES

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
        safety=CONTEXT,
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
            "layers; legacy Keras built (input_length, input_dim), also over a given input_shape=, which "
            "is replaced by it (without input_length the layer takes any length)."
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
        safety=CONTEXT,
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
    *MORE_RULES,
)
