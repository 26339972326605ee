"""The layer-arguments family's rule entries (KM201-KM254 that concern layer constructor arguments)."""

from __future__ import annotations

from kmigrate.rules.base import FixSafety, Rule

SAFE, CONTEXT, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

_SHIM = "Keras 2.0-2.3 converted this at run time (keras/legacy/interfaces.py); tf.keras has no shim."


RULES = (
    Rule("KM201", "dense-args", "Keras 1 `Dense` arguments become their Keras 2 names.",
         "Dense(output_dim=64, init='he_normal', W_regularizer=l2(1e-4), bias=False)",
         "Dense(units=64, kernel_initializer='he_normal', kernel_regularizer=l2(1e-4), use_bias=False)",
         SAFE, _SHIM, ("B01",)),
    Rule("KM202", "dropout-rate", "`p=` of Dropout, GaussianDropout and SpatialDropout* is `rate=`.",
         "Dropout(p=0.5)\nSpatialDropout2D(p=0.2, dim_ordering='th')",
         "Dropout(rate=0.5)\nSpatialDropout2D(rate=0.2, data_format='channels_first')",
         SAFE, _SHIM, ("B02",)),
    Rule("KM203", "embedding-args", "Keras 1 `Embedding` arguments become their Keras 2 names; "
         "`dropout=` is dropped.",
         "Embedding(1000, 64, init='uniform', W_regularizer=r, dropout=0.2)",
         "Embedding(1000, 64, embeddings_initializer='uniform', embeddings_regularizer=r)",
         CONTEXT, "Keras 2 ignored `dropout` (with a warning), so dropping it keeps Keras 2 "
         "behaviour; Keras 1 dropped whole words, so unless the code is known to run on Keras 2 "
         "the line is also marked: add SpatialDropout1D after the layer to get dropout back.",
         ("B03",)),
    Rule("KM204", "pooling1d-args", "`pool_length=`, `stride=`, `border_mode=` of 1D pooling "
         "become `pool_size=`, `strides=`, `padding=`.",
         "MaxPooling1D(pool_length=2, stride=None, border_mode='valid')",
         "MaxPooling1D(pool_size=2, strides=None, padding='valid')", SAFE, _SHIM, ("B04",)),
    Rule("KM205", "prelu-init", "`PReLU(init=)` is `alpha_initializer=`.",
         "PReLU(init='zero')", "PReLU(alpha_initializer='zero')", SAFE, _SHIM, ("B05",)),
    Rule("KM206", "gaussiannoise-sigma", "`GaussianNoise(sigma=)` is `stddev=`.",
         "GaussianNoise(sigma=0.1)", "GaussianNoise(stddev=0.1)", SAFE, _SHIM, ("B06",)),
    Rule("KM207", "recurrent-args", "Keras 1 `LSTM`/`GRU`/`SimpleRNN` arguments become their "
         "Keras 2 names; `consume_less=` is dropped.",
         "LSTM(output_dim=64, inner_init='orthogonal', inner_activation='hard_sigmoid', "
         "dropout_W=0.2, dropout_U=0.2, consume_less='gpu')",
         "LSTM(units=64, recurrent_initializer='orthogonal', recurrent_activation='hard_sigmoid', "
         "dropout=0.2, recurrent_dropout=0.2)",
         SAFE, "consume_less only picked an implementation (same numbers); Keras 3 ignores "
         "`implementation` and rejects consume_less. Under --target tf_keras it becomes "
         "`implementation=` as Keras 2 did.", ("B07",)),
    Rule("KM208", "recurrent-preprocessor", "`forget_bias_init='one'` is `unit_forget_bias=True`; "
         "`input_dim=`/`input_length=` of recurrent layers become `input_shape=`.",
         "LSTM(32, forget_bias_init='one', input_dim=8, input_length=10)",
         "LSTM(32, unit_forget_bias=True, input_shape=(10, 8))",
         SAFE, "As Keras 2's recurrent_args_preprocessor did. Keras 3 reads a bare input_dim as "
         "input_shape=(input_dim,), the wrong rank for a sequence layer. Other forget_bias_init "
         "values were ignored by Keras 2 and are dropped (marked when the code may be Keras 1).",
         ("B08",)),
    Rule("KM209", "pooling2d3d-args", "`border_mode=` and `dim_ordering=` of 2D/3D pooling "
         "become `padding=` and `data_format=`.",
         "MaxPooling2D(pool_size=(2, 2), border_mode='same', dim_ordering='th')",
         "MaxPooling2D(pool_size=(2, 2), padding='same', data_format='channels_first')",
         SAFE, _SHIM, ("B09",)),
    Rule("KM210", "global-pooling-dim-ordering", "`dim_ordering=` of global pooling is "
         "`data_format=` (the rewrite is reported as KM229).",
         "GlobalAveragePooling2D(dim_ordering='tf')",
         "GlobalAveragePooling2D(data_format='channels_last')", SAFE, _SHIM + " Global pooling's only "
         "legacy argument is dim_ordering, whose conversion every layer shares: KM229.", ("B10",)),
    Rule("KM211", "upsampling-args", "`UpSampling1D(length=)` is `size=`; `dim_ordering=` is "
         "`data_format=`.",
         "UpSampling1D(length=2)\nUpSampling2D(size=(2, 2), dim_ordering='th')",
         "UpSampling1D(size=2)\nUpSampling2D(size=(2, 2), data_format='channels_first')",
         SAFE, _SHIM, ("B11",)),
    Rule("KM212", "conv1d-args", "Keras 1 `Convolution1D` arguments become their Keras 2 names; "
         "`input_dim=`/`input_length=` become `input_shape=`.",
         "Convolution1D(nb_filter=64, filter_length=3, subsample_length=1, border_mode='same', "
         "input_dim=100, input_length=50)",
         "Convolution1D(filters=64, kernel_size=3, strides=1, padding='same', input_shape=(50, 100))",
         SAFE, _SHIM, ("B12",)),
    Rule("KM213", "conv2d-kwargs", "Keras 1 `Convolution2D` keyword arguments become their "
         "Keras 2 names.",
         "Convolution2D(64, (3, 3), subsample=(2, 2), border_mode='same', init='he_normal', bias=False)",
         "Convolution2D(64, (3, 3), strides=(2, 2), padding='same', kernel_initializer='he_normal', "
         "use_bias=False)", SAFE, _SHIM, ("B13",)),
    Rule("KM214", "conv2d-positional-kernel", "The Keras 1 kernel `Convolution2D(32, 3, 3)` "
         "(or `nb_row=`/`nb_col=`) becomes the tuple `(3, 3)`.",
         "Convolution2D(32, 3, 3)\nConv2D(32, nb_row=3, nb_col=3)",
         "Convolution2D(32, (3, 3))\nConv2D(32, kernel_size=(3, 3))",
         SAFE, "In tf.keras `Conv2D(32, 3, 3)` is valid and means kernel 3 with strides 3: the "
         "fold must happen. Also for Deconvolution2D, SeparableConvolution2D, "
         "AtrousConvolution2D, LocallyConnected2D and ConvLSTM2D.", ("B14",)),
    Rule("KM215", "separable-conv2d-args", "Keras 1 `SeparableConvolution2D` arguments; `init=` "
         "sets both the depthwise and the pointwise initializer.",
         "SeparableConvolution2D(64, 3, 3, init='he_normal', border_mode='same')",
         "SeparableConvolution2D(64, (3, 3), depthwise_initializer='he_normal', "
         "pointwise_initializer='he_normal', padding='same')", SAFE, _SHIM, ("B15",)),
    Rule("KM216", "deconv2d-args", "Keras 1 `Deconvolution2D` arguments; `output_shape` is "
         "dropped.",
         "Conv2DTranspose(64, 3, 3, output_shape=(None, 14, 14, 64), subsample=(2, 2))",
         "Conv2DTranspose(64, (3, 3), strides=(2, 2))",
         SAFE, "Keras 2 dropped output_shape too and inferred the size; if the old shape was not "
         "the inferred one, add output_padding=.", ("B16",)),
    Rule("KM217", "conv3d-args", "Keras 1 `Convolution3D` arguments; `(32, 3, 3, 3)` and "
         "`kernel_dim1..3` become a kernel tuple.",
         "Convolution3D(32, 3, 3, 3, border_mode='same')",
         "Convolution3D(32, (3, 3, 3), padding='same')", SAFE,
         "Same silent-strides hazard as KM214.", ("B17",)),
    Rule("KM218", "convlstm2d-args", "Keras 1 `ConvLSTM2D` arguments become their Keras 2 names.",
         "ConvLSTM2D(nb_filter=40, nb_row=3, nb_col=3, inner_init='orthogonal', forget_bias_init='one')",
         "ConvLSTM2D(filters=40, kernel_size=(3, 3), recurrent_initializer='orthogonal', "
         "unit_forget_bias=True)", SAFE, _SHIM, ("B18",)),
    Rule("KM219", "batchnorm-args", "`BatchNormalization(mode=0, beta_init=, gamma_init=)` "
         "loses `mode` and renames the initializers; other modes are marked.",
         "BatchNormalization(mode=0, axis=1, beta_init='zero', gamma_init='one')",
         "BatchNormalization(axis=1, beta_initializer='zero', gamma_initializer='one')",
         CONTEXT, "mode=0 is the only mode Keras 2 kept; mode=1/2 have no equivalent and are "
         "marked.", ("B19",)),
    Rule("KM220", "zeropadding2d-padding", "Keras 1 `ZeroPadding2D` padding dicts and 4-tuples "
         "become `((top, bottom), (left, right))`.",
         "ZeroPadding2D(padding=(1, 2, 0, 1))",
         "ZeroPadding2D(padding=((1, 2), (0, 1)))", SAFE,
         "Keras 1 read a 4-tuple as (top, bottom, left, right); tf.keras rejects it.", ("B20",)),
    Rule("KM221", "padding-cropping-dim-ordering", "`dim_ordering=` of ZeroPadding3D and "
         "Cropping2D/3D is `data_format=`.",
         "Cropping2D(cropping=((1, 1), (2, 2)), dim_ordering='tf')",
         "Cropping2D(cropping=((1, 1), (2, 2)), data_format='channels_last')", SAFE, _SHIM, ("B21",)),
    Rule("KM222", "lambda-positional-arguments", "A third positional argument of `Lambda` is "
         "Keras 1 `arguments=`.",
         "Lambda(fn, out_shape, {'k': 2})",
         "Lambda(fn, out_shape, arguments={'k': 2})", SAFE,
         "Keras 2 inserted `mask` as the third parameter.", ("B22",)),
    Rule("KM224", "model-inputs-outputs", "`Model(input=, output=)` is `Model(inputs=, outputs=)`.",
         "Model(input=x, output=y)", "Model(inputs=x, outputs=y)", SAFE, _SHIM, ("B24",)),
    Rule("KM225", "inputlayer-input-dtype", "`InputLayer(input_dtype=)` is `dtype=`.",
         "InputLayer(input_shape=(8,), input_dtype='int32')",
         "InputLayer(input_shape=(8,), dtype='int32')", SAFE, _SHIM, ("B25",)),
    Rule("KM226", "add-weight-positional", "Positional `self.add_weight(...)` arguments of custom "
         "layers become keywords.",
         "self.W = self.add_weight('W', (input_dim, self.units), initializer='glorot_uniform')",
         "self.W = self.add_weight(name='W', shape=(input_dim, self.units), initializer='glorot_uniform')",
         CONTEXT, "Keras 1/2.0.0 took (shape, initializer, name, ...), 2.0.9+ (name, shape, ...), "
         "Keras 3 only keywords. A string first argument is the name, a shape tuple the shape; "
         "anything else is marked.", ("B26",)),
    Rule("KM228", "keras1-extra-positionals", "Positional arguments Keras 2 did not accept are "
         "Keras 1 code and become keywords of the Keras 1 signature.",
         "Dense(64, 'he_normal')\nLSTM(32, 'glorot_uniform', 'orthogonal')",
         "Dense(64, kernel_initializer='he_normal')\n"
         "LSTM(32, kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal')",
         SAFE, "Keras 2 raised for these; tf.keras accepts them with another meaning "
         "(LSTM's second positional is activation).", ("B28",)),
    Rule("KM229", "dim-ordering-values", "`dim_ordering='th'|'tf'|'default'` is "
         "`data_format='channels_first'|'channels_last'|(default)`.",
         "Convolution2D(32, (3, 3), dim_ordering='th')",
         "Convolution2D(32, (3, 3), data_format='channels_first')", CONTEXT,
         "Literal values are mapped; `K.image_dim_ordering()` becomes `K.image_data_format()`; "
         "other values are renamed and marked.", ("B29",)),
    Rule("KM234", "atrous-convolution", "`AtrousConvolution1D/2D` are `Conv1D`/`Conv2D` with "
         "`dilation_rate=`.",
         "AtrousConvolution2D(64, 3, 3, atrous_rate=(2, 2), border_mode='same')",
         "Conv2D(64, (3, 3), dilation_rate=(2, 2), padding='same')", SAFE,
         "Keras 2's AtrousConvolution factories did exactly this.", ("B34",)),
    Rule("KM235", "timedistributeddense", "`TimeDistributedDense` is `TimeDistributed(Dense(...))`.",
         "TimeDistributedDense(64, input_dim=16, input_length=10, activation='relu')",
         "TimeDistributed(Dense(64, activation='relu'), input_shape=(10, 16))", SAFE,
         "Same computation and the same (kernel, bias) weights per time step.", ("B35",)),
    Rule("KM236", "highway-maxoutdense", "`Highway` and `MaxoutDense` have no tf.keras equivalent.",
         "Highway(activation='relu')",
         "# kmigrate: KM236 ... (a small custom layer)", FLAG,
         "Removed in Keras 2.0 (kept in keras.legacy until 2.3); the weight layout of a "
         "replacement differs.", ("B36",)),
    Rule("KM237", "srelu-parametricsoftplus", "`SReLU` and `ParametricSoftplus` have no tf.keras "
         "equivalent.",
         "SReLU()", "# kmigrate: KM237 ... (port as a custom layer)", FLAG,
         "Removed in Keras 2.0 (moved to keras-contrib).", ("B37",)),
    Rule("KM238", "removed-conv-aliases", "`Deconvolution2D`/`Deconv2D`/`Deconvolution3D`/"
         "`Deconv3D` are `Conv2DTranspose`/`Conv3DTranspose`.",
         "Deconvolution2D(64, (3, 3), strides=(2, 2))",
         "Conv2DTranspose(64, (3, 3), strides=(2, 2))", SAFE,
         "The names were aliases in Keras 2 and are gone from tf.keras; AtrousConv1D/2D are "
         "KM234.", ("B38",)),
    Rule("KM239", "surviving-aliases", "`Convolution1D/2D/3D`, `SeparableConvolution2D`, "
         "`MaxPool2D`, ... still exist in tf.keras and are kept.",
         "Convolution2D(32, 3, 3)", "Convolution2D(32, (3, 3))", SAFE,
         "Informational: kmigrate converts these aliases' arguments (KM213/KM214, ...) and keeps "
         "the name the file imports, so no import is left behind. It never fires by itself.",
         ("B39",)),
)
