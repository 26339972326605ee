"""Tests of ``kmigrate/rules/training/model_methods.py``: ``predict_classes`` / ``predict_proba``, ``train_on_batch(reset_metrics=)`` and Keras 1 ``compile`` arguments."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run
from tests.rules.training.cases import HEAD, NEW


def test_km325_predict_classes_softmax_model():
    assert_migrates(
        HEAD + "from keras.layers import Dense, Activation\n\n"
        "def probe(x):\n    model = Sequential()\n    model.add(Dense(3, input_dim=4))\n"
        "    model.add(Activation('softmax'))\n    return model.predict_classes(x)\n",
        NEW + "from tensorflow.keras.layers import Dense, Activation\n\n"
        "def probe(x):\n    model = Sequential()\n    model.add(Dense(3, input_dim=4))\n"
        "    model.add(Activation('softmax'))\n    return model.predict(x, verbose=0).argmax(axis=-1)\n",
    )


def test_km325_predict_classes_single_unit_through_builder_function():
    assert_migrates(
        HEAD + "from keras.layers import Dense\n\n"
        "def build():\n    m = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n    return m\n\n"
        "def probe(x):\n    binary = build()\n    return binary.predict_classes(x, verbose=0)\n",
        NEW + "from tensorflow.keras.layers import Dense\n\n"
        "def build():\n    m = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n    return m\n\n"
        "def probe(x):\n    binary = build()\n    return (binary.predict(x, verbose=0) > 0.5).astype('int32')\n",
    )


def test_km325_predict_classes_unknown_model_uses_runtime_choice():
    assert_migrates(
        HEAD + "def probe(model, x):\n    return model.predict_classes(x, batch_size=16)\n",
        NEW + "def probe(model, x):\n    return (lambda p: p.argmax(axis=-1) if p.shape[-1] > 1 else "
        "(p > 0.5).astype('int32'))(model.predict(x, batch_size=16, verbose=0))\n",
    )


def test_km326_predict_proba():
    assert_migrates(HEAD + "p = model.predict_proba(x, batch_size=32)\n", NEW + "p = model.predict(x, batch_size=32, verbose=0)\n")


def test_km328_reset_metrics_and_sample_weight_mode():
    assert_migrates(
        HEAD + "model.compile('sgd', 'binary_crossentropy', ['accuracy'], sample_weight_mode='temporal')\n"
        "model.train_on_batch(x, y, reset_metrics=True)\n",
        NEW + "model.compile('sgd', 'binary_crossentropy', metrics=['accuracy'])  # kmigrate: KM328 zero sample "
        "weights no longer scale the loss up: mask padding instead\n"
        "model.train_on_batch(x, y)\n",
    )


def test_km329_target_tensors_and_metrics_names_are_marked():
    out = assert_flags(HEAD + "model.compile('sgd', 'binary_crossentropy', target_tensors=[t])\n", "KM329")
    assert "# kmigrate: KM329 target_tensors= is gone" in out
    assert_flags(HEAD + "print(dict(zip(model.metrics_names, scores)))\n", "KM327")


def test_km329_target_tensors_none_dropped():
    # review corpus 4: compile(..., weighted_metrics=None, target_tensors=None) spells the defaults
    out = run(HEAD + "model.compile('sgd', 'mse', weighted_metrics=None, target_tensors=None)\n").output
    assert "target_tensors" not in out and "KM329" not in out


def test_km325_predict_classes_rewrites_match_the_keras_2_body():
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


def test_km328_positional_compile_arguments_become_keywords():
    # Keras 3 compile's third parameter is loss_weights: legacy metrics go by keyword.
    assert_migrates(
        HEAD + "model.compile('sgd', 'categorical_crossentropy', ['mae'], [1.0])\n",
        NEW + "model.compile('sgd', 'categorical_crossentropy', metrics=['mae'], loss_weights=[1.0])\n",
    )


def test_km328_temporal_sample_weight_mode_is_dropped_and_marked():
    # Legacy Keras divided each batch's loss by the fraction of non-zero weights (measured under
    # genuine Keras 2.2.4 with 0 on padded steps: 1.103 vs Keras 3's 0.784).
    output = assert_flags(HEAD + "model.compile('adam', 'mse', sample_weight_mode='temporal')\n", "KM328")
    assert "model.compile('adam', 'mean_squared_error')  # kmigrate: KM328 zero sample weights no longer scale" in output


def test_km328_sample_weight_mode_none_is_dropped_without_marker():
    assert_migrates(HEAD + "model.compile('adam', 'mean_squared_error', sample_weight_mode=None)\n",
                    NEW + "model.compile('adam', 'mean_squared_error')\n")


def test_km328_keyword_compile_is_left_alone():
    assert_unchanged(NEW + "model.compile(optimizer='adam', loss='mean_squared_error', metrics=['mae'])\n")
