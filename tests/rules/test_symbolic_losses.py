"""KM612: model-level add_loss on symbolic tensors."""

from tests.helpers import assert_flags, run
from tests.test_rule_examples import assert_documented_example

HEAD = "from keras.layers import Input, Dense, Layer\nfrom keras.models import Model\nfrom keras import backend as K\n\n"
GRAPH = "inputs = Input(shape=(4,))\noutputs = Dense(4)(inputs)\nae = Model(inputs, outputs)\n"


def test_km612_layer_self_add_loss_not_marked():
    code = HEAD + "class L(Layer):\n    def call(self, x):\n        self.add_loss(K.sum(x))\n        return x\n"
    assert "KM612" not in (run(code).output or code)


def test_km612_project_object_not_marked():
    code = "import keras\n\nclass Tracker:\n    def add_loss(self, v):\n        pass\n\nt = Tracker()\nt.add_loss(3)\n"
    assert "KM612" not in (run(code).output or code)


def test_km612_rule_example_marks():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM612")


def test_km612_vae_idiom_marked():
    assert_flags(HEAD + GRAPH + "loss = K.mean(K.square(outputs - inputs))\nae.add_loss(loss)\nae.compile(optimizer='adam')\n", "KM612")
