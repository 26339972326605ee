"""Tests of the backend family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kmigrate.rules import rule_by_id
from kmigrate.rules.backend_table import CK_IDS, ENTRIES
from tests.helpers import assert_unchanged, migrated, rules_fired, run
from tests.rules.backend.cases import HEAD

_TF_CHECK = r'''
import os, sys, types
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
from kmigrate.pipeline import migrate_bytes
from kmigrate.settings import Settings
LEGACY = """
import numpy as np
from keras import backend as K
from keras.models import Sequential, Model
from keras.layers import Dense, Dropout, Input

def sequential():
    model = Sequential()
    model.add(Dense(6, activation='relu', input_shape=(5,)))
    model.add(Dropout(0.5))
    model.add(Dense(2))
    return model

def functional():
    inputs = Input(shape=(5,))
    hidden = Dense(4, name='hidden')(inputs)
    return Model(inputs, Dense(1)(Dropout(0.5)(hidden)))

def probe(model, x):
    f = K.function([model.input, K.learning_phase()], [model.layers[1].output, model.output])
    return f([x, 0])
"""
out = migrate_bytes(LEGACY.encode(), "p.py", Settings()).output
module = types.ModuleType("p")
exec(compile(out, "p.py", "exec"), module.__dict__)
x = np.random.RandomState(0).rand(7, 5).astype("float32")
for build in (module.sequential, module.functional):
    model = build()
    got = module.probe(model, x)
    assert isinstance(got, list) and len(got) == 2 and all(isinstance(a, np.ndarray) for a in got)
    np.testing.assert_allclose(got[1], model.predict(x, verbose=0), atol=1e-6)
    layer = model.layers[1]
    print(build.__name__, "ok")
'''


@pytest.mark.parametrize("code", [
    "K = object()\na = K.lesser(x, y)\nK.function([a], [b])\n",
    "from tensorflow.keras import backend as K\na = K.less(x, y)\nb = K.image_data_format()\n",
    "from tensorflow.keras import backend as K\ny = K.switch(c, a, b) + K.repeat(x, 3) + K.hard_sigmoid(x)\n",
])  # fmt: skip
def test_unchanged(code):
    assert_unchanged(code)


def test_ids_follow_the_sorted_catalog_ids():
    assert len(ENTRIES) == 49
    assert CK_IDS["C-K-Function"] == "KM511"
    assert CK_IDS["C-K-asymmetric_spatial_2d_padding"] == "KM512"
    assert CK_IDS["C-K-function"] == "KM519"
    assert CK_IDS["C-K-v1_variable_initialization"] == "KM559"
    # The ids follow the catalog rows' sorted order, as the rules record them.
    assert [CK_IDS[n] for n in sorted(CK_IDS)] == [f"KM{511 + i}" for i in range(49)]
    for name, rule_id in CK_IDS.items():
        rule = rule_by_id(rule_id)
        assert rule is not None and name in rule.catalog, rule_id


def test_optimizer_rate_is_left_to_the_optimizer_family():
    result = run(HEAD + "K.set_value(model.optimizer.lr, 0.1)\nlr = K.get_value(self.model.optimizer.learning_rate)\n")
    assert "KM501" not in rules_fired(result)


def test_ignore_comment():
    assert "K.lesser" in migrated(HEAD + "a = K.lesser(x, y)  # kmigrate: ignore[KM533]\n")


def test_set_value_skipped_on_tf_keras():
    assert "K.set_value" in migrated(HEAD + "K.set_value(v, 1)\n", target="tf_keras")


@pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True).returncode != 0,
    reason="TensorFlow is not installed",
)
def test_k_function_runs_on_tf_2_21_for_sequential_and_functional_models():
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("TF_USE_LEGACY_KERAS", None)
    result = subprocess.run([sys.executable, "-c", _TF_CHECK], capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "sequential ok" in result.stdout and "functional ok" in result.stdout


def test_every_backend_rule_id_is_exercised():
    import re

    # Every test module of the family counts (one per concern, in this folder).
    source = "\n".join(path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_*.py"))
    mentioned = set(re.findall(r"KM5\d\d", source))
    ids = {f"KM50{i}" for i in range(7)} | set(CK_IDS.values())
    assert ids - mentioned == set()
