"""layer_args family rules KM217-KM239 (the catalog continued: catalog.py has the first ones)."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE
from kmigrate.rules.base import Rule

_SHIM = "Keras 2.0-2.3 converted this at run time (keras/legacy/interfaces.py); tf.keras has no shim."


MORE_RULES = (
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
        safety_note=(
            "mode=0 is the only mode Keras 2 kept and is dropped. Other modes are marked with what they "
            "need: mode=1 (per-sample normalization) LayerNormalization(axis=-1), mode=2 (batch "
            "statistics at test time too) calling the layer with training=True; a mode chosen at run "
            "time gets all three."
        ),
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
