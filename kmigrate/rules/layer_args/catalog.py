"""The layer-arguments family's rule entries (KM201-KM254 that concern layer constructor arguments)."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, SAFE
from kmigrate.rules.base import Rule
from kmigrate.rules.layer_args.catalog_continued import _SHIM, MORE_RULES

RULES = (
    Rule(
        id="KM201",
        name="dense-args",
        summary="Keras 1 `Dense` arguments become their Keras 2 names.",
        before=(
            "from keras.layers import Dense\n"
            "from keras.regularizers import l2\n"
            "\n"
            "layer = Dense(output_dim=64, init='he_normal', W_regularizer=l2(1e-4), bias=False)"
        ),
        after=(
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.regularizers import l2\n"
            "\n"
            "layer = Dense(units=64, kernel_initializer='he_normal', kernel_regularizer=l2(1e-4), use_bias=False)"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B01",),
    ),
    Rule(
        id="KM202",
        name="dropout-rate",
        summary="`p=` of Dropout, GaussianDropout and SpatialDropout* is `rate=`.",
        before=(
            "from keras.layers import Dropout, SpatialDropout2D\n"
            "\n"
            "drop = Dropout(p=0.5)\n"
            "drop_maps = SpatialDropout2D(p=0.2)"
        ),
        after=(
            "from tensorflow.keras.layers import Dropout, SpatialDropout2D\n"
            "\n"
            "drop = Dropout(rate=0.5)\n"
            "drop_maps = SpatialDropout2D(rate=0.2)"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B02",),
    ),
    Rule(
        id="KM203",
        name="embedding-args",
        summary="Keras 1 `Embedding` arguments become their Keras 2 names; `dropout=` is dropped.",
        before=(
            "from keras.layers import Embedding\n"
            "from keras.regularizers import l2\n"
            "\n"
            "embed = Embedding(1000, 64, init='uniform', W_regularizer=l2(1e-5), dropout=0.2)"
        ),
        after=(
            "from tensorflow.keras.layers import Embedding\n"
            "from tensorflow.keras.regularizers import l2\n"
            "\n"
            "embed = Embedding(1000, 64, embeddings_initializer='uniform', embeddings_regularizer=l2(1e-5))  # kmigrate: KM203 add SpatialDropout1D(0.2) after this layer if the code relied on it"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 2 ignored `dropout` (with a warning), so dropping it keeps Keras 2 behaviour; Keras 1 "
            "dropped whole words, so unless the code is known to run on Keras 2 the line is also marked: add "
            "SpatialDropout1D after the layer to get dropout back."
        ),
        catalog=("B03",),
    ),
    Rule(
        id="KM204",
        name="pooling1d-args",
        summary=(
            "`pool_length=`, `stride=`, `border_mode=` of 1D pooling become `pool_size=`, `strides=`, "
            "`padding=`."
        ),
        before=(
            "from keras.layers import MaxPooling1D\n"
            "\n"
            "pool = MaxPooling1D(pool_length=2, stride=None, border_mode='valid')"
        ),
        after=(
            "from tensorflow.keras.layers import MaxPooling1D\n"
            "\n"
            "pool = MaxPooling1D(pool_size=2, strides=None, padding='valid')"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B04",),
    ),
    Rule(
        id="KM205",
        name="prelu-init",
        summary="`PReLU(init=)` is `alpha_initializer=`.",
        before=(
            "from keras.layers.advanced_activations import PReLU\n"
            "\n"
            "act = PReLU(init='zero')"
        ),
        after=(
            "from tensorflow.keras.layers import PReLU\n"
            "\n"
            "act = PReLU(alpha_initializer='zero')"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B05",),
    ),
    Rule(
        id="KM206",
        name="gaussiannoise-sigma",
        summary="`GaussianNoise(sigma=)` is `stddev=`.",
        before=(
            "from keras.layers.noise import GaussianNoise\n"
            "\n"
            "noise = GaussianNoise(sigma=0.1)"
        ),
        after=(
            "from tensorflow.keras.layers import GaussianNoise\n"
            "\n"
            "noise = GaussianNoise(stddev=0.1)"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B06",),
    ),
    Rule(
        id="KM207",
        name="recurrent-args",
        summary=(
            "Keras 1 `LSTM`/`GRU`/`SimpleRNN` arguments become their Keras 2 names; `consume_less=` is "
            "dropped."
        ),
        before=(
            "from keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(output_dim=64, inner_init='orthogonal', inner_activation='hard_sigmoid',\n"
            "            dropout_W=0.2, dropout_U=0.2, consume_less='gpu')"
        ),
        after=(
            "from tensorflow.keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(units=64, recurrent_initializer='orthogonal', recurrent_activation='hard_sigmoid',\n"
            "            dropout=0.2, recurrent_dropout=0.2)"
        ),
        safety=SAFE,
        safety_note=(
            "consume_less only picked an implementation (same numbers); Keras 3 ignores `implementation` and "
            "rejects consume_less. Under --target tf_keras it becomes `implementation=` as Keras 2 did."
        ),
        catalog=("B07",),
    ),
    Rule(
        id="KM208",
        name="recurrent-preprocessor",
        summary=(
            "`forget_bias_init='one'` is `unit_forget_bias=True`; `input_dim=`/`input_length=` of recurrent "
            "layers become `input_shape=`."
        ),
        before=(
            "from keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(32, forget_bias_init='one', input_dim=8, input_length=10)"
        ),
        after=(
            "from tensorflow.keras.layers import LSTM\n"
            "\n"
            "lstm = LSTM(32, unit_forget_bias=True, input_shape=(10, 8))"
        ),
        safety=SAFE,
        safety_note=(
            "As Keras 2's recurrent_args_preprocessor did. Keras 3 reads a bare input_dim as "
            "input_shape=(input_dim,), the wrong rank for a sequence layer. Other forget_bias_init values "
            "were ignored by Keras 2 and are dropped (marked when the code may be Keras 1)."
        ),
        catalog=("B08",),
    ),
    Rule(
        id="KM209",
        name="pooling2d3d-args",
        summary="`border_mode=` and `dim_ordering=` of 2D/3D pooling become `padding=` and `data_format=`.",
        before=(
            "from keras.layers import MaxPooling2D\n"
            "\n"
            "pool = MaxPooling2D(pool_size=(2, 2), border_mode='same')"
        ),
        after=(
            "from tensorflow.keras.layers import MaxPooling2D\n"
            "\n"
            "pool = MaxPooling2D(pool_size=(2, 2), padding='same')"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B09",),
    ),
    Rule(
        id="KM210",
        name="global-pooling-dim-ordering",
        summary="`dim_ordering=` of global pooling is `data_format=` (the rewrite is reported as KM229).",
        before=(
            "from keras.layers import GlobalAveragePooling2D\n"
            "\n"
            "pool = GlobalAveragePooling2D(dim_ordering='tf')"
        ),
        after=(
            "from tensorflow.keras.layers import GlobalAveragePooling2D\n"
            "\n"
            "pool = GlobalAveragePooling2D(data_format='channels_last')"
        ),
        safety=SAFE,
        safety_note=_SHIM + " Global pooling's only "
        "legacy argument is dim_ordering, whose conversion every layer shares: KM229.",
        catalog=("B10",),
    ),
    Rule(
        id="KM211",
        name="upsampling-args",
        summary="`UpSampling1D(length=)` is `size=`; `dim_ordering=` is `data_format=`.",
        before=(
            "from keras.layers import UpSampling1D, UpSampling2D\n"
            "\n"
            "up_steps = UpSampling1D(length=2)\n"
            "up_maps = UpSampling2D(size=(2, 2))"
        ),
        after=(
            "from tensorflow.keras.layers import UpSampling1D, UpSampling2D\n"
            "\n"
            "up_steps = UpSampling1D(size=2)\n"
            "up_maps = UpSampling2D(size=(2, 2))"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B11",),
    ),
    Rule(
        id="KM212",
        name="conv1d-args",
        summary=(
            "Keras 1 `Convolution1D` arguments become their Keras 2 names; `input_dim=`/`input_length=` "
            "become `input_shape=`."
        ),
        before=(
            "from keras.layers import Convolution1D\n"
            "\n"
            "conv = Convolution1D(nb_filter=64, filter_length=3, subsample_length=1, border_mode='same',\n"
            "                     input_dim=100, input_length=50)"
        ),
        after=(
            "from tensorflow.keras.layers import Convolution1D\n"
            "\n"
            "conv = Convolution1D(filters=64, kernel_size=3, strides=1, padding='same',\n"
            "                     input_shape=(50, 100))"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B12",),
    ),
    Rule(
        id="KM213",
        name="conv2d-kwargs",
        summary="Keras 1 `Convolution2D` keyword arguments become their Keras 2 names.",
        before=(
            "from keras.layers import Convolution2D\n"
            "\n"
            "conv = Convolution2D(64, (3, 3), subsample=(2, 2), border_mode='same', init='he_normal', bias=False)"
        ),
        after=(
            "from tensorflow.keras.layers import Convolution2D\n"
            "\n"
            "conv = Convolution2D(64, (3, 3), strides=(2, 2), padding='same', kernel_initializer='he_normal', use_bias=False)"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B13",),
    ),
    Rule(
        id="KM214",
        name="conv2d-positional-kernel",
        summary=(
            "The Keras 1 kernel `Convolution2D(32, 3, 3)` (or `nb_row=`/`nb_col=`) becomes the tuple `(3, "
            "3)`."
        ),
        before=(
            "from keras.layers import Convolution2D, Conv2D\n"
            "\n"
            "conv_a = Convolution2D(32, 3, 3)\n"
            "conv_b = Conv2D(32, nb_row=3, nb_col=3)"
        ),
        after=(
            "from tensorflow.keras.layers import Convolution2D, Conv2D\n"
            "\n"
            "conv_a = Convolution2D(32, (3, 3))\n"
            "conv_b = Conv2D(32, kernel_size=(3, 3))"
        ),
        safety=SAFE,
        safety_note=(
            "In tf.keras `Conv2D(32, 3, 3)` is valid and means kernel 3 with strides 3: the fold must "
            "happen. Also for Deconvolution2D, SeparableConvolution2D, AtrousConvolution2D, "
            "LocallyConnected2D and ConvLSTM2D."
        ),
        catalog=("B14",),
    ),
    Rule(
        id="KM215",
        name="separable-conv2d-args",
        summary=(
            "Keras 1 `SeparableConvolution2D` arguments; `init=` sets both the depthwise and the pointwise "
            "initializer."
        ),
        before=(
            "from keras.layers import SeparableConvolution2D\n"
            "\n"
            "conv = SeparableConvolution2D(64, (3, 3), init='he_normal', border_mode='same')"
        ),
        after=(
            "from tensorflow.keras.layers import SeparableConvolution2D\n"
            "\n"
            "conv = SeparableConvolution2D(64, (3, 3), depthwise_initializer='he_normal', pointwise_initializer='he_normal', padding='same')"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B15",),
    ),
    Rule(
        id="KM216",
        name="deconv2d-args",
        summary="Keras 1 `Deconvolution2D` arguments; `output_shape` is dropped.",
        before=(
            "from keras.layers import Deconvolution2D\n"
            "\n"
            "deconv = Deconvolution2D(64, 3, 3, output_shape=(None, 14, 14, 64), subsample=(2, 2))"
        ),
        after=(
            "from tensorflow.keras.layers import Conv2DTranspose\n"
            "\n"
            "deconv = Conv2DTranspose(64, (3, 3), strides=(2, 2))"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 2 dropped output_shape too and inferred the size; if the old shape was not the inferred "
            "one, add output_padding=."
        ),
        catalog=("B16",),
    ),
    *MORE_RULES,
)
