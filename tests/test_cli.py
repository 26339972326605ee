"""The command line: every mode and exit status, stdin, JSON, discovery and the pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kmigrate.cli import main

LEGACY = "from keras.layers.core import Dense\nimport keras\nx = keras.layers.core.Dense(3)\n"
MIGRATED = "from tensorflow.keras.layers import Dense\nfrom tensorflow import keras\nx = keras.layers.Dense(3)\n"
FLAGGED = "from keras.wrappers.scikit_learn import KerasClassifier\nclf = KerasClassifier(build_fn=make)\n"


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "train.py").write_text(LEGACY)
    (tmp_path / "clean.py").write_text("import numpy as np\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(LEGACY)
    for skipped in (".git", "venv", "build", "__pycache__", "site-packages"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "legacy.py").write_text(LEGACY)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return tmp_path


def test_in_place_rewrites_and_exits_1(project):
    result = invoke(str(project))
    assert result.exit_code == 1
    assert (project / "train.py").read_text() == MIGRATED
    assert (project / "pkg" / "model.py").read_text() == MIGRATED
    for skipped in (".git", "venv", "build", "__pycache__", "site-packages"):
        assert (project / skipped / "legacy.py").read_text() == LEGACY
    assert "3 files scanned, 2 rewritten, 1 skipped, 0 findings, 0 errors" in result.stderr


def test_second_run_exits_0_and_changes_nothing(project):
    invoke(str(project))
    before = (project / "train.py").read_text()
    result = invoke(str(project))
    assert result.exit_code == 0
    assert (project / "train.py").read_text() == before
    assert "0 rewritten" in result.stderr


def test_diff_writes_nothing_and_exits_1(project):
    result = invoke("--diff", str(project / "train.py"))
    assert result.exit_code == 1
    assert (project / "train.py").read_text() == LEGACY
    assert "-from keras.layers.core import Dense" in result.stdout
    assert "+from tensorflow.keras.layers import Dense" in result.stdout
    assert "would be rewritten" in result.stderr


def test_diff_is_coloured_only_when_asked_or_on_a_terminal(project):
    plain = invoke("--diff", str(project / "train.py"))
    assert "\x1b[" not in plain.stdout
    coloured = invoke("--diff", "--color", str(project / "train.py"))
    assert "\x1b[32m+from tensorflow" in coloured.stdout


def test_check_lists_files_and_exits_1(project):
    result = invoke("--check", str(project))
    assert result.exit_code == 1
    assert f"would rewrite {project / 'train.py'}" in result.stdout
    assert (project / "train.py").read_text() == LEGACY


def test_check_on_clean_tree_exits_0(tmp_path):
    (tmp_path / "a.py").write_text("from tensorflow import keras\n")
    assert invoke("--check", str(tmp_path)).exit_code == 0


def test_remaining_findings_exit_1_even_without_changes(tmp_path):
    (tmp_path / "a.py").write_text(FLAGGED)
    first = invoke(str(tmp_path))
    assert first.exit_code == 1
    second = invoke(str(tmp_path))  # marker already there: nothing changes, finding remains
    assert second.exit_code == 1
    assert "0 rewritten" in second.stderr and "1 finding" in second.stderr
    # Grouped per file: the path, then `  line:col  KMxxx  message`, then the summary.
    assert f"{tmp_path / 'a.py'}\n  1:1  KM110  use scikeras" in second.stdout
    assert "0 files rewritten, 1 place needs a person:" in second.stdout


def test_bad_file_is_reported_exit_2_and_others_still_migrate(project):
    (project / "broken.py").write_text("import keras\ndef f(:\n")
    result = invoke(str(project))
    assert result.exit_code == 2
    assert "broken.py: error: cannot parse" in result.stderr
    assert (project / "train.py").read_text() == MIGRATED
    assert (project / "broken.py").read_text() == "import keras\ndef f(:\n"


def test_stdin_to_stdout(tmp_path):
    result = invoke("-", input=LEGACY)
    assert result.exit_code == 1
    assert result.stdout == MIGRATED


def test_stdin_unchanged_is_echoed_and_exits_0():
    result = invoke("-", input="x = 1\n")
    assert result.exit_code == 0
    assert result.stdout == "x = 1\n"


def test_stdin_diff():
    result = invoke("--diff", "-", input=LEGACY)
    assert result.exit_code == 1
    assert result.stdout.startswith("--- -\n+++ -\n")


def test_json_report(project):
    (project / "flag.py").write_text(FLAGGED)
    result = invoke("--format", "json", "--diff", str(project))
    report = json.loads(result.stdout)
    assert report["summary"]["changed"] == 3
    diagnostics = report["diagnostics"]
    assert {"path", "line", "column", "rule", "message", "fixed"} <= set(diagnostics[0])
    fixed = [d for d in diagnostics if d["fixed"]]
    findings = [d for d in diagnostics if not d["fixed"]]
    assert any(d["rule"] == "KM103" and d["line"] == 1 for d in fixed)
    assert [d["rule"] for d in findings] == ["KM110"]


def test_usage_errors_exit_2(project):
    assert invoke().exit_code == 2
    assert invoke("--diff", "--check", str(project)).exit_code == 2
    assert invoke(str(project / "missing.py")).exit_code == 2
    assert invoke("--select", "KM999", str(project)).exit_code == 2
    assert invoke("-", str(project)).exit_code == 2


def test_exclude(project):
    invoke("--exclude", "pkg", str(project))
    assert (project / "pkg" / "model.py").read_text() == LEGACY
    assert (project / "train.py").read_text() == MIGRATED


def test_select_and_ignore_from_the_command_line(project):
    invoke("--select", "KM101", str(project / "train.py"))
    text = (project / "train.py").read_text()
    assert "from tensorflow import keras" in text
    assert "from keras.layers.core import Dense" in text


def test_pyproject_configuration(project):
    (project / "pyproject.toml").write_text('[tool.kmigrate]\nignore = ["KM101"]\nexclude = ["pkg"]\n')
    invoke(str(project))
    text = (project / "train.py").read_text()
    assert "import keras\n" in text and "tensorflow.keras.layers" in text
    assert (project / "pkg" / "model.py").read_text() == LEGACY


def test_bad_pyproject_configuration_is_a_usage_error(project):
    (project / "pyproject.toml").write_text('[tool.kmigrate]\ntarget = "keras4"\n')
    result = invoke(str(project))
    assert result.exit_code == 2
    assert "target must be one of" in result.stderr


def test_target_option_exists_and_is_validated(project):
    assert invoke("--target", "tf_keras", "--check", str(project)).exit_code == 1
    assert invoke("--target", "keras4", str(project)).exit_code == 2


def test_parallel_run_matches_serial(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    for folder in (serial, parallel):
        folder.mkdir()
        for index in range(24):
            extra = "from keras.layers import Dense\n" if index % 2 else "import numpy\n"
            (folder / f"m{index}.py").write_text(LEGACY + extra)
    invoke("-j", "1", str(serial))
    result = invoke("-j", "2", str(parallel))
    assert result.exit_code == 1
    for index in range(24):
        assert (serial / f"m{index}.py").read_text() == (parallel / f"m{index}.py").read_text()


def test_rules_list_and_explain():
    listing = invoke("rules")
    assert listing.exit_code == 0
    assert "KM101" in listing.stdout and "import-keras-root" in listing.stdout
    explained = invoke("rules", "KM103")
    assert "Before:" in explained.stdout and "Fix safety" in explained.stdout
    assert invoke("rules", "KM000").exit_code == 2


def test_python_dash_m_and_console_script(tmp_path):
    (tmp_path / "a.py").write_text(LEGACY)
    env = dict(os.environ, NO_COLOR="1")
    completed = subprocess.run(
        [sys.executable, "-m", "kmigrate", "--check", str(tmp_path)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert completed.returncode == 1
    assert "would rewrite" in completed.stdout
    assert "kmigrate: 1 file scanned" in completed.stderr


def test_interrupt_exits_130_with_a_message(project, monkeypatch):
    import kmigrate.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run_files", interrupted)
    result = invoke(str(project))
    assert result.exit_code == 130
    assert "interrupted" in result.stderr


def test_real_interrupt_leaves_every_file_whole(tmp_path):
    import signal
    import time

    from kmigrate.pipeline import migrate_bytes
    from kmigrate.settings import Settings

    source = LEGACY * 40
    expected = migrate_bytes(source.encode(), "x.py", Settings()).output
    for index in range(300):
        (tmp_path / f"m{index}.py").write_text(source)
    process = subprocess.Popen(
        [sys.executable, "-m", "kmigrate", "-j", "2", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        # Interrupt once the run is under way: some files written, others not yet.
        if any((tmp_path / f"m{index}.py").read_text() == expected for index in range(0, 300, 7)):
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode in (1, 130), stderr  # 1: it finished before the signal
    states = {(tmp_path / f"m{index}.py").read_text() for index in range(300)}
    assert states <= {source, expected}
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".py")) == []


def test_diff_of_a_file_with_form_feeds(tmp_path):
    (tmp_path / "a.py").write_text("import keras\n\x0c\ndef f():\n    return keras\n")
    result = invoke("--diff", str(tmp_path / "a.py"))
    assert "No newline" not in result.stdout
    assert "+from tensorflow import keras\n" in result.stdout


def test_pool_results_come_in_path_order_although_the_largest_files_go_first(tmp_path):
    from kmigrate.runner import POOL_THRESHOLD, Mode, run_all
    from kmigrate.settings import Settings

    paths = []
    for index in range(POOL_THRESHOLD + 4):
        path = tmp_path / f"m{index:02}.py"
        # Sizes rise and fall, so size order and path order differ.
        path.write_text("from keras.layers.core import Dense\n" + "x = 1\n" * ((index * 7) % 11) * 50)
        paths.append(str(path))
    results = list(run_all(paths, Settings(), Mode.CHECK, jobs=2))
    assert [r.path for r in results] == paths
    assert all(r.status.value == "changed" for r in results)


def test_pool_batches_hold_every_file_once_largest_first_in_batches_of_equal_bytes():
    from kmigrate.runner import _batches

    sizes = [5000, 10, 300, 4000, 20, 20, 9000, 700] * 30
    order = sorted(range(len(sizes)), key=lambda index: -sizes[index])
    batches = _batches(order, sizes, workers=2)
    assert [index for batch in batches for index in batch] == order
    budget = sum(sizes) // (2 * 24)
    assert all(sum(sizes[i] for i in batch) >= budget for batch in batches[:-1])
    # Files above the budget go alone; the small ones at the end share batches.
    assert all(len(batch) == 1 for batch in batches if sizes[batch[0]] >= budget)
    assert len(batches[-1]) > 1


def test_markers_left_by_an_earlier_run_are_counted_on_the_next(tmp_path):
    """A second run cannot find legacy-only problems again (the code reads tf.keras now), but
    the markers the first run left are still places for a person: the report says so, without
    changing the exit status of a run that has nothing left to rewrite."""
    path = tmp_path / "train.py"
    path.write_text("from keras.optimizers import RMSprop\nopt = RMSprop(lr=0.01)\n")
    invoke(str(path))
    assert "# kmigrate: KM313" in path.read_text()
    result = invoke("--check", str(path))
    assert result.exit_code == 0
    assert "1 marker from an earlier run still in 1 file" in result.output
    report = json.loads(invoke("--check", "--format", "json", str(path)).stdout)
    assert report["files"][0]["earlier_markers"] == 1


def test_no_earlier_marker_note_for_clean_code(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(MIGRATED)
    result = invoke("--check", str(path))
    assert "earlier run" not in result.output
