"""KM401-KM420: layers and model structure."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_second_run_is_noop, assert_unchanged, migrated


def test_km402_first_add_gets_a_leading_input():
    assert_migrates(
        """
        from keras.models import Sequential
        from keras.layers import LSTM, Dense
        model = Sequential()
        # stateful
        model.add(LSTM(5, batch_input_shape=(4, 3, 1), stateful=True, recurrent_activation='sigmoid'))
        model.add(Dense(1))
        """,
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import LSTM, Dense, Input
        model = Sequential()
        # stateful
        model.add(Input(batch_shape=(4, 3, 1)))
        model.add(LSTM(5, stateful=True, recurrent_activation='sigmoid'))
        model.add(Dense(1))
        """,
    )


def test_km402_list_batch_size_and_later_layers():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential([Dense(4, batch_size=16, input_shape=(8,)), Dense(1, batch_input_shape=(None, 4))])
        """
    )
    assert "m = Sequential([Input(batch_shape=(16, 8)), Dense(4), Dense(1)])" in out


def test_km402_functional_call_drops_and_other_places_flag():
    out = migrated(
        """
        from keras.layers import Dense
        y = Dense(4, batch_input_shape=(2, 3))(x)
        """
    )
    assert "y = Dense(4)(x)" in out
    assert_flags(
        """
        from keras.layers import Dense
        layer = Dense(4, batch_input_shape=(2, 3))
        """,
        "KM402",
    )


def test_km402_not_on_tf_keras_target():
    out = migrated(
        """
        from keras.layers import Dense
        layer = Dense(4, batch_input_shape=(2, 3))
        """,
        target="tf_keras",
    )
    assert "batch_input_shape=(2, 3)" in out and "KM402" not in out


def test_km404_embedding_input_length():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import Embedding, Flatten, Dense
        a = Sequential([Embedding(1000, 64, input_length=10), Flatten(), Dense(1)])
        b = Sequential()
        b.add(Embedding(1000, 64))
        y = Embedding(10, 2, input_length=3)(x)
        """
    )
    assert "a = Sequential([Embedding(1000, 64, input_shape=(10,)), Flatten(), Dense(1)])" in out
    assert "b.add(Embedding(1000, 64, input_shape=(None,)))" in out
    assert "y = Embedding(10, 2)(x)" in out


def test_km405_sequence_input_dim():
    assert_migrates(
        """
        from tensorflow.keras.layers import LSTM, Conv1D
        a = LSTM(32, input_dim=8)
        b = Conv1D(16, 3, input_dim=8, input_length=20)
        """,
        """
        from tensorflow.keras.layers import LSTM, Conv1D
        a = LSTM(32, input_shape=(None, 8))
        b = Conv1D(16, 3, input_shape=(20, 8))
        """,
    )


def test_km405_dense_input_dim_untouched():
    assert_unchanged(
        """
        from tensorflow.keras.layers import Dense
        a = Dense(32, input_dim=8)
        """
    )


def test_km406_get_output_at():
    out = migrated(
        """
        from keras.models import Model
        a = model.layers[1].get_output_at(0)
        b = layer.get_input_shape_at(0)
        """
    )
    assert "a = model.layers[1].output" in out
    assert "b = layer.input.shape" in out
    assert_flags(
        """
        from keras.models import Model
        a = layer.get_output_at(1)
        """,
        "KM406",
    )


def test_km407_keras_shape():
    out = migrated(
        """
        from keras import backend as K
        n = x._keras_shape[-1]
        """
    )
    assert "n = K.int_shape(x)[-1]" in out
    assert "x._keras_shape = (None, 3)" in migrated(
        """
        from keras import backend as K
        x._keras_shape = (None, 3)
        """
    )


def test_km408_weights_flagged_but_not_embedding():
    assert_flags(
        """
        from keras.layers import Dense
        d = Dense(3, weights=kernel_and_bias)
        """,
        "KM408",
    )
    out = migrated(
        """
        from keras.layers import Embedding
        e = Embedding(100, 8, weights=[matrix])
        """
    )
    assert "KM408" not in out


def test_km409_cudnn():
    out = migrated(
        """
        from keras.layers import CuDNNLSTM, CuDNNGRU
        a = CuDNNLSTM(128, return_sequences=True)
        b = CuDNNGRU(64)
        """
    )
    assert "a = LSTM(128, return_sequences=True)" in out
    assert "b = GRU(64)" in out
    assert "CuDNN" not in out
    assert "reset_after" not in out and "legacy_hard_sigmoid" not in out


def test_km410_leaky_relu_and_relu():
    assert_migrates(
        """
        from keras.layers import LeakyReLU
        from keras import activations
        a = LeakyReLU(alpha=0.1)
        b = activations.relu(x, alpha=0.1, max_value=6)
        c = LeakyReLU(0.2)
        """,
        """
        from tensorflow.keras.layers import LeakyReLU
        from tensorflow.keras import activations
        a = LeakyReLU(negative_slope=0.1)
        b = activations.relu(x, negative_slope=0.1, max_value=6)
        c = LeakyReLU(0.2)
        """,
    )


def test_km410_tf_keras_keeps_alpha():
    out = migrated(
        """
        from keras.layers import LeakyReLU
        a = LeakyReLU(alpha=0.1)
        """,
        target="tf_keras",
    )
    assert "alpha=0.1" in out


def test_km410_unrelated_code():
    assert_unchanged(
        """
        def LeakyReLU(alpha):
            return alpha
        a = LeakyReLU(alpha=0.1)
        """
    )


def test_km414_rnn_args():
    out = migrated(
        """
        from tensorflow.keras.layers import LSTM
        a = LSTM(32, implementation=2)
        """
    )
    assert "a = LSTM(32)" in out
    assert_flags(
        """
        from tensorflow.keras.layers import LSTM
        a = LSTM(32, time_major=True)
        """,
        "KM414",
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


def test_km417_418_419_420():
    assert_flags(
        """
        from keras.layers.recurrent import Recurrent
        class MyRNN(Recurrent):
            pass
        """,
        "KM417",
    )
    assert_flags(
        """
        from keras.layers import Layer
        class L(Layer):
            def call(self, x):
                self.add_update([(self.v, x)], x)
                return x
        """,
        "KM418",
    )
    out = migrated(
        """
        from keras.layers import Layer
        class L(Layer):
            def call(self, x):
                self.add_loss(x, inputs=x)
                return x
        """
    )
    assert "self.add_loss(x)" in out
    assert_flags(
        """
        from keras.models import Model
        if model.uses_learning_phase:
            pass
        """,
        "KM420",
    )


def test_method_names_in_non_keras_files_untouched():
    assert_unchanged(
        """
        a = thing.get_output_at(0)
        b = x._keras_shape
        """
    )


def test_km410_thresholded_relu():
    out = migrated(
        """
        from keras.layers.advanced_activations import ThresholdedReLU
        a = ThresholdedReLU(theta=0.1)
        b = ThresholdedReLU()
        c = ThresholdedReLU(0.5)
        """
    )
    assert "a = ReLU(threshold=0.1)" in out
    assert "b = ReLU(threshold=1.0)" in out
    assert "c = ReLU(threshold=0.5)" in out


def test_km420_model_reset_states():
    out = migrated(
        """
        from keras.models import Sequential
        def train(model, lstm):
            model.reset_states()
            lstm.reset_states()
        train(Sequential(), None)
        """
    )
    assert '[layer.reset_states() for layer in model.layers if getattr(layer, "stateful", False)]' in out
    assert "    lstm.reset_states()" in out


def test_km420_reset_states_on_unknown_receiver_is_marked_not_rewritten():
    # A layer's reset_states() still exists: only a visible model gets the rewrite.
    out = migrated(
        """
        from keras.models import Sequential
        def train(net):
            net.reset_states()
        """
    )
    assert "    net.reset_states()  # kmigrate: KM420" in out


def test_km422_activity_regularizer_summed_over_batch():
    out = migrated(
        """
        from keras.layers import Dense
        from keras.regularizers import activity_l2
        d = Dense(6, activity_regularizer=activity_l2(0.001))
        e = Dense(6, activity_regularizer=None)
        """
    )
    assert "d = Dense(6, activity_regularizer=LegacyActivityRegularizer(l2(0.001)))" in out
    assert "e = Dense(6, activity_regularizer=None)" in out
    assert out.count("class LegacyActivityRegularizer(regularizers.Regularizer):") == 1
    assert_unchanged(
        """
        from tensorflow.keras.layers import Dense
        from tensorflow.keras.regularizers import l2
        d = Dense(6, activity_regularizer=l2(0.001))
        """
    )


# -- KM415: Lambda layers Keras 3 can reload ---------------------------------------------------


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


        def build():
            return Lambda(kmigrate_lambda_1, output_shape=lambda shape: shape)
        """,
    )


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


# -- KM421: the custom layer contract ------------------------------------------------------------


def test_km421_bare_tf_variable_and_missing_get_config_are_marked():
    output = assert_flags(
        """
        import tensorflow as tf
        from keras.engine.topology import Layer

        class Scale(Layer):
            def __init__(self, factor, **kwargs):
                self.factor = factor
                super(Scale, self).__init__(**kwargs)

            def build(self, shape):
                self.w = tf.Variable(tf.ones(shape[-1:]))

            def call(self, x):
                return x * self.w * self.factor
        """,
        "KM421",
    )
    assert "self.add_weight" in output and "'factor': self.factor" in output


def test_km421_no_op_for_a_complete_layer_and_for_non_layers():
    assert_unchanged(
        """
        import tensorflow as tf
        from tensorflow.keras.layers import Layer

        class Scale(Layer):
            def __init__(self, factor, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor

            def build(self, shape):
                self.w = self.add_weight(shape=shape[-1:], initializer="ones")

            def get_config(self):
                return {**super().get_config(), "factor": self.factor}

        class NotALayer:
            def __init__(self, factor):
                self.v = tf.Variable(factor)
        """
    )


# -- KM403: opt-in explicit Input ------------------------------------------------------------------


def test_km403_explicit_input_only_when_selected():
    code = """
    from keras.models import Sequential
    from keras.layers import Dense
    model = Sequential()
    model.add(Dense(64, input_dim=100))
    model.add(Dense(1))
    """
    assert "Input(" not in migrated(code)
    assert_migrates(
        code,
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Input
        model = Sequential()
        model.add(Input(shape=(100,)))
        model.add(Dense(64))
        model.add(Dense(1))
        """,
        select=("KM1", "KM403"),
    )


def test_km403_list_form():
    output = migrated(
        "from tensorflow.keras.models import Sequential\n"
        "from tensorflow.keras.layers import Dense\n"
        "model = Sequential([Dense(8, input_shape=(4,)), Dense(1)])\n",
        select=("KM403",),
    )
    assert "Sequential([Input(shape=(4,)), Dense(8), Dense(1)])" in output


def test_km422_tf_keras_target_also_registers_the_plain_class_name():
    code = """
    from keras.layers import Dense
    from keras.regularizers import l2
    layer = Dense(6, activity_regularizer=l2(0.001))
    """
    assert "get_custom_objects()['LegacyActivityRegularizer']" in migrated(code, target="tf_keras")
    assert "get_custom_objects" not in migrated(code)
    assert_second_run_is_noop(migrated(code, target="tf_keras"), target="tf_keras")


def test_km402_no_input_inserted_inside_a_loop_or_into_a_foreign_container():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import LSTM
        from recurrentshop import RecurrentSequential
        model = Sequential()
        for i in range(2):
            model.add(LSTM(4, batch_input_shape=(2, 3, 4), stateful=True))
        cell = RecurrentSequential()
        cell.add(LSTM(4, batch_input_shape=(2, 3, 4)))
        """
    )
    assert "Input(batch_shape" not in out
    assert "    model.add(LSTM(4, batch_input_shape=(2, 3, 4), stateful=True" in out
    assert "# kmigrate: KM402" in out
