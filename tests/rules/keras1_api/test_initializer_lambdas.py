"""Tests of ``kmigrate/rules/keras1_api/initializer_lambdas.py`` (KM616): Keras 1 initializer lambdas
in layer calls become tf.keras initializer objects; the forms it cannot prove stay marked (KM240)."""

from __future__ import annotations

import pytest

from kmigrate.rules.keras1_api.initializer_lambdas import KM616
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run

HEAD = "from keras.layers import Dense, SimpleRNN, LSTM, Convolution2D\nfrom keras.initializations import {names}\n"
NEW_LAYERS = "from tensorflow.keras.layers import Dense, SimpleRNN, LSTM, Convolution2D\n"


def _fired(result_or_diagnostics, rule):
    diagnostics = getattr(result_or_diagnostics, "diagnostics", result_or_diagnostics)
    return [d for d in diagnostics if d.rule == rule]


def test_km616_tf_keras_initializer_objects_unchanged():
    assert_unchanged(
        "from tensorflow.keras.layers import Dense\nfrom tensorflow.keras.initializers import RandomNormal\n"
        "d = Dense(3, kernel_initializer=RandomNormal(stddev=0.001))\n"
    )


def test_km616_other_lambdas_not_touched():
    # A lambda whose body is not one keras.initializations call on its shape stays as it was:
    # KM616 neither rewrites nor reports it.
    code = "from keras.layers import Lambda, Dense\nf = Dense(3, init=lambda shape, name: my_init(shape, name))\n"
    assert not _fired(run(code), "KM616")


def test_km616_mnist_irnn_lambdas():
    diagnostics = assert_migrates(
        HEAD.format(names="normal, identity")
        + "rnn = SimpleRNN(output_dim=100,\n"
        "                init=lambda shape, name: normal(shape, scale=0.001, name=name),\n"
        "                inner_init=lambda shape, name: identity(shape, scale=1.0, name=name),\n"
        "                activation='relu')\n",
        NEW_LAYERS
        + "from tensorflow.keras.initializers import identity, RandomNormal, Identity\n"
        "rnn = SimpleRNN(units=100,\n"
        "                kernel_initializer=RandomNormal(stddev=0.001),\n"
        "                recurrent_initializer=Identity(gain=1.0),\n"
        "                activation='relu')\n",
        from_version="1.2.2",
    )
    assert len(_fired(diagnostics, "KM616")) == 2
    assert not _fired(diagnostics, "KM240")  # no stale "call an initializer object" marker


# The functions tf.keras.initializers still has under their Keras 1 name keep their (now unused)
# import: valid in Keras 3 and tf_keras; the others had no home and their import goes.
@pytest.mark.parametrize(("body", "expected", "imported"), [
    ("uniform(shape, scale=0.1, name=name)", "RandomUniform(minval=-0.1, maxval=0.1)", "RandomUniform"),
    ("uniform(shape, 0.2)", "RandomUniform(minval=-0.2, maxval=0.2)", "RandomUniform"),
    ("normal(shape, name=name)", "RandomNormal(stddev=0.05)", "RandomNormal"),
    ("zero(shape, name=name)", "Zeros()", "Zeros"),
    ("orthogonal(shape, name=name)", "Orthogonal(gain=1.1)", "orthogonal, Orthogonal"),
    ("glorot_uniform(shape, name=name)", "GlorotUniform()", "glorot_uniform, GlorotUniform"),
    ("glorot_normal(shape, name=name, dim_ordering='tf')",
     "VarianceScaling(scale=1.0, mode='fan_avg', distribution='untruncated_normal')", "glorot_normal, VarianceScaling"),
    ("he_normal(shape, name=name)",
     "VarianceScaling(scale=2.0, mode='fan_in', distribution='untruncated_normal')", "he_normal, VarianceScaling"),
])  # fmt: skip
def test_km616_functions_in_dense(body, expected, imported):
    name = body.partition("(")[0]
    assert_migrates(
        f"from keras.layers import Dense\nfrom keras.initializations import {name}\n"
        f"d = Dense(3, init=lambda shape, name=None: {body})\n",
        f"from tensorflow.keras.layers import Dense\nfrom tensorflow.keras.initializers import {imported}\n"
        f"d = Dense(3, kernel_initializer={expected})\n",
    )


def test_km616_module_alias_and_one_parameter_lambda():
    assert_migrates(
        "from keras import initializations as inits\nfrom keras.layers import Dense\n"
        "d = Dense(3, init=lambda shape: inits.normal(shape, scale=0.01))\n",
        "from tensorflow.keras import initializers as inits\nfrom tensorflow.keras.layers import Dense\n"
        "d = Dense(3, kernel_initializer=inits.RandomNormal(stddev=0.01))\n",
    )


def test_km616_shape_dependent_functions_kept_for_gated_and_conv_layers():
    # Keras 1 initialised each LSTM gate's matrix on its own (Keras 3: one matrix for four gates),
    # and its conv fans depended on dim_ordering: identity/orthogonal/fan-based stay marked.
    code = (HEAD.format(names="identity, glorot_uniform")
            + "r = LSTM(8, inner_init=lambda shape, name: identity(shape, scale=1.0, name=name))\n"
            "c = Convolution2D(4, 3, 3, init=lambda shape, name: glorot_uniform(shape, name=name))\n")
    output = assert_flags(code, "KM240")
    assert "lambda shape, name: identity(" in output and "lambda shape, name: glorot_uniform(" in output
    assert not _fired(run(code), "KM616")


def test_km616_conv_lambda_taking_dim_ordering():
    # Keras 1.2 conv layers called init(shape, name=..., dim_ordering=...): their lambdas had a third
    # parameter. normal() draws elementwise, so the kernel layout does not matter.
    out = run(HEAD.format(names="normal")
              + "c = Convolution2D(4, 3, 3, init=lambda shape, name=None, dim_ordering='th': "
              "normal(shape, scale=0.02, name=name, dim_ordering=dim_ordering))\n").output
    assert "kernel_initializer=RandomNormal(stddev=0.02)" in out and "lambda" not in out


def test_km616_elementwise_functions_in_any_layer():
    assert_migrates(
        HEAD.format(names="normal")
        + "r = LSTM(8, init=lambda shape, name: normal(shape, scale=0.01, name=name))\n",
        NEW_LAYERS + "from tensorflow.keras.initializers import RandomNormal\n"
        "r = LSTM(8, kernel_initializer=RandomNormal(stddev=0.01))\n",
        select=("KM616", "KM1", "KM2"),  # not KM411's legacy hard_sigmoid gates
    )


@pytest.mark.parametrize("lam", [
    "lambda shape, name: normal(shape, scale=s, name=name)",        # not a literal
    "lambda shape, name: normal((3, 3), scale=0.1, name=name)",     # not the lambda's shape
    "lambda shape, name: normal(shape, scale=0.1, name='w')",       # another name
    "lambda shape, name: normal(shape, scale=0.1, name=name) * 2",  # more than the call
    "lambda shape, name: zero(shape, 0.1)",                         # zero takes no scale
    "lambda *a: normal(*a)",
])  # fmt: skip
def test_km616_unprovable_lambdas_stay_marked(lam):
    output = assert_flags(HEAD.format(names="normal, zero") + f"d = Dense(3, init={lam})\n", "KM240")
    assert lam in output


def test_km616_ignore_comment_keeps_the_lambda():
    code = (HEAD.format(names="normal")
            + "d = Dense(3, init=lambda shape, name: normal(shape, scale=0.1, name=name))  # kmigrate: ignore[KM616]\n")
    result = run(code)
    assert "lambda shape, name: normal(" in (result.output or code)
    assert not _fired(result, "KM616")


def test_km616_tf_keras_target():
    assert_migrates(
        "from keras.layers import Dense\nfrom keras.initializations import uniform\n"
        "d = Dense(3, init=lambda shape, name: uniform(shape, scale=0.3, name=name))\n",
        "from tensorflow.keras.layers import Dense\nfrom tensorflow.keras.initializers import RandomUniform\n"
        "d = Dense(3, kernel_initializer=RandomUniform(minval=-0.3, maxval=0.3))\n",
        target="tf_keras",
    )


def test_km616_rule_example_is_what_kmigrate_writes():
    assert run(KM616.before + "\n", select=(KM616.id, "KM1")).output == KM616.after + "\n"


def test_km616_a_layer_that_is_not_keras_keeps_its_lambdas():
    result = run(
        "import keras\nfrom mylib.layers import Dense\nfrom mylib.init import normal\n\n"
        "layer = Dense(10, init=lambda shape, name: normal(shape, scale=0.001, name=name))\n"
    )
    assert result.output.endswith('layer = Dense(10, init=lambda shape, name: normal(shape, scale=0.001, name=name))\n')  # only `import keras` moved
    assert not [d for d in result.diagnostics if d.rule == 'KM616']
