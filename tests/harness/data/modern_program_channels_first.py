"""A tf.keras program that changes Keras's global image data format at import time, as legacy
programs did with K.set_image_dim_ordering('th') (test input for the worker's isolation)."""
import numpy as np
import tensorflow as tf

tf.keras.backend.set_image_data_format('channels_first')
tf.keras.backend.set_epsilon(1e-4)

NOT_COMPARABLE = {'legacy_weights': 'no legacy file in this test'}


def data():
    return {'x': np.ones((4, 3), 'float32'), 'y': np.ones((4, 1), 'float32')}


def build():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer='sgd', loss='mean_squared_error')
    return model


def train(model, data):
    return model.fit(data['x'], data['y'], batch_size=4, epochs=1, verbose=0, shuffle=False).history['loss']
