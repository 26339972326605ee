"""Tests of ``kmigrate/rules/imports/statements.py``: Import statements: ``import keras...`` / ``from keras... import ...`` rewritten to their tf.keras
homes (the module table in ``kmigrate/keras_api.py``), names with no home kept and marked."""

from __future__ import annotations

import pytest

from kmigrate.diagnostics import Status
from tests.helpers import (
    assert_flags,
    assert_migrates,
    assert_second_run_is_noop,
    rules_fired,
    run,
)


def test_km101_import_keras_root():
    diagnostics = assert_migrates(
        """
        import keras
        model = keras.models.Sequential([keras.layers.Dense(8)])
        """,
        """
        from tensorflow import keras
        model = keras.models.Sequential([keras.layers.Dense(8)])
        """,
    )
    assert rules_fired(diagnostics) == {"KM101"}


def test_km101_alias_is_kept():
    assert_migrates(
        "import keras as k\nx = k.layers.Dense(3)\n",
        "from tensorflow import keras as k\nx = k.layers.Dense(3)\n",
    )


def test_km101_import_of_submodule_binds_keras_and_dotted_uses_are_shortened():
    assert_migrates(
        """
        import keras.layers.convolutional
        conv = keras.layers.convolutional.Conv2D(8, (3, 3))
        """,
        """
        from tensorflow import keras
        conv = keras.layers.Conv2D(8, (3, 3))
        """,
    )


def test_km101_mixed_import_statement_is_split():
    assert_migrates(
        "import numpy as np, keras\n",
        "import numpy as np\nfrom tensorflow import keras\n",
    )


def test_km101_comment_and_blank_lines_are_kept():
    assert_migrates(
        """
        # the model


        import keras  # deep learning
        """,
        """
        # the model


        from tensorflow import keras  # deep learning
        """,
    )


def test_km102_from_keras_import_modules():
    assert_migrates(
        "from keras import layers, models, optimizers, backend as K\n",
        "from tensorflow.keras import layers, models, optimizers, backend as K\n",
    )


def test_km102_root_names():
    assert_migrates(
        "from keras import Input, Model, Sequential\n",
        "from tensorflow.keras import Input, Model, Sequential\n",
    )


@pytest.mark.parametrize(
    "submodule",
    ["core", "convolutional", "recurrent", "pooling", "normalization", "embeddings",
     "advanced_activations", "noise", "wrappers", "merge", "local"],
)  # fmt: skip
def test_km103_every_layer_submodule(submodule):
    assert_migrates(
        f"from keras.layers.{submodule} import Layer\n",
        "from tensorflow.keras.layers import Layer\n",
    )


def test_km103_names_from_one_submodule_land_in_layers():
    assert_migrates(
        "from keras.layers.core import Dense, Dropout, Activation, Flatten\n",
        "from tensorflow.keras.layers import Dense, Dropout, Activation, Flatten\n",
    )


def test_km103_multiline_import_keeps_layout_and_comments():
    assert_migrates(
        """
        from keras.layers.core import (
            Dense,  # the classifier
            Dropout,
        )
        """,
        """
        from tensorflow.keras.layers import (
            Dense,  # the classifier
            Dropout,
        )
        """,
    )


def test_km103_star_import():
    assert_migrates(
        "from keras.layers import *\nx = Dense(3)\n",
        "from tensorflow.keras.layers import *\nx = Dense(3)\n",
    )


def test_km103_name_without_home_is_marked_and_the_rest_moves():
    output = assert_flags(
        "from keras.layers.core import Dense, Highway\nh = Highway(Dense)\n", "KM103"
    )
    assert "from tensorflow.keras.layers import Dense\n" in output
    assert "from keras.layers.core import Highway  # kmigrate: KM103" in output


def test_km103_dotted_use_through_module_alias():
    assert_migrates(
        """
        from keras import layers
        c = layers.convolutional.Conv2D(4, (3, 3))
        """,
        """
        from tensorflow.keras import layers
        c = layers.Conv2D(4, (3, 3))
        """,
    )


def test_km103_parenthesized_dotted_use_keeps_parentheses():
    assert_migrates(
        "import keras\nc = (keras.layers.core.Dense)(3)\n",
        "from tensorflow import keras\nc = (keras.layers.Dense)(3)\n",
    )


def test_km104_engine_names_go_to_their_public_homes():
    assert_migrates(
        "from keras.engine.topology import Layer, InputSpec, Container, get_source_inputs\n",
        "from tensorflow.keras.layers import Layer, InputSpec\n"
        "from tensorflow.keras import Model as Container\n"
        "from tensorflow.keras.utils import get_source_inputs\n",
    )


def test_km104_engine_internals_are_marked():
    assert_flags("from keras.engine.topology import Node\nn = Node\n", "KM104")


def test_km104_engine_module_alias_is_marked():
    assert_flags("import keras.engine.topology as topology\nt = topology\n", "KM104")


def test_km105_models_module_split_by_home():
    assert_migrates(
        "from keras.models import Sequential, Model, load_model, Input, model_from_config\n",
        "from tensorflow.keras.models import Sequential, Model, load_model\n"
        "from tensorflow.keras import Input\n"
        "from tensorflow.keras.layers import deserialize as model_from_config\n",
    )


def test_km106_np_utils_module_keeps_its_local_name():
    assert_migrates(
        """
        from keras.utils import np_utils
        y = np_utils.to_categorical(labels, 10)
        """,
        """
        from tensorflow.keras import utils as np_utils
        y = np_utils.to_categorical(labels, 10)
        """,
    )


def test_km106_names_from_utils_submodules():
    assert_migrates(
        "from keras.utils.np_utils import to_categorical\n"
        "from keras.utils.generic_utils import get_custom_objects, Progbar\n"
        "from keras.utils.data_utils import get_file, Sequence\n",
        "from tensorflow.keras.utils import to_categorical\n"
        "from tensorflow.keras.utils import get_custom_objects, Progbar\n"
        "from tensorflow.keras.utils import get_file, Sequence\n",
    )


def test_km106_dotted_np_utils_through_keras():
    assert_migrates(
        "import keras\ny = keras.utils.np_utils.to_categorical(t)\n",
        "from tensorflow import keras\ny = keras.utils.to_categorical(t)\n",
    )


def test_km106_internal_helper_is_marked():
    assert_flags("from keras.utils.generic_utils import func_dump\nf = func_dump(g)\n", "KM106")


def test_km107_plot_is_plot_model_under_the_old_name():
    assert_migrates(
        "from keras.utils.visualize_util import plot\n",
        "from tensorflow.keras.utils import plot_model as plot\n",
    )


def test_km108_preprocessing_paths():
    assert_migrates(
        "from keras.preprocessing.image import ImageDataGenerator\n"
        "from keras.preprocessing import sequence\n"
        "from keras_preprocessing.text import Tokenizer\n",
        "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
        "from tensorflow.keras.preprocessing import sequence\n"
        "from tensorflow.keras.preprocessing.text import Tokenizer\n",
    )


def test_km108_dataframe_iterator_is_marked():
    assert_flags("from keras.preprocessing.image import DataFrameIterator\nclass It(DataFrameIterator):\n    pass\n", "KM108")


def test_km109_applications_and_renamed_module():
    assert_migrates(
        "from keras.applications.vgg16 import VGG16, preprocess_input\n"
        "from keras.applications.mobilenetv2 import MobileNetV2\n"
        "from keras.applications import ResNet50\n",
        "from tensorflow.keras.applications.vgg16 import VGG16, preprocess_input\n"
        "from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2\n"
        "from tensorflow.keras.applications import ResNet50\n",
    )


def test_km109_keras1_only_application_is_marked():
    assert_flags("from keras.applications.music_tagger_crnn import MusicTaggerCRNN\nm = MusicTaggerCRNN()\n", "KM109")


def test_km110_sklearn_wrapper_is_marked_with_the_replacement():
    output = assert_flags("from keras.wrappers.scikit_learn import KerasClassifier\nclf = KerasClassifier(build_fn=make)\n", "KM110")
    assert "scikeras" in output


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("from keras.callbacks import ModelCheckpoint, EarlyStopping\n",
         "from tensorflow.keras.callbacks import ModelCheckpoint, EarlyStopping\n"),
        ("from keras.callbacks.tensorboard_v1 import TensorBoard\n",
         "from tensorflow.keras.callbacks import TensorBoard\n"),
        ("from keras.optimizers import SGD, Adam\n", "from tensorflow.keras.optimizers import SGD, Adam\n"),
        ("from keras.regularizers import l2\n", "from tensorflow.keras.regularizers import l2\n"),
        ("from keras import initializations\n", "from tensorflow.keras import initializers as initializations\n"),
        ("from keras.objectives import categorical_crossentropy\n",
         "from tensorflow.keras.losses import categorical_crossentropy\n"),
        ("from keras.datasets import mnist, cifar10\n", "from tensorflow.keras.datasets import mnist, cifar10\n"),
        ("from keras import backend as K\n", "from tensorflow.keras import backend as K\n"),
        ("import keras.backend as K\n", "from tensorflow.keras import backend as K\n"),
        ("from keras.backend import tensorflow_backend as KTF\n",
         "from tensorflow.keras import backend as KTF\n"),
    ],
)  # fmt: skip
def test_km112_module_moves(before, after):
    result = run(before)
    assert result.status is Status.CHANGED
    assert result.output == after
    compile(after, "<after>", "exec")
    assert_second_run_is_noop(after)


def test_km117_backend_internal_name_is_marked():
    output = run("from keras.backend.tensorflow_backend import _get_available_gpus\nprint(_get_available_gpus())\n").output
    assert output.splitlines()[0] == (
        "from keras.backend.tensorflow_backend import _get_available_gpus  "
        "# kmigrate: KM117 `_get_available_gpus` has no tf.keras equivalent"
    )


def test_km117_theano_backend_is_marked():
    assert_flags("from keras.backend import theano_backend as T\ny = T.foo(x)\n", "KM117")


def test_km118_tensorflow_python_keras():
    diagnostics = assert_migrates(
        "from tensorflow.python.keras.layers import Dense\n",
        "from tensorflow.keras.layers import Dense\n",
    )
    assert rules_fired(diagnostics) == {"KM118"}


def test_km118_contrib_keras_attribute():
    assert_migrates(
        "import tensorflow as tf\nd = tf.contrib.keras.layers.Dense(3)\n",
        "import tensorflow as tf\nd = tf.keras.layers.Dense(3)\n",
    )


def test_km117_local_name_shadowing_an_import_is_left_alone():
    # `K` the parameter is not the backend; only the module-level use is Keras.
    output = run(
        """
        import keras.backend as K
        def scale(K, x):
            return K.image_dim_ordering(x)
        y = K.floatx()
        """
    ).output
    assert "def scale(K, x):\n    return K.image_dim_ordering(x)" in output
    assert "from tensorflow.keras import backend as K" in output


def test_km103_try_except_import_fallback():
    assert_migrates(
        """
        try:
            from keras.layers import Dense
        except ImportError:
            from tensorflow.keras.layers import Dense
        """,
        """
        try:
            from tensorflow.keras.layers import Dense
        except ImportError:
            from tensorflow.keras.layers import Dense
        """,
    )


def test_km105_imports_inside_functions():
    assert_migrates(
        """
        def build():
            from keras.models import Sequential
            return Sequential()
        """,
        """
        def build():
            from tensorflow.keras.models import Sequential
            return Sequential()
        """,
    )


def test_km101_select_and_ignore():
    code = "import keras\nfrom keras.layers.core import Dense\n"
    only_root = run(code, select=("KM101",)).output
    assert only_root == "from tensorflow import keras\nfrom keras.layers.core import Dense\n"
    without_root = run(code, ignore=("KM101",)).output
    assert without_root == "import keras\nfrom tensorflow.keras.layers import Dense\n"


def test_km103_ignore_comment_opts_a_line_out():
    code = "import keras  # kmigrate: ignore\nfrom keras.layers.core import Dense  # kmigrate: ignore[KM101]\n"
    assert run(code).output == (
        "import keras  # kmigrate: ignore\n"
        "from tensorflow.keras.layers import Dense  # kmigrate: ignore[KM101]\n"
    )


def test_km103_every_written_tensorflow_keras_name_exists():
    from kmigrate import keras_api

    code = """
    from keras.layers.core import Dense, Dropout, Activation, Flatten, Reshape, Permute, RepeatVector, Lambda, Masking
    from keras.layers.convolutional import Conv1D, Conv2D, Conv3D, Conv2DTranspose, SeparableConv2D, UpSampling2D, ZeroPadding2D, Cropping2D
    from keras.layers.pooling import MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling1D
    from keras.layers.recurrent import LSTM, GRU, SimpleRNN
    from keras.layers.normalization import BatchNormalization
    from keras.layers.embeddings import Embedding
    from keras.layers.advanced_activations import LeakyReLU, PReLU, ELU, ThresholdedReLU
    from keras.layers.merge import Concatenate, Add, Multiply, concatenate, add
    from keras.layers.wrappers import TimeDistributed, Bidirectional
    from keras.layers.noise import GaussianNoise, GaussianDropout
    from keras.models import Sequential, Model, load_model, model_from_json
    from keras.callbacks import ModelCheckpoint, EarlyStopping, ReduceLROnPlateau, CSVLogger, TensorBoard, LearningRateScheduler, Callback
    from keras.optimizers import SGD, Adam, RMSprop, Adagrad, Adadelta, Adamax, Nadam
    from keras.preprocessing.sequence import pad_sequences
    from keras.preprocessing.text import Tokenizer
    from keras.utils import to_categorical, plot_model, Sequence
    """
    output = run(code).output
    for line in output.splitlines():
        if line.startswith("from tensorflow.keras"):
            module = line.split()[1][len("tensorflow.keras") :].lstrip(".")
            names = line.split(" import ")[1].split(", ")
            for name in names:
                leaf = name.split(" as ")[0].strip()
                assert keras_api.exists(f"{module}.{leaf}".lstrip("."), "tf.keras"), (module, leaf)


def test_km103_keras1_merge_function_is_not_the_merge_module():
    # `from keras.layers import merge` is the Keras 1 function; its uses are another rule's.
    output = run("from keras.layers import Input, merge\n").output
    assert "layers as merge" not in output
    assert "from tensorflow.keras.layers import Input" in output


def test_km101_dotted_use_of_the_merge_module_is_shortened():
    assert_migrates(
        "import keras\nc = keras.layers.merge.Concatenate()\n",
        "from tensorflow import keras\nc = keras.layers.Concatenate()\n",
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("import keras_preprocessing.image\nx = keras_preprocessing.image.ImageDataGenerator()\n",
         "from tensorflow.keras import preprocessing as keras_preprocessing\n"
         "x = keras_preprocessing.image.ImageDataGenerator()\n"),
        ("import tensorflow.python.keras\nd = tensorflow.python.keras.layers.Dense(3)\n",
         "import tensorflow\nd = tensorflow.keras.layers.Dense(3)\n"),
    ],
)  # fmt: skip
def test_km108_unaliased_imports_of_other_legacy_roots(before, after):
    assert_migrates(before, after)


def test_km103_unused_import_of_a_name_that_no_longer_exists_is_removed():
    diagnostics = assert_migrates(
        "from keras.layers import Dense, Highway\nx = Dense(3)\n",
        "from tensorflow.keras.layers import Dense\nx = Dense(3)\n",
    )
    assert any(d.rule == "KM103" and d.fixed and "unused" in d.message for d in diagnostics)


def test_km103_unused_homeless_import_in_a_module_with_dunder_all_is_kept_and_marked():
    assert_flags("from keras.layers import Highway\n__all__ = ['Highway']\n", "KM103")


def test_km106_module_alias_is_kept_and_marked_when_it_is_used_for_names_tf_keras_lacks():
    output = assert_flags(
        """
        from keras.utils import conv_utils, np_utils
        k = conv_utils.normalize_tuple(3, 2, 'kernel_size')
        y = np_utils.to_categorical(t)
        """,
        "KM106",
    )
    assert "from tensorflow.keras import utils as np_utils" in output
    assert "from keras.utils import conv_utils  # kmigrate: KM106 `conv_utils.normalize_tuple` have no" in output


def test_km101_dotted_use_of_a_name_without_home_is_marked_at_the_use():
    output = assert_flags(
        """
        import keras
        x = keras.utils.generic_utils.func_dump(f)
        """,
        "KM106",
    )
    assert "x = keras.utils.generic_utils.func_dump(f)  # kmigrate: KM106" in output


def test_km108_unaliased_keras_preprocessing_used_for_missing_names_is_kept_and_marked():
    output = assert_flags(
        "import keras_preprocessing\nkeras_preprocessing.set_keras_submodules(backend=b)\n", "KM108"
    )
    assert output.startswith("import keras_preprocessing  # kmigrate: KM108")


def test_km101_module_dunders_are_not_marked():
    output = run("import keras\nname = keras.__name__\n").output
    assert "kmigrate:" not in output


def test_km103_an_import_a_rewrite_needs_is_not_added_twice():
    output = run(
        """
        from keras.layers import Input, merge
        from tensorflow.keras.layers import Concatenate
        a, b = Input((2,)), Input((2,))
        c = merge([a, b], mode='concat')
        d = merge([a, b], mode='concat')
        """
    ).output
    assert output == (
        "\nfrom tensorflow.keras.layers import Input\n"
        "from tensorflow.keras.layers import Concatenate\n"
        "a, b = Input((2,)), Input((2,))\n"
        "c = Concatenate()([a, b])\n"
        "d = Concatenate()([a, b])\n"
    )


def test_km103_an_import_still_used_in_an_except_branch_is_kept():
    output = run(
        """
        from keras.layers import Highway
        try:
            layer = None
        except ImportError:
            layer = Highway()
        """
    ).output
    assert "from keras.layers import Highway  # kmigrate: KM103" in output


def test_km107_renamed_name_used_through_a_star_import_gets_its_new_name():
    assert_migrates(
        "from keras.utils.visualize_util import *\nplot(model, 'm.png')\n",
        "from tensorflow.keras.utils import *\nfrom tensorflow.keras.utils import plot_model\n"
        "plot_model(model, 'm.png', show_layer_names=True)\n",
    )


def test_km107_star_imported_names_that_kept_their_name_and_attribute_names_are_untouched():
    assert_migrates(
        "from keras.utils.visualize_util import *\nx = Dense(3)\nobj.plot(1)\nf(plot=2)\n",
        "from tensorflow.keras.utils import *\nx = Dense(3)\nobj.plot(1)\nf(plot=2)\n",
    )


def test_km117_tf_and_np_imported_from_the_backend_become_plain_imports():
    # PSPNet ports: `from keras.backend import tf as ktf` (the TensorFlow backend's own tensorflow)
    assert_migrates(
        "from keras.backend import tf as ktf\n\n\ndef interp(x, size):\n    return ktf.image.resize(x, size)\n",
        "import tensorflow as ktf\n\n\ndef interp(x, size):\n    return ktf.image.resize(x, size)\n",
    )
    # np.ones is NumPy's, not the backend's K.ones
    assert_migrates(
        "from keras.backend import tf, floatx\nfrom keras.backend.tensorflow_backend import np\n"
        "print(tf.zeros(2), floatx(), np.ones(2))\n",
        "from tensorflow.keras.backend import floatx\nimport tensorflow as tf\nimport numpy as np\n"
        "print(tf.zeros(2), floatx(), np.ones(2))\n",
    )
