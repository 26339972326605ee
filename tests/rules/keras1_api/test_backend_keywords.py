"""Tests of ``kmigrate/rules/keras1_api/backend_keywords.py``: Keras 1 backend functions whose arguments changed (padding, batch_normalization,
crossentropy argument order, positional-only setters)."""

from __future__ import annotations

from tests.helpers import assert_migrates, assert_unchanged, migrated


def test_km251_backend_keywords():
    out = migrated(
        """
        from keras import backend as K
        a = K.expand_dims(x, dim=-1)
        b = K.random_normal((2, 3), std=0.1)
        c = K.temporal_padding(x, 1)
        d = K.conv2d(x, k, border_mode='same', dim_ordering='th', image_shape=s)
        e = K.set_epsilon(e=1e-7)
        """
    )
    assert "a = K.expand_dims(x, axis=-1)" in out
    assert "b = K.random_normal((2, 3), stddev=0.1)" in out
    assert "c = K.temporal_padding(x, (1, 1))" in out
    assert "d = K.conv2d(x, k, padding='same', data_format='channels_first')" in out
    assert "e = K.set_epsilon(1e-7)" in out


def test_km252_crossentropy_only_when_version_known_old():
    code = """
        from keras import backend as K
        loss = K.categorical_crossentropy(y_pred, y_true)
        """
    assert "K.categorical_crossentropy(y_true, y_pred)" in migrated(code, from_version="2.0.5")
    assert "K.categorical_crossentropy(y_pred, y_true)" in migrated(code)


def test_km252_positional_output_next_to_target_keyword_is_named():
    # Before Keras 2.0.7 the positional was `output`; swapping nothing would make it `target`
    # beside target= (TypeError "multiple values for argument 'target'").
    assert_migrates(
        """
        from keras import backend as K
        loss = K.binary_crossentropy(y_pred, target=y_true, from_logits=True)
        both = K.categorical_crossentropy(y_pred, y_true)
        """,
        """
        from tensorflow.keras import backend as K
        loss = K.binary_crossentropy(output=y_pred, target=y_true, from_logits=True)
        both = K.categorical_crossentropy(y_true, y_pred)
        """,
        from_version="2.0.5",
    )


def test_km252_keywords_and_new_order_are_left_alone():
    assert_unchanged(
        """
        from tensorflow.keras import backend as K
        loss = K.binary_crossentropy(output=y_pred, target=y_true)
        """,
        from_version="2.0.5",
    )
    # Without a version before 2.0.7 the call is left as written (assumed 2.2.4 order).
    assert "K.binary_crossentropy(y_pred, target=y_true)" in migrated(
        "from keras import backend as K\nloss = K.binary_crossentropy(y_pred, target=y_true)\n")
