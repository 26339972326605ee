"""A tf.keras program that records Keras's global settings (test input for the worker's isolation)."""
import numpy as np
import tensorflow as tf

NOT_COMPARABLE = {'legacy_weights': 'no legacy file in this test'}


def data():
    return {'x': np.ones((4, 3), 'float32'), 'y': np.ones((4, 1), 'float32')}


def build():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer='sgd', loss='mean_squared_error')
    return model


def train(model, data):
    backend = tf.keras.backend
    return [float(backend.image_data_format() == 'channels_last'), float(backend.epsilon())]
