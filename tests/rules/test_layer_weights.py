"""KM603: `weights=` in layer constructors becomes Constant initializers."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, rules_fired, run
from tests.test_rule_examples import assert_documented_example

HEAD = "import numpy as np\nfrom keras.layers import Dense, Conv2D, Embedding\n"
NEW = "import numpy as np\nfrom tensorflow.keras.layers import Dense, Conv2D, Embedding\n"
CONSTANT = "from tensorflow.keras.initializers import Constant\n"


# -- no-op cases ---------------------------------------------------------------------------------
def test_km603_not_keras_dense_unchanged():
    assert_unchanged("from mylib import Dense\nlayer = Dense(3, weights=[W, b])\n")


def test_km603_embedding_keeps_weights_and_trainable():
    # Keras 3.15's Embedding has its own weights= parameter (verified on TF 2.21).
    assert_unchanged(
        "from tensorflow.keras.layers import Embedding\n"
        "emb = Embedding(1000, 50, weights=[matrix], trainable=False)\n"
    )


def test_km603_already_migrated_unchanged():
    assert_unchanged(
        "from tensorflow.keras.layers import Dense\nfrom tensorflow.keras.initializers import Constant\n"
        "layer = Dense(3, kernel_initializer=Constant(W), bias_initializer=Constant(b))\n"
    )


def test_km603_tf_keras_target_keeps_weights():
    result = run(HEAD + "layer = Dense(3, weights=[W, b])\n", target="tf_keras")
    assert "KM603" not in rules_fired(result)


def test_km603_unknown_lists_are_left_to_km408():
    for call in ("Dense(3, weights=w)", "Dense(3, weights=[W])", "Dense(3, weights=[W, b], use_bias=flag)",
                 "Dense(3, weights=[W, b], kernel_initializer='zeros')", "Dense(3, weights=[*wb])"):
        output = assert_flags(HEAD + f"layer = {call}\n", "KM408")
        assert "Constant" not in output


def test_km603_keras1_convolution_is_left_to_km408():
    assert_flags(HEAD + "c = Conv2D(8, 3, 3, weights=[k, b], border_mode='same')\n", "KM408")
    assert_flags(HEAD + "c = Conv2D(8, (3, 3), weights=[k, b])\n", "KM408", from_version="1.2.2")


# -- rewrites ----------------------------------------------------------------------------------
def test_km603_documented_example():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM603")


def test_km603_dense_kernel_and_bias_keep_trainable():
    assert_migrates(
        HEAD + "layer = Dense(2, weights=[W, np.zeros(2)], trainable=False)\n",
        NEW + CONSTANT + "layer = Dense(2, kernel_initializer=Constant(W), bias_initializer=Constant(np.zeros(2)), "
        "trainable=False)\n",
    )


def test_km603_without_bias_and_tuple_display():
    assert_migrates(
        HEAD + "a = Dense(2, use_bias=False, weights=(W,))\nc = Conv2D(4, (3, 3), weights=(k, b), padding='same')\n",
        NEW + CONSTANT + "a = Dense(2, use_bias=False, kernel_initializer=Constant(W))\n"
        "c = Conv2D(4, (3, 3), kernel_initializer=Constant(k), bias_initializer=Constant(b), padding='same')\n",
    )


def test_km603_weights_none_dropped_and_module_alias():
    assert_migrates(
        "import keras\nfrom keras import initializers\nd = keras.layers.Dense(2, weights=None)\n"
        "e = keras.layers.Dense(2, weights=[W, b])\n",
        "from tensorflow import keras\nfrom tensorflow.keras import initializers\nd = keras.layers.Dense(2)\n"
        "e = keras.layers.Dense(2, kernel_initializer=initializers.Constant(W), bias_initializer=initializers.Constant(b))\n",
    )
