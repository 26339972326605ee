"""Converted legacy files load in a fresh TF 2.21 process with plain load_model and predict what
genuine legacy Keras predicted (1e-6), also after a re-save and a reload in another fresh process.

The legacy files are tiny ones written by genuine Keras 2.1.6 / 2.2.4 / 2.3.1
(tests/models/legacy_generate.py; regenerate with test_legacy_runtime.py), plus the harness's
generated set in tests/data/legacy_models/ when it exists.  TensorFlow runs only in
subprocesses (tests/models/tf_worker.py), several models per process.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kmigrate.models.convert import convert_model_file

HERE = Path(__file__).parent
DATA = HERE / "data"
HARNESS_DATA = HERE.parent / "data" / "legacy_models"
WORKER = HERE / "tf_worker.py"
TOLERANCE = 1e-6
# Models whose continued training is deterministic and whose optimizer state maps exactly
# (no dropout, no hard_sigmoid rescaling, no BatchNormalization: its moving statistics evolve
# differently in Keras 2.2.4): two more steps must match the legacy ones.
TRAINING_MATCHES = {"adam_decay", "cnn", "functional", "conv1d", "keras1_merge_sequential"}
NOT_CONVERTIBLE = {"lambda_layer"}

pytestmark = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None,
                                reason="TensorFlow 2.21 is not installed (pip install 'kmigrate[verify]')")


@dataclass(frozen=True)
class Case:
    label: str
    source: Path
    inputs: object  # one pickled list of inputs (tests/models/data) or one .npy per input
    predictions: Path
    architecture: Path | None = None  # weights-only sources: the legacy model.to_json()


def legacy_cases() -> list[Case]:
    cases = []
    for path in sorted(DATA.glob("*/*.h5")):  # tests/models/legacy_generate.py's files
        base = str(path)[:-3]
        if path.name.endswith(".weights.h5") or path.stem in NOT_CONVERTIBLE:
            continue
        cases.append(Case(f"{path.parent.name}/{path.stem}", path, base + ".inputs.npy",
                          Path(base + ".predictions.npy")))
    for manifest in sorted(HARNESS_DATA.glob("*/manifest.json")):  # the harness's generated set
        folder = manifest.parent
        for model in json.loads(manifest.read_text())["models"]:
            architecture = folder / f"{model['name']}.architecture.json"
            cases.append(Case(f"harness-{folder.name}/{model['name']}", folder / model["file"],
                              [str(folder / name) for name in model["inputs"]], folder / model["predictions"],
                              architecture if model["weights_only"] else None))
    return cases


def run_worker(jobs: list[dict], tmp_path: Path, name: str) -> dict[str, dict]:
    jobs_file = tmp_path / f"{name}.json"
    jobs_file.write_text(json.dumps(jobs))
    completed = subprocess.run([sys.executable, str(WORKER), str(jobs_file)], capture_output=True, text=True, check=False,
                               timeout=900, cwd=tmp_path)
    results = {}
    for line in completed.stdout.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
            results[result["model"]] = result
    assert len(results) == len(jobs), completed.stderr[-3000:]
    return results


def _job(model: Path, case: Case | Path, **extra) -> dict:
    if isinstance(case, Path):  # a file of tests/models/data
        base = str(case)[:-3]
        case = Case(case.stem, case, base + ".inputs.npy", Path(base + ".predictions.npy"))
    job = {"model": str(model), "inputs": case.inputs, "expected": str(case.predictions)}
    job.update(extra)
    return job


def test_converted_models_predict_like_legacy_keras_before_and_after_a_resave(tmp_path):
    cases = legacy_cases()
    assert len(cases) >= 14, "the committed legacy files are missing"
    first, second = [], []
    for case in cases:
        # .h5 output for the files of tests/models/data; the harness's larger set as .keras only
        for suffix in (".keras", ".h5") if case.source.is_relative_to(DATA) else (".keras",):
            converted = tmp_path / (case.label.replace("/", "-") + suffix)
            report = convert_model_file(case.source, converted, config=case.architecture)
            assert report.ok and report.written, report.format()
            resaved = tmp_path / (case.label.replace("/", "-") + suffix.replace(".", "-") + ".resaved.keras")
            trained = Path(str(case.source)[:-3] + ".trained.npy")
            use_trained = suffix == ".keras" and case.source.stem in TRAINING_MATCHES and trained.exists()
            first.append(_job(converted, case, resave=str(resaved), trained=str(trained) if use_trained else None))
            second.append(_job(resaved, case))
    loaded = run_worker(first, tmp_path, "first")
    failures = [f"{r['model']}: {r.get('error') or r.get('max_diff')}" for r in loaded.values()
                if not r["ok"] or r["max_diff"] > TOLERANCE]
    assert not failures, "\n".join(failures)
    assert not [r for r in loaded.values() if r["warnings"]], "load_model warned about the optimizer"
    trained = {m: r["trained_diff"] for m, r in loaded.items() if "trained_diff" in r}
    assert len(trained) >= 3 and max(trained.values()) < 1e-5, trained
    reloaded = run_worker(second, tmp_path, "second")
    failures = [f"{r['model']}: {r.get('error') or r.get('max_diff')}" for r in reloaded.values()
                if not r["ok"] or r["max_diff"] > TOLERANCE]
    assert not failures, "\n".join(failures)


def test_weights_only_files_convert_and_load_legacy_weights_maps_them(tmp_path):
    legacy_model = DATA / "2.2.4" / "gru.h5"
    legacy_weights = DATA / "2.2.4" / "gru.weights.h5"
    converted = tmp_path / "gru.keras"
    assert convert_model_file(legacy_model, converted).ok
    new_weights = tmp_path / "gru.weights.h5"
    report = convert_model_file(legacy_weights, new_weights, weights_only=True, config=converted)
    assert report.ok and report.written, report.format()
    result = run_worker([_job(converted, legacy_model, weights=str(new_weights))], tmp_path, "weights")
    result = result[str(converted)]
    assert result["ok"] and result["max_diff"] <= TOLERANCE, result
    result = run_worker([_job(converted, legacy_model, legacy_weights=str(legacy_weights))], tmp_path,
                        "legacy_weights")[str(converted)]
    assert result["ok"] and result["max_diff"] <= TOLERANCE, result
    assert any("hard_sigmoid" in note for note in result["notes"]), result["notes"]


def test_weights_for_another_architecture_are_refused_with_every_mismatch(tmp_path):
    converted = tmp_path / "cnn.keras"
    assert convert_model_file(DATA / "2.2.4" / "cnn.h5", converted).ok
    report = convert_model_file(DATA / "2.2.4" / "gru.weights.h5", tmp_path / "x.weights.h5",
                                weights_only=True, config=converted)
    assert not report.ok and not (tmp_path / "x.weights.h5").exists()
    assert "(weights)" in report.format()


def test_functional_layer_order_matches_keras(tmp_path):
    """The weights file names same-class layers by their order in model.layers: compare the
    computed order with live Keras on every functional test model."""
    script = tmp_path / "order.py"
    script.write_text(
        "import json, os, sys\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport tensorflow as tf\n"
        "for path in sys.argv[1:]:\n"
        "    model = tf.keras.models.load_model(path, compile=False)\n"
        "    print(json.dumps([path, [layer.name for layer in model.layers]]))\n")
    from kmigrate.models.config import functional_layer_order
    from kmigrate.models.legacy_file import read_legacy_file

    expected = {}
    for case in legacy_cases():
        config = read_legacy_file(case.source).model_config
        if config is None or config["class_name"] != "Model":
            continue
        converted = tmp_path / (case.label.replace("/", "-") + ".keras")
        assert convert_model_file(case.source, converted).ok
        expected[str(converted)] = functional_layer_order(config["config"])
    assert len(expected) >= 3
    completed = subprocess.run([sys.executable, str(script), *expected], capture_output=True, text=True, check=False,
                               timeout=600)
    seen = dict(json.loads(line) for line in completed.stdout.splitlines() if line.startswith("["))
    assert seen.keys() == expected.keys(), completed.stderr[-2000:]
    for path, order in expected.items():
        assert seen[path] == order, path
