"""The documented rules of kmigrate.rules.imports.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import SAFE, Rule
from kmigrate.rules.imports.catalog_continued import MORE_RULES

RULES = (
    Rule(
        id="KM101",
        name="import-keras-root",
        summary="`import keras` becomes `from tensorflow import keras`.",
        before=(
            "import keras\n"
            "\n"
            "model = keras.models.Sequential([keras.layers.Dense(1, input_shape=(4,))])"
        ),
        after=(
            "from tensorflow import keras\n"
            "\n"
            "model = keras.models.Sequential([keras.layers.Dense(1, input_shape=(4,))])"
        ),
        safety=SAFE,
        safety_note=(
            "In TF 2.21 a bare `import keras` binds plain Keras 3, whose namespace lacks the legacy backend "
            "and preprocessing APIs; `from tensorflow import keras` is the tf.keras namespace and honours "
            "TF_USE_LEGACY_KERAS. Files mixing both namespaces end up on one."
        ),
        catalog=("A01", "D21"),
    ),
    Rule(
        id="KM102",
        name="from-keras-import-modules",
        summary="`from keras import layers, backend as K, ...` imports from `tensorflow.keras`.",
        before=(
            "from keras import layers, models, backend as K\n"
            "\n"
            "model = models.Sequential([layers.Dense(1, input_shape=(4,))])\n"
            "print(K.int_shape(model.output))"
        ),
        after=(
            "from tensorflow.keras import layers, models, backend as K\n"
            "\n"
            "model = models.Sequential([layers.Dense(1, input_shape=(4,))])\n"
            "print(K.int_shape(model.output))"
        ),
        safety=SAFE,
        safety_note="The same modules exist under tensorflow.keras; local names are kept.",
        catalog=("A02",),
    ),
    Rule(
        id="KM103",
        name="layers-submodules",
        summary="Names from `keras.layers.<submodule>` import from `tensorflow.keras.layers`.",
        before=(
            "from keras.layers.core import Dense, Dropout\n"
            "from keras.layers.convolutional import Conv2D\n"
            "\n"
            "layers = [Conv2D(8, (3, 3)), Dropout(0.5), Dense(10)]"
        ),
        after=(
            "from tensorflow.keras.layers import Dense, Dropout\n"
            "from tensorflow.keras.layers import Conv2D\n"
            "\n"
            "layers = [Conv2D(8, (3, 3)), Dropout(0.5), Dense(10)]"
        ),
        safety=SAFE,
        safety_note=(
            "tf.keras has no layer submodules; every public layer is in tf.keras.layers. Layers with no "
            "tf.keras equivalent (Merge, Highway, ...) are marked."
        ),
        catalog=("A03",),
    ),
    Rule(
        id="KM104",
        name="engine-paths",
        summary="`keras.engine.*` names import from their public homes.",
        before=(
            "from keras.engine.topology import Layer, InputSpec\n"
            "\n"
            "\n"
            "class Scale(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.input_spec = InputSpec(ndim=2)\n"
            "        super(Scale, self).build(input_shape)"
        ),
        after=(
            "from tensorflow.keras.layers import Layer, InputSpec\n"
            "\n"
            "\n"
            "class Scale(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.input_spec = InputSpec(ndim=2)\n"
            "        super(Scale, self).build(input_shape)"
        ),
        safety=SAFE,
        safety_note=(
            "Public engine names map one to one (Container and Network are Model); engine internals such as "
            "Node have no public home and are marked."
        ),
        catalog=("A04",),
    ),
    Rule(
        id="KM105",
        name="models-module",
        summary="`keras.models` names import from where tf.keras keeps them.",
        before=(
            "from keras.models import Sequential, Input, model_from_config\n"
            "\n"
            "inputs = Input(shape=(4,))\n"
            "model = Sequential()\n"
            "clone = model_from_config(model.get_config())"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras import Input\n"
            "from tensorflow.keras.layers import deserialize as model_from_config\n"
            "\n"
            "inputs = Input(shape=(4,))\n"
            "model = Sequential()\n"
            "clone = model_from_config(model.get_config())"
        ),
        safety=SAFE,
        safety_note=(
            "tf.keras.models exports six names; Input lives at the root and model_from_config is "
            "layers.deserialize with the same arguments."
        ),
        catalog=("A05",),
    ),
    Rule(
        id="KM106",
        name="utils-submodules",
        summary="`keras.utils.<submodule>` names import from `tensorflow.keras.utils`.",
        before=(
            "from keras.utils import np_utils\n"
            "\n"
            "y = np_utils.to_categorical([0, 2, 1], 3)"
        ),
        after=(
            "from tensorflow.keras import utils as np_utils\n"
            "\n"
            "y = np_utils.to_categorical([0, 2, 1], 3)"
        ),
        safety=SAFE,
        safety_note=(
            "The utils submodules are not public in tf.keras; their public functions are all in "
            "tf.keras.utils. Internals (func_dump, conv_utils, ...) are marked."
        ),
        catalog=("A06",),
    ),
    Rule(
        id="KM107",
        name="visualize-util-plot",
        summary=(
            "`keras.utils.visualize_util.plot` becomes `plot_model`, keeping the layer names in the picture."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.utils.visualize_util import plot\n"
            "\n"
            "model = Sequential([Dense(1, input_shape=(4,))])\n"
            "plot(model, to_file='model.png')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.utils import plot_model as plot\n"
            "\n"
            "model = Sequential([Dense(1, input_shape=(4,))])\n"
            "plot(model, to_file='model.png', show_layer_names=True)"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 1 and 2 drew layer names by default, Keras 3 does not: the argument is made explicit so "
            "the picture is the same."
        ),
        catalog=("A07",),
    ),
    Rule(
        id="KM108",
        name="preprocessing-paths",
        summary=(
            "`keras.preprocessing.*` and `keras_preprocessing.*` import from "
            "`tensorflow.keras.preprocessing.*`."
        ),
        before=(
            "from keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "datagen = ImageDataGenerator(rescale=1. / 255)"
        ),
        after=(
            "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "datagen = ImageDataGenerator(rescale=1. / 255)"
        ),
        safety=SAFE,
        safety_note=(
            "TF 2.21 keeps these (deprecated) in the tf.keras namespace; DataFrameIterator is gone and "
            "marked."
        ),
        catalog=("A08",),
    ),
    Rule(
        id="KM109",
        name="applications-paths",
        summary=(
            "`keras.applications.*` and `keras_applications` import from `tensorflow.keras.applications.*`."
        ),
        before=(
            "from keras.applications.mobilenetv2 import MobileNetV2\n"
            "\n"
            "base = MobileNetV2(weights=None)"
        ),
        after=(
            "from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2\n"
            "\n"
            "base = MobileNetV2(weights=None)"
        ),
        safety=SAFE,
        safety_note="tf.keras ships its own copies; Keras 1-only models and module internals are marked.",
        catalog=("A09",),
    ),
    *MORE_RULES,
)
