"""KM623: `D.trainable = False` after `D.compile()` (the GAN freeze idiom)."""

from __future__ import annotations

from tests.helpers import assert_flags, run

HEAD = """
from keras.models import Sequential, Model
from keras.layers import Dense, Input

D = Sequential([Dense(1, input_dim=2)])
z = Input(shape=(2,))
"""
COMBINED = "C = Model(z, D(z))\nC.compile(loss='mse', optimizer='sgd')\n"


def _km623(code: str) -> list[int]:
    return [d.line for d in run(code).diagnostics if d.rule == "KM623"]


def test_km623_noop_frozen_before_compile():
    # Frozen before its own compile(): legacy Keras never trained it either.
    code = HEAD + "D.trainable = False\nD.compile(loss='mse', optimizer='sgd')\n" + COMBINED + "D.train_on_batch(x, y)\n"
    assert _km623(code) == []


def test_km623_noop_when_the_file_toggles_trainable():
    # The make_trainable(model, flag) helper of many GANs: the file already sets it before training.
    code = HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED + (
        "def make_trainable(model, flag):\n    model.trainable = flag\n\n\n"
        "make_trainable(D, True)\nD.train_on_batch(x, y)\n")
    assert _km623(code) == []


def test_km623_noop_model_never_trained_by_itself():
    # A frozen pretrained base: compiled, frozen, used inside another model only.
    code = HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED + "C.fit(x, y)\n"
    assert _km623(code) == []


def test_km623_noop_not_keras():
    code = "class Net:\n    def compile(self):\n        pass\n\n\nn = Net()\nn.compile()\nn.trainable = False\nn.fit(1)\n"
    assert _km623(code) == []


def test_km623_flags_the_gan_freeze():
    output = assert_flags(
        HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED
        + "D.train_on_batch(x, y)\nC.train_on_batch(x, y)\n", "KM623")
    assert "D.trainable = False  # kmigrate: KM623 set D.trainable = True before D trains" in output


def test_km623_marks_each_model_once():
    code = HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED + (
        "D.trainable = False\nD.train_on_batch(x, y)\n")
    assert len(_km623(code)) == 1
