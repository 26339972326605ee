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


# -- KM915: Python 2 leftovers in Keras code ------------------------------------------------------


def test_km915_xrange_and_dict_iteration():
    assert_migrates(
        """
        import keras
        for i in xrange(3):
            for k, v in logs.iteritems():
                print(k, v, keras)
        """,
        """
        from tensorflow import keras
        for i in range(3):
            for k, v in logs.items():
                print(k, v, keras)
        """,
    )


def test_km915_keras1_generator_class_gets_dunder_next():
    assert_migrates(
        """
        import keras
        class Batches(object):
            def __iter__(self):
                return self

            def next(self):
                return keras
        """,
        """
        from tensorflow import keras
        class Batches(object):
            def __iter__(self):
                return self

            def next(self):
                return keras
            __next__ = next
        """,
    )


def test_km915_python2_modules_are_marked():
    assert_flags("import keras\nimport cPickle as pickle\nx = keras\n", "KM915")
    assert_flags("import keras\nfrom itertools import izip\nx = keras\n", "KM915")


def test_km915_no_op_outside_keras_code_and_for_bound_names():
    assert_unchanged("for i in xrange(3):\n    pass\n")
    assert_unchanged("from tensorflow import keras\nxrange = range\nfor i in xrange(3):\n    pass\n")
