"""KM611: K.batch_dot calls whose result changed in Keras 2.2.5."""

from kmigrate.rules.batch_dot import RULES
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run

HEAD = "from keras.layers import Input\nfrom keras import backend as K\n\n"
NEW = "from tensorflow.keras.layers import Input\nfrom tensorflow.keras import backend as K\n"


def _output(code: str, **settings) -> str:
    result = run(code, **settings)
    return result.output or code


# -- no-op cases -------------------------------------------------------------------------------
def test_km611_not_keras_batch_dot_unchanged():
    assert_unchanged("import mylib as K\nc = K.batch_dot(a, b, axes=(3, 3))\n")


def test_km611_tf_keras_code_unchanged():
    assert_unchanged("from tensorflow.keras import backend as K\nc = K.batch_dot(a, b, axes=(3, 3))\n")


def test_km611_rank3_positive_axes_same_on_both():
    code = HEAD + "a = Input(shape=(4, 5))\nb = Input(shape=(6, 5))\nc = K.batch_dot(a, b, axes=[2, 2])\nd = K.batch_dot(a, b, 2)\n"
    out = _output(code)
    assert "KM611" not in out and "K.batch_dot(a, b, axes=[2, 2])" in out


def test_km611_rank2_with_rank3_same_on_both():
    code = HEAD + "a = Input(shape=(5,))\nb = Input(shape=(5, 6))\nc = K.batch_dot(a, b)\nd = K.batch_dot(a, b, axes=1)\n"
    assert "KM611" not in _output(code)


def test_km611_newer_source_version_unchanged():
    code = HEAD + "c = K.batch_dot(a, b, axes=(3, 3))\n"
    assert "KM611" not in _output(code, from_version="2.2.5")


# -- rewrites and markers --------------------------------------------------------------------
def test_km611_rule_example_exact():
    rule = RULES[0]
    assert_migrates(rule.before, rule.after)


def test_km611_rank4_positional_axes_rewritten_to_legacy_matmul():
    assert_migrates(
        HEAD + "a = Input(shape=(2, 4, 5))\nb = Input(shape=(2, 5, 6))\nc = K.batch_dot(a, b, (3, 2))\n",
        NEW + "import tensorflow as tf\n\na = Input(shape=(2, 4, 5))\nb = Input(shape=(2, 5, 6))\n"
        "c = tf.linalg.matmul(a, b)\n",
    )


def test_km611_rank3_negative_axes_keep_legacy_contraction():
    assert_migrates(
        HEAD + "a = Input(shape=(4, 4))\nb = Input(shape=(4, 4))\nc = K.batch_dot(a, b, axes=-1)\n",
        NEW + "import tensorflow as tf\n\na = Input(shape=(4, 4))\nb = Input(shape=(4, 4))\n"
        "c = tf.linalg.matmul(a, b, adjoint_a=True)\n",
    )


def test_km611_capsnet_mixed_ranks_marked():
    out = assert_flags(HEAD + "a = Input(shape=(2, 4))\nb = Input(shape=(2, 4, 5))\nc = K.batch_dot(a, b, [2, 2])\n", "KM611")
    assert "K.batch_dot(a, b, [2, 2])" in out


def test_km611_unknown_ranks_marked():
    assert_flags("from keras import backend as K\n\ndef f(x):\n    return K.batch_dot(x[0], x[1], axes=[2, 2])\n", "KM611")


def test_km611_axis_three_means_rank4_marked():
    assert_flags("from keras import backend as K\nc = K.batch_dot(u, v, axes=[3, 3])\n", "KM611")


def test_km611_two_d_without_axes_marked():
    assert_flags(HEAD + "a = Input(shape=(4,))\nb = Input(shape=(4,))\nc = K.batch_dot(a, b)\n", "KM611")


def test_km611_non_literal_axes_marked():
    assert_flags("from keras import backend as K\nc = K.batch_dot(u, v, axes=my_axes)\n", "KM611")
