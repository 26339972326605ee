"""Tests of ``kmigrate/rules/imports/legacy.py``: ``keras.legacy.interfaces`` decorators (removed) and ``K.backend() == 'theano'`` gates."""

from __future__ import annotations

from tests.helpers import (
    assert_flags,
    assert_migrates,
)


def test_km111_legacy_decorator_and_its_import_are_removed():
    assert_migrates(
        """
        from keras.engine.topology import Layer
        from keras.legacy import interfaces

        class Scale(Layer):
            @interfaces.legacy_dense_support
            def __init__(self, units, **kwargs):
                super(Scale, self).__init__(**kwargs)
        """,
        """
        from tensorflow.keras.layers import Layer

        class Scale(Layer):
            def __init__(self, units, **kwargs):
                super(Scale, self).__init__(**kwargs)
        """,
        ignore=("KM421",),  # the layer also lacks get_config: another rule's finding
    )


def test_km111_other_legacy_names_are_marked():
    assert_flags("from keras.legacy.layers import Recurrent\nclass R(Recurrent):\n    pass\n", "KM111")
