"""Tests of ``kmigrate/rules/training/metric_keys.py``: Metric names as history/log keys (``'acc'`` -> ``'accuracy'``, ``'lr'``), the callbacks'
``monitor=`` and ``metrics_names``."""

from tests.helpers import assert_flags, assert_migrates
from tests.rules.training.cases import HEAD, NEW


def test_km330_history_acc_keys_follow_compile_spelling():
    before = HEAD + (
        "model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
        "history = model.fit(x, y, validation_data=(x, y))\n"
        "print(history.history['acc'], history.history['val_acc'])\n"
        "result = {'acc': history.history['acc']}\n"
    )
    after = NEW + (
        "model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
        "history = model.fit(x, y, validation_data=(x, y))\n"
        "print(history.history['accuracy'], history.history['val_accuracy'])\n"
        "result = {'acc': history.history['accuracy']}\n"
    )
    assert_migrates(before, after)


def test_km330_history_acc_keys_unknown_spelling_is_marked():
    assert_flags(HEAD + "def report(history):\n    return history.history['val_acc']\n", "KM330")


def test_km330_monitor_and_checkpoint_keys():
    assert_migrates(
        "from keras.callbacks import EarlyStopping, ModelCheckpoint\n"
        "model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
        "cbs = [EarlyStopping(monitor='val_acc'), ModelCheckpoint('w-{val_acc:.2f}.h5', 'val_acc')]\n",
        "from tensorflow.keras.callbacks import EarlyStopping, ModelCheckpoint\n"
        "model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
        "cbs = [EarlyStopping(monitor='val_accuracy'), ModelCheckpoint('w-{val_accuracy:.2f}.h5', 'val_accuracy')]\n",
    )


def test_km330_logs_get_and_in():
    assert_migrates(
        "from keras.callbacks import Callback\nmodel.compile('sgd', 'categorical_crossentropy', metrics=['accuracy'])\n"
        "def on_epoch_end(epoch, logs):\n    if 'val_acc' in logs:\n        print(logs.get('val_acc'))\n",
        "from tensorflow.keras.callbacks import Callback\nmodel.compile('sgd', 'categorical_crossentropy', metrics=['accuracy'])\n"
        "def on_epoch_end(epoch, logs):\n    if 'val_accuracy' in logs:\n        print(logs.get('val_accuracy'))\n",
    )


def test_km330_mae_key_follows_compile_spelling():
    assert_migrates(
        HEAD + "model.compile('sgd', 'mean_squared_error', metrics=['mae'])\nh = model.fit(x, y)\nprint(h.history['mean_absolute_error'])\n",
        NEW + "model.compile('sgd', 'mean_squared_error', metrics=['mae'])\nh = model.fit(x, y)\nprint(h.history['mae'])\n",
    )


def test_km331_history_lr_key():
    assert_migrates(HEAD + "print(history.history['lr'])\n", NEW + "print(history.history['learning_rate'])\n")
