"""KM381-KM385: loss and metric names."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged


def test_long_loss_import_keeps_local_name():
    assert_migrates(
        "from keras.losses import mean_squared_error\nloss = mean_squared_error\n",
        "from tensorflow.keras.losses import mse as mean_squared_error\nloss = mean_squared_error\n",
    )


def test_long_loss_attribute():
    assert_migrates(
        "from keras import losses\nloss = {'value': losses.mean_absolute_error}\n",
        "from tensorflow.keras import losses\nloss = {'value': losses.mae}\n",
    )


def test_long_name_on_tf_keras_code():
    assert_migrates(
        "from tensorflow.keras.metrics import mean_squared_error\n",
        "from tensorflow.keras.metrics import mse as mean_squared_error\n",
    )


def test_loss_ids():
    assert_migrates(
        "import keras\nmodel = keras.models.Sequential()\n"
        "model.compile(optimizer='sgd', loss='logcosh')\nmodel.compile('sgd', {'a': 'mse', 'b': 'cosine_proximity'})\n",
        "from tensorflow import keras\nmodel = keras.models.Sequential()\nmodel.compile(optimizer='sgd', loss='log_cosh')\n"
        "model.compile('sgd', {'a': 'mean_squared_error', 'b': 'cosine_similarity'})\n",
    )


def test_compile_ids_untouched_on_receivers_that_are_not_keras():
    rest = "pattern = re.compile('mse')\nclass Job:\n    def compile(self, *args):\n        pass\nJob().compile('sgd', 'logcosh')\n"
    assert_migrates("import re\nimport keras\n" + rest, "import re\nfrom tensorflow import keras\n" + rest)


def test_metric_ids():
    assert_migrates(
        "import keras\nmodel.compile('sgd', 'categorical_crossentropy', metrics=['kld', 'crossentropy'])\n",
        "from tensorflow import keras\nmodel.compile('sgd', 'categorical_crossentropy', metrics=['kl_divergence', 'categorical_crossentropy'])\n",
    )


def test_cosine_metric_is_marked():
    assert_flags("import keras\nmodel.compile('sgd', 'mean_squared_error', metrics=['cosine'])\n", "KM382")


def test_accuracy_function():
    assert_migrates(
        "from keras.metrics import accuracy\nmodel.compile('sgd', 'mean_squared_error', metrics=[accuracy])\n",
        "from tensorflow.keras.metrics import Accuracy\nmodel.compile('sgd', 'mean_squared_error', metrics=[Accuracy()])\n",
    )


def test_unrelated_compile_unchanged():
    assert_unchanged("import re\npattern = re.compile('mse')\nx.compile('sgd', 'mse')\n")
