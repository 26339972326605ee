"""Tests of ``kmigrate/rules/optimizers/learning_rate.py``: The learning rate read and written on an optimizer: ``optimizer.lr``, ``K.set_value`` /
``K.get_value`` on it, and ``compile(optimizer='...')`` strings whose defaults changed."""

from tests.helpers import assert_flags, assert_migrates, run


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


def test_km308_optimizer_decay_read_marked():
    # Keras 3 optimizers have no .decay (AttributeError); the callback idiom lr / (1 + decay * it)
    code = (
        "from keras.callbacks import Callback\nfrom keras import backend as K\n\n\nclass LRval(Callback):\n"
        "    def on_epoch_end(self, epoch, logs=None):\n        decay = self.model.optimizer.decay\n"
        "        print(K.eval(self.model.optimizer.lr / (1. + decay)))\n"
    )
    out = assert_flags(code, "KM308")
    assert "self.model.optimizer.decay  # kmigrate: KM308" in out


def test_km308_decay_assignment_and_other_objects_not_marked():
    code = (
        "from keras.optimizers import SGD\nopt = SGD(lr=0.1)\nopt.decay = 0.5\n\n\nclass Sched(object):\n"
        "    decay = 3\n\n\nprint(Sched().decay)\n"
    )
    assert "KM308 no optimizer.decay" not in (run(code).output or "")
