"""The documented rules of kmigrate.rules.backend.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import FLAG as FLAG_ONLY
from kmigrate.rule_types import SAFE, Rule

SEMANTIC_RULES = (
    Rule(
        id="KM500",
        name="backend-name-missing",
        summary="A `K.<name>` that no tf.keras backend has and no rule rewrites is marked.",
        before=(
            "from keras import backend as K\n"
            "\n"
            "gpus = K.tensorflow_backend._get_available_gpus()"
        ),
        after="gpus = K.tensorflow_backend._get_available_gpus()  # kmigrate: KM500 ...",
        safety=FLAG_ONLY,
        safety_note=(
            "The 129 Keras 1/2 backend functions that survive keep working after the import change (KM117); "
            "the 49 that are gone have their own rules; anything else (internal modules, private helpers) "
            "has no tf.keras equivalent."
        ),
        catalog=("C-K00-backend-present",),
    ),
    Rule(
        id="KM501",
        name="set-value-on-keras3-variables",
        summary="`K.set_value(v, x)` / `K.batch_set_value` become `v.assign(x)`.",
        before=(
            "import numpy as np\n"
            "from keras import backend as K\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(4, input_dim=3)])\n"
            "K.set_value(model.layers[0].kernel, np.ones((3, 4)))\n"
            "K.batch_set_value(list(zip(model.weights, [np.zeros((3, 4)), np.zeros(4)])))"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(4, input_dim=3)])\n"
            "model.layers[0].kernel.assign(np.ones((3, 4)))\n"
            "for variable, value in list(zip(model.weights, [np.zeros((3, 4)), np.zeros(4)])):\n"
            "    variable.assign(value)"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 weights are keras.Variable, on which the legacy set_value raises (`'str' object has no "
            "attribute 'name'`); `assign` works on them and on tf.Variable. Optimizer learning rates are "
            "left to KM308/KM309."
        ),
        catalog=("C-K01-set-value-on-keras3-variables",),
        tf_keras=False,
    ),
    Rule(
        id="KM502",
        name="gradients-eager",
        summary="`K.gradients` raises under eager execution.",
        before=(
            "from keras import backend as K\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "loss = K.mean(model.output)\n"
            "grads = K.gradients(loss, model.trainable_weights)"
        ),
        after=(
            "with tf.GradientTape() as tape:\n"
            "    loss = ...\n"
            "grads = tape.gradient(loss, model.trainable_weights)"
        ),
        safety=FLAG_ONLY,
        safety_note=(
            "The loss has to be recomputed under a GradientTape; where that code is depends on the program."
        ),
        catalog=("C-K02-gradients-eager", "D06"),
    ),
    Rule(
        id="KM503",
        name="variable-tracking",
        summary="`K.variable` / `K.update` inside a custom layer are not tracked or run by Keras 3.",
        before=(
            "import numpy as np\n"
            "from keras import backend as K\n"
            "from keras.engine.topology import Layer\n"
            "\n"
            "\n"
            "class Affine(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.W = K.variable(np.zeros((input_shape[-1], 4)))\n"
            "        super(Affine, self).build(input_shape)\n"
            "\n"
            "    def call(self, x):\n"
            "        return K.dot(x, self.W)"
        ),
        after="self.W = self.add_weight(shape=(3, 4), initializer='zeros')",
        safety=FLAG_ONLY,
        safety_note=(
            "Keras 3 layers track only their own weights: a bare tf.Variable is not trained or saved, and "
            "graph update ops are not run."
        ),
        catalog=("C-K03-variable-tracking",),
        tf_keras=False,
    ),
    Rule(
        id="KM504",
        name="hard-sigmoid-backend",
        summary="`K.hard_sigmoid` passed as an activation does not survive saving.",
        before=(
            "from keras import backend as K\n"
            "from keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(8, recurrent_activation=K.hard_sigmoid)"
        ),
        after="# a hard_sigmoid registered with tf.keras.utils.register_keras_serializable",
        safety=FLAG_ONLY,
        safety_note=(
            "Calling K.hard_sigmoid keeps the legacy formula (it is never rewritten); passed as an "
            "activation, a reloaded model resolves the name 'hard_sigmoid' to Keras 3's relu6(x+3)/6."
        ),
        catalog=("C-K04-hard-sigmoid-backend",),
        tf_keras=False,
    ),
    Rule(
        id="KM505",
        name="ops-modernisation-traps",
        summary="Surviving backend functions are kept, never 'modernised' to keras.ops.",
        before=(
            "from keras import backend as K\n"
            "from keras.layers import Input\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = K.switch(K.greater(x, 0), x, -x)\n"
            "z = K.repeat(x, 3)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.layers import Input\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = K.switch(K.greater(x, 0), x, -x)\n"
            "z = K.repeat(x, 3)"
        ),
        safety=SAFE,
        safety_note=(
            "Several same-named keras.ops functions differ in meaning or argument order (repeat, switch, "
            "in_top_k, batch_normalization, relu, shape, hard_sigmoid); tf.keras.backend keeps the Keras 2 "
            "semantics."
        ),
        catalog=("C-K05-ops-modernisation-traps",),
    ),
    Rule(
        id="KM506",
        name="backend-module-attrs",
        summary="`K.tf` / `K.np` (modules Keras 2 leaked into the backend) become `tf` / `np`.",
        before=(
            "from keras import backend as K\n"
            "from keras.layers import Input, Lambda\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = Lambda(lambda t: K.tf.reduce_max(t, axis=-1))(x)\n"
            "scale = K.np.float32(0.5)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.layers import Input, Lambda\n"
            "import tensorflow as tf\n"
            "import numpy as np\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = Lambda(lambda t: tf.reduce_max(t, axis=-1))(x)\n"
            "scale = np.float32(0.5)"
        ),
        safety=SAFE,
        safety_note=(
            "tf.keras.backend has no `tf`/`np` attributes (AttributeError); the module is the same. `K.T` is "
            "Theano and is marked."
        ),
        catalog=("C-K06-backend-module-attrs",),
    ),
)
