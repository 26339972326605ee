"""The worker script: value flattening, step bookkeeping, and the JSON-lines protocol of a real
modern worker (TF 2.21) driving a program through every round trip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kmigrate.harness import compare, worker
from kmigrate.harness.runner import WORKER_SCRIPT, Worker, load_arrays

DATA = Path(__file__).parent / "data"


def flat(value):
    out = {}
    worker.flatten("probe", value, out)
    return out


def test_flatten_keeps_a_uniform_list_as_one_array():
    out = flat([0.5, 0.25, 0.125])
    assert list(out) == ["probe"] and out["probe"].dtype == np.float64


def test_flatten_train_on_batch_lists_of_loss_and_metric():
    out = flat([[0.7, 0.5], [0.6, 0.75]])
    assert out["probe"].shape == (2, 2)


def test_flatten_nested_dicts_and_ragged_lists():
    out = flat({"b": [np.ones((2, 3)), np.ones(2)], "a": 1.5, "skip": None})
    assert sorted(out) == ["probe/a", "probe/b/0", "probe/b/1"]
    assert out["probe/b/0"].shape == (2, 3)


def test_steps_skip_what_depends_on_a_failure_and_keep_the_error():
    steps = worker.Steps()
    steps.run("build", lambda: 1 / 0)
    assert steps.run("train", lambda: "never", "build") is None
    assert steps.report["build"]["error"] == "ZeroDivisionError: division by zero"
    assert "Traceback" in steps.report["build"]["traceback"]
    assert steps.report["train"] == {"ok": False, "skipped": True, "error": "needs build"}


def test_fixture_module_is_forgotten_with_its_helpers(tmp_path):
    (tmp_path / "helper_mod.py").write_text("VALUE = 3\n")
    (tmp_path / "prog.py").write_text("import helper_mod\nVALUE = helper_mod.VALUE\n")
    with worker.fixture_module(str(tmp_path / "prog.py"), 7) as module:
        assert module.VALUE == 3
    assert "helper_mod" not in sys.modules and str(tmp_path) not in sys.path


def test_modern_worker_runs_a_program_through_every_round_trip(tmp_path):
    """Real TF 2.21 worker process: set initial weights, train, save/load .keras and .h5,
    export + serve, resume after reload; the stdout protocol stays clean of Keras output."""
    initial = [np.full((3, 4), 0.1, np.float32), np.zeros(4, np.float32),
               np.full((4, 1), -0.2, np.float32), np.zeros(1, np.float32)]
    np.savez(tmp_path / "initial.npz", **{f"w{i:04d}": w for i, w in enumerate(initial)})
    process = Worker("modern", [sys.executable, str(WORKER_SCRIPT), "--side", "modern"], None,
                     tmp_path / "worker.log")
    # A migrated architecture that differs from the original cannot take its weights.
    np.savez(tmp_path / "wrong.npz", w0000=np.ones((5, 4), np.float32))
    try:
        answer = process.request({"fixture": str(DATA / "modern_program.py"), "workdir": str(tmp_path / "run"),
                                  "initial_weights": str(tmp_path / "initial.npz")}, timeout=300)
        mismatch = process.request({"fixture": str(DATA / "modern_program.py"), "workdir": str(tmp_path / "bad"),
                                    "initial_weights": str(tmp_path / "wrong.npz")}, timeout=300)
    finally:
        process.stop()
    assert "do not fit the migrated model" in mismatch["steps"]["initial_weights"]["error"]
    assert mismatch["steps"]["train"]["skipped"]
    assert process.process is None
    assert answer["ok"], answer
    steps = answer["steps"]
    failed = {name: step for name, step in steps.items() if not step["ok"]}
    assert not failed, json.dumps(failed, indent=1)
    arrays = load_arrays(answer["arrays"])
    checks = {c.name: c for c in compare.evaluate(
        {n: {"ok": True} for n in ("data", "build", "initial_weights", "train", "probe")},
        {"train": arrays["train"], "probe": arrays["probe"]}, steps, arrays,
        answer["info"]["not_comparable"])}
    for name in ("roundtrip_keras", "roundtrip_h5", "savedmodel", "resume"):
        assert checks[name].status == compare.PASS, checks[name]


def test_keras_settings_a_program_changes_at_import_do_not_reach_the_next_program(tmp_path):
    # A legacy fixture's module-level K.set_image_dim_ordering('th') once made every later
    # fixture in the same worker channels-first (8 of 65 failed in one run).
    weights = [np.zeros((3, 1), np.float32), np.zeros(1, np.float32)]
    np.savez(tmp_path / "initial.npz", **{f"w{i:04d}": w for i, w in enumerate(weights)})
    process = Worker("modern", [sys.executable, str(WORKER_SCRIPT), "--side", "modern"], None,
                     tmp_path / "worker.log")
    try:
        for name in ("modern_program_channels_first", "modern_program_reads_settings"):
            answer = process.request({"fixture": str(DATA / f"{name}.py"), "workdir": str(tmp_path / name),
                                      "initial_weights": str(tmp_path / "initial.npz")}, timeout=300)
            assert answer["steps"]["train"]["ok"], answer["steps"]["train"]
    finally:
        process.stop()
    channels_last, epsilon = load_arrays(answer["arrays"])["train"]
    assert channels_last == 1.0 and epsilon == pytest.approx(1e-7)


def test_worker_reports_a_fixture_that_does_not_import(tmp_path):
    (tmp_path / "broken.py").write_text("import keras_that_does_not_exist\n")
    process = Worker("modern", [sys.executable, str(WORKER_SCRIPT), "--side", "modern"], None,
                     tmp_path / "worker.log")
    try:
        answer = process.request({"fixture": str(tmp_path / "broken.py"), "workdir": str(tmp_path / "run")}, 300)
    finally:
        process.stop()
    assert answer["ok"] and answer["steps"]["import"]["error"].startswith("ModuleNotFoundError")


def test_worker_that_dies_is_reported_not_hung(tmp_path):
    script = tmp_path / "dies.py"
    script.write_text("import sys\nprint('{\"ready\": true}', flush=True)\nsys.stdin.readline()\nsys.exit(3)\n")
    process = Worker("fake", [sys.executable, str(script)], None, tmp_path / "worker.log")
    from kmigrate.harness.runner import HarnessError

    with pytest.raises(HarnessError, match="exited with status 3"):
        process.request({"fixture": "x", "workdir": str(tmp_path)}, timeout=30)
