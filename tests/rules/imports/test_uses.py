"""Tests of ``kmigrate/rules/imports/uses.py``: Uses of Keras names the import statements cannot fix alone: names that reach the file through
a star import, and dotted uses (``keras.layers.convolutional.Conv2D``) respelled at their home."""

from __future__ import annotations

from tests.helpers import (
    assert_flags,
    run,
)


def test_km119_backend_gate_is_marked():
    output = assert_flags(
        """
        from keras import backend as K
        if K.backend() == 'theano':
            x = 1
        """,
        "KM119",
    )
    assert "# kmigrate: KM119" in output.splitlines()[1] or "# kmigrate: KM119" in output.splitlines()[2]


def test_km119_version_check_is_marked():
    assert_flags("import keras\nold = keras.__version__.startswith('1.')\n", "KM119")


def test_km119_tensorflow_backend_check_is_fine():
    output = run("from keras import backend as K\nok = K.backend() == 'tensorflow'\n").output
    assert "KM119" not in output
