"""KM611: K.batch_dot calls whose result changed in Keras 2.2.5.

The rewrites are checked as text here; the emitted helper is run under TF 2.21 (tests that
import TensorFlow skip without it) and compared with genuine Keras 2.2.4 (marked `verify`: it
provisions the legacy runtime)."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from kmigrate.rules.batch_dot import HELPER, HELPER_SOURCE, RULES
from tests.helpers import (
    assert_migrates,
    assert_unchanged,
    migrated,
    rules_fired,
    run,
    run_legacy_probe,
)

HEAD = "from keras.layers import Input\nfrom keras import backend as K\n\n"
NEW = "from tensorflow.keras.layers import Input\nfrom tensorflow.keras import backend as K\n"
HELPER_TF = HELPER_SOURCE.format(name=HELPER, tf="tf")


def _output(code: str, **settings) -> str:
    result = run(code, **settings)
    return result.output or code


def _with_helper(imports: str, rest: str, helper: str = HELPER_TF) -> str:
    """Migrated module: its imports, the helper after them, then the code."""
    return f"{imports}\n\n\n{helper}\n\n{rest}"


# -- no-op cases -------------------------------------------------------------------------------
def test_km611_not_keras_batch_dot_unchanged():
    assert_unchanged("import mylib as K\nc = K.batch_dot(a, b, axes=(3, 3))\nf = K.batch_dot\n")


def test_km611_own_function_named_batch_dot_unchanged():
    assert_unchanged("def batch_dot(x, y, axes=None):\n    return x\n\n\nc = batch_dot(a, b, (2, 3))\nf = batch_dot\n")


def test_km611_tf_keras_code_unchanged():
    assert_unchanged("from tensorflow.keras import backend as K\nc = K.batch_dot(a, b, axes=(3, 3))\n")


def test_km611_rank3_positive_axes_same_on_both():
    code = HEAD + "a = Input(shape=(4, 5))\nb = Input(shape=(6, 5))\nc = K.batch_dot(a, b, axes=[2, 2])\nd = K.batch_dot(a, b, 2)\n"
    out = _output(code)
    assert "KM611" not in out and "K.batch_dot(a, b, axes=[2, 2])" in out and HELPER not in out


def test_km611_rank2_with_rank3_same_on_both():
    code = HEAD + "a = Input(shape=(5,))\nb = Input(shape=(5, 6))\nc = K.batch_dot(a, b)\nd = K.batch_dot(a, b, axes=1)\n"
    out = _output(code)
    assert "KM611" not in out and HELPER not in out and "K.batch_dot(a, b, axes=1)" in out


def test_km611_rank2_with_axis_one_same_on_both():
    out = _output(HEAD + "a = Input(shape=(4,))\nb = Input(shape=(4,))\nc = K.batch_dot(a, b, axes=1)\n")
    assert "K.batch_dot(a, b, axes=1)" in out and HELPER not in out


def test_km611_newer_source_version_unchanged():
    code = HEAD + "def f(a, b):\n    return K.batch_dot(a, b, axes=(3, 3))\n"
    out = _output(code, from_version="2.2.5")
    assert "K.batch_dot(a, b, axes=(3, 3))" in out and HELPER not in out


def test_km611_rule_disabled_unchanged():
    out = _output(HEAD + "def f(a, b):\n    return K.batch_dot(a, b, [2, 3])\n", ignore=("KM611",))
    assert "K.batch_dot(a, b, [2, 3])" in out and HELPER not in out


# -- statically visible ranks: tf.linalg.matmul ----------------------------------------------
def test_km611_rule_example_exact():
    rule = RULES[0]
    assert_migrates(rule.before, rule.after)


def test_km611_rank4_positional_axes_rewritten_to_legacy_matmul():
    assert_migrates(
        HEAD + "a = Input(shape=(2, 4, 5))\nb = Input(shape=(2, 5, 6))\nc = K.batch_dot(a, b, (3, 2))\n",
        NEW + "import tensorflow as tf\n\na = Input(shape=(2, 4, 5))\nb = Input(shape=(2, 5, 6))\n"
        "c = tf.linalg.matmul(a, b)\n",
    )


def test_km611_rank4_same_axis_twice_adjoint_b():
    assert_migrates(
        HEAD + "a = Input(shape=(2, 4, 5))\nb = Input(shape=(2, 6, 5))\nc = K.batch_dot(a, b, axes=3)\n",
        NEW + "import tensorflow as tf\n\na = Input(shape=(2, 4, 5))\nb = Input(shape=(2, 6, 5))\n"
        "c = tf.linalg.matmul(a, b, adjoint_b=True)\n",
    )


def test_km611_rank3_negative_axes_keep_legacy_contraction():
    assert_migrates(
        HEAD + "a = Input(shape=(4, 4))\nb = Input(shape=(4, 4))\nc = K.batch_dot(a, b, axes=-1)\n",
        NEW + "import tensorflow as tf\n\na = Input(shape=(4, 4))\nb = Input(shape=(4, 4))\n"
        "c = tf.linalg.matmul(a, b, adjoint_a=True)\n",
    )


# -- everything else: the emitted copy of Keras 2.2.4's batch_dot ----------------------------
def test_km611_capsnet_mixed_visible_ranks_call_helper():
    diagnostics = assert_migrates(
        HEAD + "a = Input(shape=(2, 4))\nb = Input(shape=(2, 4, 5))\nc = K.batch_dot(a, b, [2, 2])\n",
        _with_helper(NEW + "import tensorflow as tf",
                     "a = Input(shape=(2, 4))\nb = Input(shape=(2, 4, 5))\nc = kmigrate_batch_dot(a, b, [2, 2])\n"),
    )
    assert [(d.rule, d.fixed) for d in diagnostics if d.rule == "KM611"] == [("KM611", True)]


def test_km611_capsule_layer_call_uses_one_helper_for_both_calls():
    before = textwrap.dedent("""\
        from keras import backend as K
        from keras.layers import Layer


        class Capsule(Layer):
            def call(self, inputs):
                c = K.softmax(inputs)
                o = K.batch_dot(c, self.hat, [2, 2])
                return K.batch_dot(o, self.hat, [2, 3])
        """)
    after = _with_helper(
        "from tensorflow.keras import backend as K\nfrom tensorflow.keras.layers import Layer\nimport tensorflow as tf",
        textwrap.dedent("""\
            class Capsule(Layer):
                def call(self, inputs):
                    c = K.softmax(inputs)
                    o = kmigrate_batch_dot(c, self.hat, [2, 2])
                    return kmigrate_batch_dot(o, self.hat, [2, 3])
            """),
    )
    assert_migrates(before, after)


def test_km611_helper_goes_after_the_docstring_and_imports_before_first_use():
    out = migrated('"""Doc."""\nfrom keras import backend as K\n\nX = 1\n\n\ndef f(a, b):\n    return K.batch_dot(a, b)\n')
    assert out.index('"""Doc."""') < out.index("import tensorflow as tf") < out.index(f"def {HELPER}(")
    assert out.index(f"def {HELPER}(") < out.index("def f(a, b):")
    assert out.count(f"def {HELPER}(") == 1


@pytest.mark.parametrize("call, rewritten", [
    ("K.batch_dot(u, v, axes=my_axes)", "kmigrate_batch_dot(u, v, axes=my_axes)"),
    ("K.batch_dot(u, v, axes=[3, 3])", "kmigrate_batch_dot(u, v, axes=[3, 3])"),
    ("K.batch_dot(x[0], x[1], axes=[2, 2])", "kmigrate_batch_dot(x[0], x[1], axes=[2, 2])"),
    ("K.batch_dot(*pair)", "kmigrate_batch_dot(*pair)"),
    ("K.batch_dot(y=v, x=u, **more)", "kmigrate_batch_dot(y=v, x=u, **more)"),
    ("(K.batch_dot)(u, v)", "(kmigrate_batch_dot)(u, v)"),
])  # fmt: skip
def test_km611_calls_the_ranks_or_arguments_of_which_are_not_visible_call_helper(call, rewritten):
    before = f"from keras import backend as K\n\n\ndef f(x, u, v, my_axes, pair, more):\n    return {call}\n"
    assert_migrates(before, _with_helper("from tensorflow.keras import backend as K\nimport tensorflow as tf",
                                         f"def f(x, u, v, my_axes, pair, more):\n    return {rewritten}\n"))


def test_km611_two_d_without_axes_call_helper():
    out = _output(HEAD + "a = Input(shape=(4,))\nb = Input(shape=(4,))\nc = K.batch_dot(a, b)\nd = K.batch_dot(a, b, (1, 0))\n")
    assert "c = kmigrate_batch_dot(a, b)\nd = kmigrate_batch_dot(a, b, (1, 0))\n" in out


def test_km611_lambda_calling_batch_dot_is_still_lifted_for_keras3_reloading():
    """The helper is a top-level function of the module: a Lambda whose lambda calls it is lifted
    into a registered function (KM415) as it was when it called K.batch_dot."""
    before = ("from keras import backend as K\nfrom keras.layers import Input, Lambda\n\n"
              "blocks = Input(shape=(3, 2, 2))\nproducts = Lambda(lambda t: K.batch_dot(t, t, (3, 3)), output_shape=(3, 2, 2))(blocks)\n")
    out = _output(before)
    assert "products = Lambda(kmigrate_lambda_1, output_shape=(3, 2, 2))(blocks)\n" in out
    assert "def kmigrate_lambda_1(t):\n    return kmigrate_batch_dot(t, t, (3, 3))\n" in out
    assert out.index(f"def {HELPER}(") < out.index("def kmigrate_lambda_1(") and "KM415" not in out


def test_km611_batch_dot_as_a_value_becomes_the_helper():
    before = "from keras import backend as K\nfrom keras.layers import Lambda\n\nproduct = Lambda(lambda t: t)\nf = K.batch_dot\n"
    out = _output(before)
    assert "f = kmigrate_batch_dot\n" in out and f"def {HELPER}(" in out


def test_km611_from_import_calls_and_values_become_the_helper_import_stays():
    before = "from keras.backend import batch_dot\n\n\ndef f(a, b):\n    g = batch_dot\n    return batch_dot(a, b, 2)\n"
    out = _output(before)
    assert "from tensorflow.keras.backend import batch_dot\n" in out
    assert "    g = kmigrate_batch_dot\n    return kmigrate_batch_dot(a, b, 2)\n" in out


def test_km611_assigning_to_k_batch_dot_is_not_a_use():
    out = _output("from keras import backend as K\n\nK.batch_dot = my_batch_dot\n")
    assert "K.batch_dot = my_batch_dot" in out and HELPER not in out


def test_km611_helper_name_taken_by_the_user():
    before = "from keras import backend as K\n\nkmigrate_batch_dot = None\n\n\ndef f(a, b):\n    return K.batch_dot(a, b)\n"
    out = _output(before)
    assert "def _kmigrate_batch_dot(x, y, axes=None):" in out and "return _kmigrate_batch_dot(a, b)" in out
    assert "kmigrate_batch_dot = None" in out


def test_km611_tf_name_taken_helper_spells_tensorflow():
    before = "from keras import backend as K\n\ntf = 'not tensorflow'\n\n\ndef f(a, b):\n    return K.batch_dot(a, b)\n"
    out = _output(before)
    assert "import tensorflow\n" in out and "tensorflow.linalg.matmul(x, y" in out and " tf." not in out
    compile(out, "<out>", "exec")


def test_km611_tf_keras_target_rewritten_too():
    out = _output(HEAD + "def f(a, b):\n    return K.batch_dot(a, b, [2, 3])\n", target="tf_keras")
    assert "return kmigrate_batch_dot(a, b, [2, 3])" in out and f"def {HELPER}(" in out


def test_km611_keras1_source_rewritten():
    out = _output(HEAD + "def f(a, b):\n    return K.batch_dot(a, b, [2, 3])\n", from_version="1.2.2")
    assert "return kmigrate_batch_dot(a, b, [2, 3])" in out


def test_km611_second_run_of_a_migrated_capsule_changes_nothing():
    code = HEAD + "def f(c, hat):\n    return K.batch_dot(K.batch_dot(c, hat, [2, 2]), hat, [2, 3])\n"
    once = migrated(code)
    assert "kmigrate_batch_dot(kmigrate_batch_dot(c, hat, [2, 2]), hat, [2, 3])" in once
    assert migrated(once) == once
    assert rules_fired(run(once)) == set()


# -- the helper under TF 2.21 ----------------------------------------------------------------
def _helper_function():
    """The helper as a migrated module defines it."""
    source = migrated("from keras import backend as K\n\n\ndef f(x, y, axes=None):\n    return K.batch_dot(x, y, axes)\n")
    namespace: dict = {}
    exec(compile(source, "<migrated>", "exec"), namespace)
    return namespace[HELPER]


# (x shape, y shape, axes, numpy einsum of the legacy result)
CAPSULE_CASES = [
    ((3, 10, 7), (3, 10, 7, 16), [2, 2], "bij,bijk->bik"),
    ((3, 10, 16), (3, 10, 7, 16), [2, 3], "bik,bijk->bij"),
    ((3, 2, 4, 5), (3, 2, 5, 6), (3, 2), "bnij,bnjk->bnik"),
    ((3, 2, 4, 5), (3, 2, 6, 5), 3, "bnij,bnkj->bnik"),
    ((3, 4, 4), (3, 4, 4), -1, "bji,bjk->bik"),
]


@pytest.mark.parametrize("x_shape, y_shape, axes, einsum", CAPSULE_CASES)
def test_km611_helper_computes_the_legacy_result_eagerly_and_in_a_graph(x_shape, y_shape, axes, einsum):
    tf = pytest.importorskip("tensorflow")
    helper = _helper_function()
    rng = np.random.RandomState(0)
    x, y = rng.rand(*x_shape).astype("float32"), rng.rand(*y_shape).astype("float32")
    expected = np.einsum(einsum, x, y)
    np.testing.assert_allclose(helper(tf.constant(x), tf.constant(y), axes).numpy(), expected, rtol=1e-5)
    in_graph = tf.function(lambda a, b: helper(a, b, axes), input_signature=[
        tf.TensorSpec((None,) + x_shape[1:]), tf.TensorSpec((None,) + y_shape[1:])])
    assert in_graph.get_concrete_function().structured_outputs.shape.as_list() == [None, *expected.shape[1:]]
    np.testing.assert_allclose(in_graph(x, y).numpy(), expected, rtol=1e-5)


def test_km611_helper_inside_a_keras3_layer_call():
    tf = pytest.importorskip("tensorflow")
    helper = _helper_function()
    keras = tf.keras

    class Routing(keras.layers.Layer):
        def call(self, inputs):
            hat = tf.reshape(inputs, (tf.shape(inputs)[0], 10, 7, 16))
            return helper(tf.reduce_sum(hat, -1), hat, [2, 2])

    inputs = keras.Input((10 * 7 * 16,))
    model = keras.Model(inputs, Routing()(inputs))
    assert model.output_shape == (None, 10, 16)
    data = np.random.RandomState(1).rand(2, 1120).astype("float32")
    hat = data.reshape(2, 10, 7, 16)
    np.testing.assert_allclose(model.predict(data, verbose=0), np.einsum("bij,bijk->bik", hat.sum(-1), hat), rtol=1e-5)


# -- the helper against genuine Keras 2.2.4 ---------------------------------------------------
# (x shape, y shape, axes); the batch is 3.  Calls that fail on 2.2.4 must fail with the helper.
LEGACY_CASES = [
    ((3, 4, 5), (3, 5, 6), None), ((3, 4, 5), (3, 6, 5), (2, 2)), ((3, 4, 5), (3, 4, 6), 1),
    ((3, 4, 5), (3, 6, 4), (1, 2)), ((3, 4, 5), (3, 5, 6), (2, 1)),
    ((3, 4, 4), (3, 4, 4), -1), ((3, 4, 4), (3, 4, 4), (1, -1)), ((3, 4, 4), (3, 4, 4), 0),
    ((3, 4), (3, 4), None), ((4, 4), (4, 4), None), ((3, 4), (3, 4), 1), ((3, 4), (3, 4), -1),
    ((3, 4), (3, 4), 0), ((3, 3), (3, 3), (1, 0)), ((3, 3), (3, 3), (0, 1)),
    ((3, 4), (3, 4, 5), None), ((3, 4), (3, 4, 5), 1), ((3, 4, 5), (3, 5), None), ((3, 4, 5), (3, 5), (2, 1)),
    ((3, 2, 4, 5), (3, 2, 5, 6), None), ((3, 2, 4, 5), (3, 2, 5, 6), (3, 2)), ((3, 2, 4, 5), (3, 2, 6, 5), (3, 3)),
    ((3, 2, 5, 4), (3, 2, 5, 6), (2, 2)), ((3, 2, 5, 4), (3, 2, 6, 5), (2, 3)), ((3, 2, 4, 5), (3, 2, 5, 6), (-1, -2)),
    ((3, 10, 7), (3, 10, 7, 16), [2, 2]), ((3, 10, 16), (3, 10, 7, 16), [2, 3]), ((3, 10, 7, 16), (3, 10, 16), (3, 2)),
    ((3, 10, 7, 16), (3, 10, 7), (2, 2)), ((3, 2, 3, 4, 5), (3, 2, 3, 5, 4), None),
    ((3, 2, 3, 4, 5), (3, 2, 3, 4, 6), (3, 3)), ((3, 2, 4), (3, 2, 3, 4, 5), (2, 3)), ((3, 4), (3, 4, 5), [[1], [1]]),
]  # fmt: skip

# Genuine K.batch_dot on placeholders with an unknown batch (as in a layer), run by K.function.
LEGACY_PROBE = """
results = {}
for i, (xs, ys, axes) in enumerate(json.loads(sys.argv[3])):
    rng = np.random.RandomState(i)
    x, y = rng.rand(*xs).astype("float32"), rng.rand(*ys).astype("float32")
    px, py = K.placeholder(shape=[None] + xs[1:]), K.placeholder(shape=[None] + ys[1:])
    try:
        results["case%d" % i] = K.function([px, py], [K.batch_dot(px, py, axes)])([x, y])[0]
    except Exception as exc:  # the helper must fail there too
        print(i, type(exc).__name__)
np.savez(sys.argv[2], **results)
"""


@pytest.mark.verify
def test_km611_helper_equals_genuine_keras_224_for_every_case(tmp_path):
    tf = pytest.importorskip("tensorflow")
    legacy, printed = run_legacy_probe(LEGACY_PROBE, LEGACY_CASES, tmp_path)
    assert len(legacy.files) >= 25, printed  # most cases run on 2.2.4
    helper = _helper_function()
    for i, (x_shape, y_shape, axes) in enumerate(LEGACY_CASES):
        rng = np.random.RandomState(i)
        x, y = rng.rand(*x_shape).astype("float32"), rng.rand(*y_shape).astype("float32")
        in_graph = tf.function(lambda a, b, axes=axes: helper(a, b, axes), input_signature=[
            tf.TensorSpec((None,) + x_shape[1:]), tf.TensorSpec((None,) + y_shape[1:])])
        for how, compute in (("eager", lambda: helper(tf.constant(x), tf.constant(y), axes)),
                             ("graph", lambda: in_graph(x, y))):  # fmt: skip
            case = f"case{i}: {x_shape} x {y_shape}, axes={axes}, {how}"
            if f"case{i}" not in legacy.files:
                with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
                    compute()
                continue
            # Bit for bit: the same TensorFlow kernels on the same float32 inputs.
            np.testing.assert_array_equal(compute().numpy(), legacy[f"case{i}"], err_msg=case)


# What the rule leaves alone when the ranks are visible: at most 3, positive axes, not 2-D x 2-D
# without axes.
AGREEING_CASES = [
    ((3, 4, 5), (3, 5, 6), None), ((3, 4, 5), (3, 6, 5), (2, 2)), ((3, 4, 5), (3, 4, 6), 1),
    ((3, 4, 5), (3, 6, 4), (1, 2)), ((3, 4, 5), (3, 5, 6), (2, 1)), ((3, 4), (3, 4), 1), ((3, 4), (3, 4), -1),
    ((3, 4), (3, 4, 5), None), ((3, 4), (3, 4, 5), 1), ((3, 4, 5), (3, 5), None), ((3, 4, 5), (3, 5), (2, 1)),
]  # fmt: skip


@pytest.mark.verify
def test_km611_calls_left_alone_compute_the_legacy_result_on_keras3_and_tf_keras(tmp_path):
    tf = pytest.importorskip("tensorflow")
    tf_keras = pytest.importorskip("tf_keras")

    for x_shape, y_shape, axes in AGREEING_CASES:  # the rule does leave them alone
        code = (f"{HEAD}a = Input(shape={x_shape[1:]})\nb = Input(shape={y_shape[1:]})\n"
                f"c = K.batch_dot(a, b, {axes})\n")
        assert HELPER not in _output(code) and "K.batch_dot(a, b" in _output(code)
    legacy, printed = run_legacy_probe(LEGACY_PROBE, AGREEING_CASES, tmp_path)
    assert len(legacy.files) == len(AGREEING_CASES), printed
    for i, (x_shape, y_shape, axes) in enumerate(AGREEING_CASES):
        rng = np.random.RandomState(i)
        x, y = tf.constant(rng.rand(*x_shape).astype("float32")), tf.constant(rng.rand(*y_shape).astype("float32"))
        for name, batch_dot in (("Keras 3", tf.keras.backend.batch_dot), ("tf_keras", tf_keras.backend.batch_dot)):
            np.testing.assert_allclose(batch_dot(x, y, axes).numpy(), legacy[f"case{i}"], rtol=1e-6,
                                       err_msg=f"{name}: {x_shape} x {y_shape}, axes={axes}")
