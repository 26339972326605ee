"""The generator of genuine legacy model files (kmigrate/harness/legacy_models.py) and the files
it made, committed in tests/data/legacy_models/<version>/.

The checks of the committed files run in the normal suite; regenerating them needs the legacy
runtimes (Keras 2.2.4 venv + 2.1.6 / 2.3.1 target folders, provisioned on first use): marked `verify`.
"""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest

from kmigrate.harness import legacy_models, provision

DATA = Path(__file__).resolve().parents[1] / "data" / "legacy_models"
VERSIONS = provision.SUPPORTED_KERAS_VERSIONS

EVERY_VERSION = ("cnn_sequential", "mlp_batchnorm", "functional_two_inputs", "embedding_lstm", "gru",
                 "bidirectional_lstm", "keras1_cnn", "keras1_lstm", "compiled_adam_trained", "stateful_lstm",
                 "conv1d_text", "simple_rnn_time_distributed", "shared_sequential_siamese", "gru_reset_after",
                 "keras1_gru_dropout", "advanced_activations", "cnn_channels_first", "cnn_weights")
# keras.legacy.layers.Merge exists only up to 2.1.x.
EXPECTED_MODELS = {
    "2.1.6": (*EVERY_VERSION, "keras1_merge", "keras1_merge_modes"),
    "2.2.4": EVERY_VERSION,
    "2.3.1": EVERY_VERSION,
}


def manifest(version: str) -> dict:
    return legacy_models.read_manifest(DATA / version)


@pytest.mark.parametrize("version", VERSIONS)
def test_committed_files_cover_every_model_kind(version):
    found = manifest(version)
    assert found["keras_version"] == version
    assert sorted(m["name"] for m in found["models"]) == sorted(EXPECTED_MODELS[version])
    assert all(m["keras_version"] == version for m in found["models"])


@pytest.mark.parametrize("version", VERSIONS)
def test_committed_files_are_complete_genuine_and_tiny(version):
    for entry in manifest(version)["models"]:
        h5 = DATA / version / entry["file"]
        assert h5.stat().st_size < 50_000, h5
        with h5py.File(h5, "r") as stored:
            # The genuine legacy layout: keras_version attribute; whole models carry their config.
            assert stored.attrs["keras_version"] in (version, version.encode())
            assert ("model_config" in stored.attrs) == (not entry["weights_only"])
            if entry["name"] == "compiled_adam_trained":
                assert "optimizer_weights" in stored, "the trained model must keep its optimizer state"
        inputs = [np.load(DATA / version / name) for name in entry["inputs"]]
        predictions = np.load(DATA / version / entry["predictions"])
        assert all(len(x) == len(predictions) == 4 for x in inputs)
        assert np.isfinite(predictions).all() and np.ptp(predictions) > 0, entry["name"]
        # Legacy Keras loaded its own file back to the same predictions when it was made.
        assert entry["legacy_reload_max_diff"] == 0.0, entry["name"]


def test_committed_folder_stays_small():
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 1_500_000


def test_the_recurrent_files_store_the_legacy_defaults_a_converter_must_handle():
    """What makes these files hard: hard_sigmoid gates up to 2.2, sigmoid in 2.3; GRU reset_after=False."""
    def layer_config(version, name, class_name):
        with h5py.File(DATA / version / f"{name}.h5", "r") as stored:
            config = stored.attrs["model_config"]
        config = json.loads(config.decode() if isinstance(config, bytes) else config)["config"]
        layers = config["layers"] if isinstance(config, dict) else config  # 2.1: a bare list
        return next(layer["config"] for layer in layers if layer["class_name"] == class_name)

    assert layer_config("2.2.4", "embedding_lstm", "LSTM")["recurrent_activation"] == "hard_sigmoid"
    assert layer_config("2.3.1", "embedding_lstm", "LSTM")["recurrent_activation"] == "sigmoid"
    assert layer_config("2.1.6", "gru", "GRU").get("reset_after", False) is False
    assert layer_config("2.1.6", "keras1_merge", "Merge")["mode"] == "concat"


# --------------------------------------------------------------------------
# Regeneration under the real legacy runtimes

@pytest.mark.verify
@pytest.mark.parametrize("version", VERSIONS)
def test_regenerating_gives_the_committed_inputs_and_predictions(version, tmp_path):
    written = legacy_models.generate_legacy_models(version, tmp_path / version)
    regenerated = legacy_models.read_manifest(tmp_path / version)
    assert sorted(p.name for p in written) == sorted(f"{m}.h5" for m in EXPECTED_MODELS[version])
    assert regenerated["generation_seconds"] < 120
    committed = {m["name"]: m for m in manifest(version)["models"]}
    for entry in regenerated["models"]:
        assert entry["legacy_reload_max_diff"] == 0.0
        for name in (*entry["inputs"], entry["predictions"]):
            # Bit for bit: fixed seeds, one thread; training (Adam, one step) included.
            np.testing.assert_array_equal(np.load(tmp_path / version / name), np.load(DATA / version / name))
        assert entry["kind"] == committed[entry["name"]]["kind"]


@pytest.mark.verify
def test_a_model_that_does_not_exist_is_a_clear_error_and_leaves_nothing_behind(tmp_path):
    with pytest.raises(legacy_models.GenerationError, match="no_such_model: unknown model name"):
        legacy_models.generate_legacy_models("2.2.4", tmp_path / "out", only=["gru", "no_such_model"])
    assert not any((tmp_path / "out").iterdir())
    assert not list(tmp_path.glob(".out.partial-*"))


@pytest.mark.verify
def test_merge_is_skipped_where_keras_has_none(tmp_path, capsys):
    assert legacy_models.main(["--keras", "2.3.1", "--out", str(tmp_path), "--only", "keras1_merge", "gru"]) == 0
    found = legacy_models.read_manifest(tmp_path)
    assert [m["name"] for m in found["models"]] == ["gru"]
    assert found["skipped"] == [{"name": "keras1_merge", "skipped": "not in Keras 2.3.1"}]
    assert "Keras 2.3.1: 1 files" in capsys.readouterr().out
