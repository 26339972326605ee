"""kmigrate: move legacy standalone Keras code onto tf.keras (TensorFlow 2.21 / Keras 3)."""

__version__ = "0.1.0"
