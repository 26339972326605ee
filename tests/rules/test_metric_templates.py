"""KM605: templates formatted with the logs dict follow the metric's tf.keras name."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run
from tests.test_rule_examples import assert_documented_example

HEAD = (
    "from keras.models import Sequential\nfrom keras.layers import Dense\n"
    "from keras.callbacks import Callback, ModelCheckpoint\n"
    "model = Sequential([Dense(1, input_dim=2)])\n"
    "model.compile(loss='mean_squared_error', optimizer='sgd', metrics=['accuracy'])\n"
)
NEW = HEAD.replace("from keras.", "from tensorflow.keras.")
CALLBACK = "class Show(Callback):\n    def on_epoch_end(self, epoch, logs=None):\n        print({})\n"


def test_km605_other_strings_untouched():
    assert_unchanged(
        NEW + "path = 'run-{val_acc}.txt'\nprint(path.format(val_acc=1))\n"
        "class Show(Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
        "        print('{val_acc}'.format(**other))\n"
    )


def test_km605_not_in_classes_that_are_not_callbacks():
    assert_unchanged(
        "import logging\nclass Show(object):\n    def on_epoch_end(self, epoch, logs=None):\n"
        "        print('{val_acc}'.format(**logs))\n"
    )


def test_km605_path_variable_with_other_uses_unchanged():
    result = run(HEAD + "p = 'w-{val_acc:.2f}.keras'\ncb = ModelCheckpoint(p)\nprint(p)\n")
    assert "'w-{val_acc:.2f}.keras'" in result.output
    assert "KM605" not in {d.rule for d in result.diagnostics}


def test_km605_already_migrated():
    assert_unchanged(NEW + "p = 'w-{val_accuracy:.2f}.keras'\ncb = ModelCheckpoint(p)\n")


def test_km605_checkpoint_path_variable():
    assert_migrates(
        HEAD + "p = 'w-{epoch:02d}-{val_acc:.2f}.keras'\ncb = ModelCheckpoint(p, monitor='val_loss')\n",
        NEW + "p = 'w-{epoch:02d}-{val_accuracy:.2f}.keras'\ncb = ModelCheckpoint(p, monitor='val_loss')\n",
    )


def test_km605_format_with_logs_in_callback():
    assert_migrates(
        HEAD + CALLBACK.format("'{} {{x}} {acc:.3f} {val_acc!r:>8}'.format(epoch, **logs)"),
        NEW + CALLBACK.format("'{} {{x}} {accuracy:.3f} {val_accuracy!r:>8}'.format(epoch, **logs)"),
    )


def test_km605_percent_with_logs_in_callback():
    assert_migrates(
        HEAD + CALLBACK.format("'%(val_acc).3f %%(acc)s' % logs"),
        NEW + CALLBACK.format("'%(val_accuracy).3f %%(acc)s' % logs"),
    )


def test_km605_unknown_spelling_marked():
    code = (
        "from keras.callbacks import Callback\n"
        "class Show(Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
        "        print('{val_acc}'.format(**logs))\n"
    )
    assert_flags(code, "KM605")


def test_km605_documented_example():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM605")
