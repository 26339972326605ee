"""Where the fixtures come from (the checkout's fixtures/programs, else the copy a wheel bundles) and
`kmigrate verify --list`; no runtime needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kmigrate.harness import cli, discovery
from kmigrate.harness.errors import HarnessError

PROGRAM = "from keras.models import Sequential\n"
CONTRACT = "import keras\n\ndef data():\n    pass\n\ndef build(data):\n    pass\n\ndef train(model, data):\n    pass\n"


@pytest.fixture
def folders(tmp_path, monkeypatch):
    checkout, bundled = tmp_path / "checkout" / "fixtures" / "programs", tmp_path / "site" / "fixture_programs"
    monkeypatch.setattr(discovery, "CHECKOUT_FIXTURE_DIR", checkout)
    monkeypatch.setattr(discovery, "BUNDLED_FIXTURE_DIR", bundled)
    return checkout, bundled


def test_the_checkout_folder_wins_over_the_bundled_copy(folders):
    checkout, bundled = folders
    assert discovery.default_fixture_dir() is None
    bundled.mkdir(parents=True)
    (bundled / "only_bundled.py").write_text(PROGRAM)
    assert discovery.default_fixture_dir() == bundled
    assert [f.name for f in discovery.discover_fixtures()] == ["only_bundled"]
    checkout.mkdir(parents=True)
    assert discovery.default_fixture_dir() == bundled, "an empty checkout folder is no fixture folder"
    (checkout / "in_checkout.py").write_text(PROGRAM)
    assert discovery.default_fixture_dir() == checkout
    assert [f.name for f in discovery.discover_fixtures(("in_checkout",))] == ["in_checkout"]


def test_no_fixture_folder_at_all_says_what_to_pass(folders):
    with pytest.raises(HarnessError, match="--fixture-dir"):
        discovery.discover_fixtures()


def test_an_explicit_folder_without_programs_is_an_error(tmp_path):
    (tmp_path / "_helper.py").write_text(PROGRAM)
    with pytest.raises(HarnessError, match="no programs in"):
        discovery.discover_fixtures((), fixture_dir=tmp_path)


def test_list_prints_names_kinds_and_paths_in_run_order(tmp_path):
    (tmp_path / "b_fixture.py").write_text(CONTRACT)
    (tmp_path / "a_script.py").write_text(PROGRAM)
    result = CliRunner().invoke(cli.verify, ["--list", "--fixture-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [["b_fixture", "fixture", str(tmp_path / "b_fixture.py")],
                    ["a_script", "script", str(tmp_path / "a_script.py")]]
    assert "1 contract fixtures, 1 scripts" in result.stderr
    as_json = CliRunner().invoke(cli.verify, ["--list", "--format", "json", "--mode", "script", str(tmp_path)])
    assert [(e["name"], e["kind"]) for e in json.loads(as_json.stdout)] == [("a_script", "script"),
                                                                             ("b_fixture", "script")]


def test_list_needs_neither_numpy_nor_tensorflow(monkeypatch, tmp_path):
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None)
    (tmp_path / "prog.py").write_text(PROGRAM)
    assert CliRunner().invoke(cli.verify, ["--list", str(tmp_path / "prog.py")]).exit_code == 0
    result = CliRunner().invoke(cli.verify, [str(tmp_path / "prog.py")])
    assert result.exit_code == 2 and "pip install 'kmigrate[verify]'" in result.stderr


def test_discovery_imports_nothing_heavy():
    code = ("import sys, kmigrate.harness.discovery as d; d.discover_fixtures(); "
            "print(sorted(m for m in ('numpy', 'tensorflow', 'kmigrate.harness.runner') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
