"""Fixture discovery, migration through kmigrate's real CLI, and the rendered report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kmigrate.harness import compare, migration, report, runner
from kmigrate.harness.compare import Check
from kmigrate.harness.runner import Fixture, FixtureResult, Migration, VerifyReport

LEGACY_PROGRAM = "from keras.models import Sequential\nfrom keras.layers.core import Dense\nimport numpy as np\n"


def test_all_fixtures_are_discovered_by_default():
    fixtures = runner.discover_fixtures()
    assert len(fixtures) >= 30
    assert all(f.path.parent == runner.CHECKOUT_FIXTURE_DIR for f in fixtures)


def test_fixtures_by_name_path_and_folder(tmp_path):
    own = tmp_path / "mine.py"
    own.write_text(LEGACY_PROGRAM)
    found = runner.discover_fixtures(("mlp_keras1_sgd", str(own)))
    assert [f.name for f in found] == ["mlp_keras1_sgd", "mine"]
    assert [f.name for f in runner.discover_fixtures((str(tmp_path),))] == ["mine"]
    with pytest.raises(runner.HarnessError, match="no program 'nope'"):
        runner.discover_fixtures(("nope",))
    with pytest.raises(runner.HarnessError, match="unique"):
        runner.discover_fixtures((str(own), str(own)))


def test_migration_runs_the_real_cli_on_a_copy(tmp_path):
    source = tmp_path / "src" / "prog.py"
    source.parent.mkdir()
    source.write_text(LEGACY_PROGRAM)
    migrations = runner.migrate_all([Fixture("prog", source)], tmp_path / "scratch", "2.2.4", (), None)
    migration = migrations["prog"]
    assert source.read_text() == LEGACY_PROGRAM  # the original is never touched
    assert migration.path == tmp_path / "scratch" / "migrated" / "prog" / "prog.py"
    assert migration.exit_code in (0, 1) and not migration.error
    assert migration.changed and "tensorflow.keras" in migration.path.read_text()
    assert "+from tensorflow.keras" in migration.diff
    assert 'from-version = "2.2.4"' in (tmp_path / "scratch" / "migrated" / "pyproject.toml").read_text()


def test_post_migrate_hook_sees_the_migrated_file(tmp_path):
    source = tmp_path / "prog.py"
    source.write_text(LEGACY_PROGRAM)
    seen = []
    runner.migrate_all([Fixture("prog", source)], tmp_path / "scratch", "2.2.4", (), seen.append)
    assert seen == [tmp_path / "scratch" / "migrated" / "prog" / "prog.py"]


def test_keep_scratch_never_empties_a_foreign_folder(tmp_path):
    (tmp_path / "precious.txt").write_text("user data")
    options = runner.VerifyOptions(legacy_runtime=None, scratch_dir=tmp_path)  # type: ignore[arg-type]
    with pytest.raises(runner.HarnessError, match="refusing to empty"):
        runner.run_verification([], options)
    assert (tmp_path / "precious.txt").read_text() == "user data"


def test_a_crashing_cli_is_a_tool_error_even_with_exit_status_1():
    crash = subprocess.CompletedProcess([], 1, "", "Traceback (most recent call last):\n  boom\n")
    assert migration.crashed(crash)
    assert not migration.crashed(subprocess.CompletedProcess([], 1, "prog.py: rewritten\n", ""))
    assert migration.crashed(subprocess.CompletedProcess([], 2, "", "error"))


def make_report(passed: bool) -> VerifyReport:
    good = FixtureResult("good_fixture", "/f/good.py", [
        Check("migrate", compare.PASS), Check("legacy_run", compare.PASS), Check("migrated_run", compare.PASS),
        Check("train", compare.PASS, 1.2e-7, 1e-5), Check("probe", compare.PASS, 0.0, 1e-6),
        Check("roundtrip_keras", compare.PASS, 0.0, 0.0),
        Check("resume", compare.SKIP, None, 0.0, "not comparable: compiled twice"),
    ], Migration(Path("/s/good.py"), 1, True))
    bad = FixtureResult("bad_fixture", "/f/bad.py", [
        Check("migrate", compare.PASS), Check("legacy_run", compare.PASS), Check("migrated_run", compare.PASS),
        Check("train", compare.FAIL if not passed else compare.PASS, 2.1e-3, 1e-5, "loss: max |diff| 0.0021"),
    ], Migration(Path("/s/bad.py"), 1, True, output="bad.py:3:1: KM201 lr"))
    return VerifyReport([good, bad], 12.5, 0.0, {"legacy": {"keras": "2.2.4", "tensorflow": "2.15.1"},
                                                 "modern": {"keras": "3.15.1", "tensorflow": "2.21.0"}}, "/tmp/s")


def test_text_report_table_and_failures():
    text = report.render_text(make_report(passed=False))
    rows = {line.split()[0]: line.split() for line in text.splitlines() if line.startswith(("good_", "bad_"))}
    assert rows["good_fixture"][1:4] == ["yes", "ok", "ok"] and rows["good_fixture"][-1] == "pass"
    assert "1.2e-07" in rows["good_fixture"] and "n/c" in rows["good_fixture"]
    assert "FAIL" in rows["bad_fixture"] and "2.1e-03" in rows["bad_fixture"] and rows["bad_fixture"][-1] == "FAIL"
    assert "bad_fixture train: loss: max |diff| 0.0021" in text
    assert "kmigrate: bad.py:3:1: KM201 lr" in text
    assert "good_fixture resume: compiled twice" in text
    assert text.splitlines()[-1] == "1 passed, 1 failed in 12.5 s"


def test_json_report_is_complete():
    data = json.loads(report.render_json(make_report(passed=True)))
    assert data["passed"] is True
    assert [f["name"] for f in data["fixtures"]] == ["good_fixture", "bad_fixture"]
    train = next(c for c in data["fixtures"][0]["checks"] if c["name"] == "train")
    assert train == {"name": "train", "status": "pass", "max_abs_diff": 1.2e-7, "tolerance": 1e-5, "detail": ""}
    assert data["runtimes"]["legacy"]["keras"] == "2.2.4"


def test_harness_cli_imports_without_tensorflow_or_numpy():
    code = "import sys, kmigrate.harness.cli; print('tensorflow' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_without_a_fixture_folder_the_message_says_what_to_pass(tmp_path):
    with pytest.raises(runner.HarnessError, match="--fixture-dir"):
        runner.discover_fixtures((), fixture_dir=tmp_path / "absent")
    with pytest.raises(runner.HarnessError, match="no program 'mlp'"):
        runner.discover_fixtures(("mlp",), fixture_dir=tmp_path / "absent")


def test_verify_without_the_extras_says_what_to_install(monkeypatch):
    from click.testing import CliRunner

    from kmigrate.harness import cli

    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None if name == "numpy" else object())
    result = CliRunner().invoke(cli.verify, ["whatever.py"])
    assert result.exit_code == cli.EXIT_HARNESS_ERROR
    assert "pip install 'kmigrate[verify]'" in result.output and "Traceback" not in result.output
