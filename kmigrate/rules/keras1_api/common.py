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
    Rule("KM240", "keras1-initializers", "Keras 1 initializer functions called directly are gone.",
         "w = initializations.normal((3, 3), scale=0.05)",
         "w = tf.keras.initializers.RandomNormal(stddev=0.05)((3, 3))",
         FLAG, "Keras 1 initializers returned variables and took scale=/dim_ordering=; tf.keras "
         "initializers are classes called with (shape, dtype). String names ('normal', 'zero') "
         "still resolve and are left alone.", ("B40",)),
    Rule("KM241", "keras1-regularizers", "Keras 1 regularizer names and keywords.",
         "W_regularizer=l1l2(0.01, 0.01), activity_regularizer=activity_l2(0.01), l2(l=0.01)",
         "W_regularizer=l1_l2(l1=0.01, l2=0.01), activity_regularizer=l2(0.01), l2(0.01)",
         SAFE, "activity_* were the same penalties; l1_l2 defaults changed from 0.01 to 0.0 in Keras 3, "
         "so both values are always written; the keyword `l=` is passed positionally.", ("B41",)),
    Rule("KM242", "keras1-constraints", "Keras 1 constraint names and keywords.",
         "maxnorm(m=2), nonneg(), unitnorm()",
         "max_norm(max_value=2), non_neg(), unit_norm()",
         SAFE, "Same constraints under their Keras 2 names.", ("B42",)),
    Rule("KM243", "keras1-metrics", "Keras 1 batch-wise `fmeasure`/`precision`/`recall` metrics are gone.",
         "model.compile(loss='mse', optimizer='sgd', metrics=['fmeasure'])",
         "metrics=[tf.keras.metrics.Precision(), tf.keras.metrics.Recall(), tf.keras.metrics.F1Score()]",
         FLAG, "Keras 1 computed them per batch; the Keras 3 metrics are stateful and global, so the "
         "numbers differ: choose explicitly.", ("B43",)),
    Rule("KM244", "to-categorical-nb-classes", "`to_categorical(nb_classes=)` becomes `num_classes=`.",
         "np_utils.to_categorical(y, nb_classes=10)",
         "np_utils.to_categorical(y, num_classes=10)",
         SAFE, "Renamed parameter.", ("B44",)),
    Rule("KM245", "np-utils-helpers", "Keras 1 `np_utils` helpers are gone.",
         "np_utils.categorical_probas_to_classes(p)",
         "np.argmax(p, axis=1)",
         FLAG, "probas_to_classes/categorical_probas_to_classes have exact NumPy one-liners; the "
         "others (accuracy, convert_kernel) need a choice.", ("B45",)),
    Rule("KM246", "layer-utils-helpers", "`print_summary(model)` becomes `model.summary()`.",
         "print_summary(model, line_length=100)",
         "model.summary(line_length=100)",
         CTX, "Keras 2's print_summary(model, ...) is Model.summary with the same keywords; Keras 1 "
         "forms (a list of layers) and count_total_params are marked.", ("B46",)),
    Rule("KM247", "datasets-nb-words", "`load_data(nb_words=)` becomes `num_words=`.",
         "imdb.load_data(nb_words=5000)",
         "imdb.load_data(num_words=5000)",
         SAFE, "Keras 3's imdb.load_data swallows unknown keywords: nb_words would be silently ignored.",
         ("B47",)),
    Rule("KM248", "tokenizer-nb-words", "`Tokenizer(nb_words=)` becomes `num_words=`.",
         "Tokenizer(nb_words=1000)",
         "Tokenizer(num_words=1000)",
         SAFE, "Renamed parameter.", ("B48",)),
    Rule("KM249", "preprocessing-dim-ordering", "`dim_ordering=` in image preprocessing becomes "
         "`data_format=` with mapped values.",
         "ImageDataGenerator(dim_ordering='th')\ndatagen.flow(X=x, y=y)",
         "ImageDataGenerator(data_format='channels_first')\ndatagen.flow(x=x, y=y)",
         SAFE, "'th' is 'channels_first', 'tf' is 'channels_last', 'default' is the default.", ("B49",)),
    Rule("KM250", "image-dim-ordering", "`K.image_dim_ordering()` and `K.set_image_dim_ordering()` "
         "become the `image_data_format` functions, with the values mapped.",
         "if K.image_dim_ordering() == 'th': ...\nK.set_image_dim_ordering('tf')",
         "if K.image_data_format() == 'channels_first': ...\nK.set_image_data_format('channels_last')",
         SAFE, "Compared and passed literals are mapped ('th' <-> 'channels_first', 'tf' <-> "
         "'channels_last'); a value that flows elsewhere is converted back to 'th'/'tf' in place.",
         ("B50", "B29")),
    Rule("KM251", "backend-keras1-keywords", "Keras 1 backend keywords (`nb_classes`, `dim`, `std`, "
         "`border_mode`, `dim_ordering`, ...).",
         "K.expand_dims(x, dim=-1)\nK.random_normal(shape, std=0.1)",
         "K.expand_dims(x, axis=-1)\nK.random_normal(shape, stddev=0.1)",
         SAFE, "Renamed parameters; Theano-only shape hints are dropped; symmetric Keras 1 padding "
         "is written out.", ("B51",)),
    Rule("KM252", "backend-crossentropy-order", "Backend crossentropies took (output, target) "
         "before Keras 2.0.7.",
         "K.categorical_crossentropy(y_pred, y_true)   # Keras <= 2.0.6",
         "K.categorical_crossentropy(y_true, y_pred)",
         CTX, "Swapped only when --from-version says the code predates 2.0.7.", ("B52", "D17")),
    Rule("KM253", "custom-layer-keras1-api", "Keras 1 custom layers: `get_output_shape_for` and "
         "weights created with `K.variable`.",
         "def get_output_shape_for(self, input_shape): ...\nself.W = K.variable(init((n, m)))",
         "def compute_output_shape(self, input_shape): ...\n"
         "self.W = self.add_weight(shape=(n, m), initializer=..., name='W')",
         CTX, "The method was renamed in Keras 2. Keras 3 does not track bare variables and "
         "trainable_weights has no setter: those lines are marked.", ("B53", "D07")),
    Rule("KM254", "layer-weight-attrs", "Keras 1 layer weight attributes `.W`/`.b` are "
         "`.kernel`/`.bias`.",
         "model.layers[0].W",
         "model.layers[0].kernel",
         CTX, "Rewritten where the receiver is visibly a layer (model.layers[i], "
         "model.get_layer(...)); recurrent .U and others are marked.", ("B54",)),
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
