"""KM604: Keras 2 initializer aliases Keras 3 dropped."""

import inspect

import pytest

from kmigrate.rules.initializer_aliases import INITIALIZER_ALIASES
from tests.helpers import assert_migrates, assert_unchanged, rules_fired, run
from tests.test_rule_examples import assert_documented_example


# -- no-op cases ---------------------------------------------------------------------------------
def test_km604_not_keras_unchanged():
    assert_unchanged("from mylib import initializers\ninit = initializers.normal(stddev=0.1)\n")


def test_km604_string_ids_and_surviving_names_unchanged():
    # Keras 3 still resolves 'normal'/'uniform'/'zero'/'one' as ids, with the same defaults.
    assert_unchanged(
        "from tensorflow.keras import initializers\nfrom tensorflow.keras.layers import Dense\n"
        "d = Dense(3, kernel_initializer='normal', bias_initializer='zero')\n"
        "e = Dense(3, kernel_initializer=initializers.random_normal(), bias_initializer=initializers.zeros())\n"
    )


def test_km604_keras1_initializations_functions_are_not_renamed():
    result = run("from keras import initializations\nw = initializations.normal((3, 4), scale=0.1)\n")
    assert "KM604" not in rules_fired(result)


def test_km604_tf_private_keras_copy_is_not_renamed():
    result = run("from tensorflow.python.keras import initializers\ninit = initializers.normal()\n")
    assert "KM604" not in rules_fired(result)


# -- rewrites ----------------------------------------------------------------------------------
def test_km604_documented_example():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM604")


def test_km604_attribute_uses():
    assert_migrates(
        "import keras\nfrom keras import initializers as inits\nfrom keras.layers import Dense\n"
        "d = Dense(3, kernel_initializer=inits.normal(0.0, 0.01, seed=1), bias_initializer=inits.zero())\n"
        "e = Dense(3, kernel_initializer=keras.initializers.uniform(seed=1), bias_initializer=keras.initializers.one())\n",
        "from tensorflow import keras\nfrom tensorflow.keras import initializers as inits\n"
        "from tensorflow.keras.layers import Dense\n"
        "d = Dense(3, kernel_initializer=inits.RandomNormal(0.0, 0.01, seed=1), bias_initializer=inits.Zeros())\n"
        "e = Dense(3, kernel_initializer=keras.initializers.RandomUniform(seed=1), "
        "bias_initializer=keras.initializers.Ones())\n",
    )


def test_km604_imported_names_keep_their_local_name():
    assert_migrates(
        "from keras.initializers import normal, uniform as U, glorot_normal\nfrom keras.layers import Dense\n"
        "d = Dense(3, kernel_initializer=normal(stddev=0.1), bias_initializer=U(-1, 1))\n",
        "from tensorflow.keras.initializers import RandomNormal as normal, RandomUniform as U, glorot_normal\n"
        "from tensorflow.keras.layers import Dense\n"
        "d = Dense(3, kernel_initializer=normal(stddev=0.1), bias_initializer=U(-1, 1))\n",
    )


@pytest.mark.parametrize("alias", sorted(INITIALIZER_ALIASES))
def test_km604_keras3_classes_have_the_legacy_defaults(alias):
    keras_initializers = pytest.importorskip("keras.initializers")
    name, legacy_defaults = INITIALIZER_ALIASES[alias]
    assert not hasattr(keras_initializers, alias)  # the alias really is gone
    parameters = inspect.signature(getattr(keras_initializers, name)).parameters
    assert {k: p.default for k, p in parameters.items() if k in legacy_defaults} == legacy_defaults
