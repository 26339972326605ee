"""Tests of ``kmigrate/rules/optimizers/constructors.py``: Optimizer constructors: ``lr=`` -> ``learning_rate=``, legacy defaults made explicit
(epsilon, Nadam's schedule), ``decay=`` -> an InverseTimeDecay schedule, learning-rate setters."""

from tests.helpers import assert_flags, assert_migrates, rules_fired, run
from tests.rules.optimizers.cases import IMPORT

NEW = "from tensorflow.keras.optimizers import SGD, Adam, RMSprop, Adagrad, Adadelta, Nadam\n"


def _legacy_updates(kind, x, y, w, b, steps, batch):  # type: ignore[no-untyped-def]
    """NumPy re-implementation of keras/optimizers.py (2.2.4) for a linear model with MSE loss."""
    import numpy as np

    w, b = w.astype("float64"), b.astype("float64")
    state = {"mw": np.zeros_like(w), "mb": np.zeros_like(b)}
    for t in range(steps):
        xb, yb = x[t * batch % len(x):][:batch], y[t * batch % len(x):][:batch]
        err = xb @ w + b - yb
        grads = {"w": 2.0 / len(xb) * xb.T @ err, "b": 2.0 / len(xb) * err.sum(axis=0)}
        for name in ("w", "b"):
            p, g, m = (w if name == "w" else b), grads[name], state["m" + name]
            if kind == "sgd":  # lr=0.1, momentum=0.9, decay=0.05, nesterov=True
                lr = 0.1 * (1.0 / (1.0 + 0.05 * t))  # iterations before this update
                v = 0.9 * m - lr * g
                new_p = p + 0.9 * v - lr * g
                state["m" + name] = v
            else:  # rmsprop: lr=0.01, rho=0.9, epsilon=None (K.epsilon() = 1e-7)
                a = 0.9 * m + 0.1 * g * g
                new_p = p - 0.01 * g / (np.sqrt(a) + 1e-7)
                state["m" + name] = a
            if name == "w":
                w = new_p
            else:
                b = new_p
    return w, b


def test_km301_lr_keyword():
    assert_migrates(IMPORT + "opt = SGD(lr=0.01, momentum=0.9)\n", NEW + "opt = SGD(learning_rate=0.01, momentum=0.9)\n")


def test_km301_lr_keyword_on_tf_keras_code():
    assert_migrates(
        "from tensorflow.keras.optimizers import Adam\nopt = Adam(lr=0.1)\n",
        "from tensorflow.keras.optimizers import Adam\nopt = Adam(learning_rate=0.1)\n",
    )


def test_km301_lr_keyword_through_module_alias():
    assert_migrates(
        "import keras\nopt = keras.optimizers.Adam(lr=0.01)\n",
        "from tensorflow import keras\nopt = keras.optimizers.Adam(learning_rate=0.01)\n",
    )


def test_km301_decay_becomes_inverse_time_decay():
    diagnostics = assert_migrates(
        IMPORT + "opt = SGD(lr=0.1, decay=0.05, momentum=0.9, nesterov=True)\n",
        NEW + "from tensorflow.keras.optimizers.schedules import InverseTimeDecay\n"
        "opt = SGD(learning_rate=InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.05), momentum=0.9, nesterov=True)\n",
    )
    assert {"KM301", "KM302"} <= rules_fired(diagnostics)


def test_km302_decay_without_lr_uses_legacy_default():
    assert_migrates(
        IMPORT + "opt = Adam(decay=1e-4)\n",
        NEW + "from tensorflow.keras.optimizers.schedules import InverseTimeDecay\n"
        "opt = Adam(learning_rate=InverseTimeDecay(0.001, decay_steps=1, decay_rate=1e-4))\n",
    )


def test_km301_decay_zero_is_dropped():
    assert_migrates(IMPORT + "opt = SGD(lr=0.1, decay=0.0)\n", NEW + "opt = SGD(learning_rate=0.1)\n")


def test_km301_decay_with_lr_setters_is_marked():
    out = assert_flags(
        IMPORT + "from keras.callbacks import ReduceLROnPlateau\n"
        "opt = SGD(lr=0.1, decay=1e-3)\ncb = ReduceLROnPlateau()\n",
        "KM302",
    )
    assert "InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-3)" in out


def test_km303_positional_arguments_bound_to_legacy_signature():
    assert_migrates(
        IMPORT + "opt = SGD(0.05, 0.9, 0.01, True)\n",
        NEW + "from tensorflow.keras.optimizers.schedules import InverseTimeDecay\n"
        "opt = SGD(InverseTimeDecay(0.05, decay_steps=1, decay_rate=0.01), momentum=0.9, nesterov=True)\n",
    )


def test_km303_positional_arguments_keras_2_3_signature():
    assert_migrates(
        IMPORT + "opt = SGD(0.05, 0.9, True)\n",
        NEW + "opt = SGD(0.05, momentum=0.9, nesterov=True)\n",
        from_version="2.3.1",
    )


def test_km301_epsilon_none_dropped():
    assert_migrates(
        IMPORT + "opt = Adam(lr=1e-3, epsilon=None, amsgrad=False)\n",
        NEW + "opt = Adam(learning_rate=1e-3, amsgrad=False)\n",
    )


def test_km301_rmsprop_and_adagrad_epsilon_and_accumulator():
    assert_migrates(
        IMPORT + "a = RMSprop(lr=0.01)\nb = Adagrad(lr=0.05, epsilon=1e-8)\n",
        NEW + "a = RMSprop(learning_rate=0.01, epsilon=1e-14)  # kmigrate: KM313 RMSprop: Keras 3 adds epsilon inside sqrt(v): tiny-gradient steps differ\n"
        "b = Adagrad(learning_rate=0.05, epsilon=1e-16, initial_accumulator_value=0.0)  # kmigrate: KM313 Adagrad: Keras 3 adds epsilon inside sqrt(v): tiny-gradient steps differ\n",
    )


def test_km305_changed_default_learning_rates():
    assert_migrates(IMPORT + "opt = Adadelta()\n", NEW + "opt = Adadelta(learning_rate=1.0)\n")


def test_km305_compile_string_ids_with_changed_defaults():
    assert_migrates(
        "from keras.models import Sequential\nmodel = Sequential()\n"
        "model.compile(loss='binary_crossentropy', optimizer='adadelta')\nmodel.compile('rmsprop', 'binary_crossentropy')\n",
        "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.optimizers import Adadelta, RMSprop\n"
        "model = Sequential()\n"
        "model.compile(loss='binary_crossentropy', optimizer=Adadelta(learning_rate=1.0))\n"
        "model.compile(RMSprop(epsilon=1e-14), 'binary_crossentropy')  # kmigrate: KM313 RMSprop: Keras 3 adds epsilon inside sqrt(v): tiny-gradient steps differ\n",
    )


def test_km313_marks_the_approximate_epsilon_once():
    """The squared epsilon is the closest Keras 3 constant, not the legacy update: the line says so,
    once, and a second run adds nothing."""
    output = assert_flags(IMPORT + "a = RMSprop(lr=0.01, epsilon=1e-6)\n", "KM313")
    assert output.count("# kmigrate: KM313") == 1
    assert "RMSprop(learning_rate=0.01, epsilon=1e-12)" in output


def test_km313_noop_optimizers_with_epsilon_outside_the_root():
    # Adam divides by sqrt(v) + epsilon in both: nothing to write, nothing to mark.
    assert "KM313" not in "".join(rules_fired(run(IMPORT + "a = Adam(lr=0.01)\n")))


def test_km301_nadam_is_marked():
    out = assert_flags(IMPORT + "opt = Nadam(lr=0.002, schedule_decay=0.004)\n", "KM306")
    assert "Nadam(learning_rate=0.002)" in out


def test_km307_lowercase_alias_keeps_local_name():
    assert_migrates(
        "from keras.optimizers import adam\nopt = adam(lr=1e-3)\n",
        "from tensorflow.keras.optimizers import Adam as adam\nopt = adam(learning_rate=1e-3)\n",
    )


def test_km307_lowercase_alias_through_the_module_is_rewritten_and_not_marked():
    # `keras.optimizers.rmsprop` has no tf.keras home, but KM307 rewrites it to the class: the
    # import family must not leave a stale "no tf.keras equivalent" marker (KM113) beside it.
    assert_migrates(
        "import keras\nopt = keras.optimizers.adam()\n",
        "from tensorflow import keras\nopt = keras.optimizers.Adam()\n",
    )


def test_km301_lr_attribute_of_an_optimizer_variable():
    assert_migrates(
        IMPORT + "opt = SGD(lr=0.1)\nprint(opt.lr)\n",
        NEW + "opt = SGD(learning_rate=0.1)\nprint(opt.learning_rate)\n",
    )


def test_km312_optimizers_legacy_namespace():
    assert_migrates(
        "import tensorflow as tf\nopt = tf.keras.optimizers.legacy.Adam(learning_rate=1e-3)\n",
        "import tensorflow as tf\nopt = tf.keras.optimizers.Adam(learning_rate=1e-3)\n",
    )


def test_km303_star_args_are_marked():
    assert_flags(IMPORT + "opt = SGD(*args)\n", "KM303")


def test_km301_rewritten_optimizers_train_like_keras_2_2_4():
    import numpy as np
    import pytest

    tf = pytest.importorskip("tensorflow")
    from tests.helpers import migrated

    rng = np.random.RandomState(0)
    x = rng.rand(40, 3).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3).astype("float32")
    w0 = rng.randn(3, 1).astype("float32") * 0.1
    b0 = np.zeros(1, dtype="float32")
    sources = {
        "sgd": "from keras.optimizers import SGD\nopt = SGD(lr=0.1, decay=0.05, momentum=0.9, nesterov=True)\n",
        "rmsprop": "from keras.optimizers import RMSprop\nopt = RMSprop(lr=0.01, epsilon=None)\n",
    }
    for kind, source in sources.items():
        code = migrated(source)
        assert "keras.optimizers import" in code and "from keras" not in code
        namespace: dict = {}
        exec(code, namespace)
        model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
        model.set_weights([w0, b0])
        model.compile(optimizer=namespace["opt"], loss="mse")
        model.fit(x, y, batch_size=10, epochs=3, shuffle=False, verbose=0)
        expected_w, expected_b = _legacy_updates(kind, x, y, w0, b0, steps=12, batch=10)
        got_w, got_b = model.get_weights()
        np.testing.assert_allclose(got_w, expected_w, atol=1e-6, err_msg=kind)
        np.testing.assert_allclose(got_b, expected_b, atol=1e-6, err_msg=kind)
