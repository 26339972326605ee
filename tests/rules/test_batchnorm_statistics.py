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


# -- keras.applications networks that contain BatchNormalization --------------------------------
APP = (
    "from keras.applications import ResNet50, VGG16\nfrom keras.models import Model, Sequential\n"
    "from keras.layers import Dense, GlobalAveragePooling2D\n\n"
    "base = ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))\n"
    "head = Dense(2, activation='softmax')(GlobalAveragePooling2D()(base.output))\n"
    "model = Model(inputs=base.input, outputs=head)\n"
)
COMPILE = "model.compile(optimizer='sgd', loss='categorical_crossentropy')\n"
FIT = "model.fit(x, y, epochs=1)\n"


FROZEN = "KM613 frozen BatchNorm: legacy fit normalized with batch statistics"
ZERO_DEBIAS = "lost zero-debias"


def test_km613_application_frozen_whole_before_compile_gets_the_frozen_marker():
    # Legacy BatchNormalization.call ignored trainable: while fitting, a frozen base was normalized
    # with each batch's statistics; Keras 3 uses the moving ones (measured under genuine Keras 2.2.4
    # with a frozen MobileNet base: other losses from the first epoch). Its statistics stay equal,
    # so the zero-debias marker is not the one.
    for freeze in ("for layer in base.layers:\n    layer.trainable = False\n", "base.trainable = False\n"):
        out = assert_flags(APP + freeze + COMPILE + FIT, "KM613")
        assert FROZEN in out and ZERO_DEBIAS not in out


def test_km613_frozen_marker_whatever_the_version():
    # every legacy release (2.1.6, 2.2.4, 2.3.1 checked) normalized frozen layers so
    out = assert_flags(APP + "base.trainable = False\n" + COMPILE + FIT, "KM613", from_version="2.3.1")
    assert FROZEN in out
    assert "KM613" not in _output(APP + COMPILE + FIT, from_version="2.3.1")


def test_km613_application_without_batchnorm_not_marked():
    code = APP.replace("base = ResNet50(", "base = VGG16(")
    assert "KM613" not in _output(code + COMPILE + FIT)


def test_km613_tf_keras_application_not_marked():
    code = (
        "from tensorflow.keras.applications import ResNet50\n"
        "model = ResNet50(weights=None)\nmodel.compile(optimizer='sgd', loss='mse')\nmodel.fit(x, y)\n"
    )
    assert "KM613" not in _output(code)


def test_km613_fine_tuned_application_marked_once():
    out = assert_flags(APP + COMPILE + FIT + FIT, "KM613")
    assert out.count("KM613") == 1


def test_km613_application_partly_frozen_or_unfrozen_later_marked():
    partly = APP + "for layer in base.layers[:100]:\n    layer.trainable = False\n" + COMPILE + FIT
    assert_flags(partly, "KM613")
    unfrozen = (APP + "for layer in base.layers:\n    layer.trainable = False\n" + COMPILE + FIT
                + "for layer in model.layers[150:]:\n    layer.trainable = True\n" + COMPILE + FIT)
    assert_flags(unfrozen, "KM613")


def test_km613_application_frozen_after_compile_marked():
    # legacy Keras reads trainable at compile(): a freeze after it does not stop the updates
    assert_flags(APP + COMPILE + "base.trainable = False\n" + FIT, "KM613")


def test_km613_application_inside_sequential_marked():
    code = (
        "from keras.applications.mobilenet import MobileNet\nfrom keras.models import Sequential\n"
        "from keras.layers import Dense, Flatten\n\n"
        "model = Sequential([MobileNet(weights=None, include_top=False, input_shape=(64, 64, 3)), Flatten(), Dense(2)])\n"
        + COMPILE + FIT
    )
    assert_flags(code, "KM613")


def test_km613_application_as_a_frozen_layer_of_a_sequential_gets_the_frozen_marker():
    # the Kaggle course idiom: Sequential().add(ResNet50(...)); model.layers[0].trainable = False
    head = (
        "from keras.applications import ResNet50\nfrom keras.models import Sequential\nfrom keras.layers import Dense\n\n"
    )
    added = head + "model = Sequential()\nmodel.add(ResNet50(include_top=False, pooling='avg', weights=None))\n" \
        "model.add(Dense(2, activation='softmax'))\nmodel.layers[0].trainable = False\n" + COMPILE + FIT
    assert FROZEN in _output(added)
    listed = head + "model = Sequential([ResNet50(include_top=False, pooling='avg', weights=None), Dense(2)])\n" \
        "model.layers[0].trainable = False\n" + COMPILE + FIT
    assert FROZEN in _output(listed)
    assert ZERO_DEBIAS in assert_flags(listed.replace("model.layers[0].trainable", "model.layers[1].trainable"), "KM613")


def test_km613_loops_over_layers_with_compound_statements_or_one_line():
    # a `for layer in model.layers:` body with an `if` crashed the scan (review corpus 4 fixture)
    code = APP + (
        "for layer in model.layers:\n    if layer.name.startswith('res'):\n        continue\n"
        "    layer.trainable = False\n" + COMPILE + FIT
    )
    assert run(code).status.name != "ERROR"
    one_line = APP + "for layer in base.layers: layer.trainable = False\n" + COMPILE + FIT
    assert "re-validate predictions" not in _output(one_line)
