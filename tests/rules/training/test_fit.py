"""Tests of ``kmigrate/rules/training/fit.py``: ``fit`` and the generator methods: ``fit_generator`` & co. -> ``fit``/``evaluate``/``predict``,
Keras 1 ``nb_epoch``/``samples_per_epoch`` -> ``epochs``/``steps_per_epoch``, dropped ``workers`` arguments."""

from tests.helpers import assert_flags, assert_migrates, rules_fired
from tests.rules.training.cases import HEAD, NEW


def test_km230_nb_epoch():
    assert_migrates(HEAD + "model.fit(X, y, batch_size=32, nb_epoch=10)\n", NEW + "model.fit(X, y, batch_size=32, epochs=10)\n")


def test_km324_fit_generator_positionals_keywordized():
    assert_migrates(
        HEAD + "h = model.fit_generator(gen, 8, 3, verbose=0, workers=4, use_multiprocessing=True)\n",
        NEW + "h = model.fit(gen, steps_per_epoch=8, epochs=3, verbose=0)\n", ignore=("KM614",),
    )


def test_km322_evaluate_and_predict_generator():
    assert_migrates(
        HEAD + "s = model.evaluate_generator(gen, 8)\np = model.predict_generator(gen, 5, verbose=1)\n",
        NEW + "s = model.evaluate(gen, steps=8)\np = model.predict(gen, steps=5, verbose=1)\n",
    )


def test_km321_generator_keyword_becomes_x():
    assert_migrates(
        HEAD + "model.fit_generator(generator=gen, steps_per_epoch=10)\n",
        NEW + "model.fit(x=gen, steps_per_epoch=10)\n",
    )


def test_km223_keras1_samples_per_epoch_with_flow_batch_size():
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


def test_km223_keras1_samples_literal_and_default_flow_batch():
    assert_migrates(
        HEAD + "model.fit_generator(datagen.flow(x, y), samples_per_epoch=6400, nb_epoch=10)\n",
        NEW + "model.fit(datagen.flow(x, y), steps_per_epoch=200, epochs=10)\n",
    )


def test_km223_keras1_version_converts_validation_samples():
    assert_migrates(
        HEAD + "flow = datagen.flow(x, y, batch_size=32)\n"
        "model.fit_generator(flow, samples_per_epoch=640, nb_epoch=1, validation_data=flow, nb_val_samples=100)\n",
        NEW + "flow = datagen.flow(x, y, batch_size=32)\n"
        "model.fit(flow, steps_per_epoch=20, epochs=1, validation_data=flow, validation_steps=4)\n",
        from_version="1.2.2",
    )


def test_km223_samples_per_epoch_unknown_batch_size_is_marked():
    out = assert_flags(HEAD + "model.fit_generator(gen, samples_per_epoch=640, nb_epoch=2)\n", "KM223")
    assert "model.fit(gen, steps_per_epoch=640, epochs=2)" in out


def test_km223_samples_per_epoch_plain_generator_is_marked():
    assert_flags(
        HEAD + "def batches():\n    while True:\n        yield 1, 2\n\n"
        "model.fit_generator(batches(), samples_per_epoch=64, nb_epoch=2)\n",
        "KM223",
    )


def test_km324_worker_args_dropped_from_fit():
    assert_migrates(
        HEAD + "model.fit(seq, epochs=3, workers=4, use_multiprocessing=True, max_queue_size=10)\n",
        NEW + "model.fit(seq, epochs=3)\n", ignore=("KM614",),
    )


def test_km230_history_acc_keys_unchanged_with_acc_spelling():
    assert_migrates(
        HEAD + "model.compile(loss='mse', optimizer='sgd', metrics=['acc'])\nh = model.fit(x, y, nb_epoch=1)\nprint(h.history['acc'])\n",
        NEW + "model.compile(loss='mean_squared_error', optimizer='sgd', metrics=['acc'])\nh = model.fit(x, y, epochs=1)\nprint(h.history['acc'])\n",
    )


def test_km231_default_epochs_keras1():
    assert_migrates(HEAD + "model.fit(X, y)\n", NEW + "model.fit(X, y, epochs=10)\n", from_version="1.2.2")


def test_km231_default_epochs_keras_2_0_sequential():
    assert_migrates(
        HEAD + "model.fit(X, y)\n", NEW + "model.fit(X, y, epochs=10)\n",
        from_version="2.0.8",
    )
