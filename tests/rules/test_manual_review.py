"""KM901-KM920: flag-only review markers (and the Python 2 except fix)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated


def test_km902_theano_in_keras_file():
    assert_flags(
        """
        import theano.tensor as T
        from keras import backend as K
        """,
        "KM902",
    )


def test_km902_theano_tensor_method_in_a_keras_layer():
    # review finding (hsuwt/cs224n-project AttLayer.py): `.dimshuffle(0, 'x')` stayed unmarked
    output = assert_flags(
        """
        from keras import backend as K
        from keras.engine.topology import Layer

        class AttLayer(Layer):
            def call(self, x, mask=None):
                ai = K.exp(K.tanh(x))
                weights = ai / K.sum(ai, axis=1).dimshuffle(0, 'x')
                return x * weights.dimshuffle(0, 1, 'x')
        """,
        "KM902",
    )
    assert output.count("# kmigrate: KM902 Theano-only .dimshuffle(): use K.expand_dims / K.permute_dimensions") == 2


def test_km902_dimshuffle_of_a_project_class_or_other_library_unmarked():
    assert_unchanged(
        """
        from tensorflow.keras.layers import Dense

        class Grid:
            def dimshuffle(self, *axes):
                return axes

        g = Grid().dimshuffle(1, 0)
        """
    )
    assert "KM902" not in migrated(
        "import keras\nimport numpy as np\nfrom mylib import Tensor\nt = Tensor(np.ones(3)).dimshuffle(0)\n"
    )


def test_km902_not_without_keras():
    assert_unchanged(
        """
        import theano
        x = 1
        """
    )


def test_km903_theano_kernels():
    assert_flags(
        """
        from keras.utils.layer_utils import convert_all_kernels_in_model
        convert_all_kernels_in_model(model)
        """,
        "KM903",
    )


def test_km904_tf1_code():
    assert_flags(
        """
        import tensorflow as tf
        x = tf.placeholder(tf.float32, (None, 3))
        """,
        "KM904",
    )
    assert_migrates(
        """
        import tensorflow as tf
        tf.set_random_seed(0)
        """,
        """
        import tensorflow as tf
        tf.random.set_seed(0)
        """,
    )


def test_km904_not_for_other_modules():
    assert_unchanged(
        """
        import tensorflow as tf
        import mylib
        s = mylib.Session()
        t = tf.random.set_seed(1)
        """
    )


def test_km914_python2_except():
    assert_migrates(
        """
        from keras.models import Sequential
        try:
            m = Sequential()
        except IOError, e:
            print(e)
        """,
        """
        from tensorflow.keras.models import Sequential
        try:
            m = Sequential()
        except IOError as e:
            print(e)
        """,
    )


def test_km914_python3_tuples_untouched():
    assert_unchanged(
        """
        import keras
        try:
            pass
        except (A, B) as e:
            pass
        except (A, B):
            pass
        """.replace("import keras", "import tensorflow.keras as keras")
    )


def test_km918_extensions():
    assert_flags("from keras_contrib.layers import CRF\n", "KM918")


def test_km919_private_internals():
    assert_flags(
        """
        from keras.models import load_model
        model._make_predict_function()
        """,
        "KM919",
    )


def test_km920_keras0():
    out = assert_flags(
        """
        from keras.models import Sequential
        model.fit(X, y, show_accuracy=True)
        """,
        "KM920",
    )
    assert "show_accuracy=True" in out


# -- KM915: Python 2 leftovers in Keras code ------------------------------------------------------


def test_km915_xrange_and_dict_iteration():
    assert_migrates(
        """
        import keras
        for i in xrange(3):
            for k, v in logs.iteritems():
                print(k, v, keras)
        """,
        """
        from tensorflow import keras
        for i in range(3):
            for k, v in logs.items():
                print(k, v, keras)
        """,
    )


def test_km915_keras1_generator_class_gets_dunder_next():
    assert_migrates(
        """
        import keras
        class Batches(object):
            def __iter__(self):
                return self

            def next(self):
                return keras
        """,
        """
        from tensorflow import keras
        class Batches(object):
            def __iter__(self):
                return self

            def next(self):
                return keras
            __next__ = next
        """,
    )


def test_km915_python2_modules_are_marked():
    assert_flags("import keras\nimport cPickle as pickle\nx = keras\n", "KM915")
    assert_flags("import keras\nfrom itertools import izip\nx = keras\n", "KM915")


def test_km915_no_op_outside_keras_code_and_for_bound_names():
    assert_unchanged("for i in xrange(3):\n    pass\n")
    assert_unchanged("from tensorflow import keras\nxrange = range\nfor i in xrange(3):\n    pass\n")


# -- KM918: libraries built on standalone Keras ------------------------------------------------

import pytest  # noqa: E402

from kmigrate.diagnostics import Status  # noqa: E402
from kmigrate.pipeline import migrate_bytes, migrate_path  # noqa: E402
from kmigrate.settings import Settings  # noqa: E402


@pytest.mark.parametrize(
    "code",
    [
        "from keras_contrib.layers import CRF\n",
        "import keras_self_attention\n",
        "from keras_multi_head import MultiHeadAttention\n",
        "from keras_pos_embd import PositionEmbedding\n",
        "from keras_layer_normalization import LayerNormalization\n",
        "from keras_radam import RAdam\n",
        "from keras_tqdm import TQDMNotebookCallback\n",
        "from keras_vggface.vggface import VGGFace\n",
        "from keras_retinanet import models\n",
        "from some_keras_lib_not_in_any_table import x\nimport keras_wonderful_layers\n".split("\n")[1] + "\n",
        "import keras\nfrom recurrentshop import LSTMCell, RecurrentSequential\n",
        "import keras\nfrom seq2seq.models import AttentionSeq2Seq\n",
        "import kerastuner as kt\n",
        "import keras\nfrom capsulelayers import CapsuleLayer\n",
        "import keras\nfrom rl.agents.dqn import DQNAgent\n",
        "from segmentation_models import Unet\n",
    ],
)
def test_km918_libraries_built_on_standalone_keras(code):
    out = assert_flags(code, "KM918")
    marker = next(line for line in out.splitlines() if "# kmigrate: KM918" in line)
    assert len(marker.partition("# kmigrate: KM918 ")[2]) <= 80


@pytest.mark.parametrize(
    "code",
    [
        "from keras_preprocessing.image import ImageDataGenerator\n",  # the import rules move it
        "import keras_tuner\nimport keras_cv\nimport keras_nlp\nimport keras_hub\n",  # Keras 3 packages
        "from tensorflow import keras\nfrom classification_models.tfkeras import Classifiers\n",
        "from seq2seq import models\nimport tensorflow as tf\n",  # generic name, file does not use Keras
    ],
)
def test_km918_not_for_keras_3_packages_and_generic_names(code):
    result = migrate_bytes(code.encode(), "example.py", Settings())
    assert result.status is not Status.ERROR
    assert not any(d.rule == "KM918" for d in result.diagnostics)


def test_km918_never_the_projects_own_package_beside_the_file(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "keras_frcnn").mkdir()
    (tmp_path / "keras_frcnn" / "__init__.py").write_text("")
    (tmp_path / "recurrentshop.py").write_text("import keras\n")
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    train = scripts / "train.py"
    train.write_text("import keras\nfrom keras_frcnn import config\nfrom recurrentshop import LSTMCell\n")
    result = migrate_path(str(train), Settings(), write=False)
    assert result.status is not Status.ERROR, result.error
    assert not any(d.rule == "KM918" for d in result.diagnostics)


def test_km918_the_library_of_that_name_outside_the_project_is_flagged(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    (tmp_path / "keras_frcnn").mkdir()  # above the project root: not the project's
    train = project / "train.py"
    train.write_text("import keras\nfrom keras_frcnn import config\n")
    result = migrate_path(str(train), Settings(), write=False)
    assert any(d.rule == "KM918" for d in result.diagnostics)


def test_km918_asks_the_project_index_when_there_is_one(tmp_path):
    class Index:
        def owns_module(self, top):
            return top == "keras_frcnn"

        def __getattr__(self, name):  # everything else: the index knows nothing
            return lambda *args, **kwargs: None

    code = b"import keras\nfrom keras_frcnn import config\nfrom keras_contrib.layers import CRF\n"
    result = migrate_bytes(code, str(tmp_path / "train.py"), Settings(), project=Index())  # type: ignore[arg-type]
    assert result.status is not Status.ERROR, result.error
    flagged = [d for d in result.diagnostics if d.rule == "KM918"]
    assert [d.line for d in flagged] == [3]


def test_km904_tf1_root_names_kept_elsewhere_and_variable_scopes():
    # review corpus 4: YAD2K's tf.space_to_depth, Mask R-CNN's tf.log, SegNet's tf.variable_scope
    assert_migrates(
        """
        import tensorflow as tf
        y = tf.space_to_depth(x, block_size=2)
        z = tf.log(y) + tf.depth_to_space(y, 2)
        """,
        """
        import tensorflow as tf
        y = tf.nn.space_to_depth(x, block_size=2)
        z = tf.math.log(y) + tf.nn.depth_to_space(y, 2)
        """,
    )
    out = assert_flags(
        """
        import tensorflow as tf
        with tf.variable_scope('up'):
            r = tf.image.resize_images(x, [8, 8], align_corners=True)
        """,
        "KM904",
    )
    assert out.count("# kmigrate: KM904") == 2


def test_km918_gensim_keras_embedding_marked():
    # review corpus 4: model.add(word_vectors.get_keras_embedding(train_embeddings=True))
    out = assert_flags(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(word_vectors.get_keras_embedding(train_embeddings=True))
        model.add(Dense(2))
        """,
        "KM918",
    )
    assert "Constant(kv.vectors)" in out
