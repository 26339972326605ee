"""KM613: BatchNormalization moving statistics lost their zero-debiasing."""

import subprocess
import sys

from kmigrate.rules.batchnorm_statistics import RULES
from tests.helpers import assert_flags, assert_unchanged, run

HEAD = "from keras.models import Sequential\nfrom keras.layers import Dense, BatchNormalization\n\n"
MODEL = "model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(), Dense(1)])\n"


def _output(code: str, **settings) -> str:
    return run(code, **settings).output or code


# -- no-op cases -------------------------------------------------------------------------------
def test_km613_tf_keras_batchnorm_unchanged():
    assert_unchanged(
        "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import BatchNormalization\n"
        "model = Sequential([BatchNormalization()])\nmodel.fit(x, y)\n"
    )


def test_km613_not_trained_not_marked():
    assert "KM613" not in _output(HEAD + MODEL + "y = model.predict(x)\n")


def test_km613_no_batchnorm_not_marked():
    code = "from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential([Dense(1)])\nmodel.fit(x, y)\n"
    assert "KM613" not in _output(code)


def test_km613_known_version_outside_window_not_marked():
    code = HEAD + MODEL + "model.fit(x, y)\n"
    assert "KM613" not in _output(code, from_version="2.3.1")
    assert "KM613" not in _output(code, from_version="2.1.2")
    assert "KM613" not in _output(code, from_version="1.2.2")


def test_km613_project_class_fit_not_marked():
    code = HEAD + "layer = BatchNormalization()\n\nclass Trainer:\n    def fit(self, x):\n        pass\n\nTrainer().fit(x)\n"
    assert "KM613" not in _output(code)


# -- markers -----------------------------------------------------------------------------------
def test_km613_rule_example_marks():
    out = subprocess.run([sys.executable, "-m", "kmigrate", "--select", "KM613", "-"],
                         input=RULES[0].before, capture_output=True, text=True).stdout
    assert RULES[0].after in out


def test_km613_marked_once_per_model_with_assumed_version():
    out = assert_flags(HEAD + MODEL + "model.fit(x, y)\nmodel.fit(x, y)\nmodel.train_on_batch(x, y)\n", "KM613")
    assert out.count("KM613") == 1
    assert "(assumed 2.2.4)" in out


def test_km613_known_version_named():
    out = assert_flags(HEAD + MODEL + "model.fit_generator(gen, 10)\n", "KM613", from_version="2.1.6")
    assert "(Keras 2.1.6)" in out
