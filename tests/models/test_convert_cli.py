"""``kmigrate convert-model`` and ``convert_model_file`` without TensorFlow: files written (or not),
exit statuses, problems by layer, the input never modified, no TensorFlow imported."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import h5py
import pytest
from click.testing import CliRunner

from kmigrate.models.cli import convert_model
from kmigrate.models.convert import convert_model_file

DATA = Path(__file__).parent / "data"
GRU = DATA / "2.2.4" / "gru.h5"
LAMBDA = DATA / "2.2.4" / "lambda_layer.h5"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str):
    return CliRunner().invoke(convert_model, [str(a) for a in args], catch_exceptions=False)


def test_one_file_to_keras_with_the_keras3_layout(tmp_path):
    before = sha256(GRU)
    out = tmp_path / "gru.keras"
    result = run(GRU, out)
    assert result.exit_code == 0, result.output
    assert sha256(GRU) == before
    assert "x1.2" in result.output
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
        weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
        groups = []
        weights.visit(groups.append)
    assert config["class_name"] == "Sequential" and config["config"]["layers"][0]["class_name"] == "InputLayer"
    assert config["compile_config"]["optimizer"]["class_name"] == "Adagrad"
    assert config["config"]["layers"][1]["config"]["reset_after"] is False
    assert "layers/gru/cell/vars/0" in groups and "layers/gru_1/cell/vars/2" in groups
    assert "optimizer/vars/0" in groups
    assert [p.name for p in tmp_path.iterdir()] == ["gru.keras"]  # no temporary file left


def test_check_writes_nothing_and_reports(tmp_path):
    result = run(GRU, tmp_path / "gru.keras", "--check")
    assert result.exit_code == 0, result.output
    assert "convertible" in result.output and "change" in result.output
    assert not list(tmp_path.iterdir())


def test_unconvertible_lambda_is_reported_by_layer_with_what_to_do(tmp_path):
    before = sha256(LAMBDA)
    result = run(LAMBDA, tmp_path / "x.keras")
    assert result.exit_code == 1
    assert "PROBLEM lambda_1: Lambda layer" in result.output and "what to do:" in result.output
    assert not (tmp_path / "x.keras").exists()
    assert sha256(LAMBDA) == before


def test_a_file_that_is_not_hdf5_is_a_clear_failure_exit_1(tmp_path):
    fake = tmp_path / "model.h5"
    fake.write_text("not a model")
    result = run(fake, tmp_path / "out.keras")
    assert result.exit_code == 1
    assert "not an HDF5 file" in result.output
    empty_h5 = tmp_path / "empty.h5"
    h5py.File(empty_h5, "w").close()
    result = run(empty_h5, tmp_path / "out.keras")
    assert result.exit_code == 1 and "not one saved by Keras" in result.output


@pytest.mark.parametrize("args, message", [
    (["missing.h5"], "no such file"),
    ([str(GRU), "out.txt"], "must end in .keras"),
    ([str(GRU), "out.h5", "--format", "keras"], "--format keras"),
    ([str(GRU), "--weights"], "--weights needs --config"),
    ([str(GRU), "x.keras", "--config", "nothing.json"], "no such file"),
    ([str(DATA)], "--out DIR"),
    ([str(GRU), str(GRU)], "overwrite the input"),
])
def test_usage_errors_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(convert_model, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_folder_form_mirrors_the_tree_and_exits_1_when_one_file_fails(tmp_path):
    source = tmp_path / "models"
    (source / "sub").mkdir(parents=True)
    shutil.copy(GRU, source / "gru.h5")
    shutil.copy(DATA / "2.1.6" / "mlp.h5", source / "sub" / "mlp.h5")
    out = tmp_path / "converted"
    result = run(source, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    assert (out / "gru.keras").is_file() and (out / "sub" / "mlp.keras").is_file()
    assert "2 of 2 file(s) converted" in result.output
    shutil.copy(LAMBDA, source / "lambda.h5")
    result = run(source, "--out", tmp_path / "again", "-q", "--format", "h5")
    assert result.exit_code == 1
    assert (tmp_path / "again" / "gru.h5").is_file() and not (tmp_path / "again" / "lambda.h5").exists()
    assert "2 of 3 file(s) converted, 1 could not be" in result.output


def test_h5_output_has_keras3_legacy_layout(tmp_path):
    out = tmp_path / "gru_out.h5"
    assert run(GRU, out, "--format", "h5").exit_code == 0
    with h5py.File(out, "r") as handle:
        config = json.loads(handle.attrs["model_config"])
        names = [n.decode() for n in handle["model_weights"].attrs["layer_names"]]
        training = json.loads(handle.attrs["training_config"])
    assert config["class_name"] == "Sequential"
    assert names == ["gru_1", "gru_2", "dense_1"]
    assert training["optimizer_config"]["config"]["learning_rate"] > 0


def test_weights_only_source_without_weights_mode_says_what_to_do(tmp_path):
    result = run(DATA / "2.2.4" / "gru.weights.h5", tmp_path / "x.keras")
    assert result.exit_code == 1 and "--weights" in result.output and "--config" in result.output


def test_weights_mode_writes_keras3_weights_layout(tmp_path):
    converted = tmp_path / "gru.keras"
    assert convert_model_file(GRU, converted).ok
    out = tmp_path / "gru.weights.h5"
    result = run("--weights", DATA / "2.2.4" / "gru.weights.h5", out, "--config", converted)
    assert result.exit_code == 0, result.output
    with h5py.File(out, "r") as handle:
        assert handle["layers/gru/cell/vars/0"].shape == (3, 15)
        assert "optimizer" not in handle


def test_keras1_file_is_refused_with_a_remedy(tmp_path):
    keras1 = tmp_path / "old.h5"
    shutil.copy(GRU, keras1)
    with h5py.File(keras1, "a") as handle:
        handle.attrs["keras_version"] = "1.2.2"
    report = convert_model_file(keras1, tmp_path / "x.keras")
    assert not report.ok and "Keras 1.2.2" in report.format() and "2.2.4" in report.problems[0].todo


def test_conversion_imports_no_tensorflow_and_missing_h5py_is_explained(tmp_path):
    code = ("import sys; from pathlib import Path; from kmigrate.models.convert import convert_model_file; "
            f"r = convert_model_file(Path({str(GRU)!r}), Path({str(tmp_path / 'g.keras')!r})); "
            "assert r.ok; print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
    code = ("import sys; sys.modules['h5py'] = None; from kmigrate.cli import main; "
            f"main(['convert-model', {str(GRU)!r}, {str(tmp_path / 'h.keras')!r}])")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert completed.returncode == 2
    assert "pip install 'kmigrate[models]'" in completed.stderr
