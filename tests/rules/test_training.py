"""KM223, KM230, KM231, KM321-KM331: fit, generator methods, predict_classes, metric keys."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, rules_fired

HEAD = "from keras.models import Sequential\nmodel = Sequential()\n"
NEW = "from tensorflow.keras.models import Sequential\nmodel = Sequential()\n"


def test_nb_epoch():
    assert_migrates(HEAD + "model.fit(X, y, batch_size=32, nb_epoch=10)\n", NEW + "model.fit(X, y, batch_size=32, epochs=10)\n")


def test_fit_generator_positionals_keywordized():
    assert_migrates(
        HEAD + "h = model.fit_generator(gen, 8, 3, verbose=0, workers=4, use_multiprocessing=True)\n",
        NEW + "h = model.fit(gen, steps_per_epoch=8, epochs=3, verbose=0)\n", ignore=("KM614",),
    )


def test_evaluate_and_predict_generator():
    assert_migrates(
        HEAD + "s = model.evaluate_generator(gen, 8)\np = model.predict_generator(gen, 5, verbose=1)\n",
        NEW + "s = model.evaluate(gen, steps=8)\np = model.predict(gen, steps=5, verbose=1)\n",
    )


def test_generator_keyword_becomes_x():
    assert_migrates(
        HEAD + "model.fit_generator(generator=gen, steps_per_epoch=10)\n",
        NEW + "model.fit(x=gen, steps_per_epoch=10)\n",
    )


def test_keras1_samples_per_epoch_with_flow_batch_size():
    before = HEAD + (
        "def train(model, x, y, datagen):\n"
        "    flow = datagen.flow(x, y, batch_size=12, shuffle=False)\n"
        "    model.fit_generator(flow, samples_per_epoch=len(x), nb_epoch=2, validation_data=flow,\n"
        "                        nb_val_samples=24, nb_worker=2, pickle_safe=True, max_q_size=4)\n"
    )
    after = NEW + (
        "def train(model, x, y, datagen):\n"
        "    flow = datagen.flow(x, y, batch_size=12, shuffle=False)\n"
        "    model.fit(flow, steps_per_epoch=len(x) // 12, epochs=2, validation_data=flow,\n"
        "                        validation_steps=24)\n"
    )
    assert {"KM223", "KM321", "KM324"} <= rules_fired(assert_migrates(before, after, ignore=("KM614",)))


def test_keras1_samples_literal_and_default_flow_batch():
    assert_migrates(
        HEAD + "model.fit_generator(datagen.flow(x, y), samples_per_epoch=6400, nb_epoch=10)\n",
        NEW + "model.fit(datagen.flow(x, y), steps_per_epoch=200, epochs=10)\n",
    )


def test_keras1_version_converts_validation_samples():
    assert_migrates(
        HEAD + "flow = datagen.flow(x, y, batch_size=32)\n"
        "model.fit_generator(flow, samples_per_epoch=640, nb_epoch=1, validation_data=flow, nb_val_samples=100)\n",
        NEW + "flow = datagen.flow(x, y, batch_size=32)\n"
        "model.fit(flow, steps_per_epoch=20, epochs=1, validation_data=flow, validation_steps=4)\n",
        from_version="1.2.2",
    )


def test_samples_per_epoch_unknown_batch_size_is_marked():
    out = assert_flags(HEAD + "model.fit_generator(gen, samples_per_epoch=640, nb_epoch=2)\n", "KM223")
    assert "model.fit(gen, steps_per_epoch=640, epochs=2)" in out


def test_samples_per_epoch_plain_generator_is_marked():
    assert_flags(
        HEAD + "def batches():\n    while True:\n        yield 1, 2\n\n"
        "model.fit_generator(batches(), samples_per_epoch=64, nb_epoch=2)\n",
        "KM223",
    )


def test_worker_args_dropped_from_fit():
    assert_migrates(
        HEAD + "model.fit(seq, epochs=3, workers=4, use_multiprocessing=True, max_queue_size=10)\n",
        NEW + "model.fit(seq, epochs=3)\n", ignore=("KM614",),
    )


def test_predict_classes_softmax_model():
    assert_migrates(
        HEAD + "from keras.layers import Dense, Activation\n\n"
        "def probe(x):\n    model = Sequential()\n    model.add(Dense(3, input_dim=4))\n"
        "    model.add(Activation('softmax'))\n    return model.predict_classes(x)\n",
        NEW + "from tensorflow.keras.layers import Dense, Activation\n\n"
        "def probe(x):\n    model = Sequential()\n    model.add(Dense(3, input_dim=4))\n"
        "    model.add(Activation('softmax'))\n    return model.predict(x, verbose=0).argmax(axis=-1)\n",
    )


def test_predict_classes_single_unit_through_builder_function():
    assert_migrates(
        HEAD + "from keras.layers import Dense\n\n"
        "def build():\n    m = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n    return m\n\n"
        "def probe(x):\n    binary = build()\n    return binary.predict_classes(x, verbose=0)\n",
        NEW + "from tensorflow.keras.layers import Dense\n\n"
        "def build():\n    m = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n    return m\n\n"
        "def probe(x):\n    binary = build()\n    return (binary.predict(x, verbose=0) > 0.5).astype('int32')\n",
    )


def test_predict_classes_unknown_model_uses_runtime_choice():
    assert_migrates(
        HEAD + "def probe(model, x):\n    return model.predict_classes(x, batch_size=16)\n",
        NEW + "def probe(model, x):\n    return (lambda p: p.argmax(axis=-1) if p.shape[-1] > 1 else "
        "(p > 0.5).astype('int32'))(model.predict(x, batch_size=16, verbose=0))\n",
    )


def test_predict_proba():
    assert_migrates(HEAD + "p = model.predict_proba(x, batch_size=32)\n", NEW + "p = model.predict(x, batch_size=32, verbose=0)\n")


def test_history_acc_keys_follow_compile_spelling():
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


def test_history_acc_keys_unchanged_with_acc_spelling():
    assert_migrates(
        HEAD + "model.compile(loss='mse', optimizer='sgd', metrics=['acc'])\nh = model.fit(x, y, nb_epoch=1)\nprint(h.history['acc'])\n",
        NEW + "model.compile(loss='mean_squared_error', optimizer='sgd', metrics=['acc'])\nh = model.fit(x, y, epochs=1)\nprint(h.history['acc'])\n",
    )


def test_history_acc_keys_unknown_spelling_is_marked():
    assert_flags(HEAD + "def report(history):\n    return history.history['val_acc']\n", "KM330")


def test_monitor_and_checkpoint_keys():
    assert_migrates(
        "from keras.callbacks import EarlyStopping, ModelCheckpoint\n"
        "model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
        "cbs = [EarlyStopping(monitor='val_acc'), ModelCheckpoint('w-{val_acc:.2f}.h5', 'val_acc')]\n",
        "from tensorflow.keras.callbacks import EarlyStopping, ModelCheckpoint\n"
        "model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
        "cbs = [EarlyStopping(monitor='val_accuracy'), ModelCheckpoint('w-{val_accuracy:.2f}.h5', 'val_accuracy')]\n",
    )


def test_logs_get_and_in():
    assert_migrates(
        "from keras.callbacks import Callback\nmodel.compile('sgd', 'categorical_crossentropy', metrics=['accuracy'])\n"
        "def on_epoch_end(epoch, logs):\n    if 'val_acc' in logs:\n        print(logs.get('val_acc'))\n",
        "from tensorflow.keras.callbacks import Callback\nmodel.compile('sgd', 'categorical_crossentropy', metrics=['accuracy'])\n"
        "def on_epoch_end(epoch, logs):\n    if 'val_accuracy' in logs:\n        print(logs.get('val_accuracy'))\n",
    )


def test_mae_key_follows_compile_spelling():
    assert_migrates(
        HEAD + "model.compile('sgd', 'mean_squared_error', metrics=['mae'])\nh = model.fit(x, y)\nprint(h.history['mean_absolute_error'])\n",
        NEW + "model.compile('sgd', 'mean_squared_error', metrics=['mae'])\nh = model.fit(x, y)\nprint(h.history['mae'])\n",
    )


def test_keys_unchanged_for_keras_2_3():
    assert_unchanged(
        "from tensorflow.keras.models import Sequential\nmodel.compile('sgd', 'binary_crossentropy', metrics=['accuracy'])\n"
        "print(history.history['acc'])\n",
        from_version="2.3.1",
    )


def test_history_lr_key():
    assert_migrates(HEAD + "print(history.history['lr'])\n", NEW + "print(history.history['learning_rate'])\n")


def test_reset_metrics_and_sample_weight_mode():
    assert_migrates(
        HEAD + "model.compile('sgd', 'binary_crossentropy', ['accuracy'], sample_weight_mode='temporal')\n"
        "model.train_on_batch(x, y, reset_metrics=True)\n",
        NEW + "model.compile('sgd', 'binary_crossentropy', metrics=['accuracy'])\n"
        "model.train_on_batch(x, y)\n",
    )


def test_target_tensors_and_metrics_names_are_marked():
    assert_flags(HEAD + "model.compile('sgd', 'binary_crossentropy', target_tensors=[t])\n", "KM329")
    assert_flags(HEAD + "print(dict(zip(model.metrics_names, scores)))\n", "KM327")


def test_default_epochs_keras1():
    assert_migrates(HEAD + "model.fit(X, y)\n", NEW + "model.fit(X, y, epochs=10)\n", from_version="1.2.2")


def test_default_epochs_keras_2_0_sequential():
    assert_migrates(
        HEAD + "model.fit(X, y)\n", NEW + "model.fit(X, y, epochs=10)\n",
        from_version="2.0.8",
    )


def test_non_keras_code_unchanged():
    assert_unchanged("import sklearn\nclf.fit(X, y, nb_epoch=3)\nclf.fit_generator(g, 10, 2)\nclf.predict_classes(x)\n")


def test_already_migrated_unchanged():
    assert_unchanged(
        "from tensorflow.keras.models import Sequential\nmodel.fit(gen, steps_per_epoch=8, epochs=3)\n"
        "print(history.history['accuracy'])\n"
    )


def test_predict_classes_rewrites_match_the_keras_2_body():
    import numpy as np
    import pytest

    tf = pytest.importorskip("tensorflow")
    from tests.helpers import migrated

    def legacy_predict_classes(model, x):  # keras/engine/sequential.py, 2.2.4
        proba = model.predict(x, batch_size=32, verbose=0)
        return proba.argmax(axis=-1) if proba.shape[-1] > 1 else (proba > 0.5).astype("int32")

    code = migrated(
        "from keras.models import Sequential\nfrom keras.layers import Dense\n\n"
        "def softmax_model():\n    m = Sequential()\n    m.add(Dense(3, activation='softmax', input_dim=4))\n    return m\n\n"
        "def sigmoid_model():\n    m = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n    return m\n\n"
        "def classes(x):\n    a = softmax_model()\n    b = sigmoid_model()\n"
        "    return a, b, a.predict_classes(x), b.predict_classes(x)\n\n"
        "def any_model(model, x):\n    return model.predict_classes(x)\n"
    )
    assert "predict_classes" not in code
    namespace: dict = {}
    exec(code, namespace)
    x = np.random.RandomState(3).randn(20, 4).astype("float32")
    tf.keras.utils.set_random_seed(1)
    a, b, got_a, got_b = namespace["classes"](x)
    for model, got in ((a, got_a), (b, got_b)):
        expected = legacy_predict_classes(model, x)
        assert got.dtype == expected.dtype and np.array_equal(got, expected)
        runtime = namespace["any_model"](model, x)
        assert runtime.dtype == expected.dtype and np.array_equal(runtime, expected)
