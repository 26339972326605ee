"""End to end on ordinary scripts: Keras 2.2.4's own examples (downloaded once from the sdist on PyPI)
run under genuine Keras 2.2.4 and, migrated by kmigrate, under TF 2.21.  Marked `verify` (about 3 min)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kmigrate.harness import examples, provision, runner, script_report, scripts

pytestmark = pytest.mark.verify

CHOSEN = ("mnist_mlp", "mnist_cnn", "imdb_lstm", "mnist_siamese", "babi_rnn")


@pytest.fixture(scope="module")
def legacy_runtime():
    return provision.ensure_legacy_runtime()


@pytest.fixture(scope="module")
def example_folder():
    return examples.keras_examples()


def swap_activation(path: Path) -> None:
    """A silent numerical break: the first convolution of mnist_cnn gets another activation."""
    source = path.read_text()
    assert "activation='relu',\n" in source
    path.write_text(source.replace("activation='relu',\n", "activation='elu',\n", 1))


def test_keras_examples_reach_their_levels_and_a_broken_migration_is_never_verified(
        legacy_runtime, example_folder, tmp_path):
    programs = [runner.Fixture(name, example_folder / f"{name}.py") for name in CHOSEN]
    broken = tmp_path / "mnist_cnn_broken.py"
    shutil.copy(example_folder / "mnist_cnn.py", broken)
    programs.append(runner.Fixture("mnist_cnn_broken", broken))

    def break_one(path: Path) -> None:
        if path.name == broken.name:
            swap_activation(path)

    report = scripts.run_script_verification(programs, scripts.ScriptOptions(
        legacy_runtime=legacy_runtime, scratch_dir=tmp_path / "scratch", post_migrate=break_one))
    text = script_report.render_text(report)
    result = {r.name: r for r in report.scripts}
    assert report.runtimes["legacy"]["keras"] == "2.2.4" and report.runtimes["modern"]["tensorflow"] == "2.21.0"
    for name in ("mnist_mlp", "mnist_cnn", "imdb_lstm", "mnist_siamese", "mnist_cnn_broken"):
        assert result[name].legacy["kind"] == "completed", text
    # CNN (Adadelta) and LSTM (legacy hard_sigmoid gates, dropout recorded and switched off): same numbers.
    assert (result["mnist_cnn"].level, result["mnist_cnn"].status) == (3, scripts.VERIFIED), text
    assert (result["imdb_lstm"].level, result["imdb_lstm"].status) == (3, scripts.VERIFIED), text
    assert result["mnist_cnn"].loss_diff < 1e-5
    # MLP and the functional siamese model (shared base network, Lambda distance) keep their architecture;
    # they train with RMSprop, whose Keras 3 form is only close to the legacy one (epsilon placement).
    for name in ("mnist_mlp", "mnist_siamese"):
        assert result[name].level >= 2, text
    assert result["mnist_siamese"].models == 2  # the base network, called first, then the siamese model
    # The data of babi_rnn has to be downloaded: said so, on both sides, at the same line.
    assert result["babi_rnn"].legacy["kind"] == "needs-network" and result["babi_rnn"].level == 1
    assert "needs data from the network (https://s3.amazonaws.com/text-datasets/babi" in result["babi_rnn"].reason
    # The same architecture but another activation: caught by the numbers, never verified.
    assert result["mnist_cnn_broken"].level == 2 and result["mnist_cnn_broken"].status == scripts.DIFFERS, text
    assert result["mnist_cnn_broken"].loss_diff > 1e-4
    assert not report.passed


def test_cli_runs_scripts_and_reports_json(example_folder, tmp_path):
    done = subprocess.run([sys.executable, "-m", "kmigrate", "verify", "--format", "json",
                           str(example_folder / "babi_memnn.py")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    [script] = data["scripts"]
    assert script["name"] == "babi_memnn" and script["legacy"]["kind"] == "needs-network"
    assert script["level"] == 1 and script["status"] == "verified"
