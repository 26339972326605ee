"""Tests of ``kmigrate/rules/layers/arguments.py``: Layer constructor arguments that changed: renames (``alpha`` -> ``negative_slope``),
ThresholdedReLU, CuDNN layers, RNN and Embedding arguments, ``weights=``, legacy activity regularizers."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_second_run_is_noop, assert_unchanged, migrated


def test_km410_unrelated_code():
    assert_unchanged(
        """
        def LeakyReLU(alpha):
            return alpha
        a = LeakyReLU(alpha=0.1)
        """
    )


def test_km404_embedding_input_length():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import Embedding, Flatten, Dense
        a = Sequential([Embedding(1000, 64, input_length=10), Flatten(), Dense(1)])
        b = Sequential()
        b.add(Embedding(1000, 64))
        y = Embedding(10, 2, input_length=3)(x)
        """
    )
    assert "a = Sequential([Embedding(1000, 64, input_shape=(10,)), Flatten(), Dense(1)])" in out
    assert "b.add(Embedding(1000, 64, input_shape=(None,)))" in out
    assert "y = Embedding(10, 2)(x)" in out


def test_km408_weights_flagged_but_not_embedding():
    assert_flags(
        """
        from keras.layers import Dense
        d = Dense(3, weights=kernel_and_bias)
        """,
        "KM408",
    )
    out = migrated(
        """
        from keras.layers import Embedding
        e = Embedding(100, 8, weights=[matrix])
        """
    )
    assert "KM408" not in out


def test_km409_cudnn():
    out = migrated(
        """
        from keras.layers import CuDNNLSTM, CuDNNGRU
        a = CuDNNLSTM(128, return_sequences=True)
        b = CuDNNGRU(64)
        """
    )
    assert "a = LSTM(128, return_sequences=True)" in out
    assert "b = GRU(64)" in out
    assert "CuDNN" not in out
    assert "reset_after" not in out and "legacy_hard_sigmoid" not in out


def test_km410_leaky_relu_and_relu():
    assert_migrates(
        """
        from keras.layers import LeakyReLU
        from keras import activations
        a = LeakyReLU(alpha=0.1)
        b = activations.relu(x, alpha=0.1, max_value=6)
        c = LeakyReLU(0.2)
        """,
        """
        from tensorflow.keras.layers import LeakyReLU
        from tensorflow.keras import activations
        a = LeakyReLU(negative_slope=0.1)
        b = activations.relu(x, negative_slope=0.1, max_value=6)
        c = LeakyReLU(0.2)
        """,
    )


def test_km410_tf_keras_keeps_alpha():
    out = migrated(
        """
        from keras.layers import LeakyReLU
        a = LeakyReLU(alpha=0.1)
        """,
        target="tf_keras",
    )
    assert "alpha=0.1" in out


def test_km414_rnn_args():
    out = migrated(
        """
        from tensorflow.keras.layers import LSTM
        a = LSTM(32, implementation=2)
        """
    )
    assert "a = LSTM(32)" in out
    assert_flags(
        """
        from tensorflow.keras.layers import LSTM
        a = LSTM(32, time_major=True)
        """,
        "KM414",
    )


def test_km410_thresholded_relu():
    out = migrated(
        """
        from keras.layers.advanced_activations import ThresholdedReLU
        a = ThresholdedReLU(theta=0.1)
        b = ThresholdedReLU()
        c = ThresholdedReLU(0.5)
        """
    )
    assert "a = ReLU(threshold=0.1)" in out
    assert "b = ReLU(threshold=1.0)" in out
    assert "c = ReLU(threshold=0.5)" in out


def test_km422_activity_regularizer_summed_over_batch():
    out = migrated(
        """
        from keras.layers import Dense
        from keras.regularizers import activity_l2
        d = Dense(6, activity_regularizer=activity_l2(0.001))
        e = Dense(6, activity_regularizer=None)
        """
    )
    assert "d = Dense(6, activity_regularizer=LegacyActivityRegularizer(l2(0.001)))" in out
    assert "e = Dense(6, activity_regularizer=None)" in out
    assert out.count("class LegacyActivityRegularizer(regularizers.Regularizer):") == 1
    assert_unchanged(
        """
        from tensorflow.keras.layers import Dense
        from tensorflow.keras.regularizers import l2
        d = Dense(6, activity_regularizer=l2(0.001))
        """
    )


def test_km422_tf_keras_target_also_registers_the_plain_class_name():
    code = """
    from keras.layers import Dense
    from keras.regularizers import l2
    layer = Dense(6, activity_regularizer=l2(0.001))
    """
    assert "get_custom_objects()['LegacyActivityRegularizer']" in migrated(code, target="tf_keras")
    assert "get_custom_objects" not in migrated(code)
    assert_second_run_is_noop(migrated(code, target="tf_keras"), target="tf_keras")
