"""Backend table entries: ``K.function`` and the learning phase (``in_train_phase``, ``set_learning_phase``).

What the fields and kinds mean: ``kmigrate.rules.backend_table.entry``.
"""

from __future__ import annotations

from kmigrate.rules.backend_table.entry import SPECIAL, Entry

ENTRIES: tuple[Entry, ...] = (
    Entry("Function", SPECIAL, "function",
          "`K.Function` is gone: build a sub-model, e.g. `k_function(inputs, outputs)` as kmigrate "
          "writes for `K.function`, or `tf.keras.Model(inputs, outputs)`",
          before=(
              "from keras import backend as K\n"
              "from keras.models import Sequential\n"
              "from keras.layers import Dense\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dense(1)])\n"
              "features = K.Function([model.input], [model.layers[0].output])"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.models import Sequential\n"
              "from tensorflow.keras.layers import Dense\n"
              "import tensorflow as tf\n"
              "\n"
              "\n"
              "def k_function(inputs, outputs, learning_phase_index=None):\n"
              '    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it\n'
              "    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`\n"
              '    (the `K.learning_phase()` input) is the `training` flag."""\n'
              "    model = tf.keras.Model(inputs, outputs)\n"
              "\n"
              "    def call(values):\n"
              "        values = list(values)\n"
              "        training = False\n"
              "        if learning_phase_index is not None:\n"
              "            training = bool(values.pop(learning_phase_index))\n"
              "        return [tensor.numpy() for tensor in tf.nest.flatten(model(values, training=training))]\n"
              "\n"
              "    return call\n"
              "\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dense(1)])\n"
              "features = k_function([model.inputs[0]], [model.layers[0].output])"
          ),
          note="Same contract as `K.function` (a list of arrays in, a list of arrays out)."),
    Entry("function", SPECIAL, "function",
          "`K.function` is gone: build a sub-model, e.g. `tf.keras.Model(model.inputs, "
          "[layer.output])(x, training=False)`",
          before=(
              "import numpy as np\n"
              "from keras import backend as K\n"
              "from keras.models import Sequential\n"
              "from keras.layers import Dense, Dropout\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dropout(0.5), Dense(1)])\n"
              "features = K.function([model.input, K.learning_phase()], [model.layers[-2].output])\n"
              "values = features([np.zeros((2, 4)), 0])[0]"
          ),
          after=(
              "import numpy as np\n"
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.models import Sequential\n"
              "from tensorflow.keras.layers import Dense, Dropout\n"
              "import tensorflow as tf\n"
              "\n"
              "\n"
              "def k_function(inputs, outputs, learning_phase_index=None):\n"
              '    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it\n'
              "    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`\n"
              '    (the `K.learning_phase()` input) is the `training` flag."""\n'
              "    model = tf.keras.Model(inputs, outputs)\n"
              "\n"
              "    def call(values):\n"
              "        values = list(values)\n"
              "        training = False\n"
              "        if learning_phase_index is not None:\n"
              "            training = bool(values.pop(learning_phase_index))\n"
              "        return [tensor.numpy() for tensor in tf.nest.flatten(model(values, training=training))]\n"
              "\n"
              "    return call\n"
              "\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dropout(0.5), Dense(1)])\n"
              "features = k_function([model.inputs[0]], [model.layers[-2].output], learning_phase_index=-1)\n"
              "values = features([np.zeros((2, 4)), 0])[0]"
          ),
          note="`k_function` (added once per file) builds `tf.keras.Model(inputs, outputs)` and "
          "calls it with a list of arrays, returning a list of numpy arrays as `K.function` did; the "
          "`K.learning_phase()` input becomes `training=`. `model.input`/`model.output` become "
          "`model.inputs[0]`/`model.outputs[0]` because Sequential models have no `.input` in Keras 3. "
          "`updates=`, placeholders and gradients cannot be expressed this way and are marked. "
          "Also under --target tf_keras: its K.function exists but fails eagerly with "
          "`K.learning_phase()` among the inputs (measured on tf_keras 2.21).",
          tf_keras=True),
    Entry("in_test_phase", SPECIAL, "",
          "the learning phase is gone: inside `call(self, inputs, training=None)` write "
          "`x if not training else alt`",
          params=("x", "alt", "training"),
          before=(
              "from keras import backend as K\n"
              "from keras.engine.topology import Layer\n"
              "\n"
              "\n"
              "class HalveAtTest(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return K.in_test_phase(inputs * 0.5, inputs, training=training)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Layer\n"
              "\n"
              "\n"
              "class HalveAtTest(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return (inputs if training else inputs * 0.5)"
          ),
          note="Keras 3 passes `training` to call() as a Python bool; without an explicit "
          "`training=` argument the call is marked.", tf_keras=False),
    Entry("in_train_phase", SPECIAL, "",
          "the learning phase is gone: inside `call(self, inputs, training=None)` write "
          "`x if training else alt`",
          params=("x", "alt", "training"),
          before=(
              "from keras import backend as K\n"
              "from keras.engine.topology import Layer\n"
              "\n"
              "\n"
              "class TrainingDropout(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return K.in_train_phase(K.dropout(inputs, 0.5), inputs, training=training)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Layer\n"
              "\n"
              "\n"
              "class TrainingDropout(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return (K.dropout(inputs, 0.5) if training else inputs)"
          ),
          note="Keras 3 passes `training` to call() as a Python bool; without an explicit "
          "`training=` argument the call is marked.", tf_keras=False),
    Entry("learning_phase", SPECIAL, "",
          "the learning phase is gone: pass `training=True/False` when calling the model or "
          "layer (`model(x, training=False)`), or use the `training` argument of `call()`",
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input, Lambda\n"
              "\n"
              "x = Input(shape=(4,))\n"
              "y = Lambda(lambda t: K.switch(K.learning_phase(), t * 0.5, t))(x)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Input, Lambda\n"
              "\n"
              "x = Input(shape=(4,))\n"
              "y = Lambda(lambda t: K.switch(K.learning_phase(), t * 0.5, t))(x)  # kmigrate: KM531 pass `training=True/False` when calling the model or layer"
          ),
          note="As a K.function input it becomes `training=` (see KM519); elsewhere it is "
          "marked.", tf_keras=False),
    Entry("set_learning_phase", SPECIAL, "",
          "the global learning phase is gone: call the model with `training=True/False` "
          "(`predict`/`evaluate` already run in inference mode, `fit` in training mode)",
          params=("value",),
          before=(
              "from keras import backend as K\n"
              "from keras.models import load_model\n"
              "\n"
              "K.set_learning_phase(0)\n"
              "model = load_model('model.h5')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.models import load_model\n"
              "\n"
              "model = load_model('model.h5')"
          ),
          note="`set_learning_phase(0)` is deleted when the file never trains (inference is "
          "the default); with training calls in the file, or a value of 1, it is marked: "
          "phase 0 during fit disabled Dropout and froze BatchNormalization.", tf_keras=False),
)
