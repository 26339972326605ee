"""Tests of ``kmigrate/rules/keras1_api/methods.py``: Methods whose Keras 1 keywords changed: ``compile(metrics=)``, ``flow(X=)``."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged, migrated


def test_km253_not_outside_layers():
    assert_unchanged(
        """
        class L(object):
            def get_output_shape_for(self, input_shape):
                return input_shape
        """
    )


def test_km243_keras1_metrics_flag():
    assert_flags(
        """
        from keras.models import Sequential
        model.compile(loss='mse', optimizer='sgd', metrics=['fmeasure'])
        """,
        "KM243",
    )


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
