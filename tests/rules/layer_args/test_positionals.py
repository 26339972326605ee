"""Tests of ``kmigrate/rules/layer_args/positionals.py``: Keras 1 positional arguments bound by keyword, and kernel sizes given as separate
arguments (``nb_row, nb_col``) folded into ``kernel_size``."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, migrated, rules_fired, run
from tests.rules.layer_args.cases import ONLY, WITH_IMPORTS


def test_km228_keras1_extra_positionals_are_bound_then_renamed() -> None:
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


def test_km228_too_many_positionals_are_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Dropout
        d = Dropout(0.5, None, 3, 4)
        """,
        "KM228",
        **ONLY,
    )


def test_km228_star_args_with_extra_positionals_are_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Dense
        d = Dense(64, 'relu', *rest)
        """,
        "KM228",
        **ONLY,
    )


def test_km228_keras1_positional_dim_ordering() -> None:
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


def test_km214_conv2d_positional_kernel_is_folded() -> None:
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


def test_km228_conv2d_keras1_positionals_beyond_the_kernel() -> None:
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


def test_km214_conv2d_multiline_fold_keeps_layout() -> None:
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


def test_km228_conv2d_fold_with_kwargs_splat() -> None:
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


def test_km214_conv2d_tuple_third_positional_is_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Conv2D
        c = Conv2D(32, (3, 3), (2, 2))
        """,
        "KM214",
        **ONLY,
    )


def test_km214_separable_and_conv3d_and_convlstm() -> None:
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


def test_km214_deconvolution2d_becomes_conv2d_transpose() -> None:
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


def test_km214_atrous_convolutions() -> None:
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


def test_km222_lambda_third_positional_is_arguments() -> None:
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


def test_km228_time_distributed_dense_keras1_positionals() -> None:
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


def test_km214_surviving_aliases_keep_their_name_and_import() -> None:
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


def test_km214_whole_pipeline_on_a_keras1_program() -> None:
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


def test_km228_noop_string_initializer_is_still_bound() -> None:
    # A Keras 1 positional initializer (a name) is bound as before: only numbers are Keras 0.x.
    assert "kernel_initializer='he_normal'" in migrated(
        "from keras.layers import Dense\nlayer = Dense(64, 'he_normal')\n"
    )


def test_km228_keras0_numeric_positionals_are_marked_not_bound() -> None:
    """`Dense(128, 1)` / `LSTM(256, 128)` / `Convolution2D(32, 3, 3, 3)` are Keras 0.x (input size
    first): binding the number to `init=` would write `kernel_initializer=1`."""
    for call in ("Dense(128, 1)", "LSTM(256, 128)", "Convolution2D(32, 3, 3, 3)"):
        output = assert_flags(f"from keras.layers import Dense, LSTM, Convolution2D\nlayer = {call}\n", "KM228")
        assert "kernel_initializer" not in output, output
        assert f"layer = {call[:-1]}" in output  # the call keeps its arguments (LSTM gains its legacy gates)
