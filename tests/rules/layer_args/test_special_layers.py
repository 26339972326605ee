"""Tests of ``kmigrate/rules/layer_args/special_layers.py``: ``TimeDistributedDense`` and ``self.add_weight`` in custom layers (B26)."""

from __future__ import annotations

import pytest

from tests.helpers import assert_flags, assert_migrates, migrated
from tests.rules.layer_args.cases import ONLY

KERAS1_PROGRAM = """
import numpy as np
from keras.models import Sequential, Model
from keras.layers import Input, Convolution2D, ZeroPadding2D, Flatten, Dense, Lambda, merge
from keras.layers import GRU, Embedding, BatchNormalization, MaxPooling2D
from keras.layers.core import TimeDistributedDense
from keras.layers.convolutional import Deconvolution2D, AtrousConvolution2D
from keras.engine.topology import Layer


class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight('scale_w', (input_shape[-1],), initializer='ones')
        super(Scale, self).build(input_shape)

    def call(self, x, mask=None):
        return x * self.w

    def compute_output_shape(self, input_shape):
        return input_shape


conv_a = Convolution2D(4, 3, 3, border_mode='same', dim_ordering='tf', init='he_normal')
conv_b = Convolution2D(4, 3, 3, subsample=(2, 2), border_mode='valid')
pad = ZeroPadding2D(padding=(1, 2, 0, 1))
deconv = Deconvolution2D(3, 3, 3, output_shape=(None, 9, 9, 3), subsample=(2, 2), border_mode='valid')
atrous = AtrousConvolution2D(2, 3, 3, atrous_rate=(2, 2), border_mode='same')
image = Input(shape=(8, 8, 1))
x = pad(conv_a(image))
x = atrous(conv_b(x))
x = deconv(x)
x = MaxPooling2D(pool_size=(2, 2), border_mode='same', dim_ordering='tf')(x)
flat = Flatten()(x)
left = Dense(output_dim=5, bias=False)(flat)
right = Scale()(Dense(5)(flat))
joined = merge([left, right], mode='concat', concat_axis=-1)
scaled = Lambda(lambda t, k: t * k, (10,), {'k': 2.0})(joined)
normed = BatchNormalization(mode=0, beta_init='zero', gamma_init='one')(scaled)
image_model = Model(input=image, output=normed)

seq = Sequential()
seq.add(GRU(output_dim=6, inner_activation='sigmoid', consume_less='gpu', return_sequences=True,
            input_dim=4, input_length=7))
seq.add(TimeDistributedDense(3, activation='relu'))
"""


def test_km226_add_weight_positional_orders() -> None:
    assert_migrates(
        """
        from keras.engine.topology import Layer

        class Attention(Layer):
            def build(self, input_shape):
                self.W = self.add_weight('att_W', (input_shape[-1], 1), initializer='glorot_uniform')
                self.U = self.add_weight((input_shape[-1], 1), 'glorot_uniform', name='U')
                self.b = self.add_weight((1,), 'att_b', initializer='zero')
                self.c = self.add_weight(self.name + '_c', (1,), initializer='zero')
                self.d = self.add_weight(input_shape[1:], initializer='zero')
                self.e = self.add_weight(name='e', shape=(1,))
        """,
        """
        from keras.engine.topology import Layer

        class Attention(Layer):
            def build(self, input_shape):
                self.W = self.add_weight(name='att_W', shape=(input_shape[-1], 1), initializer='glorot_uniform')
                self.U = self.add_weight(shape=(input_shape[-1], 1), initializer='glorot_uniform', name='U')
                self.b = self.add_weight(shape=(1,), name='att_b', initializer='zero')
                self.c = self.add_weight(name=self.name + '_c', shape=(1,), initializer='zero')
                self.d = self.add_weight(shape=input_shape[1:], initializer='zero')
                self.e = self.add_weight(name='e', shape=(1,))
        """,
        **ONLY,
    )


def test_km226_add_weight_in_subclass_of_a_local_layer_and_of_dense() -> None:
    assert_migrates(
        """
        import keras

        class Base(keras.layers.Dense):
            pass

        class Child(Base):
            def build(self, s):
                self.k = self.add_weight('k', (2, 2))
        """,
        """
        import keras

        class Base(keras.layers.Dense):
            pass

        class Child(Base):
            def build(self, s):
                self.k = self.add_weight(name='k', shape=(2, 2))
        """,
        **ONLY,
    )


def test_km226_add_weight_ambiguous_first_argument_is_flagged() -> None:
    assert_flags(
        """
        from keras.layers import Layer

        class L(Layer):
            def build(self, s):
                self.w = self.add_weight(spec, 'glorot_uniform')
        """,
        "KM226",
        **ONLY,
    )


def test_km226_migrated_layers_behave_as_keras2_did_on_tf_2_21() -> None:
    pytest.importorskip("tensorflow")
    import numpy as np

    output = migrated(KERAS1_PROGRAM)
    assert "# kmigrate:" not in output, output
    namespace: dict = {}
    exec(compile(output, "<migrated>", "exec"), namespace)
    conv_a, conv_b = namespace["conv_a"], namespace["conv_b"]
    assert tuple(conv_a.kernel_size) == (3, 3) and tuple(conv_a.strides) == (1, 1)
    assert conv_a.padding == "same" and conv_a.data_format == "channels_last"
    assert tuple(conv_b.kernel_size) == (3, 3) and tuple(conv_b.strides) == (2, 2)
    assert tuple(namespace["pad"].padding) == ((1, 2), (0, 1))
    assert tuple(namespace["atrous"].dilation_rate) == (2, 2)
    assert tuple(namespace["deconv"].strides) == (2, 2)
    model = namespace["image_model"]
    # 8x8 -> same conv 8x8 -> pad (1,2)/(0,1): 11x9 -> valid stride 2: 5x4 -> atrous same: 5x4
    # -> transposed valid stride 2 kernel 3: 11x9 -> pool same: 6x5
    assert tuple(model.layers[-1].output.shape) == (None, 10)
    assert namespace["deconv"].output.shape[1:3] == (11, 9)
    prediction = model.predict(np.ones((2, 8, 8, 1), dtype="float32"), verbose=0)
    assert prediction.shape == (2, 10)
    seq = namespace["seq"]
    assert seq.predict(np.ones((2, 7, 4), dtype="float32"), verbose=0).shape == (2, 7, 3)
    assert [w.shape for w in seq.layers[1].get_weights()] == [(6, 3), (3,)]
