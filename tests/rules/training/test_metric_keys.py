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


def test_km330_keys_of_metric_ids_km384_renames_follow_the_new_id():
    # Keras 3 logs a string metric under the id compile passes: after KM384 renamed
    # 'crossentropy' (legacy key 'ce'), 'kullback_leibler_divergence' and 'logcosh', the legacy
    # keys raised KeyError (fixture metric_ids_positional_compile, under genuine Keras 2.2.4).
    before = HEAD + (
        "model.compile('sgd', 'categorical_crossentropy', ['crossentropy', 'kullback_leibler_divergence', 'logcosh'])\n"
        "h = model.fit(x, y, validation_data=(x, y))\n"
        "print(h.history['ce'], h.history['val_ce'], h.history['kullback_leibler_divergence'], h.history['logcosh'])\n"
    )
    after = NEW + (
        "model.compile('sgd', 'categorical_crossentropy', metrics=['categorical_crossentropy', 'kl_divergence', 'log_cosh_error'])\n"
        "h = model.fit(x, y, validation_data=(x, y))\n"
        "print(h.history['categorical_crossentropy'], h.history['val_categorical_crossentropy'], h.history['kl_divergence'], h.history['log_cosh_error'])\n"
    )
    assert_migrates(before, after)


def test_km330_ce_key_kept_when_the_loss_is_not_a_literal_crossentropy():
    # KM384 marks 'ce' here instead of renaming it, so its key has no known Keras 3 name.
    code = HEAD + (
        "model.compile('sgd', my_loss, metrics=['ce'])\n"
        "h = model.fit(x, y)\n"
        "print(h.history['ce'])\n"
    )
    output = assert_flags(code, "KM384")
    assert "h.history['ce']" in output


def test_km330_keras_2_3_logged_the_spelling_so_only_renamed_ids_change():
    before = HEAD + (
        "model.compile('sgd', 'categorical_crossentropy', metrics=['crossentropy', 'logcosh', 'mae'])\n"
        "h = model.fit(x, y)\n"
        "print(h.history['crossentropy'], h.history['logcosh'], h.history['mae'])\n"
    )
    after = NEW + (
        "model.compile('sgd', 'categorical_crossentropy', metrics=['categorical_crossentropy', 'log_cosh_error', 'mae'])\n"
        "h = model.fit(x, y)\n"
        "print(h.history['categorical_crossentropy'], h.history['log_cosh_error'], h.history['mae'])\n"
    )
    assert_migrates(before, after, from_version="2.3.1")
