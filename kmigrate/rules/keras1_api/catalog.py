"""The documented rules of kmigrate.rules.keras1_api.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE, Rule

RULES = (
    Rule(
        id="KM240",
        name="keras1-initializers",
        summary="Keras 1 initializer functions called directly are gone.",
        before=(
            "from keras import initializations\n"
            "\n"
            "w = initializations.normal((3, 3), scale=0.05)"
        ),
        after="w = tf.keras.initializers.RandomNormal(stddev=0.05)((3, 3))",
        safety=FLAG,
        safety_note=(
            "Keras 1 initializers returned variables and took scale=/dim_ordering=; tf.keras initializers "
            "are classes called with (shape, dtype). String names ('normal', 'zero') still resolve and are "
            "left alone."
        ),
        catalog=("B40",),
    ),
    Rule(
        id="KM241",
        name="keras1-regularizers",
        summary="Keras 1 regularizer names and keywords.",
        before=(
            "from keras.layers import Dense\n"
            "from keras.regularizers import l1l2, activity_l2\n"
            "\n"
            "layer = Dense(64, W_regularizer=l1l2(0.01, 0.01), activity_regularizer=activity_l2(0.01))"
        ),
        after=(
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.regularizers import l1_l2, l2\n"
            "\n"
            "layer = Dense(64, kernel_regularizer=l1_l2(l1=0.01, l2=0.01), activity_regularizer=l2(0.01))"
        ),
        safety=SAFE,
        safety_note=(
            "activity_* were the same penalties; l1_l2 defaults changed from 0.01 to 0.0 in Keras 3, so both "
            "values are always written; the keyword `l=` is passed positionally."
        ),
        catalog=("B41",),
    ),
    Rule(
        id="KM242",
        name="keras1-constraints",
        summary="Keras 1 constraint names and keywords.",
        before=(
            "from keras.layers import Dense\n"
            "from keras.constraints import maxnorm, nonneg, unitnorm\n"
            "\n"
            "hidden = Dense(64, kernel_constraint=maxnorm(m=2), bias_constraint=nonneg())\n"
            "output = Dense(10, kernel_constraint=unitnorm())"
        ),
        after=(
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.constraints import max_norm, non_neg, unit_norm\n"
            "\n"
            "hidden = Dense(64, kernel_constraint=max_norm(max_value=2), bias_constraint=non_neg())\n"
            "output = Dense(10, kernel_constraint=unit_norm())"
        ),
        safety=SAFE,
        safety_note="Same constraints under their Keras 2 names.",
        catalog=("B42",),
    ),
    Rule(
        id="KM243",
        name="keras1-metrics",
        summary="Keras 1 batch-wise `fmeasure`/`precision`/`recall` metrics are gone.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['fmeasure'])"
        ),
        after=(
            "metrics=[tf.keras.metrics.Precision(), tf.keras.metrics.Recall(), tf.keras.metrics.F1Score()]"
        ),
        safety=FLAG,
        safety_note=(
            "Keras 1 computed them per batch; the Keras 3 metrics are stateful and global, so the numbers "
            "differ: choose explicitly."
        ),
        catalog=("B43",),
    ),
    Rule(
        id="KM244",
        name="to-categorical-nb-classes",
        summary="`to_categorical(nb_classes=)` becomes `num_classes=`.",
        before=(
            "from keras.utils import np_utils\n"
            "\n"
            "y = np_utils.to_categorical([0, 2, 1], nb_classes=10)"
        ),
        after=(
            "from tensorflow.keras import utils as np_utils\n"
            "\n"
            "y = np_utils.to_categorical([0, 2, 1], num_classes=10)"
        ),
        safety=SAFE,
        safety_note="Renamed parameter.",
        catalog=("B44",),
    ),
    Rule(
        id="KM245",
        name="np-utils-helpers",
        summary="Keras 1 `np_utils` helpers are gone.",
        before=(
            "import numpy as np\n"
            "from keras.utils import np_utils\n"
            "\n"
            "probabilities = np.array([[0.1, 0.9], [0.8, 0.2]])\n"
            "classes = np_utils.categorical_probas_to_classes(probabilities)"
        ),
        after="np.argmax(p, axis=1)",
        safety=FLAG,
        safety_note=(
            "probas_to_classes/categorical_probas_to_classes have exact NumPy one-liners; the others "
            "(accuracy, convert_kernel) need a choice."
        ),
        catalog=("B45",),
    ),
    Rule(
        id="KM246",
        name="layer-utils-helpers",
        summary="`print_summary(model)` becomes `model.summary()`.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.utils.layer_utils import print_summary\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "print_summary(model, line_length=100)"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.summary(line_length=100)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 2's print_summary(model, ...) is Model.summary with the same keywords; Keras 1 forms (a "
            "list of layers) and count_total_params are marked."
        ),
        catalog=("B46",),
    ),
    Rule(
        id="KM247",
        name="datasets-nb-words",
        summary="`load_data(nb_words=)` becomes `num_words=`.",
        before=(
            "from keras.datasets import imdb\n"
            "\n"
            "(x_train, y_train), (x_test, y_test) = imdb.load_data(nb_words=5000)"
        ),
        after=(
            "from tensorflow.keras.datasets import imdb\n"
            "\n"
            "(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=5000)"
        ),
        safety=SAFE,
        safety_note="Keras 3's imdb.load_data swallows unknown keywords: nb_words would be silently ignored.",
        catalog=("B47",),
    ),
    Rule(
        id="KM248",
        name="tokenizer-nb-words",
        summary="`Tokenizer(nb_words=)` becomes `num_words=`.",
        before=(
            "from keras.preprocessing.text import Tokenizer\n"
            "\n"
            "tokenizer = Tokenizer(nb_words=1000)"
        ),
        after=(
            "from tensorflow.keras.preprocessing.text import Tokenizer\n"
            "\n"
            "tokenizer = Tokenizer(num_words=1000)"
        ),
        safety=SAFE,
        safety_note="Renamed parameter.",
        catalog=("B48",),
    ),
    Rule(
        id="KM249",
        name="preprocessing-dim-ordering",
        summary="`dim_ordering=` in image preprocessing becomes `data_format=` with mapped values.",
        before=(
            "import numpy as np\n"
            "from keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "x, y = np.zeros((32, 3, 8, 8)), np.zeros((32, 1))\n"
            "datagen = ImageDataGenerator(dim_ordering='th')\n"
            "batches = datagen.flow(X=x, y=y)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "x, y = np.zeros((32, 3, 8, 8)), np.zeros((32, 1))\n"
            "datagen = ImageDataGenerator(data_format='channels_first')\n"
            "batches = datagen.flow(x=x, y=y)"
        ),
        safety=SAFE,
        safety_note="'th' is 'channels_first', 'tf' is 'channels_last', 'default' is the default.",
        catalog=("B49",),
    ),
    Rule(
        id="KM250",
        name="image-dim-ordering",
        summary=(
            "`K.image_dim_ordering()` and `K.set_image_dim_ordering()` become the `image_data_format` "
            "functions, with the values mapped."
        ),
        before=(
            "from keras import backend as K\n"
            "\n"
            "if K.image_dim_ordering() == 'th':\n"
            "    input_shape = (3, 32, 32)\n"
            "K.set_image_dim_ordering('tf')"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "\n"
            "if K.image_data_format() == 'channels_first':\n"
            "    input_shape = (3, 32, 32)\n"
            "K.set_image_data_format('channels_last')"
        ),
        safety=SAFE,
        safety_note=(
            "Compared and passed literals are mapped ('th' <-> 'channels_first', 'tf' <-> 'channels_last'); "
            "a value that flows elsewhere is converted back to 'th'/'tf' in place."
        ),
        catalog=("B50", "B29"),
    ),
    Rule(
        id="KM251",
        name="backend-keras1-keywords",
        summary="Keras 1 backend keywords (`nb_classes`, `dim`, `std`, `border_mode`, `dim_ordering`, ...).",
        before=(
            "from keras import backend as K\n"
            "\n"
            "x = K.random_normal((2, 3), std=0.1)\n"
            "y = K.expand_dims(x, dim=-1)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "\n"
            "x = K.random_normal((2, 3), stddev=0.1)\n"
            "y = K.expand_dims(x, axis=-1)"
        ),
        safety=SAFE,
        safety_note=(
            "Renamed parameters; Theano-only shape hints are dropped; symmetric Keras 1 padding is written "
            "out."
        ),
        catalog=("B51",),
    ),
    Rule(
        id="KM252",
        name="backend-crossentropy-order",
        summary="Backend crossentropies took (output, target) before Keras 2.0.7.",
        before=(
            "from keras import backend as K\n"
            "\n"
            "\n"
            "def loss(y_true, y_pred):\n"
            "    return K.categorical_crossentropy(y_pred, y_true)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "\n"
            "\n"
            "def loss(y_true, y_pred):\n"
            "    return K.categorical_crossentropy(y_true, y_pred)"
        ),
        safety=CONTEXT,
        safety_note="Swapped only when --from-version says the code predates 2.0.7.",
        catalog=("B52", "D17"),
    ),
    Rule(
        id="KM253",
        name="custom-layer-keras1-api",
        summary=(
            "Keras 1 custom layers: `get_output_shape_for` becomes `compute_output_shape`; assigned "
            "`self.regularizers` / `self.constraints` lists are marked."
        ),
        before=(
            "from keras import backend as K\n"
            "from keras.engine.topology import Layer\n"
            "\n"
            "\n"
            "class Linear(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.W = self.add_weight(shape=(input_shape[-1], 4), initializer='glorot_uniform', name='W')\n"
            "        super(Linear, self).build(input_shape)\n"
            "\n"
            "    def call(self, x, mask=None):\n"
            "        return K.dot(x, self.W)\n"
            "\n"
            "    def get_output_shape_for(self, input_shape):\n"
            "        return (input_shape[0], 4)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.layers import Layer\n"
            "\n"
            "\n"
            "class Linear(Layer):\n"
            "    def build(self, input_shape):\n"
            "        self.W = self.add_weight(shape=(input_shape[-1], 4), initializer='glorot_uniform', name='W')\n"
            "        super(Linear, self).build(input_shape)\n"
            "\n"
            "    def call(self, x, mask=None):\n"
            "        return K.dot(x, self.W)\n"
            "\n"
            "    def compute_output_shape(self, input_shape):\n"
            "        return (input_shape[0], 4)"
        ),
        safety=CONTEXT,
        safety_note=(
            "The method was renamed in Keras 2. Keras 3 layers have no settable weight lists: a weight's "
            "regularizer and constraint go to its add_weight() call. Weights made with `K.variable` are "
            "marked by KM503, `self.trainable_weights = [...]` is dropped by KM609."
        ),
        catalog=("B53", "D07"),
    ),
    Rule(
        id="KM254",
        name="layer-weight-attrs",
        summary="Keras 1 layer weight attributes `.W`/`.b` are `.kernel`/`.bias`.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(4, input_dim=3)])\n"
            "kernel = model.layers[0].W"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(4, input_dim=3)])\n"
            "kernel = model.layers[0].kernel"
        ),
        safety=CONTEXT,
        safety_note=(
            "Rewritten where the receiver is visibly a layer (model.layers[i], model.get_layer(...)); "
            "recurrent .U and others are marked. `self.W` inside a user's own Layer subclass is the "
            "user's name and stays; in a subclass of a built-in layer it is renamed only when the class "
            "neither sets it nor already uses the new name. In a file whose own classes set `.W`, "
            "`layer.W` may be theirs and is marked instead of renamed. So is `layer.W`/`layer.b` in a "
            "file that builds an Embedding or a SimpleRNN/GRU/LSTM: Keras 3 names those weights "
            "`.embeddings` and `.cell.kernel`/`.cell.bias` and has no `.kernel` on them."
        ),
        catalog=("B54",),
    ),
)
