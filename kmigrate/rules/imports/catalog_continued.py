"""imports family rules KM110-KM119 (the catalog continued: catalog.py has the first ones)."""

from __future__ import annotations

from kmigrate.rule_types import SAFE, FixSafety, Rule

MORE_RULES = (
    Rule(
        id="KM110",
        name="sklearn-wrapper",
        summary="`keras.wrappers.scikit_learn` has no tf.keras equivalent.",
        before=(
            "from keras.wrappers.scikit_learn import KerasClassifier\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "\n"
            "def build():\n"
            "    model = Sequential([Dense(1, activation='sigmoid', input_shape=(4,))])\n"
            "    model.compile(loss='binary_crossentropy', optimizer='sgd')\n"
            "    return model\n"
            "\n"
            "\n"
            "classifier = KerasClassifier(build_fn=build, epochs=2)"
        ),
        after="from scikeras.wrappers import KerasClassifier  # pip install scikeras",
        safety=FixSafety.FLAG,
        safety_note=(
            "The Keras 3 SKLearn wrappers take a different contract (the model callable gets X and y, "
            "parameters split into model and fit arguments): a person must port the call sites."
        ),
        catalog=("A10", "D12"),
    ),
    Rule(
        id="KM111",
        name="legacy-package",
        summary="`keras.legacy` shims are removed.",
        before=(
            "from keras.engine.topology import Layer\n"
            "from keras.legacy import interfaces\n"
            "\n"
            "\n"
            "class Adder(Layer):\n"
            "    @interfaces.legacy_dense_support\n"
            "    def __init__(self, units, **kwargs):\n"
            "        super(Adder, self).__init__(**kwargs)\n"
            "        self.units = units"
        ),
        after=(
            "from tensorflow.keras.layers import Layer\n"
            "\n"
            "\n"
            "class Adder(Layer):\n"
            "    def __init__(self, units, **kwargs):\n"
            "        super(Adder, self).__init__(**kwargs)\n"
            "        self.units = units"
        ),
        safety=SAFE,
        safety_note=(
            "The decorators converted Keras 1 arguments at run time; kmigrate converts the call sites "
            "instead, so the decorator is dropped. Other keras.legacy names are marked."
        ),
        catalog=("A11",),
    ),
    Rule(
        id="KM112",
        name="callbacks-module",
        summary="`keras.callbacks.*` names import from `tensorflow.keras.callbacks`.",
        before=(
            "from keras.callbacks.tensorboard_v1 import TensorBoard\n"
            "\n"
            "board = TensorBoard(log_dir='./logs')"
        ),
        after=(
            "from tensorflow.keras.callbacks import TensorBoard\n"
            "\n"
            "board = TensorBoard(log_dir='./logs')"
        ),
        safety=SAFE,
        safety_note="tf.keras.callbacks is flat; BaseLogger is gone and marked.",
        catalog=("A12",),
    ),
    Rule(
        id="KM113",
        name="simple-modules",
        summary=(
            "`keras.activations/initializers/regularizers/constraints/losses/metrics/optimizers` import from "
            "`tensorflow.keras`."
        ),
        before=(
            "from keras.optimizers import SGD\n"
            "from keras.regularizers import l2\n"
            "\n"
            "optimizer = SGD(momentum=0.9)\n"
            "penalty = l2(1e-4)"
        ),
        after=(
            "from tensorflow.keras.optimizers import SGD\n"
            "from tensorflow.keras.regularizers import l2\n"
            "\n"
            "optimizer = SGD(momentum=0.9)\n"
            "penalty = l2(1e-4)"
        ),
        safety=SAFE,
        safety_note="Same modules, same names; names that were removed are marked.",
        catalog=("A13",),
    ),
    Rule(
        id="KM114",
        name="initializations-module",
        summary="Keras 1 `keras.initializations` is `tensorflow.keras.initializers`.",
        before=(
            "from keras import initializations\n"
            "\n"
            "init = initializations.get('glorot_uniform')"
        ),
        after=(
            "from tensorflow.keras import initializers as initializations\n"
            "\n"
            "init = initializations.get('glorot_uniform')"
        ),
        safety=SAFE,
        safety_note=(
            "Renamed module; initializer functions Keras 1 called directly are marked by their own rule."
        ),
        catalog=("A14",),
    ),
    Rule(
        id="KM115",
        name="objectives-module",
        summary="`keras.objectives` is `tensorflow.keras.losses`.",
        before=(
            "from keras.objectives import categorical_crossentropy\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(3, activation='softmax', input_shape=(4,))])\n"
            "model.compile(loss=categorical_crossentropy, optimizer='sgd')"
        ),
        after=(
            "from tensorflow.keras.losses import categorical_crossentropy\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(3, activation='softmax', input_shape=(4,))])\n"
            "model.compile(loss=categorical_crossentropy, optimizer='sgd')"
        ),
        safety=SAFE,
        safety_note="Renamed in Keras 2; long names missing from tf.keras.losses are marked.",
        catalog=("A15",),
    ),
    Rule(
        id="KM116",
        name="datasets",
        summary="`keras.datasets.*` import from `tensorflow.keras.datasets.*`.",
        before=(
            "from keras.datasets import mnist\n"
            "\n"
            "(x_train, y_train), (x_test, y_test) = mnist.load_data()"
        ),
        after=(
            "from tensorflow.keras.datasets import mnist\n"
            "\n"
            "(x_train, y_train), (x_test, y_test) = mnist.load_data()"
        ),
        safety=SAFE,
        safety_note="Same loaders; cifar.load_batch is internal and marked.",
        catalog=("A16",),
    ),
    Rule(
        id="KM117",
        name="backend-module",
        summary="`keras.backend` (and its TensorFlow submodules) is `tensorflow.keras.backend`.",
        before=(
            "from keras import backend as K\n"
            "import keras.backend.tensorflow_backend as KTF\n"
            "\n"
            "x = K.ones((2, 3))\n"
            "KTF.clear_session()"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras import backend as KTF\n"
            "\n"
            "x = K.ones((2, 3))\n"
            "KTF.clear_session()"
        ),
        safety=SAFE,
        safety_note=(
            "Only the import changes here; backend functions that are gone have their own rules. The Theano "
            "and CNTK backends are marked. `from keras.backend import tf as ktf` (and `np`), the modules the "
            "TensorFlow backend imported and handed on, become `import tensorflow as ktf` (`import numpy`)."
        ),
        catalog=("A17",),
    ),
    Rule(
        id="KM118",
        name="tf-internal-keras",
        summary="`tensorflow.python.keras` and `tf.contrib.keras` become `tensorflow.keras`.",
        before=(
            "from tensorflow.python.keras.layers import Dense\n"
            "\n"
            "layer = Dense(10)"
        ),
        after=(
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "layer = Dense(10)"
        ),
        safety=SAFE,
        safety_note=(
            "tensorflow.python.keras is a frozen private Keras 2 copy whose classes do not mix with tf.keras "
            "models."
        ),
        catalog=("A18",),
    ),
    Rule(
        id="KM119",
        name="version-and-backend-gates",
        summary="Checks of the Keras version or backend pick the wrong branch after migration.",
        before=(
            "import keras\n"
            "from keras import backend as K\n"
            "\n"
            "if keras.__version__.startswith('1.'):\n"
            "    channels_first = K.image_dim_ordering() == 'th'\n"
            "if K.backend() == 'theano':\n"
            "    print('using Theano')"
        ),
        after="# kmigrate: KM119 ... (decide which branch the migrated code needs)",
        safety=FixSafety.FLAG,
        safety_note=(
            "After migration the version is Keras 3 and the backend is always TensorFlow; the branch to keep "
            "depends on intent."
        ),
        catalog=("A19",),
    ),
    Rule(
        id="KM120",
        name="star-import-module-names",
        summary="Modules a legacy Keras star import bound by accident (`K`, `initializers`, `np`...) get their own import.",
        before=(
            "from keras.layers.core import *\n"
            "\n"
            "def clipped():\n"
            "    return Dense(2, kernel_constraint=constraints.get('non_neg'))\n"
            "\n"
            "print(K.epsilon(), clipped().units)"
        ),
        after=(
            "from tensorflow.keras.layers import *\n"
            "import tensorflow.keras.backend as K\n"
            "from tensorflow.keras import constraints\n"
            "\n"
            "def clipped():\n"
            "    return Dense(2, kernel_constraint=constraints.get('non_neg'))\n"
            "\n"
            "print(K.epsilon(), clipped().units)"
        ),
        safety=SAFE,
        safety_note=(
            "Legacy Keras modules had no __all__, so `from keras.layers import *` (and keras.layers.core, "
            "keras.models, keras.optimizers, keras.callbacks...) also bound the modules they imported: `K`, "
            "`activations`, `initializers`, `regularizers`, `constraints`, `np` (read from Keras 2.2.4). "
            "tf.keras star imports bind only the public API, so code that relied on them raised NameError "
            "after migration. A name the file binds itself, or that no star-imported module provided, is "
            "left alone."
        ),
        catalog=("A03", "A13", "A17"),
        details="Found by review on real code (jasonwbw/Keras-RC core_layer.py: `constraints.get(...)`).",
    ),
)
