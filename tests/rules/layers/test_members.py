"""Tests of ``kmigrate/rules/layers/members.py``: Members of layers and models that changed: node methods (``get_output_at``), ``_keras_shape``,
``uses_learning_phase``, ``state_updates``, inbound nodes, and what a Layer subclass must now do."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged, migrated, run


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



CUSTOM_ATTENTION = """
from keras import regularizers, constraints
from keras.engine.topology import Layer

class Attention(Layer):
    def __init__(self, step_dim, W_regularizer=None, b_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, **kwargs):
        self.W_regularizer = regularizers.get(W_regularizer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.W_constraint = constraints.get(W_constraint)
        self.b_constraint = constraints.get(b_constraint)
        self.use_bias = bias
        self.step_dim = step_dim
        super(Attention, self).__init__(**kwargs)
"""


def test_km421_lists_every_constructor_argument_and_serializes_stored_objects():
    # Seen on a real attention layer: the suggestion listed 4 of the 6 arguments.
    output = assert_flags(CUSTOM_ATTENTION, "KM421", select=("KM421",))
    assert "add get_config() returning the constructor arguments" in output
    [finding] = [d for d in run(CUSTOM_ATTENTION, select=("KM421",)).diagnostics if d.rule == "KM421"]
    for entry in ("'step_dim': self.step_dim", "'W_regularizer': regularizers.serialize(self.W_regularizer)",
                  "'b_regularizer': regularizers.serialize(self.b_regularizer)",
                  "'W_constraint': constraints.serialize(self.W_constraint)",
                  "'b_constraint': constraints.serialize(self.b_constraint)", "'bias': self.use_bias"):
        assert entry in finding.message
