"""Keras 1 -> 2 layer constructor arguments: the data read by ``layer_args.LayerArgsFixer``.

One entry per layer class (keyed by the tf.keras-relative path ``ctx.api(...).path`` reports,
aliases included), transcribed from Keras 2.2.4's ``keras/legacy/interfaces.py`` (catalog B.1)
and the Keras 1.2.2 constructor signatures (for the extra positionals of catalog B28).

``positionals`` is how many positional arguments Keras 2 accepted (``allowed_positional_args``;
None: the interface did not check).  A standalone-Keras call with more than that is Keras 1
code: the extra ones are bound to ``keras1`` (the 1.2.2 signature) before anything is renamed.
``renames`` are the interface's keyword conversions, in its order; ``dim_ordering`` values are
mapped by ``DIM_ORDERING`` (catalog B29).  ``steps`` names the preprocessors that need code
(see ``layer_args``).  ``replace`` is the tf.keras class for a legacy name that is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

DIM_ORDERING: dict[str, str | None] = {"tf": "channels_last", "th": "channels_first", "default": None}
# Keras 2's value conversion of consume_less into `implementation`; tf_keras deprecates 0.
CONSUME_LESS: dict[str, int] = {"cpu": 1, "mem": 1, "gpu": 2}


@dataclass(frozen=True)
class LayerSpec:
    rule: str  # the rule id of the keyword conversions
    positionals: int | None  # positionals Keras 2 accepted; None: not checked
    keras1: tuple[str, ...] = ()  # legacy signature for the positionals beyond that
    renames: tuple[tuple[str, str], ...] = ()
    steps: frozenset[str] = frozenset()
    replace: str | None = None  # tf.keras class replacing a removed legacy name
    replace_rule: str | None = None


def _r(*pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple((old, new) for old, _, new in (p.partition("->") for p in pairs))


_WEIGHTS = _r("init->kernel_initializer", "W_regularizer->kernel_regularizer",
              "b_regularizer->bias_regularizer", "W_constraint->kernel_constraint",
              "b_constraint->bias_constraint", "bias->use_bias")  # fmt: skip
_DO = _r("dim_ordering->data_format")
_CONV2D = _r("nb_filter->filters", "subsample->strides", "border_mode->padding") + _DO + _WEIGHTS
_CONV1D = _r("nb_filter->filters", "filter_length->kernel_size", "subsample_length->strides",
             "border_mode->padding") + _WEIGHTS  # fmt: skip
_RECURRENT = _r("output_dim->units", "init->kernel_initializer", "inner_init->recurrent_initializer",
                "inner_activation->recurrent_activation", "W_regularizer->kernel_regularizer",
                "b_regularizer->bias_regularizer", "U_regularizer->recurrent_regularizer",
                "dropout_W->dropout", "dropout_U->recurrent_dropout")  # fmt: skip

# Keras 1.2.2 constructor signatures (positional order).
_K1_DENSE = ("output_dim", "init", "activation", "weights", "W_regularizer", "b_regularizer",
             "activity_regularizer", "W_constraint", "b_constraint", "bias", "input_dim")  # fmt: skip
_K1_CONV1D = ("nb_filter", "filter_length", "init", "activation", "weights", "border_mode",
              "subsample_length", "W_regularizer", "b_regularizer", "activity_regularizer",
              "W_constraint", "b_constraint", "bias", "input_dim", "input_length")  # fmt: skip
_K1_CONV2D = ("nb_filter", "nb_row", "nb_col", "init", "activation", "weights", "border_mode",
              "subsample", "dim_ordering", "W_regularizer", "b_regularizer", "activity_regularizer",
              "W_constraint", "b_constraint", "bias")  # fmt: skip
_K1_CONV3D = ("nb_filter", "kernel_dim1", "kernel_dim2", "kernel_dim3", "init", "activation",
              "weights", "border_mode", "subsample", "dim_ordering", "W_regularizer",
              "b_regularizer", "activity_regularizer", "W_constraint", "b_constraint", "bias")  # fmt: skip
_K1_DECONV2D = ("nb_filter", "nb_row", "nb_col", "output_shape", "init", "activation", "weights",
                "border_mode", "subsample", "dim_ordering", "W_regularizer", "b_regularizer",
                "activity_regularizer", "W_constraint", "b_constraint", "bias")  # fmt: skip
_K1_SEPARABLE = ("nb_filter", "nb_row", "nb_col", "init", "activation", "weights", "border_mode",
                 "subsample", "depth_multiplier", "dim_ordering", "depthwise_regularizer",
                 "pointwise_regularizer", "b_regularizer", "activity_regularizer",
                 "depthwise_constraint", "pointwise_constraint", "b_constraint", "bias")  # fmt: skip
_K1_ATROUS1D = ("nb_filter", "filter_length", "init", "activation", "weights", "border_mode",
                "subsample_length", "atrous_rate", "W_regularizer", "b_regularizer",
                "activity_regularizer", "W_constraint", "b_constraint", "bias")  # fmt: skip
_K1_ATROUS2D = ("nb_filter", "nb_row", "nb_col", "init", "activation", "weights", "border_mode",
                "subsample", "atrous_rate", "dim_ordering", "W_regularizer", "b_regularizer",
                "activity_regularizer", "W_constraint", "b_constraint", "bias")  # fmt: skip
_K1_CONVLSTM2D = ("nb_filter", "nb_row", "nb_col", "init", "inner_init", "forget_bias_init",
                  "activation", "inner_activation", "dim_ordering", "border_mode", "subsample",
                  "W_regularizer", "U_regularizer", "b_regularizer", "dropout_W", "dropout_U")  # fmt: skip
_K1_LSTM = ("output_dim", "init", "inner_init", "forget_bias_init", "activation", "inner_activation",
            "W_regularizer", "U_regularizer", "b_regularizer", "dropout_W", "dropout_U")  # fmt: skip
_K1_GRU = ("output_dim", "init", "inner_init", "activation", "inner_activation", "W_regularizer",
           "U_regularizer", "b_regularizer", "dropout_W", "dropout_U")  # fmt: skip
_K1_SIMPLERNN = ("output_dim", "init", "inner_init", "activation", "W_regularizer", "U_regularizer",
                 "b_regularizer", "dropout_W", "dropout_U")  # fmt: skip
_K1_EMBEDDING = ("input_dim", "output_dim", "init", "input_length", "W_regularizer",
                 "activity_regularizer", "W_constraint", "mask_zero", "weights", "dropout")  # fmt: skip
_K1_BATCHNORM = ("epsilon", "mode", "axis", "momentum", "weights", "beta_init", "gamma_init",
                 "gamma_regularizer", "beta_regularizer")  # fmt: skip
# Keras 2.2.4's Conv3DTranspose (Deconvolution3D) had no interface; its own order differs from
# tf.keras's from the fifth parameter on.
_K2_CONV3DT = ("filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
               "activation", "use_bias", "kernel_initializer", "bias_initializer",
               "kernel_regularizer", "bias_regularizer", "activity_regularizer",
               "kernel_constraint", "bias_constraint")  # fmt: skip

_FOLD2D = frozenset({"fold2d"})

_SPECS: dict[tuple[str, ...], LayerSpec] = {
    ("Dense",): LayerSpec("KM201", 1, _K1_DENSE, _r("output_dim->units") + _WEIGHTS),
    ("Dropout",): LayerSpec("KM202", 3, ("p", "noise_shape", "seed"), _r("p->rate")),
    ("GaussianDropout", "SpatialDropout1D"): LayerSpec("KM202", 1, ("p",), _r("p->rate")),
    ("SpatialDropout2D", "SpatialDropout3D"): LayerSpec(
        "KM202", 1, ("p", "dim_ordering"), _r("p->rate") + _DO
    ),
    ("Embedding",): LayerSpec(
        "KM203", 2, _K1_EMBEDDING,
        _r("init->embeddings_initializer", "W_regularizer->embeddings_regularizer",
           "W_constraint->embeddings_constraint"),
        frozenset({"embedding_dropout"}),
    ),  # fmt: skip
    ("MaxPooling1D", "AveragePooling1D", "MaxPool1D", "AvgPool1D"): LayerSpec(
        "KM204", 3, ("pool_length", "stride", "border_mode"),
        _r("pool_length->pool_size", "stride->strides", "border_mode->padding"),
    ),
    ("PReLU",): LayerSpec("KM205", 1, ("init", "weights", "shared_axes"), _r("init->alpha_initializer")),
    ("GaussianNoise",): LayerSpec("KM206", 1, ("sigma",), _r("sigma->stddev")),
    ("LSTM",): LayerSpec("KM207", 1, _K1_LSTM, _RECURRENT, frozenset({"recurrent"})),
    ("GRU",): LayerSpec("KM207", 1, _K1_GRU, _RECURRENT, frozenset({"recurrent"})),
    ("SimpleRNN",): LayerSpec("KM207", 1, _K1_SIMPLERNN, _RECURRENT, frozenset({"recurrent"})),
    ("MaxPooling2D", "AveragePooling2D", "MaxPooling3D", "AveragePooling3D",
     "MaxPool2D", "AvgPool2D", "MaxPool3D", "AvgPool3D"): LayerSpec(
        "KM209", 3, ("pool_size", "strides", "border_mode", "dim_ordering"),
        _r("border_mode->padding") + _DO,
    ),  # fmt: skip
    ("GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling3D",
     "GlobalMaxPool2D", "GlobalAvgPool2D", "GlobalMaxPool3D", "GlobalAvgPool3D"): LayerSpec(
        "KM210", 0, ("dim_ordering",), _DO
    ),  # fmt: skip
    ("UpSampling1D",): LayerSpec("KM211", 1, ("length",), _r("length->size")),
    ("UpSampling2D", "UpSampling3D"): LayerSpec("KM211", 1, ("size", "dim_ordering"), _DO),
    ("Conv1D", "Convolution1D", "LocallyConnected1D"): LayerSpec(
        "KM212", 2, _K1_CONV1D, _CONV1D, frozenset({"input_dim"})
    ),
    ("Conv2D", "Convolution2D", "LocallyConnected2D"): LayerSpec("KM213", 2, _K1_CONV2D, _CONV2D, _FOLD2D),
    ("SeparableConv2D", "SeparableConvolution2D"): LayerSpec(
        "KM215", 2, _K1_SEPARABLE,
        _r("nb_filter->filters", "subsample->strides", "border_mode->padding") + _DO
        + _r("b_regularizer->bias_regularizer", "b_constraint->bias_constraint", "bias->use_bias"),
        frozenset({"fold2d", "separable_init"}),
    ),  # fmt: skip
    ("Conv2DTranspose", "Convolution2DTranspose"): LayerSpec(
        "KM216", 2, _K1_DECONV2D, _CONV2D, frozenset({"fold2d", "output_shape"})
    ),
    ("Deconvolution2D", "Deconv2D"): LayerSpec(
        "KM216", 2, _K1_DECONV2D, _CONV2D, frozenset({"fold2d", "output_shape"}),
        replace="layers.Conv2DTranspose", replace_rule="KM238",
    ),
    ("Deconvolution3D", "Deconv3D"): LayerSpec(
        "KM238", 4, _K2_CONV3DT, replace="layers.Conv3DTranspose", replace_rule="KM238"
    ),
    ("Conv3D", "Convolution3D"): LayerSpec("KM217", 2, _K1_CONV3D, _CONV2D, frozenset({"fold3d"})),
    ("ConvLSTM2D",): LayerSpec(
        "KM218", 2, _K1_CONVLSTM2D,
        _r("nb_filter->filters", "subsample->strides", "border_mode->padding") + _DO
        + _r("init->kernel_initializer", "inner_init->recurrent_initializer",
             "W_regularizer->kernel_regularizer", "U_regularizer->recurrent_regularizer",
             "b_regularizer->bias_regularizer", "inner_activation->recurrent_activation",
             "dropout_W->dropout", "dropout_U->recurrent_dropout", "bias->use_bias"),
        frozenset({"fold2d", "forget_bias"}),
    ),  # fmt: skip
    ("BatchNormalization",): LayerSpec(
        "KM219", 0, _K1_BATCHNORM, _r("beta_init->beta_initializer", "gamma_init->gamma_initializer"),
        frozenset({"batchnorm_mode"}),
    ),
    ("ZeroPadding2D",): LayerSpec("KM220", 1, ("padding", "dim_ordering"), _DO, frozenset({"padding2d"})),
    ("ZeroPadding3D",): LayerSpec("KM221", 1, ("padding", "dim_ordering"), _DO),
    ("Cropping2D", "Cropping3D"): LayerSpec("KM221", 1, ("cropping", "dim_ordering"), _DO),
    ("Lambda",): LayerSpec("KM222", 2, ("function", "output_shape", "arguments")),
    ("InputLayer",): LayerSpec("KM225", None, (), _r("input_dtype->dtype")),
    ("AtrousConvolution1D", "AtrousConv1D"): LayerSpec(
        "KM212", 2, _K1_ATROUS1D, _CONV1D + _r("atrous_rate->dilation_rate"), frozenset({"input_dim"}),
        replace="layers.Conv1D", replace_rule="KM234",
    ),
    ("AtrousConvolution2D", "AtrousConv2D"): LayerSpec(
        "KM213", 2, _K1_ATROUS2D, _CONV2D + _r("atrous_rate->dilation_rate"), _FOLD2D,
        replace="layers.Conv2D", replace_rule="KM234",
    ),
}

LAYERS: dict[str, LayerSpec] = {}
for _names, _spec in _SPECS.items():
    for _name in _names:
        LAYERS[f"layers.{_name}"] = _spec
        # Keras 2.0-2.3 kept the removed factories in keras.legacy.layers.
        LAYERS[f"legacy.layers.{_name}"] = _spec

# Model / Container / Network constructors (catalog B24): the interface did not check positionals.
MODEL_PATHS = frozenset({"Model", "models.Model"})
MODEL_SPEC = LayerSpec("KM224", None, (), _r("input->inputs", "output->outputs"))

# Legacy names with no tf.keras home and no automatic rewrite: (rule, what to write instead).
_HIGHWAY = (
    "KM236",
    "Highway has no tf.keras equivalent: write a small custom layer "
    "(y = t * activation(x @ W + b) + (1 - t) * x with the gate t = sigmoid(x @ W_carry + b_carry)); "
    "Keras 1/2 weights need a manual mapping",
)
_MAXOUT = (
    "KM236",
    "MaxoutDense has no tf.keras equivalent: use Dense(units * nb_feature) + "
    "Reshape((nb_feature, units)) + Lambda(lambda t: tf.reduce_max(t, axis=1)), or a custom layer",
)
_SRELU = ("KM237", "SReLU has no tf.keras equivalent (moved to keras-contrib): port it as a custom layer")
_SOFTPLUS = (
    "KM237",
    "ParametricSoftplus has no tf.keras equivalent (moved to keras-contrib): port it as a custom layer "
    "(alpha * log(1 + exp(beta * x)) with trainable alpha, beta)",
)
REMOVED: dict[str, tuple[str, str]] = {}
for _name, _entry in (("Highway", _HIGHWAY), ("MaxoutDense", _MAXOUT), ("SReLU", _SRELU),
                      ("ParametricSoftplus", _SOFTPLUS)):  # fmt: skip
    REMOVED[f"layers.{_name}"] = _entry
    REMOVED[f"legacy.layers.{_name}"] = _entry

TIME_DISTRIBUTED_DENSE = frozenset({"layers.TimeDistributedDense", "legacy.layers.TimeDistributedDense"})
_K1_TDD = _K1_DENSE + ("input_length",)
TDD_KERAS1 = _K1_TDD
# Keyword arguments of TimeDistributedDense that belong to the TimeDistributed wrapper.
WRAPPER_KEYWORDS = frozenset({"name", "input_shape", "batch_input_shape", "batch_size", "trainable", "dtype"})

# Every legacy path this family rewrites although it has no tf.keras home (for the import family).
HANDLED = frozenset(
    path for path, spec in LAYERS.items() if spec.replace is not None
) | TIME_DISTRIBUTED_DENSE

# add_weight signatures (catalog B26): Keras 1 / 2.0.0-2.0.8, and 2.0.9+.
ADD_WEIGHT_SHAPE_FIRST = ("shape", "initializer", "name", "trainable", "regularizer", "constraint")
ADD_WEIGHT_NAME_FIRST = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint")
