"""Tests of ``kmigrate/rules/optimizers/learning_rate.py``: The learning rate read and written on an optimizer: ``optimizer.lr``, ``K.set_value`` /
``K.get_value`` on it, and ``compile(optimizer='...')`` strings whose defaults changed."""

from tests.helpers import assert_migrates


def test_km308_optimizer_lr_attribute_and_set_value():
    assert_migrates(
        "from keras import backend as K\nfrom keras.callbacks import Callback\n\n"
        "class Halve(Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
        "        lr = K.get_value(self.model.optimizer.lr)\n"
        "        K.set_value(self.model.optimizer.lr, lr * 0.5)\n",
        "from tensorflow.keras import backend as K\nfrom tensorflow.keras.callbacks import Callback\n\n"
        "class Halve(Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
        "        lr = K.get_value(self.model.optimizer.learning_rate)\n"
        "        self.model.optimizer.learning_rate.assign(lr * 0.5)\n",
    )
