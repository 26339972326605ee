"""Tests of the layers family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged


def test_method_names_in_non_keras_files_untouched():
    assert_unchanged(
        """
        a = thing.get_output_at(0)
        b = x._keras_shape
        """
    )


def test_km401_input_tensor():
    assert_flags(
        """
        from keras.layers import Input
        inp = Input(tensor=t)
        """,
        "KM401",
    )


def test_km416_locally_connected():
    assert_flags(
        """
        from keras.layers import LocallyConnected2D
        l = LocallyConnected2D(16, (3, 3))
        """,
        "KM416",
    )
