"""KM500-KM506 and KM511-KM559: the Keras backend (catalog C.9)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kmigrate.rules import rule_by_id
from kmigrate.rules.backend_table import CK_IDS, ENTRIES
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated, rules_fired, run

HEAD = "from keras import backend as K\n"
NEW_HEAD = "from tensorflow.keras import backend as K\n"


def test_ids_follow_the_sorted_catalog_ids():
    assert len(ENTRIES) == 49
    assert CK_IDS["C-K-Function"] == "KM511"
    assert CK_IDS["C-K-asymmetric_spatial_2d_padding"] == "KM512"
    assert CK_IDS["C-K-function"] == "KM519"
    assert CK_IDS["C-K-v1_variable_initialization"] == "KM559"
    # The ids follow the catalog rows' sorted order, as the rules record them.
    assert [CK_IDS[n] for n in sorted(CK_IDS)] == [f"KM{511 + i}" for i in range(49)]
    for name, rule_id in CK_IDS.items():
        rule = rule_by_id(rule_id)
        assert rule is not None and name in rule.catalog, rule_id


# -- mechanical rewrites: one line each ------------------------------------------------------------

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


@pytest.mark.parametrize("rule, before, after", SIMPLE)
def test_simple_rewrites(rule, before, after):
    diagnostics = assert_migrates(HEAD + before + "\n", NEW_HEAD + after + "\n")
    assert rule in rules_fired(diagnostics)


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


@pytest.mark.parametrize("rule, before, after", TF_CALLS)
def test_tensorflow_rewrites_reuse_the_files_tf(rule, before, after):
    diagnostics = assert_migrates(
        "import tensorflow as tf\n" + HEAD + before + "\n", "import tensorflow as tf\n" + NEW_HEAD + after + "\n"
    )
    assert rule in rules_fired(diagnostics)


def test_tensorflow_import_is_added_once_when_missing():
    assert_migrates(
        HEAD + "a = K.identity(x)\nb = K.size(x)\n",
        NEW_HEAD + "import tensorflow as tf\na = tf.identity(x)\nb = tf.size(x)\n",
    )


def test_tf_bound_to_something_else_gets_a_plain_tensorflow_import():
    assert_migrates(
        "import tensorflow.compat.v1 as tf\n" + HEAD + "a = K.identity(x)\n",
        "import tensorflow.compat.v1 as tf\n" + NEW_HEAD + "import tensorflow\na = tensorflow.identity(x)\n",
    )


def test_k_np_uses_numpy():
    assert_migrates(HEAD + "z = K.np.float32(1)\n", NEW_HEAD + "import numpy as np\nz = np.float32(1)\n")
    assert_migrates(
        "import numpy\n" + HEAD + "z = K.np.zeros(2)\n", "import numpy\n" + NEW_HEAD + "z = numpy.zeros(2)\n"
    )


@pytest.mark.parametrize("rule, before", [
    ("KM538", "K.manual_variable_initialization(True)\n"),
    ("KM552", "K.set_legacy_weight_ordering(False)\n"),
    ("KM559", "K.v1_variable_initialization()\n"),
])  # fmt: skip
def test_statements_that_only_call_are_removed(rule, before):
    diagnostics = assert_migrates(HEAD + before + "x = 1\n", NEW_HEAD + "x = 1\n")
    assert rule in rules_fired(diagnostics)


def test_removed_statement_leaves_pass_in_an_empty_block_and_keeps_comments():
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


# -- aliases and spellings ------------------------------------------------------------------------


def test_alias_spellings():
    assert_migrates(
        "import keras.backend as KB\nimport keras\na = KB.lesser(x, y)\nb = keras.backend.lesser(x, y)\n",
        "from tensorflow.keras import backend as KB\nfrom tensorflow import keras\n"
        "a = KB.less(x, y)\nb = keras.backend.less(x, y)\n",
    )


def test_from_import_of_a_missing_name_is_replaced():
    assert_migrates(
        "from keras.backend import lesser, py_sum\na = lesser(x, y)\nb = py_sum(s)\n",
        "from tensorflow.keras.backend import less\na = less(x, y)\nb = sum(s)\n",
    )


def test_tensorflow_backend_module_and_tf_keras_code():
    assert_migrates(
        "import keras.backend.tensorflow_backend as KTF\na = KTF.get_variable_shape(v)\n",
        "from tensorflow.keras import backend as KTF\na = KTF.int_shape(v)\n",
    )
    assert_migrates(
        "import tensorflow as tf\nb = tf.keras.backend.lesser(x, y)\n",
        "import tensorflow as tf\nb = tf.keras.backend.less(x, y)\n",
    )


def test_reference_without_call_is_renamed():
    assert_migrates(HEAD + "op = K.lesser\n", NEW_HEAD + "op = K.less\n")


# -- no-ops ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [
    "K = object()\na = K.lesser(x, y)\nK.function([a], [b])\n",
    "from tensorflow.keras import backend as K\na = K.less(x, y)\nb = K.image_data_format()\n",
    "from tensorflow.keras import backend as K\ny = K.switch(c, a, b) + K.repeat(x, 3) + K.hard_sigmoid(x)\n",
])  # fmt: skip
def test_unchanged(code):
    assert_unchanged(code)


def test_optimizer_rate_is_left_to_the_optimizer_family():
    result = run(HEAD + "K.set_value(model.optimizer.lr, 0.1)\nlr = K.get_value(self.model.optimizer.learning_rate)\n")
    assert "KM501" not in rules_fired(result)


def test_ops_traps_are_never_modernised_km505():
    # KM505 documents that these stay on tf.keras.backend (keras.ops differs in meaning).
    code = NEW_HEAD + "y = K.in_top_k(p, t, 1)\nz = K.batch_normalization(x, m, v, b, g, epsilon=1e-3)\n"
    assert_unchanged(code)


def test_builtin_shadowed_is_flagged():
    assert_flags(HEAD + "from numpy import sum\nb = K.py_sum(s)\n", "KM546")


def test_ignore_comment():
    assert "K.lesser" in migrated(HEAD + "a = K.lesser(x, y)  # kmigrate: ignore[KM533]\n")


# -- image dim ordering with literals -------------------------------------------------------------


def test_image_dim_ordering_comparisons_map_literals():
    assert_migrates(
        HEAD + 'if K.image_dim_ordering() == "th":\n    pass\n'
        "if 'tf' != K.image_dim_ordering():\n    pass\n"
        "if K.image_dim_ordering() in ('th', 'tf'):\n    pass\n",
        NEW_HEAD + 'if K.image_data_format() == "channels_first":\n    pass\n'
        "if 'channels_last' != K.image_data_format():\n    pass\n"
        "if K.image_data_format() in ('channels_first', 'channels_last'):\n    pass\n",
    )


def test_image_dim_ordering_imported_by_name():
    assert_migrates(
        "from keras.backend import image_dim_ordering\nif image_dim_ordering() == 'th':\n    pass\n",
        "from tensorflow.keras.backend import image_data_format\nif image_data_format() == 'channels_first':\n    pass\n",
    )


# -- set_value, gradients, variables, hard_sigmoid, missing names -----------------------------------


def test_set_value_becomes_assign_km501():
    assert_migrates(
        HEAD + "K.set_value(model.layers[0].kernel, w)\nK.batch_set_value(list(zip(model.weights, ws)))\n",
        NEW_HEAD + "model.layers[0].kernel.assign(w)\n"
        "for variable, value in list(zip(model.weights, ws)):\n    variable.assign(value)\n",
    )


def test_set_value_skipped_on_tf_keras():
    assert "K.set_value" in migrated(HEAD + "K.set_value(v, 1)\n", target="tf_keras")


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


def test_hard_sigmoid_as_activation_flag_km504():
    assert_flags(HEAD + "from keras.layers import LSTM\nl = LSTM(8, recurrent_activation=K.hard_sigmoid)\n", "KM504")


def test_missing_backend_internals_flag_km500():
    out = assert_flags(HEAD + "gpus = K.tensorflow_backend._get_available_gpus()\n", "KM500")
    assert "list_logical_devices" in out and out.count("KM500") == 1


def test_theano_attr_flag_km506():
    assert_flags(HEAD + "y = K.T.dot(a, b)\n", "KM506")


# -- flag-only names --------------------------------------------------------------------------------


@pytest.mark.parametrize("rule, line", [
    ("KM514", "y = K.atrous_conv2d(x, k, rate=2, border_mode='same')"),
    ("KM516", "y = K.conv3d_transpose(x, k, s)"),
    ("KM517", "y = K.deconv2d(x, k, s)"),
    ("KM520", "g = K.get_graph()"),
    ("KM521", "s = K.get_session()"),
    ("KM527", "p = K.is_placeholder(x)"),
    ("KM528", "p = K.is_symbolic(x)"),
    ("KM531", "lp = K.learning_phase()"),
    ("KM535", "y = K.local_conv1d(x, k, 3, 1)"),
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


# -- learning phase, sessions -----------------------------------------------------------------------


def test_in_train_phase_inside_call_km526_km525():
    before = HEAD + textwrap.dedent("""\
        from keras.layers import Layer
        class Noise(Layer):
            def call(self, inputs, training=None):
                a = K.in_train_phase(lambda: inputs * 2, inputs, training=training)
                return K.in_test_phase(a, a * 0.5, training=training)
        """)
    after = NEW_HEAD + textwrap.dedent("""\
        from tensorflow.keras.layers import Layer
        class Noise(Layer):
            def call(self, inputs, training=None):
                a = (inputs * 2 if training else inputs)
                return (a * 0.5 if training else a)
        """)
    assert_migrates(before, after)


def test_set_learning_phase_0_removed_without_training_km551():
    assert_migrates(HEAD + "K.set_learning_phase(0)\nmodel.predict(x)\n", NEW_HEAD + "model.predict(x)\n")
    assert_flags(HEAD + "K.set_learning_phase(0)\nmodel.fit(x, y)\n", "KM551")


def test_allow_growth_idiom_km553():
    before = "import tensorflow as tf\n" + HEAD + textwrap.dedent("""\
        config = tf.ConfigProto()
        config.gpu_options.allow_growth = True
        sess = tf.Session(config=config)
        K.set_session(sess)
        x = 1
        """)
    after = "import tensorflow as tf\n" + NEW_HEAD + textwrap.dedent("""\
        for gpu in tf.config.list_physical_devices('GPU'):
            tf.config.experimental.set_memory_growth(gpu, True)
        x = 1
        """)
    assert_migrates(before, after)


def test_allow_growth_inline_session_and_gpu_options():
    before = "import tensorflow as tf\nimport keras.backend.tensorflow_backend as KTF\n" + textwrap.dedent("""\
        def setup():
            config = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))
            KTF.set_session(tf.Session(config=config))
        """)
    after = "import tensorflow as tf\nfrom tensorflow.keras import backend as KTF\n" + textwrap.dedent("""\
        def setup():
            for gpu in tf.config.list_physical_devices('GPU'):
                tf.config.experimental.set_memory_growth(gpu, True)
        """)
    # Other families mark tf.Session itself (TF 1 code); only this family's rules here.
    assert_migrates(before, after, select=("KM1", "KM5"))


def test_other_session_configs_are_flagged():
    code = "import tensorflow as tf\n" + HEAD + (
        "config = tf.ConfigProto()\nconfig.gpu_options.per_process_gpu_memory_fraction = 0.5\n"
        "K.set_session(tf.Session(config=config))\n"
    )
    assert_flags(code, "KM553")


def test_session_initializer_idiom_is_removed_km521():
    assert_migrates(
        "import tensorflow as tf\n" + HEAD + "K.get_session().run(tf.global_variables_initializer())\nx = 1\n",
        "import tensorflow as tf\n" + NEW_HEAD + "x = 1\n",
    )


# -- K.function ----------------------------------------------------------------------------------------

HELPER = '''

def k_function(inputs, outputs, learning_phase_index=None):
    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it
    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`
    (the `K.learning_phase()` input) is the `training` flag."""
    model = tf.keras.Model(inputs, outputs)

    def call(values):
        values = list(values)
        training = False
        if learning_phase_index is not None:
            training = bool(values.pop(learning_phase_index))
        return [tensor.numpy() for tensor in tf.nest.flatten(model(values, training=training))]

    return call


'''


def test_k_function_rewrite_km519():
    before = HEAD + textwrap.dedent("""\
        def probe(model, x):
            f = K.function([model.input, K.learning_phase()], [model.layers[-2].output])
            return f([x, 0])[0]
        """)
    after = NEW_HEAD + "import tensorflow as tf\n" + HELPER + textwrap.dedent("""\
        def probe(model, x):
            f = k_function([model.inputs[0]], [model.layers[-2].output], learning_phase_index=-1)
            return f([x, 0])[0]
        """)
    diagnostics = assert_migrates(before, after)
    assert "KM531" not in rules_fired(diagnostics)


def test_k_function_spellings():
    out = migrated(
        "import tensorflow as tf\nimport keras\n"
        "g = keras.backend.function(inputs=[net.input], outputs=[layer.output for layer in net.layers])\n"
        "h = keras.backend.function(model.inputs + [keras.backend.learning_phase()], [model.output])\n"
        "i = keras.backend.Function([inp], [hidden])\n"
    )
    assert "g = k_function([net.inputs[0]], [layer.output for layer in net.layers])" in out
    assert "h = k_function(model.inputs, [model.outputs[0]], learning_phase_index=-1)" in out
    assert "i = k_function([inp], [hidden])" in out
    assert out.count("def k_function") == 1 and "import tensorflow as tf\n" in out


@pytest.mark.parametrize("line", [
    "f = K.function([model.input], K.gradients(loss, model.trainable_weights))",
    "f = K.function([model.input], [model.output], updates=[u])",
    "f = K.function([model.input], [K.mean(model.output)])",
    "f = K.function(*args)",
])  # fmt: skip
def test_k_function_flags(line):
    assert_flags(HEAD + line + "\n", "KM519")


def test_k_function_rewritten_on_tf_keras_too():
    # tf_keras keeps K.function, but it fails eagerly with K.learning_phase() among the inputs.
    code = HEAD + "f = K.function([model.input, K.learning_phase()], [model.output])\n"
    out = migrated(code, target="tf_keras")
    assert "f = k_function([model.inputs[0]], [model.outputs[0]], learning_phase_index=-1)" in out


_TF_CHECK = r'''
import os, sys, types
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
from kmigrate.pipeline import migrate_bytes
from kmigrate.settings import Settings
LEGACY = """
import numpy as np
from keras import backend as K
from keras.models import Sequential, Model
from keras.layers import Dense, Dropout, Input

def sequential():
    model = Sequential()
    model.add(Dense(6, activation='relu', input_shape=(5,)))
    model.add(Dropout(0.5))
    model.add(Dense(2))
    return model

def functional():
    inputs = Input(shape=(5,))
    hidden = Dense(4, name='hidden')(inputs)
    return Model(inputs, Dense(1)(Dropout(0.5)(hidden)))

def probe(model, x):
    f = K.function([model.input, K.learning_phase()], [model.layers[1].output, model.output])
    return f([x, 0])
"""
out = migrate_bytes(LEGACY.encode(), "p.py", Settings()).output
module = types.ModuleType("p")
exec(compile(out, "p.py", "exec"), module.__dict__)
x = np.random.RandomState(0).rand(7, 5).astype("float32")
for build in (module.sequential, module.functional):
    model = build()
    got = module.probe(model, x)
    assert isinstance(got, list) and len(got) == 2 and all(isinstance(a, np.ndarray) for a in got)
    np.testing.assert_allclose(got[1], model.predict(x, verbose=0), atol=1e-6)
    layer = model.layers[1]
    print(build.__name__, "ok")
'''


@pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True).returncode != 0,
    reason="TensorFlow is not installed",
)
def test_k_function_runs_on_tf_2_21_for_sequential_and_functional_models():
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("TF_USE_LEGACY_KERAS", None)
    result = subprocess.run([sys.executable, "-c", _TF_CHECK], capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "sequential ok" in result.stdout and "functional ok" in result.stdout


def test_every_backend_rule_id_is_exercised():
    import re

    source = Path(__file__).read_text(encoding="utf-8")
    mentioned = set(re.findall(r"KM5\d\d", source))
    ids = {f"KM50{i}" for i in range(7)} | set(CK_IDS.values())
    assert ids - mentioned == set()


def test_run_never_errors_on_mixed_file():
    result = run(HEAD + "K.function([m.input], [m.output])([x])\nK.set_value(w, 1)\ny = K.T\n")
    assert result.error is None


def test_set_session_import_is_dropped_after_the_idiom_rewrite():
    before = textwrap.dedent("""\
        import tensorflow as tf
        from keras.backend.tensorflow_backend import set_session
        config = tf.ConfigProto()
        config.gpu_options.allow_growth = True
        set_session(tf.Session(config=config))
        """)
    after = textwrap.dedent("""\
        import tensorflow as tf
        for gpu in tf.config.list_physical_devices('GPU'):
            tf.config.experimental.set_memory_growth(gpu, True)
        """)
    assert_migrates(before, after, select=("KM1", "KM5"))
