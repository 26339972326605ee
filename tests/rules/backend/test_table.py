"""Tests of ``kmigrate/rules/backend/table.py``: KM511-KM559 from the table (``backend_table.py``): renames, tf/builtin swaps, removals, values,
flags, and the special rewrites that only reshape arguments (padding, is_variable, weight ordering,
normalize_data_format); ``K.<name>`` read without a call; KM500 for names tf.keras lacks."""

from __future__ import annotations

import pytest

from tests.helpers import assert_flags, assert_migrates, rules_fired
from tests.rules.backend.cases import HEAD, NEW_HEAD

SIMPLE = [
    ("KM522", "K.get_variable_shape(v)", "K.int_shape(v)"),
    ("KM533", "K.lesser(x, y)", "K.less(x, y)"),
    ("KM534", "K.lesser_equal(x, y)", "K.less_equal(x, y)"),
    ("KM547", "K.random_binomial((2, 3), p=0.5)", "K.random_bernoulli((2, 3), p=0.5)"),
    ("KM543", "K.py_all(flags)", "all(flags)"),
    ("KM544", "K.py_any(flags)", "any(flags)"),
    ("KM545", "K.py_slice(0, 2)", "slice(0, 2)"),
    ("KM546", "K.py_sum(sizes)", "sum(sizes)"),
    ("KM512", "K.asymmetric_spatial_2d_padding(x, top_pad=1, bottom_pad=2, left_pad=0, right_pad=1, dim_ordering='th')",
     "K.spatial_2d_padding(x, padding=((1, 2), (0, 1)), data_format='channels_first')"),
    ("KM512", "K.asymmetric_spatial_2d_padding(x)", "K.spatial_2d_padding(x, padding=((1, 1), (1, 1)))"),
    ("KM513", "K.asymmetric_temporal_padding(x, 1, 2)", "K.temporal_padding(x, padding=(1, 2))"),
    ("KM524", "o = K.image_dim_ordering()", "o = ('th' if K.image_data_format() == 'channels_first' else 'tf')"),
    ("KM550", "K.set_image_dim_ordering('th')", "K.set_image_data_format('channels_first')"),
    ("KM550", "K.set_image_dim_ordering(dim_ordering='tf')", "K.set_image_data_format(data_format='channels_last')"),
    ("KM550", "K.set_image_dim_ordering(o)", "K.set_image_data_format({'th': 'channels_first', 'tf': 'channels_last'}[o])"),
    ("KM540", "f = K.normalize_data_format(None)", "f = K.image_data_format()"),
    ("KM540", "f = K.normalize_data_format('Channels_First')", "f = 'channels_first'"),
    ("KM532", "if K.legacy_weight_ordering():\n    pass", "if False:\n    pass"),
]


TF_CALLS = [
    ("KM523", "y = K.identity(x, name='i')", "y = tf.identity(x, name='i')"),
    ("KM529", "t = K.is_tensor(x)", "t = tf.is_tensor(x)"),
    ("KM554", "n = K.size(x, 'n')", "n = tf.size(x, name='n')"),
    ("KM555", "s = K.slice(x, start=[0, 1], size=[-1, 2])", "s = tf.slice(x, begin=[0, 1], size=[-1, 2])"),
    ("KM537", "l = K.logsumexp(x=a, axis=1)", "l = tf.reduce_logsumexp(input_tensor=a, axis=1)"),
    ("KM515", "with K.control_dependencies([u]):\n    y = x", "with tf.control_dependencies([u]):\n    y = x"),
    ("KM530", "v = K.is_variable(w)", "v = isinstance(w, (tf.Variable, tf.keras.Variable))"),
    ("KM557", "major = K.tf_major_version", "major = int(tf.__version__.split('.')[0])"),
    ("KM558", "minor = K.tf_minor_version", "minor = int(tf.__version__.split('.')[1])"),
    ("KM506", "y = K.tf.reduce_max(x)", "y = tf.reduce_max(x)"),
]


@pytest.mark.parametrize("rule, before, after", SIMPLE)
def test_simple_rewrites(rule, before, after):
    diagnostics = assert_migrates(HEAD + before + "\n", NEW_HEAD + after + "\n")
    assert rule in rules_fired(diagnostics)


@pytest.mark.parametrize("rule, before, after", TF_CALLS)
def test_tensorflow_rewrites_reuse_the_files_tf(rule, before, after):
    diagnostics = assert_migrates(
        "import tensorflow as tf\n" + HEAD + before + "\n", "import tensorflow as tf\n" + NEW_HEAD + after + "\n"
    )
    assert rule in rules_fired(diagnostics)


def test_km523_tensorflow_import_is_added_once_when_missing():
    assert_migrates(
        HEAD + "a = K.identity(x)\nb = K.size(x)\n",
        NEW_HEAD + "import tensorflow as tf\na = tf.identity(x)\nb = tf.size(x)\n",
    )


def test_km523_tf_bound_to_something_else_gets_a_plain_tensorflow_import():
    assert_migrates(
        "import tensorflow.compat.v1 as tf\n" + HEAD + "a = K.identity(x)\n",
        "import tensorflow.compat.v1 as tf\n" + NEW_HEAD + "import tensorflow\na = tensorflow.identity(x)\n",
    )


@pytest.mark.parametrize("rule, before", [
    ("KM538", "K.manual_variable_initialization(True)\n"),
    ("KM552", "K.set_legacy_weight_ordering(False)\n"),
    ("KM559", "K.v1_variable_initialization()\n"),
])  # fmt: skip
def test_statements_that_only_call_are_removed(rule, before):
    diagnostics = assert_migrates(HEAD + before + "x = 1\n", NEW_HEAD + "x = 1\n")
    assert rule in rules_fired(diagnostics)


def test_km538_removed_statement_leaves_pass_in_an_empty_block_and_keeps_comments():
    assert_migrates(
        HEAD + "if x:\n    K.manual_variable_initialization(True)\nK.v1_variable_initialization()  # init\n",
        NEW_HEAD + "if x:\n    pass\npass  # init\n",
    )


@pytest.mark.parametrize("rule, name", [("KM518", "eager"), ("KM556", "symbolic")])
def test_decorators_are_dropped(rule, name):
    diagnostics = assert_migrates(
        HEAD + f"@K.{name}\ndef f(x):\n    return x\n", NEW_HEAD + "def f(x):\n    return x\n"
    )
    assert rule in rules_fired(diagnostics)


def test_km533_alias_spellings():
    assert_migrates(
        "import keras.backend as KB\nimport keras\na = KB.lesser(x, y)\nb = keras.backend.lesser(x, y)\n",
        "from tensorflow.keras import backend as KB\nfrom tensorflow import keras\n"
        "a = KB.less(x, y)\nb = keras.backend.less(x, y)\n",
    )


def test_km533_from_import_of_a_missing_name_is_replaced():
    assert_migrates(
        "from keras.backend import lesser, py_sum\na = lesser(x, y)\nb = py_sum(s)\n",
        "from tensorflow.keras.backend import less\na = less(x, y)\nb = sum(s)\n",
    )


def test_km522_tensorflow_backend_module_and_tf_keras_code():
    assert_migrates(
        "import keras.backend.tensorflow_backend as KTF\na = KTF.get_variable_shape(v)\n",
        "from tensorflow.keras import backend as KTF\na = KTF.int_shape(v)\n",
    )
    assert_migrates(
        "import tensorflow as tf\nb = tf.keras.backend.lesser(x, y)\n",
        "import tensorflow as tf\nb = tf.keras.backend.less(x, y)\n",
    )


def test_km533_reference_without_call_is_renamed():
    assert_migrates(HEAD + "op = K.lesser\n", NEW_HEAD + "op = K.less\n")


def test_km546_builtin_shadowed_is_flagged():
    assert_flags(HEAD + "from numpy import sum\nb = K.py_sum(s)\n", "KM546")


def test_hard_sigmoid_as_activation_flag_km504():
    assert_flags(HEAD + "from keras.layers import LSTM\nl = LSTM(8, recurrent_activation=K.hard_sigmoid)\n", "KM504")


def test_missing_backend_internals_flag_km500():
    out = assert_flags(HEAD + "gpus = K.tensorflow_backend._get_available_gpus()\n", "KM500")
    assert "list_logical_devices" in out and out.count("KM500") == 1


@pytest.mark.parametrize("rule, line", [
    ("KM514", "y = K.atrous_conv2d(x, k, rate=2, border_mode='same')"),
    ("KM516", "y = K.conv3d_transpose(x, k, s)"),
    ("KM517", "y = K.deconv2d(x, k, s)"),
    ("KM520", "g = K.get_graph()"),
    ("KM521", "s = K.get_session()"),
    ("KM527", "p = K.is_placeholder(x)"),
    ("KM528", "p = K.is_symbolic(x)"),
    ("KM531", "lp = K.learning_phase()"),
    ("KM536", "y = K.local_conv2d(x, k, 3, 1, s)"),
    ("KM539", "n, m, v = K.normalize_batch_in_training(x, g, b, [0])"),
    ("KM540", "f = K.normalize_data_format(value)"),
    ("KM541", "x = K.placeholder(shape=(None, 3))"),
    ("KM542", "x = K.print_tensor(x, message='x=')"),
    ("KM548", "K.reset_uids()"),
    ("KM549", "y = K.separable_conv1d(x, d, p)"),
    ("KM551", "K.set_learning_phase(1)"),
    ("KM553", "K.set_session(sess)"),
    ("KM526", "y = K.in_train_phase(a, b)"),
    ("KM525", "y = K.in_test_phase(a, b)"),
    ("KM511", "f = K.Function([model.input], [g], updates=[u])"),
])  # fmt: skip
def test_flags(rule, line):
    assert_flags(HEAD + line + "\n", rule)
