"""KM240-KM254: Keras 1 API leftovers."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated


def test_km241_regularizers():
    out = migrated(
        """
        from keras.regularizers import l1l2, activity_l2, l2
        from keras.layers import Dense
        d = Dense(4, W_regularizer=l1l2(0.01), activity_regularizer=activity_l2(0.1), b_regularizer=l2(l=0.001))
        """
    )
    assert "l1_l2(l1=0.01, l2=0.01)" in out
    assert "activity_regularizer=LegacyActivityRegularizer(l2(0.1))" in out
    assert "l2(0.001)" in out
    assert "l1l2" not in out and "activity_l2" not in out


def test_km241_l1_l2_defaults_made_explicit():
    assert_migrates(
        """
        from tensorflow.keras import regularizers
        r = regularizers.l1_l2()
        s = regularizers.l1_l2(l1=0.001, l2=0.002)
        """,
        """
        from tensorflow.keras import regularizers
        r = regularizers.l1_l2(l1=0.01, l2=0.01)
        s = regularizers.l1_l2(l1=0.001, l2=0.002)
        """,
    )


def test_km242_constraints():
    out = migrated(
        """
        from keras.constraints import maxnorm, nonneg
        a = maxnorm(m=2)
        b = nonneg()
        """
    )
    assert "a = max_norm(max_value=2)" in out
    assert "b = non_neg()" in out


def test_km243_keras1_metrics_flag():
    assert_flags(
        """
        from keras.models import Sequential
        model.compile(loss='mse', optimizer='sgd', metrics=['fmeasure'])
        """,
        "KM243",
    )


def test_km244_247_248_renames():
    assert_migrates(
        """
        from keras.utils import np_utils
        from keras.datasets import imdb
        from keras.preprocessing.text import Tokenizer
        y = np_utils.to_categorical(labels, nb_classes=10)
        (x, y), _ = imdb.load_data(nb_words=5000)
        t = Tokenizer(nb_words=1000)
        """,
        """
        from tensorflow.keras import utils as np_utils
        from tensorflow.keras.datasets import imdb
        from tensorflow.keras.preprocessing.text import Tokenizer
        y = np_utils.to_categorical(labels, num_classes=10)
        (x, y), _ = imdb.load_data(num_words=5000)
        t = Tokenizer(num_words=1000)
        """,
    )


def test_km245_np_utils_flag():
    assert_flags(
        """
        from keras.utils import np_utils
        c = np_utils.categorical_probas_to_classes(p)
        """,
        "KM245",
    )


def test_km246_print_summary():
    out = migrated(
        """
        from keras.utils.layer_utils import print_summary
        print_summary(model, line_length=80)
        """
    )
    assert "model.summary(line_length=80)" in out


def test_km249_preprocessing_dim_ordering():
    out = migrated(
        """
        from keras.preprocessing.image import ImageDataGenerator, img_to_array
        g = ImageDataGenerator(dim_ordering='th')
        a = img_to_array(img, dim_ordering='tf')
        it = g.flow(X=x, y=y)
        """
    )
    assert "ImageDataGenerator(data_format='channels_first')" in out
    assert "img_to_array(img, data_format='channels_last')" in out
    assert "g.flow(x=x, y=y)" in out


def test_km250_image_dim_ordering_values():
    out = migrated(
        """
        from keras import backend as K
        if K.image_dim_ordering() == 'th':
            pass
        K.set_image_dim_ordering('tf')
        order = K.image_dim_ordering()
        """,
        select=("KM250", "KM1"),
    )
    assert "if K.image_data_format() == 'channels_first':" in out
    assert "K.set_image_data_format('channels_last')" in out
    assert "order = ('th' if K.image_data_format() == 'channels_first' else 'tf')" in out


def test_km251_backend_keywords():
    out = migrated(
        """
        from keras import backend as K
        a = K.expand_dims(x, dim=-1)
        b = K.random_normal((2, 3), std=0.1)
        c = K.temporal_padding(x, 1)
        d = K.conv2d(x, k, border_mode='same', dim_ordering='th', image_shape=s)
        e = K.set_epsilon(e=1e-7)
        """
    )
    assert "a = K.expand_dims(x, axis=-1)" in out
    assert "b = K.random_normal((2, 3), stddev=0.1)" in out
    assert "c = K.temporal_padding(x, (1, 1))" in out
    assert "d = K.conv2d(x, k, padding='same', data_format='channels_first')" in out
    assert "e = K.set_epsilon(1e-7)" in out


def test_km252_crossentropy_only_when_version_known_old():
    code = """
        from keras import backend as K
        loss = K.categorical_crossentropy(y_pred, y_true)
        """
    assert "K.categorical_crossentropy(y_true, y_pred)" in migrated(code, from_version="2.0.5")
    assert "K.categorical_crossentropy(y_pred, y_true)" in migrated(code)


def test_km253_custom_layer():
    out = migrated(
        """
        from keras.engine.topology import Layer
        class L(Layer):
            def get_output_shape_for(self, input_shape):
                return input_shape
        """
    )
    assert "def compute_output_shape(self, input_shape):" in out
    assert_flags(
        """
        from keras.engine.topology import Layer
        class L(Layer):
            def build(self, s):
                self.regularizers = [self.W_regularizer]
        """,
        "KM253",
    )


def test_km253_not_outside_layers():
    assert_unchanged(
        """
        class L(object):
            def get_output_shape_for(self, input_shape):
                return input_shape
        """
    )


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
