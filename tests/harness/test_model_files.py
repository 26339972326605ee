"""Model files made by genuine Keras 2.1.6 / 2.2.4 / 2.3.1 (tests/data/legacy_models), converted
with `kmigrate convert-model`'s API, load in a FRESH TF 2.21 process with plain
`tf.keras.models.load_model` (no custom_objects, nothing imported first) and predict what the
legacy model predicted (1e-6), again after a .keras re-save loaded in another fresh process.
Also the plumbing of `kmigrate verify --models` (kmigrate/harness/model_files.py).

The committed files need only TF 2.21; the end-to-end check of `verify --models` runs the legacy
runtime: marked `verify`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from kmigrate.harness import legacy_models, model_files, provision

DATA = Path(__file__).resolve().parents[1] / "data" / "legacy_models"
VERSIONS = provision.SUPPORTED_KERAS_VERSIONS
# The weight-only file holds the weights of this architecture (same layer names).
WEIGHTS_ARCHITECTURE = {"cnn_weights": "cnn_sequential"}


def committed_jobs() -> list[model_files.ModelFileJob]:
    jobs = []
    for version in VERSIONS:
        folder = DATA / version
        for entry in legacy_models.read_manifest(folder)["models"]:
            common = dict(inputs=[folder / n for n in entry["inputs"]], predictions=[folder / entry["predictions"]])
            if entry["weights_only"]:
                architecture = folder / f"{WEIGHTS_ARCHITECTURE[entry['name']]}.h5"
                jobs.append(model_files.ModelFileJob(f"{version}/{entry['name']}", folder / entry["file"],
                                                     architecture=architecture, **common))
                continue
            for suffix in (".keras", ".h5"):  # .keras by default, .h5 on request
                jobs.append(model_files.ModelFileJob(f"{version}/{entry['name']}{suffix}", folder / entry["file"],
                                                     suffix=suffix, **common))
    return jobs


JOBS = committed_jobs()
# Cases the converter does not handle yet, with what it does instead. Strict: when the converter
# learns one, the test fails until the entry is removed.
KNOWN_CONVERTER_GAPS: dict[str, str] = {}  # job name -> what the converter does instead


def job_param(job):
    gap = KNOWN_CONVERTER_GAPS.get(job.name)
    return pytest.param(job.name, marks=pytest.mark.xfail(reason=gap, strict=True)) if gap else job.name


@pytest.fixture(scope="module")
def committed_results(tmp_path_factory):
    """Every committed file converted, then checked in two fresh TF 2.21 processes (109 checks; 1-4 min
    on the shared 2-core machine, most of it loading and saving models)."""
    pytest.importorskip("tensorflow")
    sources = {job.legacy_file: job.legacy_file.read_bytes() for job in JOBS}
    results = model_files.check_model_files(JOBS, tmp_path_factory.mktemp("model_files"))
    # The converter only reads its input.
    assert all(path.read_bytes() == data for path, data in sources.items())
    return {result.name: result for result in results}


@pytest.mark.parametrize("name", [job_param(job) for job in JOBS])
def test_converted_legacy_file_predicts_the_legacy_predictions_in_a_fresh_process(committed_results, name):
    result = committed_results[name]
    assert result.converted, f"{name}: {result.describe()}"
    assert result.loaded, f"{name}: {result.describe()}"
    assert result.max_diff is not None and result.max_diff <= 1e-6, f"{name}: {result.describe()}"
    assert result.reloaded and result.reload_max_diff <= 1e-6, f"{name}: {result.describe()}"
    assert result.outcome == model_files.EQUAL


def test_every_version_and_model_kind_is_checked():
    names = {job.name for job in JOBS}
    assert len(names) == len(JOBS)
    for version in VERSIONS:
        assert f"{version}/gru.keras" in names and f"{version}/bidirectional_lstm.h5" in names
        assert f"{version}/cnn_weights" in names
    assert "2.1.6/keras1_merge.keras" in names


# --------------------------------------------------------------------------
# The fresh-process check itself (no converter involved)

def copy_fixture_files(tmp_path, version, name):
    entry = next(m for m in legacy_models.read_manifest(DATA / version)["models"] if m["name"] == name)
    for file_name in (entry["file"], *entry["inputs"], entry["predictions"]):
        shutil.copy(DATA / version / file_name, tmp_path / file_name)
    return entry


def test_fresh_check_loads_predicts_resaves_and_reports_a_difference(tmp_path):
    """Keras 2.3.1's functional two-input file loads in TF 2.21 as it is: the one legacy file that does."""
    pytest.importorskip("tensorflow")
    entry = copy_fixture_files(tmp_path, "2.3.1", "functional_two_inputs")
    wrong = tmp_path / "wrong.npy"
    np.save(wrong, np.load(tmp_path / entry["predictions"]) + 0.5)
    common = {"inputs": [str(tmp_path / n) for n in entry["inputs"]], "model": str(tmp_path / entry["file"])}
    jobs = [
        {"name": "right", **common, "predictions": [str(tmp_path / entry["predictions"])],
         "resave": str(tmp_path / "again" / "right.keras")},
        {"name": "wrong", **common, "predictions": [str(wrong)]},
        {"name": "missing", **common, "model": str(tmp_path / "nope.keras"),
         "predictions": [str(wrong)]},
    ]
    results = model_files.run_fresh_check(jobs, tmp_path / "work")
    assert results["right"]["loaded"] and results["right"]["max_diff"] == 0.0 and results["right"]["resaved"]
    assert (tmp_path / "again" / "right.keras").is_file()
    assert results["wrong"]["max_diff"] == pytest.approx(0.5, abs=1e-6)
    assert not results["missing"]["loaded"] and results["missing"]["error"].startswith("load_model:")


def test_fresh_check_imports_nothing_of_kmigrate(tmp_path):
    env = model_files.fresh_process_environment()
    assert "PYTHONPATH" not in env and "TF_USE_LEGACY_KERAS" not in env
    imports = [line.split()[1] for line in model_files.CHECK_SCRIPT.read_text().splitlines()
               if line.strip().startswith(("import ", "from "))]
    assert imports and not [name for name in imports if name.startswith("kmigrate")]


# --------------------------------------------------------------------------
# Outcomes and the verify report

def test_outcomes():
    equal = model_files.ModelFileResult("a", converted=True, loaded=True, max_diff=3e-8, reloaded=True,
                                        reload_max_diff=0.0)
    assert equal.outcome == model_files.EQUAL
    assert equal.describe() == "model file: converted, predictions equal (max diff 3.0e-08; after re-save 0.0e+00)"
    drift = model_files.ModelFileResult("b", converted=True, loaded=True, max_diff=2e-3, reloaded=True,
                                        reload_max_diff=2e-3)
    assert drift.outcome == model_files.DIFFERS and "DIFFER (max diff 2.0e-03" in drift.describe()
    lost_on_resave = model_files.ModelFileResult("c", converted=True, loaded=True, max_diff=0.0, reloaded=True,
                                                 reload_max_diff=1e-2)
    assert lost_on_resave.outcome == model_files.DIFFERS
    refused = model_files.ModelFileResult("d", problems=["lambda_1: Lambda with marshalled code"])
    assert refused.outcome == model_files.NOT_CONVERTED
    assert refused.describe() == "model file: not converted: lambda_1: Lambda with marshalled code"
    crashed = model_files.ModelFileResult("e", error="convert_model_file(x.h5) raised KeyError: 'config'")
    assert crashed.outcome == model_files.DIFFERS and "conversion failed" in crashed.describe()
    report = model_files.ModelFilesReport([equal, refused], {"gan": "the legacy run saved no model file"})
    assert report.passed
    text = report.render_text()
    assert "gan  " in text and "1 equal, 1 not converted (reported by the converter), 0 differ, 1 not checked" in text
    assert not model_files.ModelFilesReport([equal, drift], {}).passed
    assert json.loads(json.dumps(report.to_json()))["results"][1]["outcome"] == "not converted"


def test_fixture_jobs_read_what_the_legacy_worker_recorded(tmp_path):
    def legacy_run(name, probe, with_model=True):
        folder = tmp_path / "runs" / name / "legacy"
        folder.mkdir(parents=True)
        if with_model:
            (folder / model_files.LEGACY_MODEL_FILE).write_bytes(b"h5")
        if probe is not None:
            (folder / model_files.MODEL_FILE_PROBE).write_text(json.dumps(probe))

    legacy_run("mlp", {"inputs": ["model_file.inputs.0.npy"], "predictions": ["model_file.predictions.0.npy"],
                       "batch_size": None})
    legacy_run("stateful", {"inputs": ["model_file.inputs.0.npy"], "predictions": ["model_file.predictions.0.npy"],
                            "batch_size": 8})
    legacy_run("no_x", {"error": "KeyError: 'x'"})
    legacy_run("crashed", None, with_model=False)
    jobs, skipped = model_files.fixture_jobs(tmp_path, ["mlp", "stateful", "no_x", "crashed"])
    assert [job.name for job in jobs] == ["mlp", "stateful"]
    assert jobs[1].batch_size == 8 and jobs[0].inputs == [tmp_path / "runs/mlp/legacy/model_file.inputs.0.npy"]
    assert skipped == {"no_x": "legacy predictions failed: KeyError: 'x'",
                       "crashed": "the legacy run saved no model file"}


# --------------------------------------------------------------------------
# `kmigrate verify --models` end to end (legacy runtime)

@pytest.mark.verify
def test_verify_models_converts_each_fixture_model_file(tmp_path):
    from click.testing import CliRunner

    from kmigrate.harness.cli import verify

    fixtures = ["mlp_keras1_sgd", "embedding_lstm_sentiment", "functional_two_inputs_merge",
                "stateful_lstm_batch_input_shape"]
    done = CliRunner().invoke(verify, [*fixtures, "--models", "--format", "json",
                                       "--keep-scratch", str(tmp_path / "scratch")])
    document = json.loads(done.output[done.output.index("{"):])
    results = {r["name"]: r for r in document["model_files"]["results"]}
    assert sorted(results) == sorted(fixtures)
    for name, result in results.items():
        assert result["outcome"] == "equal", result["summary"]
        assert result["max_diff"] <= 1e-6 and result["reload_max_diff"] <= 1e-6
    assert document["passed"] and done.exit_code == 0, done.output[-3000:]
    assert (tmp_path / "scratch" / "runs" / "mlp_keras1_sgd" / "legacy" / "model_file.predictions.0.npy").is_file()
