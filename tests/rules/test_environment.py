"""KM461-KM465: environment."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated


def test_km461_entry_point_on_tf_keras_target():
    assert_migrates(
        '''
        """Train."""
        from keras.models import Sequential

        if __name__ == "__main__":
            Sequential()
        ''',
        '''
        """Train."""
        import os; os.environ["TF_USE_LEGACY_KERAS"] = "1"
        from tensorflow.keras.models import Sequential

        if __name__ == "__main__":
            Sequential()
        ''',
        target="tf_keras",
    )


def test_km461_new_imports_stay_after_the_variable():
    out = migrated(
        """
        from keras.layers import CuDNNLSTM
        layer = CuDNNLSTM(4)
        print(layer)
        """,
        target="tf_keras",
    )
    lines = out.splitlines()
    assert lines[1].startswith("import os; os.environ")
    assert all("tensorflow" not in line for line in lines[:1])


def test_km461_not_for_library_modules_or_default_target():
    code = """
        from keras.layers import Dense

        def build():
            return Dense(3)
        """
    assert "TF_USE_LEGACY_KERAS" not in migrated(code, target="tf_keras")
    assert "TF_USE_LEGACY_KERAS" not in migrated(code + "build()\n")


def test_km462_keras_backend():
    assert_migrates(
        """
        import os
        os.environ['KERAS_BACKEND'] = 'theano'
        import keras
        """,
        """
        import os
        os.environ['KERAS_BACKEND'] = 'tensorflow'
        from tensorflow import keras
        """,
    )


def test_km462_unrelated_environ():
    assert_unchanged(
        """
        import os
        os.environ['OTHER'] = 'theano'
        """
    )


def test_km464_compat_v1_keras():
    assert_flags(
        """
        import tensorflow as tf
        s = tf.compat.v1.keras.backend.get_session()
        """,
        "KM464",
    )


# -- KM463: XLA on GPU by default -----------------------------------------------------------------


def test_km463_compile_is_marked_when_the_model_uses_ops_xla_cannot_compile():
    assert_flags(
        """
        import tensorflow as tf
        from keras.layers import Lambda
        from keras.models import Sequential
        model = Sequential([Lambda(lambda t: tf.py_function(f, [t], tf.float32))])
        model.compile(optimizer="sgd", loss="mse")
        """,
        "KM463",
    )


def test_km463_no_op_without_such_ops_or_with_jit_compile_given():
    assert_unchanged(
        """
        from tensorflow.keras.models import Sequential
        model = Sequential()
        model.compile(optimizer="sgd", loss="mean_squared_error")
        """
    )
    assert_unchanged(
        """
        import tensorflow as tf
        from tensorflow.keras.models import Sequential
        model = Sequential()
        y = tf.py_function(f, [x], tf.float32)
        model.compile(optimizer="sgd", loss="mean_squared_error", jit_compile=False)
        """
    )
