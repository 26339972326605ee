"""The layer-arguments family's rule entries (KM201-KM254 that concern layer constructor arguments)."""

from __future__ import annotations

from kmigrate.rules.base import FixSafety, Rule

SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

_SHIM = "Keras 2.0-2.3 converted this at run time (keras/legacy/interfaces.py); tf.keras has no shim."


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
    Rule(
        id="KM217",
        name="conv3d-args",
        summary=(
            "Keras 1 `Convolution3D` arguments; `(32, 3, 3, 3)` and `kernel_dim1..3` become a kernel tuple."
        ),
        before=(
            "from keras.layers import Convolution3D\n"
            "\n"
            "conv = Convolution3D(32, 3, 3, 3, border_mode='same')"
        ),
        after=(
            "from tensorflow.keras.layers import Convolution3D\n"
            "\n"
            "conv = Convolution3D(32, (3, 3, 3), padding='same')"
        ),
        safety=SAFE,
        safety_note="Same silent-strides hazard as KM214.",
        catalog=("B17",),
    ),
    Rule(
        id="KM218",
        name="convlstm2d-args",
        summary="Keras 1 `ConvLSTM2D` arguments become their Keras 2 names.",
        before=(
            "from keras.layers import ConvLSTM2D\n"
            "\n"
            "conv_lstm = ConvLSTM2D(nb_filter=40, nb_row=3, nb_col=3, inner_init='orthogonal', forget_bias_init='one')"
        ),
        after=(
            "from tensorflow.keras.layers import ConvLSTM2D\n"
            "\n"
            "conv_lstm = ConvLSTM2D(filters=40, kernel_size=(3, 3), recurrent_initializer='orthogonal', unit_forget_bias=True)"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B18",),
    ),
    Rule(
        id="KM219",
        name="batchnorm-args",
        summary=(
            "`BatchNormalization(mode=0, beta_init=, gamma_init=)` loses `mode` and renames the "
            "initializers; other modes are marked."
        ),
        before=(
            "from keras.layers import BatchNormalization\n"
            "\n"
            "norm = BatchNormalization(mode=0, axis=1, beta_init='zero', gamma_init='one')"
        ),
        after=(
            "from tensorflow.keras.layers import BatchNormalization\n"
            "\n"
            "norm = BatchNormalization(axis=1, beta_initializer='zero', gamma_initializer='one')"
        ),
        safety=CONTEXT,
        safety_note="mode=0 is the only mode Keras 2 kept; mode=1/2 have no equivalent and are marked.",
        catalog=("B19",),
    ),
    Rule(
        id="KM220",
        name="zeropadding2d-padding",
        summary="Keras 1 `ZeroPadding2D` padding dicts and 4-tuples become `((top, bottom), (left, right))`.",
        before=(
            "from keras.layers import ZeroPadding2D\n"
            "\n"
            "pad = ZeroPadding2D(padding=(1, 2, 0, 1))"
        ),
        after=(
            "from tensorflow.keras.layers import ZeroPadding2D\n"
            "\n"
            "pad = ZeroPadding2D(padding=((1, 2), (0, 1)))"
        ),
        safety=SAFE,
        safety_note="Keras 1 read a 4-tuple as (top, bottom, left, right); tf.keras rejects it.",
        catalog=("B20",),
    ),
    Rule(
        id="KM221",
        name="padding-cropping-dim-ordering",
        summary="`dim_ordering=` of ZeroPadding3D and Cropping2D/3D is `data_format=`.",
        before=(
            "from keras.layers import Cropping2D\n"
            "\n"
            "crop = Cropping2D(cropping=((1, 1), (2, 2)), dim_ordering='tf')"
        ),
        after=(
            "from tensorflow.keras.layers import Cropping2D\n"
            "\n"
            "crop = Cropping2D(cropping=((1, 1), (2, 2)), dim_ordering='tf')"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B21",),
    ),
    Rule(
        id="KM222",
        name="lambda-positional-arguments",
        summary="A third positional argument of `Lambda` is Keras 1 `arguments=`.",
        before=(
            "from keras.layers import Lambda\n"
            "\n"
            "\n"
            "def scale(x, k):\n"
            "    return x * k\n"
            "\n"
            "\n"
            "layer = Lambda(scale, None, {'k': 2})"
        ),
        after=(
            "from tensorflow.keras.layers import Lambda\n"
            "\n"
            "\n"
            "def scale(x, k):\n"
            "    return x * k\n"
            "\n"
            "\n"
            "layer = Lambda(scale, None, arguments={'k': 2})"
        ),
        safety=SAFE,
        safety_note="Keras 2 inserted `mask` as the third parameter.",
        catalog=("B22",),
    ),
    Rule(
        id="KM224",
        name="model-inputs-outputs",
        summary="`Model(input=, output=)` is `Model(inputs=, outputs=)`.",
        before=(
            "from keras.layers import Input, Dense\n"
            "from keras.models import Model\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = Dense(1)(x)\n"
            "model = Model(input=x, output=y)"
        ),
        after=(
            "from tensorflow.keras.layers import Input, Dense\n"
            "from tensorflow.keras.models import Model\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = Dense(1)(x)\n"
            "model = Model(inputs=x, outputs=y)"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B24",),
    ),
    Rule(
        id="KM225",
        name="inputlayer-input-dtype",
        summary="`InputLayer(input_dtype=)` is `dtype=`.",
        before=(
            "from keras.engine import InputLayer\n"
            "\n"
            "layer = InputLayer(input_shape=(8,), input_dtype='int32')"
        ),
        after=(
            "from tensorflow.keras.layers import InputLayer\n"
            "\n"
            "layer = InputLayer(input_shape=(8,), dtype='int32')"
        ),
        safety=SAFE,
        safety_note=_SHIM,
        catalog=("B25",),
    ),
    Rule(
        id="KM226",
        name="add-weight-positional",
        summary="Positional `self.add_weight(...)` arguments of custom layers become keywords.",
        before=(
            "from keras.engine.topology import Layer\n"
            "\n"
            "\n"
            "class Linear(Layer):\n"
            "    def __init__(self, units, **kwargs):\n"
            "        super(Linear, self).__init__(**kwargs)\n"
            "        self.units = units\n"
            "\n"
            "    def build(self, input_shape):\n"
            "        self.W = self.add_weight('W', (input_shape[-1], self.units), initializer='glorot_uniform')\n"
            "        super(Linear, self).build(input_shape)"
        ),
        after=(
            "from tensorflow.keras.layers import Layer\n"
            "\n"
            "\n"
            "class Linear(Layer):\n"
            "    def __init__(self, units, **kwargs):\n"
            "        super(Linear, self).__init__(**kwargs)\n"
            "        self.units = units\n"
            "\n"
            "    def build(self, input_shape):\n"
            "        self.W = self.add_weight(name='W', shape=(input_shape[-1], self.units), initializer='glorot_uniform')\n"
            "        super(Linear, self).build(input_shape)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 1/2.0.0 took (shape, initializer, name, ...), 2.0.9+ (name, shape, ...), Keras 3 only "
            "keywords. A string first argument is the name, a shape tuple the shape; anything else is "
            "marked."
        ),
        catalog=("B26",),
    ),
    Rule(
        id="KM228",
        name="keras1-extra-positionals",
        summary=(
            "Positional arguments Keras 2 did not accept are Keras 1 code and become keywords of the Keras 1 "
            "signature."
        ),
        before=(
            "from keras.layers import Dense, LSTM\n"
            "\n"
            "dense = Dense(64, 'he_normal')\n"
            "lstm = LSTM(32, 'glorot_uniform', 'orthogonal')"
        ),
        after=(
            "from tensorflow.keras.layers import Dense, LSTM\n"
            "\n"
            "dense = Dense(64, kernel_initializer='he_normal')\n"
            "lstm = LSTM(32, kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal')"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 2 raised for these; tf.keras accepts them with another meaning (LSTM's second positional "
            "is activation)."
        ),
        catalog=("B28",),
    ),
    Rule(
        id="KM229",
        name="dim-ordering-values",
        summary=(
            "`dim_ordering='th'|'tf'|'default'` is `data_format='channels_first'|'channels_last'|(default)`."
        ),
        before=(
            "from keras.layers import Convolution2D\n"
            "\n"
            "conv = Convolution2D(32, (3, 3), dim_ordering='th')"
        ),
        after=(
            "from tensorflow.keras.layers import Convolution2D\n"
            "\n"
            "conv = Convolution2D(32, (3, 3), data_format='channels_first')"
        ),
        safety=CONTEXT,
        safety_note=(
            "Literal values are mapped; `K.image_dim_ordering()` becomes `K.image_data_format()`; other "
            "values are renamed and marked."
        ),
        catalog=("B29",),
    ),
    Rule(
        id="KM234",
        name="atrous-convolution",
        summary="`AtrousConvolution1D/2D` are `Conv1D`/`Conv2D` with `dilation_rate=`.",
        before=(
            "from keras.layers import AtrousConvolution2D\n"
            "\n"
            "conv = AtrousConvolution2D(64, 3, 3, atrous_rate=(2, 2), border_mode='same')"
        ),
        after=(
            "from tensorflow.keras.layers import Conv2D\n"
            "\n"
            "conv = Conv2D(64, (3, 3), dilation_rate=(2, 2), padding='same')"
        ),
        safety=SAFE,
        safety_note="Keras 2's AtrousConvolution factories did exactly this.",
        catalog=("B34",),
    ),
    Rule(
        id="KM235",
        name="timedistributeddense",
        summary="`TimeDistributedDense` is `TimeDistributed(Dense(...))`.",
        before=(
            "from keras.layers import TimeDistributedDense\n"
            "\n"
            "layer = TimeDistributedDense(64, input_dim=16, input_length=10, activation='relu')"
        ),
        after=(
            "from tensorflow.keras.layers import Dense, TimeDistributed\n"
            "\n"
            "layer = TimeDistributed(Dense(64, activation='relu'), input_shape=(10, 16))"
        ),
        safety=SAFE,
        safety_note="Same computation and the same (kernel, bias) weights per time step.",
        catalog=("B35",),
    ),
    Rule(
        id="KM236",
        name="highway-maxoutdense",
        summary="`Highway` and `MaxoutDense` have no tf.keras equivalent.",
        before=(
            "from keras.layers import Highway\n"
            "\n"
            "layer = Highway(activation='relu')"
        ),
        after="# kmigrate: KM236 ... (a small custom layer)",
        safety=FLAG,
        safety_note=(
            "Removed in Keras 2.0 (kept in keras.legacy until 2.3); the weight layout of a replacement "
            "differs."
        ),
        catalog=("B36",),
    ),
    Rule(
        id="KM237",
        name="srelu-parametricsoftplus",
        summary="`SReLU` and `ParametricSoftplus` have no tf.keras equivalent.",
        before=(
            "from keras.layers.advanced_activations import SReLU\n"
            "\n"
            "act = SReLU()"
        ),
        after="# kmigrate: KM237 ... (port as a custom layer)",
        safety=FLAG,
        safety_note="Removed in Keras 2.0 (moved to keras-contrib).",
        catalog=("B37",),
    ),
    Rule(
        id="KM238",
        name="removed-conv-aliases",
        summary=(
            "`Deconvolution2D`/`Deconv2D`/`Deconvolution3D`/`Deconv3D` are "
            "`Conv2DTranspose`/`Conv3DTranspose`."
        ),
        before=(
            "from keras.layers import Deconvolution2D\n"
            "\n"
            "deconv = Deconvolution2D(64, (3, 3), strides=(2, 2))"
        ),
        after=(
            "from tensorflow.keras.layers import Conv2DTranspose\n"
            "\n"
            "deconv = Conv2DTranspose(64, (3, 3), strides=(2, 2))"
        ),
        safety=SAFE,
        safety_note=(
            "The names were aliases in Keras 2 and are gone from tf.keras; AtrousConv1D/2D are KM234."
        ),
        catalog=("B38",),
    ),
    Rule(
        id="KM239",
        name="surviving-aliases",
        summary=(
            "`Convolution1D/2D/3D`, `SeparableConvolution2D`, `MaxPool2D`, ... still exist in tf.keras and "
            "are kept."
        ),
        before=(
            "from keras.layers import Convolution2D\n"
            "\n"
            "conv = Convolution2D(32, (3, 3), padding='same')"
        ),
        after=(
            "from tensorflow.keras.layers import Convolution2D\n"
            "\n"
            "conv = Convolution2D(32, (3, 3), padding='same')"
        ),
        safety=SAFE,
        safety_note=(
            "Informational: kmigrate converts these aliases' arguments (KM213/KM214, ...) and keeps the name "
            "the file imports, so no import is left behind. It never fires by itself."
        ),
        catalog=("B39",),
    ),
)
