"""KM201-KM239: Keras 1 -> 2 layer constructor arguments and removed layer classes."""

from __future__ import annotations

import pytest

from kmigrate.rules import layer_args
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated, rules_fired, run

MINE = tuple(rule.id for rule in layer_args.RULES)
# Only this family: the imports stay legacy, so the tests do not depend on other families.
ONLY = {"select": MINE}
WITH_IMPORTS = {"select": MINE + ("KM1",)}


def test_rule_ids_follow_the_catalog() -> None:
    for rule in layer_args.RULES:
        (catalog,) = rule.catalog
        assert rule.id == "KM2" + catalog[1:], rule.id


# -- KM201 Dense ---------------------------------------------------------------------------------


def test_dense_keywords() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import Dense
        layer = Dense(output_dim=64, init='he_normal', W_regularizer=r, b_regularizer=s,
                      W_constraint=c, b_constraint=d, bias=False, activation='relu')
        """,
        """
        from keras.layers import Dense
        layer = Dense(units=64, kernel_initializer='he_normal', kernel_regularizer=r, bias_regularizer=s,
                      kernel_constraint=c, bias_constraint=d, use_bias=False, activation='relu')
        """,
        **ONLY,
    )
    assert rules_fired(diagnostics) == {"KM201"}


def test_dense_keyword_order_and_comments_are_kept() -> None:
    assert_migrates(
        """
        from keras.layers.core import Dense
        layer = Dense(activation='relu',  # hidden
                      output_dim=8)
        """,
        """
        from keras.layers.core import Dense
        layer = Dense(activation='relu',  # hidden
                      units=8)
        """,
        **ONLY,
    )


@pytest.mark.parametrize(
    "imports, spelled",
    [
        ("import keras.layers as L", "L.Dense"),
        ("import keras", "keras.layers.Dense"),
        ("import keras", "keras.layers.core.Dense"),
        ("from keras import layers", "layers.Dense"),
        ("from keras.layers import *", "Dense"),
    ],
)
def test_dense_alias_spellings(imports: str, spelled: str) -> None:
    assert_migrates(
        f"{imports}\nlayer = {spelled}(output_dim=4)\n",
        f"{imports}\nlayer = {spelled}(units=4)\n",
        **ONLY,
    )


def test_dense_with_imports_rewritten() -> None:
    assert_migrates(
        """
        from keras.layers import Dense
        layer = Dense(output_dim=4)
        """,
        """
        from tensorflow.keras.layers import Dense
        layer = Dense(units=4)
        """,
        **WITH_IMPORTS,
    )


def test_local_dense_class_is_not_keras() -> None:
    assert_unchanged(
        """
        import keras

        class Dense:
            def __init__(self, output_dim, init=None):
                pass

        layer = Dense(output_dim=4, init='x')
        """,
        **ONLY,
    )


def test_tf_keras_code_is_left_alone() -> None:
    assert_unchanged(
        """
        import tensorflow as tf
        from tensorflow.keras.layers import Conv2D, Dense
        a = tf.keras.layers.Dense(64, 'relu')
        b = Conv2D(32, 3, 3)
        c = Dense(output_dim=3)
        """,
        **ONLY,
    )


# -- KM228 Keras 1 extra positionals -------------------------------------------------------------


def test_keras1_extra_positionals_are_bound_then_renamed() -> None:
    assert_migrates(
        """
        from keras.layers import Dense, LSTM, Embedding
        a = Dense(64, 'he_normal')
        b = LSTM(32, 'glorot_uniform', 'orthogonal')
        c = Embedding(1000, 64, 'uniform', 20)
        """,
        """
        from keras.layers import Dense, LSTM, Embedding
        a = Dense(64, kernel_initializer='he_normal')
        b = LSTM(32, kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal')
        c = Embedding(1000, 64, embeddings_initializer='uniform', input_length=20)
        """,
        **ONLY,
    )


def test_keras2_positionals_keep_their_meaning() -> None:
    assert_unchanged(
        """
        from keras.layers import Dense, Dropout, Embedding, MaxPooling1D
        a = Dense(64)
        b = Dropout(0.5, None, 3)
        c = Embedding(1000, 64)
        d = MaxPooling1D(2, 1, 'same')
        """,
        **ONLY,
    )


def test_too_many_positionals_are_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Dropout
        d = Dropout(0.5, None, 3, 4)
        """,
        "KM228",
        **ONLY,
    )


def test_star_args_with_extra_positionals_are_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Dense
        d = Dense(64, 'relu', *rest)
        """,
        "KM228",
        **ONLY,
    )


def test_tensorflow_python_keras_positionals_are_not_keras1() -> None:
    # TensorFlow's private Keras copy never had the Keras 1 shim: (32, 3, 3) means strides 3 there
    # and in tf.keras alike.
    assert_unchanged(
        """
        from tensorflow.python.keras.layers import Conv2D
        c = Conv2D(32, 3, 3)
        """,
        **ONLY,
    )


# -- KM202-KM206 ------------------------------------------------------------------------------


def test_dropout_family() -> None:
    assert_migrates(
        """
        from keras.layers import Dropout, GaussianDropout, SpatialDropout1D, SpatialDropout2D
        a = Dropout(p=0.5)
        b = GaussianDropout(p=0.3)
        c = SpatialDropout1D(p=0.2)
        d = SpatialDropout2D(p=0.2, dim_ordering='th')
        """,
        """
        from keras.layers import Dropout, GaussianDropout, SpatialDropout1D, SpatialDropout2D
        a = Dropout(rate=0.5)
        b = GaussianDropout(rate=0.3)
        c = SpatialDropout1D(rate=0.2)
        d = SpatialDropout2D(rate=0.2, data_format='channels_first')
        """,
        **ONLY,
    )


def test_embedding_renames() -> None:
    assert_migrates(
        """
        from keras.layers.embeddings import Embedding
        e = Embedding(10000, 128, init='uniform', W_regularizer=r, W_constraint=c, input_length=100)
        """,
        """
        from keras.layers.embeddings import Embedding
        e = Embedding(10000, 128, embeddings_initializer='uniform', embeddings_regularizer=r, embeddings_constraint=c, input_length=100)
        """,
        **ONLY,
    )


def test_embedding_dropout_is_dropped_and_flagged_unless_keras2_is_known() -> None:
    code = """
        from keras.layers import Embedding
        e = Embedding(1000, 64, dropout=0.2)
        """
    output = assert_flags(code, "KM203", **ONLY)
    assert "dropout" not in output.splitlines()[2].split("#")[0]
    assert "SpatialDropout1D(0.2)" in output
    assert_migrates(
        code,
        """
        from keras.layers import Embedding
        e = Embedding(1000, 64)
        """,
        from_version="2.2.4",
        **ONLY,
    )


def test_pooling1d_prelu_noise() -> None:
    assert_migrates(
        """
        from keras.layers import MaxPooling1D, AveragePooling1D, PReLU, GaussianNoise
        a = MaxPooling1D(pool_length=2, stride=None, border_mode='valid')
        b = AveragePooling1D(pool_length=3)
        c = PReLU(init='zero')
        d = GaussianNoise(sigma=0.1)
        """,
        """
        from keras.layers import MaxPooling1D, AveragePooling1D, PReLU, GaussianNoise
        a = MaxPooling1D(pool_size=2, strides=None, padding='valid')
        b = AveragePooling1D(pool_size=3)
        c = PReLU(alpha_initializer='zero')
        d = GaussianNoise(stddev=0.1)
        """,
        **ONLY,
    )


# -- KM207/KM208 recurrent -----------------------------------------------------------------------


def test_recurrent_keywords() -> None:
    assert_migrates(
        """
        from keras.layers.recurrent import GRU
        g = GRU(output_dim=9, init='glorot_uniform', inner_init='orthogonal', inner_activation='hard_sigmoid',
                dropout_W=0.1, dropout_U=0.2, W_regularizer=a, U_regularizer=b, b_regularizer=c,
                consume_less='gpu', input_dim=4, input_length=7)
        """,
        """
        from keras.layers.recurrent import GRU
        g = GRU(units=9, kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal', recurrent_activation='hard_sigmoid',
                dropout=0.1, recurrent_dropout=0.2, kernel_regularizer=a, recurrent_regularizer=b, bias_regularizer=c,
                input_shape=(7, 4))
        """,
        **ONLY,
    )


def test_recurrent_input_dim_alone_and_forget_bias() -> None:
    assert_migrates(
        """
        from keras.layers import LSTM, SimpleRNN
        a = LSTM(32, forget_bias_init='one', input_dim=8)
        b = SimpleRNN(4, input_length=3, input_dim=2, return_sequences=True)
        """,
        """
        from keras.layers import LSTM, SimpleRNN
        a = LSTM(32, unit_forget_bias=True, input_shape=(None, 8))
        b = SimpleRNN(4, input_shape=(3, 2), return_sequences=True)
        """,
        **ONLY,
    )


def test_consume_less_maps_to_implementation_on_tf_keras() -> None:
    assert_migrates(
        """
        from keras.layers import LSTM
        a = LSTM(32, consume_less='gpu')
        """,
        """
        from keras.layers import LSTM
        a = LSTM(32, implementation=2)
        """,
        target="tf_keras",
        **ONLY,
    )


def test_other_forget_bias_init_is_dropped_and_flagged() -> None:
    output = assert_flags(
        """
        from keras.layers import LSTM
        a = LSTM(32, forget_bias_init='zero')
        """,
        "KM208",
        **ONLY,
    )
    assert "a = LSTM(32)" in output
    assert "unit_forget_bias=False" in output


# -- KM209-KM211 pooling, upsampling, KM229 dim_ordering ----------------------------------------


def test_pooling2d_and_dim_ordering_values() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import MaxPooling2D, AveragePooling3D, GlobalAveragePooling2D, UpSampling2D
        a = MaxPooling2D(pool_size=(2, 2), strides=None, border_mode='same', dim_ordering="th")
        b = AveragePooling3D((2, 2, 2), dim_ordering='tf')
        c = GlobalAveragePooling2D(dim_ordering='default')
        d = UpSampling2D(size=(2, 2), dim_ordering='th')
        """,
        """
        from keras.layers import MaxPooling2D, AveragePooling3D, GlobalAveragePooling2D, UpSampling2D
        a = MaxPooling2D(pool_size=(2, 2), strides=None, padding='same', data_format="channels_first")
        b = AveragePooling3D((2, 2, 2), data_format='channels_last')
        c = GlobalAveragePooling2D()
        d = UpSampling2D(size=(2, 2), data_format='channels_first')
        """,
        **ONLY,
    )
    assert rules_fired(diagnostics) == {"KM209", "KM229"}  # dim_ordering is always KM229


def test_keras1_positional_dim_ordering() -> None:
    assert_migrates(
        """
        from keras.layers import MaxPooling2D, GlobalMaxPooling2D, UpSampling1D
        a = MaxPooling2D((2, 2), None, 'valid', 'th')
        b = GlobalMaxPooling2D('tf')
        c = UpSampling1D(length=2)
        """,
        """
        from keras.layers import MaxPooling2D, GlobalMaxPooling2D, UpSampling1D
        a = MaxPooling2D((2, 2), None, 'valid', data_format='channels_first')
        b = GlobalMaxPooling2D(data_format='channels_last')
        c = UpSampling1D(size=2)
        """,
        **ONLY,
    )


def test_dim_ordering_from_backend_call() -> None:
    assert_migrates(
        """
        from keras import backend as K
        from keras.layers import Convolution2D
        c = Convolution2D(8, (3, 3), dim_ordering=K.image_dim_ordering())
        """,
        """
        from keras import backend as K
        from keras.layers import Convolution2D
        c = Convolution2D(8, (3, 3), data_format=K.image_data_format())
        """,
        **ONLY,
    )


def test_dim_ordering_from_backend_call_with_every_family() -> None:
    output = migrated(
        """
        from keras import backend as K
        from keras.layers import MaxPooling2D
        p = MaxPooling2D((2, 2), dim_ordering=K.image_dim_ordering())
        """
    )
    assert "p = MaxPooling2D((2, 2), data_format=K.image_data_format())\n" in output
    assert "# kmigrate" not in output


def test_dim_ordering_variable_is_renamed_and_flagged() -> None:
    output = assert_flags(
        """
        from keras.layers import MaxPooling2D
        a = MaxPooling2D((2, 2), dim_ordering=ordering)
        """,
        "KM229",
        **ONLY,
    )
    assert "data_format=ordering" in output


# -- KM212-KM218 convolutions -------------------------------------------------------------------


def test_conv1d_keywords_and_input_shape() -> None:
    assert_migrates(
        """
        from keras.layers.convolutional import Convolution1D
        c = Convolution1D(nb_filter=64, filter_length=3, subsample_length=1, border_mode='same',
                          activation='relu', input_dim=100, input_length=50)
        d = Convolution1D(64, 3, init='he_normal', bias=False, input_dim=8)
        """,
        """
        from keras.layers.convolutional import Convolution1D
        c = Convolution1D(filters=64, kernel_size=3, strides=1, padding='same',
                          activation='relu', input_shape=(50, 100))
        d = Convolution1D(64, 3, kernel_initializer='he_normal', use_bias=False, input_shape=(None, 8))
        """,
        **ONLY,
    )


def test_conv2d_positional_kernel_is_folded() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import Convolution2D, Conv2D
        a = Convolution2D(32, 3, 3, border_mode='same', subsample=(2, 2), dim_ordering='tf')
        b = Conv2D(32, 3, 3)
        c = Convolution2D(nb_filter, nb_row, nb_col, activation='relu')
        d = Convolution2D(32, 3, nb_col=3)
        e = Conv2D(32, nb_row=3, nb_col=5)
        f = Convolution2D(nb_filter=40, nb_row=3, nb_col=3, init='he_normal', W_regularizer=l2(0.01))
        """,
        """
        from keras.layers import Convolution2D, Conv2D
        a = Convolution2D(32, (3, 3), padding='same', strides=(2, 2), data_format='channels_last')
        b = Conv2D(32, (3, 3))
        c = Convolution2D(nb_filter, (nb_row, nb_col), activation='relu')
        d = Convolution2D(32, (3, 3))
        e = Conv2D(32, kernel_size=(3, 5))
        f = Convolution2D(filters=40, kernel_size=(3, 3), kernel_initializer='he_normal', kernel_regularizer=l2(0.01))
        """,
        **ONLY,
    )
    assert {"KM213", "KM214", "KM229"} <= rules_fired(diagnostics)


def test_conv2d_keras1_positionals_beyond_the_kernel() -> None:
    assert_migrates(
        """
        from keras.layers import Convolution2D
        c = Convolution2D(32, 3, 3, 'he_normal', 'relu', None, 'same')
        """,
        """
        from keras.layers import Convolution2D
        c = Convolution2D(32, (3, 3), kernel_initializer='he_normal', activation='relu', weights=None, padding='same')
        """,
        **ONLY,
    )


def test_conv2d_multiline_fold_keeps_layout() -> None:
    assert_migrates(
        """
        import keras.layers as L
        c = L.Convolution2D(64,
                            3,
                            3,
                            border_mode='same')  # block 1
        """,
        """
        import keras.layers as L
        c = L.Convolution2D(64,
                            (3, 3),
                            padding='same')  # block 1
        """,
        **ONLY,
    )


def test_conv2d_keras2_calls_are_unchanged() -> None:
    assert_unchanged(
        """
        import keras
        from keras.layers import Conv2D
        a = Conv2D(32, (3, 3), strides=(2, 2), padding='same')
        b = keras.layers.Conv2D(32, 3, activation='relu')
        """,
        **ONLY,
    )


def test_conv2d_fold_with_kwargs_splat() -> None:
    assert_migrates(
        """
        from keras.layers import Convolution2D
        c = Convolution2D(32, 3, 3, 'he_normal', **options)
        """,
        """
        from keras.layers import Convolution2D
        c = Convolution2D(32, (3, 3), kernel_initializer='he_normal', **options)
        """,
        **ONLY,
    )


def test_conv2d_tuple_third_positional_is_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Conv2D
        c = Conv2D(32, (3, 3), (2, 2))
        """,
        "KM214",
        **ONLY,
    )


def test_separable_and_conv3d_and_convlstm() -> None:
    assert_migrates(
        """
        from keras.layers import SeparableConvolution2D, Convolution3D, ConvLSTM2D
        a = SeparableConvolution2D(64, 3, 3, init='glorot_uniform', subsample=(1, 1), border_mode='valid', b_regularizer=r)
        b = Convolution3D(32, 3, 3, 3, subsample=(1, 1, 1), border_mode='same', dim_ordering='th')
        c = Convolution3D(32, kernel_dim1=3, kernel_dim2=3, kernel_dim3=3)
        d = Convolution3D(32, 3, 3, kernel_dim3=3)
        e = ConvLSTM2D(nb_filter=40, nb_row=3, nb_col=3, inner_init='orthogonal', forget_bias_init='one',
                       inner_activation='hard_sigmoid', dropout_W=0.1, dropout_U=0.1, border_mode='same')
        """,
        """
        from keras.layers import SeparableConvolution2D, Convolution3D, ConvLSTM2D
        a = SeparableConvolution2D(64, (3, 3), depthwise_initializer='glorot_uniform', pointwise_initializer='glorot_uniform', strides=(1, 1), padding='valid', bias_regularizer=r)
        b = Convolution3D(32, (3, 3, 3), strides=(1, 1, 1), padding='same', data_format='channels_first')
        c = Convolution3D(32, kernel_size=(3, 3, 3))
        d = Convolution3D(32, (3, 3, 3))
        e = ConvLSTM2D(filters=40, kernel_size=(3, 3), recurrent_initializer='orthogonal', unit_forget_bias=True,
                       recurrent_activation='hard_sigmoid', dropout=0.1, recurrent_dropout=0.1, padding='same')
        """,
        **ONLY,
    )


def test_deconvolution2d_becomes_conv2d_transpose() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers.convolutional import Deconvolution2D
        d = Deconvolution2D(64, 3, 3, output_shape=(None, 14, 14, 64), subsample=(2, 2), border_mode='same')
        e = Deconvolution2D(64, 3, 3, (None, 14, 14, 64))
        """,
        """
        from tensorflow.keras.layers import Conv2DTranspose
        d = Conv2DTranspose(64, (3, 3), strides=(2, 2), padding='same')
        e = Conv2DTranspose(64, (3, 3))
        """,
        **WITH_IMPORTS,
    )
    assert {"KM214", "KM216", "KM238"} <= rules_fired(diagnostics)


def test_deconv_alias_through_module_and_3d() -> None:
    assert_migrates(
        """
        import keras
        a = keras.layers.Deconv2D(8, (3, 3), strides=(2, 2))
        b = keras.layers.Deconvolution3D(8, (3, 3, 3))
        """,
        """
        from tensorflow import keras
        a = keras.layers.Conv2DTranspose(8, (3, 3), strides=(2, 2))
        b = keras.layers.Conv3DTranspose(8, (3, 3, 3))
        """,
        **WITH_IMPORTS,
    )


# -- KM234 atrous -----------------------------------------------------------------------------


def test_atrous_convolutions() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import AtrousConvolution2D, AtrousConvolution1D, Dense
        a = AtrousConvolution2D(64, 3, 3, atrous_rate=(2, 2), border_mode='same')
        b = AtrousConvolution1D(64, 3, atrous_rate=2)
        c = Dense(2)
        """,
        """
        from tensorflow.keras.layers import Dense, Conv2D, Conv1D
        a = Conv2D(64, (3, 3), dilation_rate=(2, 2), padding='same')
        b = Conv1D(64, 3, dilation_rate=2)
        c = Dense(2)
        """,
        **WITH_IMPORTS,
    )
    assert "KM234" in rules_fired(diagnostics)


def test_atrous_reuses_an_existing_import() -> None:
    assert_migrates(
        """
        from keras.layers import Conv2D
        from keras.layers.convolutional import AtrousConv2D
        a = AtrousConv2D(8, (3, 3), atrous_rate=2)
        b = Conv2D(8, (3, 3))
        """,
        """
        from tensorflow.keras.layers import Conv2D
        a = Conv2D(8, (3, 3), dilation_rate=2)
        b = Conv2D(8, (3, 3))
        """,
        **WITH_IMPORTS,
    )


# -- KM219 BatchNormalization ---------------------------------------------------------------------


def test_batchnorm_mode_zero_and_initializers() -> None:
    assert_migrates(
        """
        from keras.layers.normalization import BatchNormalization
        a = BatchNormalization(mode=0, axis=1, beta_init='zero', gamma_init='one')
        b = BatchNormalization(1e-3)
        c = BatchNormalization(1e-3, 0, -1, 0.9)
        """,
        """
        from keras.layers.normalization import BatchNormalization
        a = BatchNormalization(axis=1, beta_initializer='zero', gamma_initializer='one')
        b = BatchNormalization(epsilon=1e-3)
        c = BatchNormalization(epsilon=1e-3, axis=-1, momentum=0.9)
        """,
        **ONLY,
    )


def test_batchnorm_other_modes_are_flagged() -> None:
    output = assert_flags(
        """
        from keras.layers import BatchNormalization
        a = BatchNormalization(mode=2)
        """,
        "KM219",
        **ONLY,
    )
    assert "BatchNormalization(mode=2)" in output


# -- KM220/KM221 padding and cropping ----------------------------------------------------------


def test_zero_padding_2d_forms() -> None:
    assert_migrates(
        """
        from keras.layers import ZeroPadding2D
        a = ZeroPadding2D(padding=(1, 2, 0, 1))
        b = ZeroPadding2D({'top_pad': 1, 'right_pad': 2}, dim_ordering='th')
        c = ZeroPadding2D(padding=dict(top_pad=1))
        d = ZeroPadding2D((1, 1))
        """,
        """
        from keras.layers import ZeroPadding2D
        a = ZeroPadding2D(padding=((1, 2), (0, 1)))
        b = ZeroPadding2D(((1, 0), (0, 2)), data_format='channels_first')
        c = ZeroPadding2D(padding=dict(top_pad=1))
        d = ZeroPadding2D((1, 1))
        """,
        **ONLY,
    )


def test_padding_cropping_dim_ordering() -> None:
    assert_migrates(
        """
        from keras.layers import ZeroPadding3D, Cropping2D
        a = ZeroPadding3D(padding=(1, 1, 1), dim_ordering='th')
        b = Cropping2D(((1, 1), (2, 2)), 'tf')
        """,
        """
        from keras.layers import ZeroPadding3D, Cropping2D
        a = ZeroPadding3D(padding=(1, 1, 1), data_format='channels_first')
        b = Cropping2D(((1, 1), (2, 2)), data_format='channels_last')
        """,
        **ONLY,
    )


# -- KM222 Lambda, KM224 Model, KM225 InputLayer ---------------------------------------------------


def test_lambda_third_positional_is_arguments() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers.core import Lambda
        a = Lambda(fn, (4,), {'k': 2})
        b = Lambda(fn, (4,))
        """,
        """
        from keras.layers.core import Lambda
        a = Lambda(fn, (4,), arguments={'k': 2})
        b = Lambda(fn, (4,))
        """,
        **ONLY,
    )
    assert rules_fired(diagnostics) == {"KM222"}


@pytest.mark.parametrize(
    "imports, name",
    [
        ("from keras.models import Model", "Model"),
        ("from keras.engine.topology import Container", "Container"),
        ("from keras.engine.training import Model", "Model"),
        ("import keras", "keras.models.Model"),
    ],
)
def test_model_input_output(imports: str, name: str) -> None:
    assert_migrates(
        f"{imports}\nm = {name}(input=[a, b], output=y, name='m')\n",
        f"{imports}\nm = {name}(inputs=[a, b], outputs=y, name='m')\n",
        **ONLY,
    )


def test_model_on_tf_keras_is_left_alone() -> None:
    assert_unchanged(
        """
        from tensorflow.keras.models import Model
        m = Model(inputs=a, outputs=b)
        """,
        **ONLY,
    )


def test_inputlayer_input_dtype() -> None:
    assert_migrates(
        """
        from keras.engine.topology import InputLayer
        i = InputLayer(input_shape=(8,), input_dtype='int32')
        """,
        """
        from keras.engine.topology import InputLayer
        i = InputLayer(input_shape=(8,), dtype='int32')
        """,
        **ONLY,
    )


# -- KM226 add_weight ------------------------------------------------------------------------


def test_add_weight_positional_orders() -> None:
    assert_migrates(
        """
        from keras.engine.topology import Layer

        class Attention(Layer):
            def build(self, input_shape):
                self.W = self.add_weight('att_W', (input_shape[-1], 1), initializer='glorot_uniform')
                self.U = self.add_weight((input_shape[-1], 1), 'glorot_uniform', name='U')
                self.b = self.add_weight((1,), 'att_b', initializer='zero')
                self.c = self.add_weight(self.name + '_c', (1,), initializer='zero')
                self.d = self.add_weight(input_shape[1:], initializer='zero')
                self.e = self.add_weight(name='e', shape=(1,))
        """,
        """
        from keras.engine.topology import Layer

        class Attention(Layer):
            def build(self, input_shape):
                self.W = self.add_weight(name='att_W', shape=(input_shape[-1], 1), initializer='glorot_uniform')
                self.U = self.add_weight(shape=(input_shape[-1], 1), initializer='glorot_uniform', name='U')
                self.b = self.add_weight(shape=(1,), name='att_b', initializer='zero')
                self.c = self.add_weight(name=self.name + '_c', shape=(1,), initializer='zero')
                self.d = self.add_weight(shape=input_shape[1:], initializer='zero')
                self.e = self.add_weight(name='e', shape=(1,))
        """,
        **ONLY,
    )


def test_add_weight_in_subclass_of_a_local_layer_and_of_dense() -> None:
    assert_migrates(
        """
        import keras

        class Base(keras.layers.Dense):
            pass

        class Child(Base):
            def build(self, s):
                self.k = self.add_weight('k', (2, 2))
        """,
        """
        import keras

        class Base(keras.layers.Dense):
            pass

        class Child(Base):
            def build(self, s):
                self.k = self.add_weight(name='k', shape=(2, 2))
        """,
        **ONLY,
    )


def test_add_weight_outside_keras_layers_is_left_alone() -> None:
    assert_unchanged(
        """
        import keras
        from tensorflow.keras.layers import Layer

        class NotKeras(object):
            def build(self):
                self.add_weight('x', (1,))

        class Modern(Layer):
            def build(self, s):
                self.w = self.add_weight('w', (1,))
        """,
        **ONLY,
    )


def test_add_weight_in_a_plain_class_nested_in_a_layer_with_star_import() -> None:
    assert_unchanged(
        """
        from keras.layers import *

        class C(Layer):
            def build(self, s):
                class D(object):
                    def f(self):
                        self.add_weight('x', (1,))
        """,
        **ONLY,
    )


def test_add_weight_ambiguous_first_argument_is_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Layer

        class L(Layer):
            def build(self, s):
                self.w = self.add_weight(spec, 'glorot_uniform')
        """,
        "KM226",
        **ONLY,
    )


# -- KM235-KM237 removed layers ------------------------------------------------------------------


def test_time_distributed_dense() -> None:
    assert_migrates(
        """
        from keras.models import Sequential
        from keras.layers.core import TimeDistributedDense
        model = Sequential()
        model.add(TimeDistributedDense(64, input_dim=16, input_length=10, activation='relu', init='he_normal', name='td'))
        """,
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, TimeDistributed
        model = Sequential()
        model.add(TimeDistributed(Dense(64, activation='relu', kernel_initializer='he_normal'), input_shape=(10, 16), name='td'))
        """,
        **WITH_IMPORTS,
    )


def test_time_distributed_dense_keras1_positionals() -> None:
    assert_migrates(
        """
        from keras.layers import TimeDistributedDense
        t = TimeDistributedDense(8, 'he_normal', 'tanh')
        """,
        """
        from tensorflow.keras.layers import Dense, TimeDistributed
        t = TimeDistributed(Dense(8, kernel_initializer='he_normal', activation='tanh'))
        """,
        **WITH_IMPORTS,
    )


@pytest.mark.parametrize(
    "code, rule",
    [
        ("from keras.layers.core import Highway\nh = Highway(activation='relu')\n", "KM236"),
        ("from keras.legacy.layers import MaxoutDense\nm = MaxoutDense(64, nb_feature=4)\n", "KM236"),
        ("from keras.layers.advanced_activations import SReLU\ns = SReLU()\n", "KM237"),
        ("import keras\np = keras.layers.advanced_activations.ParametricSoftplus()\n", "KM237"),
    ],
)
def test_removed_layers_are_flagged(code: str, rule: str) -> None:
    assert_flags(code, rule, **ONLY)


# -- KM239 surviving aliases -------------------------------------------------------------------


def test_surviving_aliases_keep_their_name_and_import() -> None:
    assert_migrates(
        """
        from keras.layers import Convolution2D, MaxPool2D
        c = Convolution2D(8, 3, 3)
        p = MaxPool2D(border_mode='same')
        """,
        """
        from tensorflow.keras.layers import Convolution2D, MaxPool2D
        c = Convolution2D(8, (3, 3))
        p = MaxPool2D(padding='same')
        """,
        **WITH_IMPORTS,
    )


# -- settings -----------------------------------------------------------------------------------


def test_ignore_comment_and_ignore_setting() -> None:
    assert_unchanged(
        """
        from keras.layers import Dense
        d = Dense(output_dim=4)  # kmigrate: ignore[KM201]
        """,
        **ONLY,
    )
    assert_unchanged(
        """
        from keras.layers import Dense
        d = Dense(output_dim=4)
        """,
        select=MINE,
        ignore=("KM201",),
    )


def test_duplicate_legacy_and_new_keyword_is_flagged() -> None:
    output = assert_flags(
        """
        from keras.layers import Dense
        d = Dense(4, init='zeros', kernel_initializer='ones')
        """,
        "KM201",
        **ONLY,
    )
    assert "init='zeros'" in output


def test_whole_pipeline_on_a_keras1_program() -> None:
    code = """
        from keras.models import Sequential
        from keras.layers import Convolution2D, MaxPooling2D
        from keras.layers.core import Dense, Flatten, Activation

        def build():
            model = Sequential()
            model.add(Convolution2D(6, 3, 3, border_mode='same', dim_ordering='tf', input_shape=(12, 12, 1)))
            model.add(Convolution2D(8, 3, 3, subsample=(2, 2), border_mode='valid', init='he_normal'))
            model.add(MaxPooling2D(pool_size=(2, 2), border_mode='valid'))
            model.add(Flatten())
            model.add(Dense(output_dim=4))
            return model
        """
    output = migrated(code)
    assert "Convolution2D(6, (3, 3), padding='same', data_format='channels_last'" in output
    assert "Convolution2D(8, (3, 3), strides=(2, 2), padding='valid', kernel_initializer='he_normal')" in output
    assert "Dense(units=4)" in output
    assert run(output).status.name in ("UNCHANGED", "SKIPPED")


# -- the migrated code on real TF 2.21 ---------------------------------------------------------------

KERAS1_PROGRAM = """
import numpy as np
from keras.models import Sequential, Model
from keras.layers import Input, Convolution2D, ZeroPadding2D, Flatten, Dense, Lambda, merge
from keras.layers import GRU, Embedding, BatchNormalization, MaxPooling2D
from keras.layers.core import TimeDistributedDense
from keras.layers.convolutional import Deconvolution2D, AtrousConvolution2D
from keras.engine.topology import Layer


class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight('scale_w', (input_shape[-1],), initializer='ones')
        super(Scale, self).build(input_shape)

    def call(self, x, mask=None):
        return x * self.w

    def compute_output_shape(self, input_shape):
        return input_shape


conv_a = Convolution2D(4, 3, 3, border_mode='same', dim_ordering='tf', init='he_normal')
conv_b = Convolution2D(4, 3, 3, subsample=(2, 2), border_mode='valid')
pad = ZeroPadding2D(padding=(1, 2, 0, 1))
deconv = Deconvolution2D(3, 3, 3, output_shape=(None, 9, 9, 3), subsample=(2, 2), border_mode='valid')
atrous = AtrousConvolution2D(2, 3, 3, atrous_rate=(2, 2), border_mode='same')
image = Input(shape=(8, 8, 1))
x = pad(conv_a(image))
x = atrous(conv_b(x))
x = deconv(x)
x = MaxPooling2D(pool_size=(2, 2), border_mode='same', dim_ordering='tf')(x)
flat = Flatten()(x)
left = Dense(output_dim=5, bias=False)(flat)
right = Scale()(Dense(5)(flat))
joined = merge([left, right], mode='concat', concat_axis=-1)
scaled = Lambda(lambda t, k: t * k, (10,), {'k': 2.0})(joined)
normed = BatchNormalization(mode=0, beta_init='zero', gamma_init='one')(scaled)
image_model = Model(input=image, output=normed)

seq = Sequential()
seq.add(GRU(output_dim=6, inner_activation='sigmoid', consume_less='gpu', return_sequences=True,
            input_dim=4, input_length=7))
seq.add(TimeDistributedDense(3, activation='relu'))
"""


def test_migrated_layers_behave_as_keras2_did_on_tf_2_21() -> None:
    pytest.importorskip("tensorflow")
    import numpy as np

    output = migrated(KERAS1_PROGRAM)
    assert "# kmigrate:" not in output, output
    namespace: dict = {}
    exec(compile(output, "<migrated>", "exec"), namespace)
    conv_a, conv_b = namespace["conv_a"], namespace["conv_b"]
    assert tuple(conv_a.kernel_size) == (3, 3) and tuple(conv_a.strides) == (1, 1)
    assert conv_a.padding == "same" and conv_a.data_format == "channels_last"
    assert tuple(conv_b.kernel_size) == (3, 3) and tuple(conv_b.strides) == (2, 2)
    assert tuple(namespace["pad"].padding) == ((1, 2), (0, 1))
    assert tuple(namespace["atrous"].dilation_rate) == (2, 2)
    assert tuple(namespace["deconv"].strides) == (2, 2)
    model = namespace["image_model"]
    # 8x8 -> same conv 8x8 -> pad (1,2)/(0,1): 11x9 -> valid stride 2: 5x4 -> atrous same: 5x4
    # -> transposed valid stride 2 kernel 3: 11x9 -> pool same: 6x5
    assert tuple(model.layers[-1].output.shape) == (None, 10)
    assert namespace["deconv"].output.shape[1:3] == (11, 9)
    prediction = model.predict(np.ones((2, 8, 8, 1), dtype="float32"), verbose=0)
    assert prediction.shape == (2, 10)
    seq = namespace["seq"]
    assert seq.predict(np.ones((2, 7, 4), dtype="float32"), verbose=0).shape == (2, 7, 3)
    assert [w.shape for w in seq.layers[1].get_weights()] == [(6, 3), (3,)]
