"""The Keras 1 API family's shared part: rule entries, tables, helpers, and the call dispatch
(``Keras1ApiBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, TypeGuard

import libcst as cst
import libcst.matchers as m

from kmigrate.names import Api
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule

SAFE, CTX, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

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
        safety=CTX,
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
        safety=CTX,
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
        safety=CTX,
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
        safety=CTX,
        safety_note=(
            "Rewritten where the receiver is visibly a layer (model.layers[i], model.get_layer(...)); "
            "recurrent .U and others are marked."
        ),
        catalog=("B54",),
    ),
)

# -- tables -----------------------------------------------------------------------------------------
# B41: legacy regularizer name -> (tf.keras name, explicit (l1, l2) defaults or None).
REGULARIZERS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "regularizers.l1l2": ("regularizers.l1_l2", ("0.01", "0.01")),
    "regularizers.l1_l2": ("regularizers.l1_l2", ("0.01", "0.01")),
    "regularizers.activity_l1l2": ("regularizers.l1_l2", ("0.01", "0.01")),
    "regularizers.activity_l1": ("regularizers.l1", None),
    "regularizers.activity_l2": ("regularizers.l2", None),
    "regularizers.WeightRegularizer": ("regularizers.L1L2", ("0.0", "0.0")),
    "regularizers.L1L2Regularizer": ("regularizers.L1L2", ("0.0", "0.0")),
    "regularizers.l1": ("regularizers.l1", None),
    "regularizers.l2": ("regularizers.l2", None),
}
# B42: legacy constraint -> (tf.keras name, keyword renames).
CONSTRAINTS: dict[str, tuple[str, dict[str, str]]] = {
    "constraints.maxnorm": ("constraints.max_norm", {"m": "max_value"}),
    "constraints.MaxNorm": ("constraints.MaxNorm", {"m": "max_value"}),
    "constraints.max_norm": ("constraints.max_norm", {"m": "max_value"}),
    "constraints.nonneg": ("constraints.non_neg", {}),
    "constraints.unitnorm": ("constraints.unit_norm", {}),
    "constraints.MinMaxNorm": ("constraints.MinMaxNorm", {"low": "min_value", "high": "max_value"}),
    "constraints.min_max_norm": ("constraints.min_max_norm", {"low": "min_value", "high": "max_value"}),
}
_KERAS1_METRICS = frozenset({"fmeasure", "precision", "recall", "fbeta_score", "fscore", "f1score",
                             "matthews_correlation"})  # fmt: skip
_NP_UTILS = {
    "utils.probas_to_classes": "np.argmax(p, axis=-1) if p.shape[-1] > 1 else (p > 0.5).astype('int32')",
    "utils.categorical_probas_to_classes": "np.argmax(p, axis=1)",
    "utils.accuracy": "sklearn.metrics.accuracy_score(y_true, y_pred)",
    "utils.binary_logloss": "sklearn.metrics.log_loss(y_true, p)",
    "utils.multiclass_logloss": "sklearn.metrics.log_loss(y_true, p)",
    "utils.convert_kernel": "np.copy(w[::-1, ::-1, :, :]) (a Theano kernel flip, see D03)",
    "utils.conv_output_length": "a local copy of the formula (internal helper)",
}
# B47/B48, B44: keyword renames of single calls (any import path, legacy only).
KEYWORD_RENAMES: dict[str, tuple[str, dict[str, str]]] = {
    "utils.to_categorical": ("KM244", {"nb_classes": "num_classes"}),
    "datasets.imdb.load_data": ("KM247", {"nb_words": "num_words"}),
    "datasets.reuters.load_data": ("KM247", {"nb_words": "num_words"}),
    "preprocessing.text.Tokenizer": ("KM248", {"nb_words": "num_words"}),
}
DIM_ORDERING = {"th": "channels_first", "tf": "channels_last"}
# B49: calls that took dim_ordering=.
_PREPROCESSING_DIM_ORDERING = frozenset({
    "preprocessing.image.ImageDataGenerator", "preprocessing.image.img_to_array",
    "preprocessing.image.array_to_img", "utils.img_to_array", "utils.array_to_img",
})  # fmt: skip


@dataclass(frozen=True)
class _BackendCall:
    params: tuple[str, ...]  # Keras 1 positional order
    renames: dict[str, str]
    drops: tuple[str, ...] = ()
    pad: str = ""  # "2d" / "1d": symmetric Keras 1 padding written out


# B51: Keras 1 backend signatures.
BACKEND: dict[str, _BackendCall] = {
    "backend.one_hot": _BackendCall(("indices", "nb_classes"), {"nb_classes": "num_classes"}),
    "backend.expand_dims": _BackendCall(("x", "dim"), {"dim": "axis"}),
    "backend.random_normal": _BackendCall(("shape", "mean", "std"), {"std": "stddev"}),
    "backend.random_uniform": _BackendCall(("shape", "low", "high"), {"low": "minval", "high": "maxval"}),
    "backend.conv2d": _BackendCall(
        ("x", "kernel", "strides", "border_mode", "dim_ordering", "image_shape", "filter_shape", "filter_dilation"),
        {"border_mode": "padding", "dim_ordering": "data_format", "filter_dilation": "dilation_rate"},
        ("image_shape", "filter_shape")),
    "backend.conv1d": _BackendCall(
        ("x", "kernel", "stride", "border_mode", "image_shape", "filter_shape"),
        {"stride": "strides", "border_mode": "padding"}, ("image_shape", "filter_shape")),
    "backend.pool2d": _BackendCall(
        ("x", "pool_size", "strides", "border_mode", "dim_ordering", "pool_mode"),
        {"border_mode": "padding", "dim_ordering": "data_format"}),
    "backend.resize_images": _BackendCall(("x", "height_factor", "width_factor", "dim_ordering"),
                                          {"dim_ordering": "data_format", "X": "x"}),
    "backend.spatial_2d_padding": _BackendCall(("x", "padding", "dim_ordering"),
                                               {"dim_ordering": "data_format"}, pad="2d"),
    "backend.temporal_padding": _BackendCall(("x", "padding"), {}, pad="1d"),
    "backend.set_floatx": _BackendCall(("floatx",), {}),
    "backend.set_epsilon": _BackendCall(("e",), {}),
}
_POSITIONAL_ONLY = {"backend.set_floatx": "floatx", "backend.set_epsilon": "e"}
_CROSSENTROPIES = frozenset({"backend.categorical_crossentropy", "backend.sparse_categorical_crossentropy",
                             "backend.binary_crossentropy"})  # fmt: skip
_LAYER_ATTRS = {"W": "kernel", "b": "bias", "W_regularizer": "kernel_regularizer",
                "b_regularizer": "bias_regularizer", "W_constraint": "kernel_constraint",
                "b_constraint": "bias_constraint"}  # fmt: skip
_LAYER_ATTRS_FLAGGED = {"U": "the recurrent kernel: layer.cell.recurrent_kernel (LSTM/GRU/SimpleRNN)",
                        "U_regularizer": "layer.cell.recurrent_regularizer"}


@dataclass
class Keras1ApiBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({
        "regularizers.l1l2", "regularizers.activity_l1", "regularizers.activity_l2",
        "regularizers.activity_l1l2", "regularizers.WeightRegularizer", "regularizers.L1L2Regularizer",
        "constraints.maxnorm", "constraints.nonneg", "constraints.unitnorm",
        "backend.image_dim_ordering", "backend.set_image_dim_ordering",
        "utils.print_summary", "utils.count_total_params", *_NP_UTILS,
    })  # fmt: skip

    _compared: set[int] = field(default_factory=set)
    _layer_classes: list[bool] = field(default_factory=list)

    # -- calls ------------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None:
            return self._methods(original, updated)
        path = api.path
        if path in REGULARIZERS and api.legacy:
            return self._regularizer(original, updated, api)
        if path == "regularizers.l1_l2":
            return self._regularizer(original, updated, api)
        if path in CONSTRAINTS and api.legacy:
            return self._constraint(original, updated, path)
        if path in KEYWORD_RENAMES and api.legacy:
            rule, renames = KEYWORD_RENAMES[path]
            return self._renames(original, updated, rule, renames)
        if path in _NP_UTILS and api.legacy:
            if self.ctx.allows("KM245"):
                self.ctx.flag("KM245", original, f"{api.leaf} is gone: use {_NP_UTILS[path]}")
            return updated
        if path.startswith("initializers.") and api.name.qualified.startswith("keras.initializations"):
            if self.ctx.allows("KM240"):
                self.ctx.flag("KM240", original, f"Keras 1 initializer function {api.leaf}(shape, ...) is "
                              "gone: call an initializer object, e.g. tf.keras.initializers.RandomNormal("
                              "stddev=0.05)(shape), and create weights with self.add_weight(initializer=...)")
            return updated
        if path in ("utils.print_summary", "utils.count_total_params") and api.legacy:
            return self._print_summary(original, updated, api)
        if path in _PREPROCESSING_DIM_ORDERING or (
            path.startswith("applications.") and path.endswith(".preprocess_input")
        ):
            if api.legacy:
                return self._dim_ordering_keyword(original, updated, "KM249")
            return updated
        if path in ("backend.image_dim_ordering", "backend.set_image_dim_ordering"):
            return self._image_dim_ordering(original, updated, api)
        if path in BACKEND and api.legacy:
            return self._backend(original, updated, path)
        if path == "backend.batch_normalization" and api.legacy:
            return self._batch_normalization(original, updated)
        if path in _CROSSENTROPIES and api.legacy:
            return self._crossentropy(original, updated)
        return updated

    # -- provided by the concerns Keras1ApiFixer is composed of (declared for leave_Call) --------
    def _backend(self, original: cst.Call, call: cst.Call, path: str) -> cst.Call:
        raise NotImplementedError  # backend_keywords.py
    def _batch_normalization(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # backend_keywords.py
    def _crossentropy(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # backend_keywords.py
    def _dim_ordering_keyword(self, original: cst.Call, call: cst.Call, rule: str) -> cst.Call:
        raise NotImplementedError  # dim_ordering.py
    def _image_dim_ordering(self, original: cst.Call, call: cst.Call, api: Api) -> cst.BaseExpression:
        raise NotImplementedError  # dim_ordering.py
    def _renames(self, original: cst.Call, call: cst.Call, rule: str, renames: dict[str, str]) -> cst.Call:
        raise NotImplementedError  # functions.py
    def _regularizer(self, original: cst.Call, call: cst.Call, api: Api) -> cst.BaseExpression:
        raise NotImplementedError  # functions.py
    def _constraint(self, original: cst.Call, call: cst.Call, path: str) -> cst.BaseExpression:
        raise NotImplementedError  # functions.py
    def _print_summary(self, original: cst.Call, call: cst.Call, api: Api) -> cst.BaseExpression:
        raise NotImplementedError  # functions.py
    def _methods(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        raise NotImplementedError  # methods.py



def _leaf(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Name):
        return node.value
    return None


def _visibly_a_layer(node: cst.BaseExpression) -> bool:
    """``x.layers[i]`` or ``x.get_layer(...)``."""
    return m.matches(node, m.Subscript(value=m.Attribute(attr=m.Name("layers")))) or m.matches(
        node, m.Call(func=m.Attribute(attr=m.Name("get_layer")))
    )


def _leading_kept(spec: _BackendCall, touched: set[str]) -> int:
    keep = 0
    for name in spec.params:
        if name in touched:
            break
        keep += 1
    return keep


def _ordering_literal(node: cst.BaseExpression) -> TypeGuard[cst.SimpleString]:
    return isinstance(node, cst.SimpleString) and node.evaluated_value in DIM_ORDERING


def _map_ordering(node: cst.BaseExpression) -> cst.BaseExpression | None:
    if not _ordering_literal(node):
        return None
    value = node.evaluated_value
    if not isinstance(value, str):  # not reached: bytes are no ordering literal
        return None
    return node.with_changes(value=f"{node.quote}{DIM_ORDERING[value]}{node.quote}")


def _mapping_expression(node: cst.BaseExpression) -> cst.BaseExpression:
    return cst.parse_expression(
        f"{{'th': 'channels_first', 'tf': 'channels_last'}}.get({code(node)}, {code(node)})"
    )
