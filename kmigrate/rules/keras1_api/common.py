"""The Keras 1 API family's shared part: rule entries, tables, helpers, and the call dispatch
(``Keras1ApiBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, TypeGuard

import libcst as cst

from kmigrate import match as m
from kmigrate.names import Api
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.keras1_api.catalog import RULES

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
# Keras 1 layers whose `.W`/`.b` are not `.kernel`/`.bias` in Keras 3.
_OTHER_WEIGHT_LAYOUTS = {"Embedding": "an Embedding's .W is .embeddings",
                         "SimpleRNN": "a recurrent layer's .W/.b are .cell.kernel/.cell.bias",
                         "GRU": "a recurrent layer's .W/.b are .cell.kernel/.cell.bias",
                         "LSTM": "a recurrent layer's .W/.b are .cell.kernel/.cell.bias"}  # fmt: skip
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
    # id(class) -> (attributes of self the class uses, those it assigns): custom_layers.py (KM254)
    _self_attributes: dict[int, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    # Keras 1 layer classes with a `.W` the file builds whose weight is not `.kernel` in Keras 3
    # (computed on the first `.W`/`.b`): custom_layers.py (KM254)
    _other_weight_layouts_found: frozenset[str] | None = None

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
