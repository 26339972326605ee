"""layers family rules KM410-KM420 (the catalog continued: catalog.py has the first ones)."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE, Rule

MORE_RULES = (
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
        safety=CONTEXT,
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
            '@register_keras_serializable(package="kmigrate")\n'
            "def kmigrate_same_shape(shape):\n"
            "    return shape\n"
            "\n"
            "\n"
            "normalize = Lambda(kmigrate_lambda_1, output_shape=kmigrate_same_shape)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 infers a Lambda's output shape by calling the function on symbolic tensors; backend and "
            "TF ops cannot run on them, so the model trains but fails to load from .keras or .h5 (measured "
            "on TF 2.21). Element-wise backend ops keep the input shape, which is written out as a registered "
            "`kmigrate_same_shape` function (an `output_shape=lambda ...` would itself make load_model refuse "
            "the file in its default safe mode); any other "
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
