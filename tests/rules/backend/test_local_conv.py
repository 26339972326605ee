"""Tests of ``kmigrate/rules/backend/local_conv.py`` (KM535): ``K.local_conv1d`` becomes a call of
the emitted copy of Keras 2.2.4's function; the copy is run under TF 2.21 (skipped without
TensorFlow) and compared with genuine Keras 2.2.4 (marked `verify`)."""

from __future__ import annotations

import numpy as np
import pytest

from kmigrate.rules.backend.local_conv import LOCAL_CONV1D
from kmigrate.rules.backend_table.nn_ops import LOCAL_CONV1D_HELPER
from tests.helpers import (
    assert_flags,
    assert_migrates,
    assert_unchanged,
    migrated,
    rules_fired,
    run,
    run_legacy_probe,
)

HELPER_TF = LOCAL_CONV1D_HELPER.format(name=LOCAL_CONV1D, tf="tf")
IMPORTS = "from tensorflow.keras import backend as K\nimport tensorflow as tf"


def test_km535_call_in_a_layer_becomes_the_copy_emitted_once():
    before = (
        "from keras import backend as K\n\n\n"
        "def f(inputs, kernel, other):\n"
        "    a = K.local_conv1d(inputs, kernel, [1], [1])\n"
        "    return a, K.local_conv1d(other, kernel, kernel_size=(3,), strides=(2,), data_format='channels_last')\n"
    )
    after = (
        f"{IMPORTS}\n\n\n{HELPER_TF}\n\n"
        "def f(inputs, kernel, other):\n"
        "    a = kmigrate_local_conv1d(inputs, kernel, [1], [1])\n"
        "    return a, kmigrate_local_conv1d(other, kernel, kernel_size=(3,), strides=(2,), data_format='channels_last')\n"
    )
    diagnostics = assert_migrates(before, after)
    assert [(d.rule, d.fixed) for d in diagnostics if d.rule == "KM535"] == [("KM535", True), ("KM535", True)]


def test_km535_star_args_and_from_import_are_exact_too():
    out = migrated("from keras.backend import local_conv1d\n\n\ndef f(args):\n    return local_conv1d(*args)\n")
    assert "return kmigrate_local_conv1d(*args)" in out and f"def {LOCAL_CONV1D}(" in out
    assert "import local_conv1d" not in out  # no use left: the import family drops it


def test_km535_reference_without_a_call_is_marked():
    assert_flags("from keras import backend as K\n\nconvolve = K.local_conv1d\n", "KM535")


def test_km535_name_taken_and_second_run():
    before = "from keras import backend as K\n\nkmigrate_local_conv1d = 3\n\n\ndef f(x, k):\n    return K.local_conv1d(x, k, (1,), (1,))\n"
    once = migrated(before)
    assert "def kmigrate_local_conv1d_(inputs" in once and "return kmigrate_local_conv1d_(x, k, (1,), (1,))" in once
    assert migrated(once) == once and rules_fired(run(once)) == set()


def test_km535_not_keras_and_tf_keras_target_unchanged():
    assert_unchanged("import mylib as K\n\ny = K.local_conv1d(x, k, (1,), (1,))\n")
    out = migrated("from keras import backend as K\n\ny = K.local_conv1d(x, k, (1,), (1,))\n", target="tf_keras")
    assert "K.local_conv1d(x, k, (1,), (1,))" in out and LOCAL_CONV1D not in out


# (input shape, kernel size, stride, filters): the kernel is (output_length, size * input_dim, filters)
CASES = [((3, 8, 4), 3, 1, 5), ((3, 8, 4), 3, 2, 2), ((3, 6, 5), 1, 1, 4), ((2, 9, 3), 2, 3, 6)]


def _arrays(i, x_shape, size, stride, filters):
    rng = np.random.RandomState(i)
    length = (x_shape[1] - size) // stride + 1
    return rng.rand(*x_shape).astype("float32"), rng.rand(length, size * x_shape[2], filters).astype("float32")


def _copy():
    namespace: dict = {}
    source = migrated("from keras import backend as K\n\n\ndef f(x, k):\n    return K.local_conv1d(x, k, (1,), (1,))\n")
    exec(compile(source, "<migrated>", "exec"), namespace)
    return namespace[LOCAL_CONV1D]


def _windows_times_kernel(x, kernel, size, stride):
    """LocallyConnected1D by hand: each output step has its own kernel."""
    return np.stack([x[:, i * stride:i * stride + size, :].reshape(len(x), -1) @ kernel[i]
                     for i in range(len(kernel))], axis=1)  # fmt: skip


@pytest.mark.parametrize("case", range(len(CASES)))
def test_km535_copy_runs_eagerly_in_a_graph_and_on_keras_variables(case):
    tf = pytest.importorskip("tensorflow")
    x_shape, size, stride, filters = CASES[case]
    x, kernel = _arrays(case, *CASES[case])
    copy = _copy()
    expected = _windows_times_kernel(x, kernel, size, stride)
    np.testing.assert_allclose(copy(tf.constant(x), tf.keras.Variable(kernel), (size,), (stride,)).numpy(), expected,
                               rtol=1e-5)  # fmt: skip
    variable = tf.Variable(kernel)
    in_graph = tf.function(lambda a: copy(a, variable, (size,), (stride,)),
                           input_signature=[tf.TensorSpec((None,) + x_shape[1:])])  # fmt: skip
    np.testing.assert_allclose(in_graph(x).numpy(), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="data_format"):
        copy(tf.constant(x), variable, (size,), (stride,), data_format="channels_middle")


LEGACY_PROBE = """
results = {}
for i, (xs, size, stride, filters) in enumerate(json.loads(sys.argv[3])):
    rng = np.random.RandomState(i)
    length = (xs[1] - size) // stride + 1
    x, w = rng.rand(*xs).astype("float32"), rng.rand(length, size * xs[2], filters).astype("float32")
    px = K.placeholder(shape=[None] + xs[1:])
    results["case%d" % i] = K.function([px], [K.local_conv1d(px, K.variable(w), (size,), (stride,))])([x])[0]
np.savez(sys.argv[2], **results)
"""


@pytest.mark.verify
def test_km535_copy_equals_genuine_keras_224(tmp_path):
    tf = pytest.importorskip("tensorflow")
    legacy, _ = run_legacy_probe(LEGACY_PROBE, CASES, tmp_path)
    copy = _copy()
    for i, (x_shape, size, stride, filters) in enumerate(CASES):
        x, kernel = _arrays(i, x_shape, size, stride, filters)
        ours = copy(tf.constant(x), tf.Variable(kernel), (size,), (stride,)).numpy()
        np.testing.assert_array_equal(ours, legacy[f"case{i}"], err_msg=str(CASES[i]))  # bit for bit
