"""A tf.keras program written to the fixture contract, used to test the modern worker on its
own (it is test input, not a migrated fixture: those are always produced by kmigrate)."""
import numpy as np
import tensorflow as tf

NOT_COMPARABLE = {'legacy_weights': 'no legacy file in this test'}


def data():
    rng = np.random.RandomState(0)
    x = rng.rand(32, 3).astype('float32')
    return {'x': x, 'y': x[:, :1] * 2}


def build():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(4, activation='tanh'),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01), loss='mean_squared_error')
    return model


def train(model, data):
    return model.fit(data['x'], data['y'], batch_size=8, epochs=2, verbose=0, shuffle=False).history['loss']
