"""The verdict on a script (levels 1-3, verified / differs / not run) and its report, from recorded
worker answers: no runtime needed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from kmigrate.harness import discovery, script_report, scripts
from kmigrate.harness.runner import Migration

LAYERS = [{"class": "Dense", "name": "dense_1", "output_shape": [None, 4], "params": 36, "trainable": True,
           "random": {}},
          {"class": "Dropout", "name": "dropout_1", "output_shape": [None, 4], "params": 0, "trainable": True,
           "random": {"rate": 0.5}}]
MODEL = {"index": 0, "class": "Sequential", "layers": LAYERS, "weights": "saved"}
CALLS = [{"call": 0, "model": 0, "kind": "fit", "method": "fit", "keys": ["loss"]},
         {"call": 1, "model": 0, "kind": "predict", "method": "predict", "keys": ["output0"]}]
ARRAYS = {"call0000/loss": np.array([0.75]), "call0001/output0": np.full((3, 4), 0.25, np.float32)}


def answer(outcome=None, models=None, calls=CALLS, weights="loaded"):
    models = [dict(m, weights=weights) for m in ([MODEL] if models is None else models)]
    return {"ok": True, "outcome": outcome or {"kind": "completed"}, "models": models, "calls": calls}


def verdict(legacy, migrated, legacy_arrays=ARRAYS, migrated_arrays=ARRAYS, lines=None, error=""):
    migration = Migration(Path("migrated/x.py"), exit_code=1, changed=True, error=error)
    return scripts.evaluate("x", "x.py", migration, legacy, migrated, legacy_arrays, migrated_arrays,
                            lines or {})


def test_same_ending_architecture_and_numerics_is_level_3():
    result = verdict(answer(weights="saved"), answer())
    assert (result.level, result.status) == (3, scripts.VERIFIED)
    assert result.loss_diff == 0 and result.output_diff == 0 and result.compared_calls == 2


def test_numbers_beyond_tolerance_stop_at_level_2_and_report_the_largest_difference():
    moved = dict(ARRAYS, **{"call0000/loss": np.array([0.7503])})
    result = verdict(answer(weights="saved"), answer(), migrated_arrays=moved)
    assert (result.level, result.status) == (2, scripts.DIFFERS)
    assert abs(result.loss_diff - 3e-4) < 1e-9 and "call 0 (fit of model 0)" in result.reason
    # Within tolerance (1e-6 for outputs) it still verifies.
    close = dict(ARRAYS, **{"call0001/output0": ARRAYS["call0001/output0"] + np.float32(5e-7)})
    assert verdict(answer(weights="saved"), answer(), migrated_arrays=close).level == 3


def test_a_changed_architecture_is_a_difference_at_level_1():
    narrower = [dict(LAYERS[0], params=18, output_shape=[None, 2]), LAYERS[1]]
    result = verdict(answer(weights="saved"), answer(models=[dict(MODEL, layers=narrower)]))
    assert (result.level, result.status) == (1, scripts.DIFFERS)
    assert "params 36 vs 18" in result.reason and "output shape" in result.reason
    lost_dropout = [LAYERS[0], dict(LAYERS[1], random={})]
    assert verdict(answer(weights="saved"), answer(models=[dict(MODEL, layers=lost_dropout)])).status \
        == scripts.DIFFERS


def test_a_migrated_copy_that_fails_where_the_original_runs_differs_at_level_0():
    crash = {"kind": "exception", "type": "TypeError", "detail": "bad kwarg", "line": 12}
    result = verdict(answer(weights="saved"), answer(outcome=crash), lines={12: 10})
    assert (result.level, result.status) == (0, scripts.DIFFERS)
    assert "raised TypeError: bad kwarg at line 12 (line 10 of the original)" in result.reason


def test_same_exception_at_the_same_original_line_is_level_1():
    legacy = {"kind": "exception", "type": "ImportError", "detail": "no matplotlib", "line": 10}
    migrated = dict(legacy, line=11)  # kmigrate added a line above it
    result = verdict(answer(outcome=legacy, models=[], calls=[]), answer(outcome=migrated, models=[], calls=[]),
                     lines={11: 10})
    assert (result.level, result.status) == (1, scripts.VERIFIED) and "both raise ImportError" in result.reason
    elsewhere = verdict(answer(outcome=legacy, models=[], calls=[]),
                        answer(outcome=dict(legacy, type="NameError"), models=[], calls=[]), lines={11: 10})
    assert (elsewhere.level, elsewhere.status) == (0, scripts.NOT_RUN)  # the original itself does not run


def test_network_and_missing_files_are_reported_as_such():
    network = {"kind": "needs-network", "detail": "https://s3.amazonaws.com/x.tgz", "line": 5}
    result = verdict(answer(outcome=network, models=[], calls=[]), answer(outcome=network, models=[], calls=[]),
                     lines={5: 5})
    assert result.level == 1 and "needs data from the network (https://s3.amazonaws.com/x.tgz)" in result.reason
    assert "no model was built" in result.reason


def test_a_migration_error_is_never_verified():
    result = verdict(answer(weights="saved"), answer(), error="Traceback ... KeyError")
    assert (result.level, result.status) == (0, scripts.DIFFERS)


def test_different_sequences_of_calls_differ():
    fewer = answer(calls=CALLS[:1])
    result = verdict(answer(weights="saved"), fewer)
    assert result.status == scripts.DIFFERS and "the calls differ from call 1" in result.reason


def test_weights_that_could_not_be_transferred_stop_at_level_2_without_blaming_the_migration():
    result = verdict(answer(weights="saved"), answer(weights="no legacy weights for this model"))
    assert (result.level, result.status) == (2, scripts.NOT_RUN)


def test_line_map_follows_inserted_and_rewritten_lines():
    original = "import keras\nx = 1\nmodel.fit(nb_epoch=2)\nprint(x)\n"
    migrated = "from tensorflow import keras\nimport numpy as np\nx = 1\nmodel.fit(epochs=2)\nprint(x)\n"
    lines = scripts.line_map(original, migrated)
    assert lines[3] == 2 and lines[4] == 3 and lines[5] == 4


def test_contract_fixtures_are_told_from_scripts(tmp_path):
    fixture = tmp_path / "f.py"
    fixture.write_text("def data(): pass\ndef build(): pass\ndef train(m, d): pass\n")
    script = tmp_path / "s.py"
    script.write_text("def build(): pass\nmodel = build()\n")
    assert discovery.is_contract_fixture(fixture) and not discovery.is_contract_fixture(script)


def test_report_says_why_each_script_stopped_and_counts_levels():
    results = [verdict(answer(weights="saved"), answer()),
               verdict(answer(weights="saved"), answer(models=[dict(MODEL, layers=LAYERS[:1])]))]
    results[1].name = "y"
    report = scripts.ScriptReport(results, 3.0, {}, "", scripts.Caps())
    text = script_report.render_text(report)
    assert "x (level 3, same numerics): ran to the end" in text
    assert "y (level 1, same ending): architecture differs" in text
    assert "2 scripts: level 1 2, level 2 1, level 3 1; 1 behaved differently" in text
    data = json.loads(script_report.render_json(None, report))
    assert data["passed"] is False and data["levels"] == {"1": 2, "2": 1, "3": 1}
    assert [s["status"] for s in data["scripts"]] == ["verified", "differs"]


def test_an_original_using_keras_api_the_legacy_runtime_lacks_is_not_run_even_if_both_fail_alike():
    """A Keras 1 script under Keras 2.2.4 (Merge, keras.initializations): the original does not run,
    so the migrated copy failing at the same line is no evidence that the migration is right."""
    for detail in ("cannot import name 'Merge' from 'keras.layers' (/venv/keras/layers/__init__.py)",
                   "No module named 'keras.initializations'",
                   "module 'keras.backend' has no attribute 'image_dim_ordering'"):
        kind = "AttributeError" if detail.startswith("module") else "ImportError"
        failure = {"kind": "exception", "type": kind, "detail": detail, "line": 19}
        result = verdict(answer(outcome=failure, models=[], calls=[]), answer(outcome=failure, models=[], calls=[]),
                         lines={19: 19})
        assert (result.level, result.status) == (0, scripts.NOT_RUN), detail
        assert "an API this Keras no longer has" in result.reason
    third_party = {"kind": "exception", "type": "ModuleNotFoundError", "detail": "No module named 'matplotlib'",
                   "line": 6}
    result = verdict(answer(outcome=third_party, models=[], calls=[]),
                     answer(outcome=third_party, models=[], calls=[]), lines={6: 6})
    assert (result.level, result.status) == (1, scripts.VERIFIED)  # an ending the migration kept
