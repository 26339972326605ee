"""Regenerate the legacy files with the genuine runtimes (Keras 2.1.6, 2.2.4, 2.3.1) and check
every conversion in fresh TF 2.21 processes.  Marked `verify`: it provisions the legacy runtime
(one-off ~300 MB; then about 20 s per Keras version to generate).

    .venv/bin/python -m pytest -q -m verify tests/models/test_legacy_runtime.py
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kmigrate.models.convert import convert_model_file
from tests.models.test_models_tf import (
    NOT_CONVERTIBLE,
    TOLERANCE,
    TRAINING_MATCHES,
    run_worker,
)

HERE = Path(__file__).parent
COMPAT = HERE.parents[1] / "kmigrate" / "harness" / "legacy_compat.py"


@pytest.mark.verify
@pytest.mark.parametrize("keras_version", ["2.1.6", "2.2.4", "2.3.1"])
def test_every_generated_model_converts_and_predicts_like_legacy_keras(tmp_path, keras_version):
    from kmigrate.harness.provision import ensure_legacy_runtime

    runtime = ensure_legacy_runtime(keras_version=keras_version)
    legacy_dir = tmp_path / "legacy"
    completed = subprocess.run([str(runtime.python), str(HERE / "legacy_generate.py"), str(COMPAT), str(legacy_dir)],
                               env=runtime.environment(), capture_output=True, text=True, check=False, timeout=900)
    saved = [line.split()[1] for line in completed.stdout.splitlines() if line.startswith("saved")]
    assert len(saved) >= 12, completed.stdout + completed.stderr[-2000:]
    jobs, resaved_jobs = [], []
    for name in saved:
        source = legacy_dir / f"{name}.h5"
        converted = tmp_path / f"{name}.keras"
        report = convert_model_file(source, converted)
        if name in NOT_CONVERTIBLE:
            assert not report.ok and report.problems[0].layer == "lambda_1"
            continue
        assert report.ok, report.format()
        base = str(source)[:-3]
        trained = Path(base + ".trained.npy")
        job = {"model": str(converted), "inputs": base + ".inputs.npy", "expected": base + ".predictions.npy",
               "resave": str(tmp_path / f"{name}.resaved.keras"),
               "trained": str(trained) if name in TRAINING_MATCHES and trained.exists() else None}
        jobs.append(job)
        resaved_jobs.append(dict(job, model=job["resave"], resave=None, trained=None))
    for name, batch in (("first", jobs), ("resaved", resaved_jobs)):
        results = run_worker(batch, tmp_path, name)
        bad = {m: r.get("error") or r.get("max_diff") for m, r in results.items()
               if not r["ok"] or r["max_diff"] > TOLERANCE or r.get("trained_diff", 0.0) > 1e-5}
        assert not bad, json.dumps(bad, indent=1)
