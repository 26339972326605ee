"""KM901-KM920: flag-only review markers (and the Python 2 except fix)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated


def test_km902_theano_in_keras_file():
    assert_flags(
        """
        import theano.tensor as T
        from keras import backend as K
        """,
        "KM902",
    )


def test_km902_not_without_keras():
    assert_unchanged(
        """
        import theano
        x = 1
        """
    )


def test_km903_theano_kernels():
    assert_flags(
        """
        from keras.utils.layer_utils import convert_all_kernels_in_model
        convert_all_kernels_in_model(model)
        """,
        "KM903",
    )


def test_km904_tf1_code():
    assert_flags(
        """
        import tensorflow as tf
        x = tf.placeholder(tf.float32, (None, 3))
        """,
        "KM904",
    )
    assert_migrates(
        """
        import tensorflow as tf
        tf.set_random_seed(0)
        """,
        """
        import tensorflow as tf
        tf.random.set_seed(0)
        """,
    )


def test_km904_not_for_other_modules():
    assert_unchanged(
        """
        import tensorflow as tf
        import mylib
        s = mylib.Session()
        t = tf.random.set_seed(1)
        """
    )


def test_km914_python2_except():
    assert_migrates(
        """
        from keras.models import Sequential
        try:
            m = Sequential()
        except IOError, e:
            print(e)
        """,
        """
        from tensorflow.keras.models import Sequential
        try:
            m = Sequential()
        except IOError as e:
            print(e)
        """,
    )


def test_km914_python3_tuples_untouched():
    assert_unchanged(
        """
        import keras
        try:
            pass
        except (A, B) as e:
            pass
        except (A, B):
            pass
        """.replace("import keras", "import tensorflow.keras as keras")
    )


def test_km918_extensions():
    assert_flags("from keras_contrib.layers import CRF\n", "KM918")


def test_km919_private_internals():
    assert_flags(
        """
        from keras.models import load_model
        model._make_predict_function()
        """,
        "KM919",
    )


def test_km920_keras0():
    out = assert_flags(
        """
        from keras.models import Sequential
        model.fit(X, y, show_accuracy=True)
        """,
        "KM920",
    )
    assert "show_accuracy=True" in out
