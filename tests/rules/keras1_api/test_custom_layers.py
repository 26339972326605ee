"""Tests of ``kmigrate/rules/keras1_api/custom_layers.py``: Keras 1 custom layers (B53: ``get_output_shape_for``, ``self.regularizers``) and layer weight
attributes (B54: ``W``/``b`` -> ``kernel``/``bias``)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, migrated


def test_km254_leaves_the_attributes_of_a_users_own_layer_alone():
    # Keras never reads self.W/self.b of a custom layer; self.b -> self.bias would clobber the
    # user's own self.bias flag ("A Keras Variable cannot be used as a boolean").
    out = migrated(
        """
        from keras.layers import Layer
        class Att(Layer):
            def __init__(self, bias=True, W_regularizer=None, **kwargs):
                self.bias = bias
                self.W_regularizer = W_regularizer
                super(Att, self).__init__(**kwargs)
            def build(self, input_shape):
                self.W = self.add_weight(name='W', shape=(input_shape[-1],), initializer='zeros',
                                         regularizer=self.W_regularizer)
                if self.bias:
                    self.b = self.add_weight(name='b', shape=(1,), initializer='zeros')
            def call(self, x):
                return x * self.W + (self.b if self.bias else 0)
            def get_config(self):
                return {**super().get_config(), 'bias': self.bias, 'W_regularizer': self.W_regularizer}
        """,
        select=("KM254",),
    )
    assert "self.W = self.add_weight" in out and "self.b = self.add_weight" in out
    assert "return x * self.W + (self.b if self.bias else 0)" in out
    assert "regularizer=self.W_regularizer" in out and "kernel" not in out


def test_km254_subclass_of_a_builtin_layer_keeps_names_it_sets_or_already_uses():
    out = migrated(
        """
        from keras.layers import Dense
        class Gated(Dense):
            def __init__(self, units, bias=True, **kwargs):
                self.bias = bias
                super(Gated, self).__init__(units, **kwargs)
            def build(self, input_shape):
                super(Gated, self).build(input_shape)
                self.W_gate = self.add_weight(shape=(1,), initializer='zeros')
                self.W_constraint = None
            def call(self, x):
                return x * self.b * self.W_gate, self.W_constraint
        """,
        select=("KM254",),
    )
    assert "x * self.b * self.W_gate, self.W_constraint" in out


def test_km254_inherited_weight_of_a_builtin_layer_is_renamed():
    assert_migrates(
        """
        from keras.layers import Dense
        class Scaled(Dense):
            def call(self, x):
                return x * self.W + self.b
        """,
        """
        from keras.layers import Dense
        class Scaled(Dense):
            def call(self, x):
                return x * self.kernel + self.bias
        """,
        select=("KM254",),
    )


def test_km254_layer_attribute_the_files_own_layers_also_set_is_marked_not_renamed():
    # att is an instance of the user's Att, whose W is its own; model.layers[1] may be it too.
    output = assert_flags(
        """
        from keras.layers import Layer, Input
        from keras.models import Model
        class Att(Layer):
            def build(self, input_shape):
                self.W = self.add_weight(name='W', shape=(3,), initializer='zeros')
            def call(self, x):
                return x * self.W
        att = Att()
        inp = Input((3,))
        model = Model(inp, att(inp))
        w = att.W
        w2 = model.layers[1].W
        """,
        "KM254",
        select=("KM254",),
    )
    assert "w = att.W  # kmigrate: KM254 on a built-in Keras layer use .kernel\n" in output
    assert "w2 = model.layers[1].W  # kmigrate: KM254 on a built-in Keras layer use .kernel\n" in output
    assert "kernel =" not in output and ".kernel\n" not in output.replace("use .kernel\n", "")


def test_km254_layer_weight_attrs():
    out = migrated(
        """
        from keras.models import Sequential
        w = model.layers[0].W
        b = model.get_layer('d').b
        s = self.W
        """
    )
    assert "w = model.layers[0].kernel" in out
    assert "b = model.get_layer('d').bias" in out
    assert "s = self.W" in out


def test_km254_weights_of_a_file_that_builds_embeddings_or_rnns_are_marked_not_renamed():
    # Keras 3 Embedding has .embeddings and recurrent layers .cell.kernel/.cell.bias: no .kernel
    # (measured on TF 2.21), so `layer.W` of an unknown layer may not become `.kernel` here.
    code = """
        from keras.models import Sequential
        from keras.layers import Dense, Embedding, LSTM
        model = Sequential()
        model.add(Embedding(100, 8, input_length=5))
        model.add(LSTM(4))
        model.add(Dense(3))
        vectors = model.layers[0].W
        bias = model.layers[2].b
        """
    out = assert_flags(code, "KM254")
    assert "vectors = model.layers[0].W  # kmigrate: KM254 Dense/conv: .kernel; Embedding: .embeddings; RNN: .cell.kernel" in out
    assert "bias = model.layers[2].b  # kmigrate: KM254 Dense/conv: .bias; RNN: .cell.bias" in out


def test_km254_bias_is_renamed_when_only_an_embedding_is_built():
    # A Keras 1 Embedding had no bias, so `.b` names a Dense/convolution bias.
    assert_migrates(
        "from keras.models import Sequential\nfrom keras.layers import Dense, Embedding\n"
        "model = Sequential([Embedding(10, 4, input_length=3), Dense(2)])\nbias = model.layers[1].b\n",
        "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Dense, Embedding\n"
        "model = Sequential([Embedding(10, 4, input_shape=(3,)), Dense(2)])\nbias = model.layers[1].bias\n",
    )
