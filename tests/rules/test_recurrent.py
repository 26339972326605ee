"""KM411-KM413: recurrent numerics (legacy hard_sigmoid gates, GRU reset_after)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated, rules_fired, run

HELPER = '''

@register_keras_serializable(package="kmigrate")
def legacy_hard_sigmoid(x):
    """hard_sigmoid as Keras 2 computed it: clip(0.2 * x + 0.5, 0, 1) (kmigrate KM411/KM412)."""
    return backend.hard_sigmoid(x)
'''


def test_km411_lstm_default_gets_legacy_hard_sigmoid():
    diagnostics = assert_migrates(
        """
        from keras.layers import LSTM
        layer = LSTM(64)
        """,
        "\nfrom tensorflow.keras.layers import LSTM\n"
        "from tensorflow.keras.utils import register_keras_serializable\n"
        "from tensorflow.keras import backend\n" + HELPER + "\n\n"
        "layer = LSTM(64, recurrent_activation=legacy_hard_sigmoid)\n",
    )
    km411 = [d for d in diagnostics if d.rule == "KM411"]
    assert km411 and "assumed" in km411[0].message


def test_km411_reuses_module_aliases_and_lands_after_imports():
    out = migrated(
        """
        import numpy as np
        from keras import layers, backend as K
        np.random.seed(0)
        x = layers.LSTM(4)(inp)
        """
    )
    assert "from tensorflow.keras import layers, backend as K" in out
    assert "@layers.utils" not in out
    assert "return K.hard_sigmoid(x)" in out
    lines = out.splitlines()
    assert lines.index("def legacy_hard_sigmoid(x):") < lines.index("x = layers.LSTM(4, recurrent_activation=legacy_hard_sigmoid)(inp)")
    assert lines.index("from tensorflow.keras import layers, backend as K") < lines.index("def legacy_hard_sigmoid(x):")


def test_km411_explicit_hard_sigmoid_string_and_keras1_inner_activation():
    out = migrated(
        """
        from keras.layers import LSTM, GRU
        a = LSTM(8, recurrent_activation='hard_sigmoid')
        b = GRU(8, inner_activation='hard_sigmoid', reset_after=True)
        """
    )
    assert "a = LSTM(8, recurrent_activation=legacy_hard_sigmoid)" in out
    assert "recurrent_activation=legacy_hard_sigmoid, reset_after=True)" in out
    assert out.count("def legacy_hard_sigmoid") == 1


def test_km411_not_for_keras_2_3_or_explicit_sigmoid():
    assert "legacy_hard_sigmoid" not in migrated(
        """
        from keras.layers import LSTM
        layer = LSTM(64)
        """,
        from_version="2.3.1",
    )
    assert "legacy_hard_sigmoid" not in migrated(
        """
        from keras.layers import LSTM
        layer = LSTM(64, recurrent_activation='sigmoid')
        """
    )


def test_km411_tf_keras_code_lstm_unchanged_but_convlstm_gets_it():
    assert_unchanged(
        """
        from tensorflow.keras.layers import LSTM
        layer = LSTM(64)
        """
    )
    out = migrated(
        """
        from tensorflow.keras.layers import ConvLSTM2D
        layer = ConvLSTM2D(8, (3, 3))
        """
    )
    assert "ConvLSTM2D(8, (3, 3), recurrent_activation=legacy_hard_sigmoid)" in out


def test_km411_tf_keras_target_uses_the_string():
    out = migrated(
        """
        from keras.layers import LSTM, ConvLSTM2D
        a = LSTM(64)
        b = ConvLSTM2D(8, (3, 3))
        c = LSTM(4, activation='hard_sigmoid')
        """,
        target="tf_keras",
    )
    assert 'a = LSTM(64, recurrent_activation="hard_sigmoid")' in out
    assert "b = ConvLSTM2D(8, (3, 3))\n" in out
    assert "legacy_hard_sigmoid" not in out


def test_km411_unpacked_kwargs_are_flagged():
    assert_flags(
        """
        from keras.layers import LSTM
        layer = LSTM(64, **options)
        """,
        "KM411",
    )


def test_km411_helper_name_taken():
    out = migrated(
        """
        from keras.layers import LSTM
        legacy_hard_sigmoid = 3
        layer = LSTM(64)
        """
    )
    assert "def kmigrate_legacy_hard_sigmoid(x):" in out
    assert "recurrent_activation=kmigrate_legacy_hard_sigmoid" in out


def test_km412_hard_sigmoid_activations():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        from keras import activations
        model = Sequential([Dense(4, activation='hard_sigmoid'), Activation('hard_sigmoid')])
        y = activations.hard_sigmoid(x)
        model.add(Activation(activations.hard_sigmoid))
        z = K.hard_sigmoid(x)
        """
    )
    assert "Dense(4, activation=legacy_hard_sigmoid), Activation(legacy_hard_sigmoid)" in out
    assert "y = legacy_hard_sigmoid(x)" in out
    assert "model.add(Activation(legacy_hard_sigmoid))" in out
    assert "z = K.hard_sigmoid(x)" in out


def test_km412_not_on_tf_keras_target_and_not_unrelated():
    assert "legacy_hard_sigmoid" not in migrated(
        """
        from keras.layers import Dense
        d = Dense(4, activation='hard_sigmoid')
        """,
        target="tf_keras",
    )
    assert_unchanged(
        """
        def hard_sigmoid(x):
            return x
        y = hard_sigmoid(3)
        f(activation='hard_sigmoid')
        """
    )


def test_km413_gru_reset_after():
    out = migrated(
        """
        from keras.layers import GRU
        a = GRU(8, recurrent_activation='sigmoid')
        b = GRU(8, reset_after=True, recurrent_activation='sigmoid')
        """
    )
    assert "a = GRU(8, recurrent_activation='sigmoid', reset_after=False)" in out
    assert "b = GRU(8, reset_after=True, recurrent_activation='sigmoid')" in out


def test_km413_not_for_tf_keras_code():
    assert_unchanged(
        """
        from tensorflow.keras.layers import GRU
        a = GRU(8)
        """
    )


def test_second_run_keeps_a_single_helper():
    code = """
        import keras
        m = keras.models.Sequential([keras.layers.GRU(4, input_shape=(3, 2))])
        """
    first = migrated(code)
    assert run(first).status.name != "CHANGED"
    assert first.count("def legacy_hard_sigmoid") == 1
    assert "keras.layers.GRU(4, input_shape=(3, 2), recurrent_activation=legacy_hard_sigmoid, reset_after=False)" in first


# -- real execution on TF 2.21 --------------------------------------------------------------------

_NUMERIC_CHECK = r'''
import os, sys, numpy as np
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, sys.argv[1])
import migrated_model as mm
import tensorflow as tf

def hs(v):
    return np.clip(0.2 * v + 0.5, 0, 1)

rng = np.random.RandomState(0)
x = (rng.randn(3, 5, 4) * 2).astype("float32")
model = mm.build()
lstm, gru = model.get_layer("lstm"), model.get_layer("gru")
for layer in (lstm, gru):
    w = layer.get_weights(); w[-1] = rng.randn(*w[-1].shape).astype("float32"); layer.set_weights(w)
out = model.predict(x, verbose=0)
n = 6
W, U, b = lstm.get_weights(); h = np.zeros((3, n)); c = np.zeros((3, n))
for t in range(5):
    z = x[:, t] @ W + h @ U + b
    i, f, o = hs(z[:, :n]), hs(z[:, n:2 * n]), hs(z[:, 3 * n:])
    c = f * c + i * np.tanh(z[:, 2 * n:3 * n]); h = o * np.tanh(c)
assert np.abs(h - out[0]).max() < 1e-5, np.abs(h - out[0]).max()
W, U, b = gru.get_weights(); h = np.zeros((3, n))
for t in range(5):
    xz = x[:, t] @ W + b
    zg = hs(xz[:, :n] + h @ U[:, :n]); r = hs(xz[:, n:2 * n] + h @ U[:, n:2 * n])
    h = zg * h + (1 - zg) * np.tanh(xz[:, 2 * n:] + (r * h) @ U[:, 2 * n:])
assert np.abs(h - out[1]).max() < 1e-5, np.abs(h - out[1]).max()
path = os.path.join(sys.argv[1], "m.keras")
model.save(path)
again = tf.keras.models.load_model(path)
for a, b2 in zip(out, again.predict(x, verbose=0)):
    assert np.abs(a - b2).max() == 0.0
print("ok")
'''


@pytest.mark.skipif(os.environ.get("KMIGRATE_SKIP_TF") == "1", reason="TensorFlow checks disabled")
def test_migrated_lstm_gru_compute_legacy_gates_and_survive_keras_save(tmp_path):
    pytest.importorskip("tensorflow")
    source = migrated(
        """
        from keras.models import Model
        from keras.layers import Input, LSTM, GRU, Bidirectional


        def build():
            inp = Input(shape=(5, 4))
            a = LSTM(6, name='lstm')(inp)
            b = GRU(6, name='gru')(inp)
            c = Bidirectional(LSTM(3))(inp)
            return Model(inputs=inp, outputs=[a, b, c])
        """
    )
    (tmp_path / "migrated_model.py").write_text(source)
    script = tmp_path / "check.py"
    script.write_text(textwrap.dedent(_NUMERIC_CHECK))
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr[-3000:]
