"""Tests of the layer_args family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from __future__ import annotations

import pytest

from kmigrate.rules import layer_args
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, rules_fired
from tests.rules.layer_args.cases import MINE, ONLY, WITH_IMPORTS


def test_local_dense_class_is_not_keras() -> None:
    assert_unchanged(
        """
        import keras

        class Dense:
            def __init__(self, output_dim, init=None):
                pass

        layer = Dense(output_dim=4, init='x')
        """,
        **ONLY,
    )


def test_tf_keras_code_is_left_alone() -> None:
    assert_unchanged(
        """
        import tensorflow as tf
        from tensorflow.keras.layers import Conv2D, Dense
        a = tf.keras.layers.Dense(64, 'relu')
        b = Conv2D(32, 3, 3)
        c = Dense(output_dim=3)
        """,
        **ONLY,
    )


def test_keras2_positionals_keep_their_meaning() -> None:
    assert_unchanged(
        """
        from keras.layers import Dense, Dropout, Embedding, MaxPooling1D
        a = Dense(64)
        b = Dropout(0.5, None, 3)
        c = Embedding(1000, 64)
        d = MaxPooling1D(2, 1, 'same')
        """,
        **ONLY,
    )


def test_tensorflow_python_keras_positionals_are_not_keras1() -> None:
    # TensorFlow's private Keras copy never had the Keras 1 shim: (32, 3, 3) means strides 3 there
    # and in tf.keras alike.
    assert_unchanged(
        """
        from tensorflow.python.keras.layers import Conv2D
        c = Conv2D(32, 3, 3)
        """,
        **ONLY,
    )


def test_conv2d_keras2_calls_are_unchanged() -> None:
    assert_unchanged(
        """
        import keras
        from keras.layers import Conv2D
        a = Conv2D(32, (3, 3), strides=(2, 2), padding='same')
        b = keras.layers.Conv2D(32, 3, activation='relu')
        """,
        **ONLY,
    )


def test_model_on_tf_keras_is_left_alone() -> None:
    assert_unchanged(
        """
        from tensorflow.keras.models import Model
        m = Model(inputs=a, outputs=b)
        """,
        **ONLY,
    )


def test_add_weight_outside_keras_layers_is_left_alone() -> None:
    assert_unchanged(
        """
        import keras
        from tensorflow.keras.layers import Layer

        class NotKeras(object):
            def build(self):
                self.add_weight('x', (1,))

        class Modern(Layer):
            def build(self, s):
                self.w = self.add_weight('w', (1,))
        """,
        **ONLY,
    )


def test_add_weight_in_a_plain_class_nested_in_a_layer_with_star_import() -> None:
    assert_unchanged(
        """
        from keras.layers import *

        class C(Layer):
            def build(self, s):
                class D(object):
                    def f(self):
                        self.add_weight('x', (1,))
        """,
        **ONLY,
    )


def test_km201_ignore_comment_and_ignore_setting() -> None:
    assert_unchanged(
        """
        from keras.layers import Dense
        d = Dense(output_dim=4)  # kmigrate: ignore[KM201]
        """,
        **ONLY,
    )
    assert_unchanged(
        """
        from keras.layers import Dense
        d = Dense(output_dim=4)
        """,
        select=MINE,
        ignore=("KM201",),
    )


def test_rule_ids_follow_the_catalog() -> None:
    for rule in layer_args.RULES:
        (catalog,) = rule.catalog
        assert rule.id == "KM2" + catalog[1:], rule.id


def test_km201_dense_keywords() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import Dense
        layer = Dense(output_dim=64, init='he_normal', W_regularizer=r, b_regularizer=s,
                      W_constraint=c, b_constraint=d, bias=False, activation='relu')
        """,
        """
        from keras.layers import Dense
        layer = Dense(units=64, kernel_initializer='he_normal', kernel_regularizer=r, bias_regularizer=s,
                      kernel_constraint=c, bias_constraint=d, use_bias=False, activation='relu')
        """,
        **ONLY,
    )
    assert rules_fired(diagnostics) == {"KM201"}


def test_km201_dense_keyword_order_and_comments_are_kept() -> None:
    assert_migrates(
        """
        from keras.layers.core import Dense
        layer = Dense(activation='relu',  # hidden
                      output_dim=8)
        """,
        """
        from keras.layers.core import Dense
        layer = Dense(activation='relu',  # hidden
                      units=8)
        """,
        **ONLY,
    )


@pytest.mark.parametrize(
    "imports, spelled",
    [
        ("import keras.layers as L", "L.Dense"),
        ("import keras", "keras.layers.Dense"),
        ("import keras", "keras.layers.core.Dense"),
        ("from keras import layers", "layers.Dense"),
        ("from keras.layers import *", "Dense"),
    ],
)
def test_km201_dense_alias_spellings(imports: str, spelled: str) -> None:
    assert_migrates(
        f"{imports}\nlayer = {spelled}(output_dim=4)\n",
        f"{imports}\nlayer = {spelled}(units=4)\n",
        **ONLY,
    )


def test_km201_dense_with_imports_rewritten() -> None:
    assert_migrates(
        """
        from keras.layers import Dense
        layer = Dense(output_dim=4)
        """,
        """
        from tensorflow.keras.layers import Dense
        layer = Dense(units=4)
        """,
        **WITH_IMPORTS,
    )


def test_km202_dropout_family() -> None:
    assert_migrates(
        """
        from keras.layers import Dropout, GaussianDropout, SpatialDropout1D, SpatialDropout2D
        a = Dropout(p=0.5)
        b = GaussianDropout(p=0.3)
        c = SpatialDropout1D(p=0.2)
        d = SpatialDropout2D(p=0.2, dim_ordering='th')
        """,
        """
        from keras.layers import Dropout, GaussianDropout, SpatialDropout1D, SpatialDropout2D
        a = Dropout(rate=0.5)
        b = GaussianDropout(rate=0.3)
        c = SpatialDropout1D(rate=0.2)
        d = SpatialDropout2D(rate=0.2, data_format='channels_first')
        """,
        **ONLY,
    )


def test_km204_pooling1d_prelu_noise() -> None:
    assert_migrates(
        """
        from keras.layers import MaxPooling1D, AveragePooling1D, PReLU, GaussianNoise
        a = MaxPooling1D(pool_length=2, stride=None, border_mode='valid')
        b = AveragePooling1D(pool_length=3)
        c = PReLU(init='zero')
        d = GaussianNoise(sigma=0.1)
        """,
        """
        from keras.layers import MaxPooling1D, AveragePooling1D, PReLU, GaussianNoise
        a = MaxPooling1D(pool_size=2, strides=None, padding='valid')
        b = AveragePooling1D(pool_size=3)
        c = PReLU(alpha_initializer='zero')
        d = GaussianNoise(stddev=0.1)
        """,
        **ONLY,
    )


def test_km209_pooling2d_and_dim_ordering_values() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import MaxPooling2D, AveragePooling3D, GlobalAveragePooling2D, UpSampling2D
        a = MaxPooling2D(pool_size=(2, 2), strides=None, border_mode='same', dim_ordering="th")
        b = AveragePooling3D((2, 2, 2), dim_ordering='tf')
        c = GlobalAveragePooling2D(dim_ordering='default')
        d = UpSampling2D(size=(2, 2), dim_ordering='th')
        """,
        """
        from keras.layers import MaxPooling2D, AveragePooling3D, GlobalAveragePooling2D, UpSampling2D
        a = MaxPooling2D(pool_size=(2, 2), strides=None, padding='same', data_format="channels_first")
        b = AveragePooling3D((2, 2, 2), data_format='channels_last')
        c = GlobalAveragePooling2D()
        d = UpSampling2D(size=(2, 2), data_format='channels_first')
        """,
        **ONLY,
    )
    assert rules_fired(diagnostics) == {"KM209", "KM229"}  # dim_ordering is always KM229


def test_km238_deconv_alias_through_module_and_3d() -> None:
    assert_migrates(
        """
        import keras
        a = keras.layers.Deconv2D(8, (3, 3), strides=(2, 2))
        b = keras.layers.Deconvolution3D(8, (3, 3, 3))
        """,
        """
        from tensorflow import keras
        a = keras.layers.Conv2DTranspose(8, (3, 3), strides=(2, 2))
        b = keras.layers.Conv3DTranspose(8, (3, 3, 3))
        """,
        **WITH_IMPORTS,
    )


@pytest.mark.parametrize(
    "imports, name",
    [
        ("from keras.models import Model", "Model"),
        ("from keras.engine.topology import Container", "Container"),
        ("from keras.engine.training import Model", "Model"),
        ("import keras", "keras.models.Model"),
    ],
)
def test_km224_model_input_output(imports: str, name: str) -> None:
    assert_migrates(
        f"{imports}\nm = {name}(input=[a, b], output=y, name='m')\n",
        f"{imports}\nm = {name}(inputs=[a, b], outputs=y, name='m')\n",
        **ONLY,
    )


def test_km225_inputlayer_input_dtype() -> None:
    assert_migrates(
        """
        from keras.engine.topology import InputLayer
        i = InputLayer(input_shape=(8,), input_dtype='int32')
        """,
        """
        from keras.engine.topology import InputLayer
        i = InputLayer(input_shape=(8,), dtype='int32')
        """,
        **ONLY,
    )


def test_km201_time_distributed_dense() -> None:
    assert_migrates(
        """
        from keras.models import Sequential
        from keras.layers.core import TimeDistributedDense
        model = Sequential()
        model.add(TimeDistributedDense(64, input_dim=16, input_length=10, activation='relu', init='he_normal', name='td'))
        """,
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, TimeDistributed
        model = Sequential()
        model.add(TimeDistributed(Dense(64, activation='relu', kernel_initializer='he_normal'), input_shape=(10, 16), name='td'))
        """,
        **WITH_IMPORTS,
    )


@pytest.mark.parametrize(
    "code, rule",
    [
        ("from keras.layers.core import Highway\nh = Highway(activation='relu')\n", "KM236"),
        ("from keras.legacy.layers import MaxoutDense\nm = MaxoutDense(64, nb_feature=4)\n", "KM236"),
        ("from keras.layers.advanced_activations import SReLU\ns = SReLU()\n", "KM237"),
        ("import keras\np = keras.layers.advanced_activations.ParametricSoftplus()\n", "KM237"),
    ],
)
def test_removed_layers_are_flagged(code: str, rule: str) -> None:
    assert_flags(code, rule, **ONLY)


def test_km201_duplicate_legacy_and_new_keyword_is_flagged() -> None:
    output = assert_flags(
        """
        from keras.layers import Dense
        d = Dense(4, init='zeros', kernel_initializer='ones')
        """,
        "KM201",
        **ONLY,
    )
    assert "init='zeros'" in output
