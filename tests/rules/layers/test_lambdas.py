"""Tests of ``kmigrate/rules/layers/lambdas.py``: Lambda layers built from Python lambdas: lifted into registered top-level functions, or given
an ``output_shape`` for an element-wise backend op, so that Keras 3 can reload them."""

from __future__ import annotations

import re

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated


def test_km415_no_op_for_plain_arithmetic_and_named_functions():
    assert_unchanged(
        """
        from tensorflow.keras.layers import Lambda
        def double(t):
            return t * 2
        a = Lambda(lambda t: t * 2)
        b = Lambda(double)
        """
    )


def test_km415_backend_lambda_is_lifted_into_a_registered_function_with_its_shape():
    assert_migrates(
        """
        from keras import backend as K
        from keras.layers import Lambda

        def build():
            return Lambda(lambda t: K.l2_normalize(t, axis=-1))
        """,
        """
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Lambda
        from tensorflow.keras.utils import register_keras_serializable


        @register_keras_serializable(package="kmigrate")
        def kmigrate_lambda_1(t):
            return K.l2_normalize(t, axis=-1)


        @register_keras_serializable(package="kmigrate")
        def kmigrate_same_shape(shape):
            return shape


        def build():
            return Lambda(kmigrate_lambda_1, output_shape=kmigrate_same_shape)
        """,
    )


def test_km415_output_shape_is_never_a_python_lambda():
    # review finding (learning0animal/facenet-keras): `output_shape=lambda shape: shape` made
    # load_model refuse the saved model in its default safe mode, undoing the lifted function
    output = migrated(
        """
        from keras import backend as K
        from keras.layers import Lambda
        a = Lambda(lambda t: K.l2_normalize(t, axis=-1))
        b = Lambda(lambda t: K.abs(t))
        """
    )
    assert not re.search(r"\blambda\b", output)
    assert output.count("def kmigrate_same_shape(shape):") == 1
    assert "b = Lambda(kmigrate_lambda_2, output_shape=kmigrate_same_shape)" in output


def test_km415_lambda_with_given_output_shape_is_only_lifted():
    output = migrated(
        """
        from keras import backend as K
        from keras.layers import Lambda
        pooled = Lambda(lambda t: K.concatenate([K.mean(t, axis=1), K.max(t, axis=1)]), output_shape=(6,))
        """
    )
    assert "pooled = Lambda(kmigrate_lambda_1, output_shape=(6,))" in output
    assert "return K.concatenate([K.mean(t, axis=1), K.max(t, axis=1)])" in output


def test_km415_shape_it_cannot_infer_is_marked():
    output = assert_flags(
        """
        from keras import backend as K
        from keras.layers import Lambda
        pooled = Lambda(lambda t: K.mean(t, axis=1))
        """,
        "KM415",
    )
    assert "kmigrate_lambda_1" in output


def test_km415_lambda_over_local_names_is_marked_not_lifted():
    output = assert_flags(
        """
        from keras import backend as K
        from keras.layers import Lambda
        def build(scale):
            return Lambda(lambda t: K.exp(t) * scale)
        """,
        "KM415",
    )
    assert "Lambda(lambda t: K.exp(t) * scale)" in output


def test_km415_migrated_lambda_reloads_and_runs_on_tf_221(tmp_path):
    import os
    import subprocess
    import sys

    code = migrated(
        """
        from keras import backend as K
        from keras.layers import Input, Dense, Lambda
        from keras.models import Model
        inputs = Input(shape=(5, 3))
        model = Model(inputs, Dense(1)(Lambda(lambda t: K.l2_normalize(t, axis=-1))(inputs)))
        """
    )
    path = str(tmp_path / "m.keras")
    script = code + (
        "import numpy as np\nimport tensorflow as tf\n"
        "x = np.ones((2, 5, 3), 'float32')\n"
        f"model.save({path!r})\n"
        f"again = tf.keras.models.load_model({path!r}, safe_mode=False)\n"
        "assert np.allclose(model.predict(x, verbose=0), again.predict(x, verbose=0))\n"
        "print('reloaded')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert "reloaded" in out.stdout, out.stderr[-2000:]


def test_helpers_of_one_pass_come_in_the_order_they_were_asked_for():
    # review finding: two lifted lambdas came out as kmigrate_lambda_2 above kmigrate_lambda_1
    output = migrated(
        """
        from keras import backend as K
        from keras.layers import Lambda
        a = Lambda(lambda t: K.abs(t))
        b = Lambda(lambda t: K.square(t))
        """
    )
    assert output.index("def kmigrate_lambda_1") < output.index("def kmigrate_lambda_2")
