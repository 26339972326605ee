"""Tests of ``kmigrate/rules/keras1_api/functions.py``: Keras 1 functions that moved or changed shape: regularizers (``l1l2``, ``activity_l2``),
constraints (``maxnorm``), ``print_summary`` / ``count_total_params``."""

from __future__ import annotations

from tests.helpers import assert_migrates, migrated


def test_km241_regularizers():
    out = migrated(
        """
        from keras.regularizers import l1l2, activity_l2, l2
        from keras.layers import Dense
        d = Dense(4, W_regularizer=l1l2(0.01), activity_regularizer=activity_l2(0.1), b_regularizer=l2(l=0.001))
        """
    )
    assert "l1_l2(l1=0.01, l2=0.01)" in out
    assert "activity_regularizer=LegacyActivityRegularizer(l2(0.1))" in out
    assert "l2(0.001)" in out
    assert "l1l2" not in out and "activity_l2" not in out


def test_km241_l1_l2_defaults_made_explicit():
    assert_migrates(
        """
        from tensorflow.keras import regularizers
        r = regularizers.l1_l2()
        s = regularizers.l1_l2(l1=0.001, l2=0.002)
        """,
        """
        from tensorflow.keras import regularizers
        r = regularizers.l1_l2(l1=0.01, l2=0.01)
        s = regularizers.l1_l2(l1=0.001, l2=0.002)
        """,
    )


def test_km242_constraints():
    out = migrated(
        """
        from keras.constraints import maxnorm, nonneg
        a = maxnorm(m=2)
        b = nonneg()
        """
    )
    assert "a = max_norm(max_value=2)" in out
    assert "b = non_neg()" in out


def test_km246_print_summary():
    out = migrated(
        """
        from keras.utils.layer_utils import print_summary
        print_summary(model, line_length=80)
        """
    )
    assert "model.summary(line_length=80)" in out
