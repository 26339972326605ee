"""Tests of ``kmigrate/rules/imports/uses.py``: Uses of Keras names the import statements cannot fix alone: names that reach the file through
a star import, and dotted uses (``keras.layers.convolutional.Conv2D``) respelled at their home."""

from __future__ import annotations

from tests.helpers import (
    assert_flags,
    assert_migrates,
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


def test_km104_names_through_an_alias_of_keras_engine_are_imported():
    # Mask R-CNN: `import keras.engine as KE` ... `class ProposalLayer(KE.Layer)`; keras.engine has
    # no single tf.keras home, its Layer and InputSpec have
    assert_migrates(
        "import keras.engine as KE\nimport keras.layers as KL\n\n\nclass P(KE.Layer):\n    pass\n\n\n"
        "spec = KE.InputSpec(ndim=4)\n",
        "from tensorflow.keras import layers as KL\n\n\nclass P(KL.Layer):\n    pass\n\n\n"
        "spec = KL.InputSpec(ndim=4)\n",
    )
    assert_migrates(
        "import keras.engine.topology as T\n\n\nclass P(T.Layer):\n    pass\n",
        "from tensorflow.keras.layers import Layer\n\n\nclass P(Layer):\n    pass\n",
    )


def test_km104_homeless_name_through_an_engine_alias_still_marked():
    out = assert_flags("import keras.engine.saving as S\n\nS.load_weights_from_hdf5_group(f, layers)\n", "KM104")
    assert "S.load_weights_from_hdf5_group(f, layers)" in out
