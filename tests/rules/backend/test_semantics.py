"""Tests of ``kmigrate/rules/backend/semantics.py``: KM500-KM506: backend names that still exist but behave differently on Keras 3
(set_value / batch_set_value, gradients, variables inside layers, the tf/np module attributes)."""

from __future__ import annotations

import pytest

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated
from tests.rules.backend.cases import HEAD, NEW_HEAD


def test_km503_silent_inside_a_custom_optimizer():
    # Seen on a real Eve optimizer: 19 "K.update inside a layer" markers. KM227/KM311 mark the
    # class for a port; layer advice is wrong there.
    code = HEAD + (
        "from keras.optimizers import Optimizer\n"
        "class Eve(Optimizer):\n"
        "    def __init__(self, lr=0.001, **kwargs):\n"
        "        super(Eve, self).__init__(**kwargs)\n"
        "        self.iterations = K.variable(0)\n"
        "        self.lr = K.variable(lr)\n"
        "    def get_updates(self, params, constraints, loss):\n"
        "        self.updates = [K.update_add(self.iterations, 1)]\n"
        "        for p in params:\n"
        "            self.updates.append(K.update(p, p - self.lr))\n"
        "        return self.updates\n"
    )
    out = migrated(code, select=("KM503",))
    assert "KM503" not in out


def test_ops_traps_are_never_modernised_km505():
    # KM505 documents that these stay on tf.keras.backend (keras.ops differs in meaning).
    code = NEW_HEAD + "y = K.in_top_k(p, t, 1)\nz = K.batch_normalization(x, m, v, b, g, epsilon=1e-3)\n"
    assert_unchanged(code)


def test_km506_k_np_uses_numpy():
    assert_migrates(HEAD + "z = K.np.float32(1)\n", NEW_HEAD + "import numpy as np\nz = np.float32(1)\n")
    assert_migrates(
        "import numpy\n" + HEAD + "z = K.np.zeros(2)\n", "import numpy\n" + NEW_HEAD + "z = numpy.zeros(2)\n"
    )


def test_set_value_becomes_assign_km501():
    assert_migrates(
        HEAD + "K.set_value(model.layers[0].kernel, w)\nK.batch_set_value(list(zip(model.weights, ws)))\n",
        NEW_HEAD + "model.layers[0].kernel.assign(w)\n"
        "for variable, value in list(zip(model.weights, ws)):\n    variable.assign(value)\n",
    )


def test_batch_set_value_in_a_lambda_is_marked_km501():
    # K.batch_set_value raises on Keras 3 layer weights ('str' object has no attribute 'name',
    # measured on TF 2.21); a lambda has no room for the loop, so it is marked, not skipped.
    out = assert_flags(
        HEAD + "from keras.callbacks import LambdaCallback\n"
        "cb = LambdaCallback(on_epoch_end=lambda e, l: K.batch_set_value(list(zip(model.weights, ws))))\n",
        "KM501",
    )
    assert "# kmigrate: KM501 K.batch_set_value fails on Keras 3 weights: assign each variable" in out


def test_assign_loops_are_left_alone_km501():
    assert_unchanged(NEW_HEAD + "for variable, value in zip(model.weights, ws):\n    variable.assign(value)\n")


def test_gradients_flag_km502():
    out = assert_flags(HEAD + "grads = K.gradients(loss, model.trainable_weights)\n", "KM502")
    assert "tape.gradient(loss, model.trainable_weights)" in out


def test_variable_in_layer_flag_km503():
    code = HEAD + (
        "from keras.layers import Layer\nclass L(Layer):\n    def build(self, s):\n"
        "        self.W = K.variable(np.zeros((3, 4)))\nv = K.variable(1.0)\n"
    )
    out = assert_flags(code, "KM503")
    assert out.count("KM503") == 1


def test_theano_attr_flag_km506():
    assert_flags(HEAD + "y = K.T.dot(a, b)\n", "KM506")


@pytest.mark.parametrize("line", [
    "f = K.function([model.input], K.gradients(loss, model.trainable_weights))",
    "f = K.function([model.input], [model.output], updates=[u])",
    "f = K.function([model.input], [K.mean(model.output)])",
    "f = K.function(*args)",
])  # fmt: skip
def test_km502_k_function_flags(line):
    assert_flags(HEAD + line + "\n", "KM519")


def test_km503_any_class_around_counts_a_def_nested_in_a_method_too():
    code = HEAD + (
        "from keras.layers import Layer\nclass L(Layer):\n    def build(self, s):\n"
        "        def make():\n            return K.variable(np.zeros((3, 4)))\n        self.W = make()\n"
    )
    assert assert_flags(code, "KM503").count("KM503") == 1


def test_km503_silent_in_a_plain_holder_class():
    # gan_layers.py of review corpus 3 (index id 32210114575): `class tensor_value():` keeps a
    # K.variable for K.set_value/K.eval; it is no layer, and on Keras 3 the variable is an ordinary
    # tf.Variable that models reading it follow (measured with TF 2.21).
    code = HEAD + (
        "class tensor_value():\n"
        "    def __init__(self, x):\n"
        "        self.tensor = K.variable(value=x)\n"
        "    def get(self):\n"
        "        return K.eval(self.tensor)\n"
        "class Holder(object):\n"
        "    def __init__(self):\n"
        "        self.v = K.variable(0.0)\n"
    )
    assert "KM503" not in migrated(code)


def test_km503_still_flags_a_class_with_a_project_base():
    # An unknown base may be a layer of the project: still marked.
    code = HEAD + (
        "from mylayers import BaseLayer\n"
        "class L(BaseLayer):\n"
        "    def build(self, s):\n"
        "        self.W = K.variable(np.zeros((3, 4)))\n"
    )
    assert assert_flags(code, "KM503").count("KM503") == 1
