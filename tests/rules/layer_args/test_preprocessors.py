"""Tests of ``kmigrate/rules/layer_args/preprocessors.py``: The preprocessors a layer's ``LayerSpec.steps`` names (``layer_args_table.py``): arguments that
need code rather than a rename (separable init, forget_bias_init, consume_less, input_dim,
Embedding dropout, BatchNormalization mode, ZeroPadding2D)."""

from __future__ import annotations

import pytest

from tests.helpers import assert_flags, assert_migrates
from tests.rules.layer_args.cases import ONLY


def test_km203_embedding_renames() -> None:
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


def test_km203_embedding_dropout_is_dropped_and_flagged_unless_keras2_is_known() -> None:
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


def test_km207_recurrent_keywords() -> None:
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


def test_km208_recurrent_input_dim_alone_and_forget_bias() -> None:
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


def test_km207_consume_less_maps_to_implementation_on_tf_keras() -> None:
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


def test_km208_other_forget_bias_init_is_dropped_and_flagged() -> None:
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


def test_km212_conv1d_keywords_and_input_shape() -> None:
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


def test_km219_batchnorm_mode_zero_and_initializers() -> None:
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


def test_km219_batchnorm_other_modes_are_flagged() -> None:
    output = assert_flags(
        """
        from keras.layers import BatchNormalization
        a = BatchNormalization(mode=2)
        """,
        "KM219",
        **ONLY,
    )
    assert "BatchNormalization(mode=2)" in output


@pytest.mark.parametrize(("mode", "marker"), [
    # Keras 1.2.2: mode 2 = per-feature with the batch's statistics at test time too
    ("2", "KM219 mode=2 used batch stats at test time too: call the layer with training=True"),
    # mode 1 = each sample normalized over its last axis
    ("1", "KM219 mode=1 normalized each sample: use LayerNormalization(axis=-1) instead"),
    ("bn_mode", "KM219 mode is set at run time: 0 drop it, 1 LayerNormalization, 2 training=True"),
    ("3", "KM219 mode=3 was never a Keras 1 mode (0, 1 or 2): check what this code ran with"),
])  # fmt: skip
def test_km219_marker_says_what_each_mode_needs(mode: str, marker: str) -> None:
    # The marker used to say "mode=0 is BatchNormalization()" for every mode.
    output = assert_flags(
        f"""
        from keras.layers import BatchNormalization
        a = BatchNormalization(mode={mode}, axis=1)
        """,
        "KM219",
        **ONLY,
    )
    assert f"a = BatchNormalization(mode={mode}, axis=1)  # kmigrate: {marker}\n" in output
    assert "mode=0 is" not in output


def test_km220_zero_padding_2d_forms() -> None:
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
