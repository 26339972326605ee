"""`kmigrate verify` as a new user meets it: kmigrate built into a wheel and installed into a fresh
virtual environment without the `verify` extra (no TensorFlow is ever installed here).

Builds the wheel from a copy of the files the build reads (about 5-10 s: pip fetches setuptools for the
isolated build), then installs it and the light dependencies with `pip install --no-deps` (from PyPI or
pip's cache).  Marked `wheel`: deselect with `-m "not wheel"` when offline.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "programs"
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
# The harness runs these by path in other interpreters, or reads them: they must be in the wheel.
HARNESS_FILES = ("worker.py", "legacy_compat.py", "script_runtime.py", "model_file_check.py",
                 "legacy_model_builders.py", "legacy-requirements.txt")
# kmigrate's dependencies (pyproject [project].dependencies), at the versions of this environment.
LIGHT_DEPENDENCIES = ("click", "libcst", "PyYAML", "packaging")
EXTRA_ADVICE = "pip install 'kmigrate[verify]'"


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=600, **kwargs)


def pip_install(venv_python: Path, *requirements: str) -> None:
    done = run([sys.executable, "-m", "pip", "--python", venv_python, "install", "-q", "--no-deps",
                "--disable-pip-version-check", *requirements])
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        shutil.copy2(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "kmigrate", source / "kmigrate", ignore=ignore)
    shutil.copytree(FIXTURES, source / "fixtures" / "programs", ignore=ignore)
    out = tmp_path_factory.mktemp("wheel")
    done = run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-q", "--disable-pip-version-check",
                "-w", out])
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("kmigrate-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel and kmigrate's light dependencies only: no NumPy, no TensorFlow."""
    root = tmp_path_factory.mktemp("venv")
    done = run([sys.executable, "-m", "venv", "--without-pip", root])
    assert done.returncode == 0, done.stderr
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in LIGHT_DEPENDENCIES]
    pip_install(root / "bin" / "python", str(wheel), *pins)
    return root


def kmigrate(venv: Path, *args: str, cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    if extra_path:
        env["PYTHONPATH"] = str(extra_path)
    return run([venv / "bin" / "kmigrate", *args], cwd=cwd, env=env)


def test_the_wheel_carries_every_fixture_as_it_is_in_the_repository(wheel):
    with zipfile.ZipFile(wheel) as archive:
        bundled = {Path(name).name: archive.read(name) for name in archive.namelist()
                   if name.startswith("kmigrate/harness/fixture_programs/")}
        names = set(archive.namelist())
    assert bundled == {path.name: path.read_bytes() for path in FIXTURES.glob("*.py")}
    assert {f"kmigrate/harness/{name}" for name in HARNESS_FILES} <= names


def test_without_the_extra_verify_says_to_install_it(venv, tmp_path):
    done = kmigrate(venv, "verify", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "numpy and tensorflow are not installed" in done.stderr and EXTRA_ADVICE in done.stderr
    assert kmigrate(venv, "verify", "--help", cwd=tmp_path).returncode == 0


def test_the_bundled_fixtures_are_listed_without_any_runtime(venv, tmp_path):
    done = kmigrate(venv, "verify", "--list", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [entry["name"] for entry in listed] == sorted(path.stem for path in FIXTURES.glob("*.py"))
    assert {entry["kind"] for entry in listed} == {"fixture"}
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    assert all(Path(entry["path"]).parent == site_packages / "kmigrate" / "harness" / "fixture_programs"
               for entry in listed)


def test_own_programs_and_bundled_names_together(venv, tmp_path):
    mine = tmp_path / "my_programs"
    mine.mkdir()
    (mine / "train.py").write_text("from keras.models import Sequential\nmodel = Sequential()\n")
    done = kmigrate(venv, "verify", "--list", "mlp_keras1_sgd", str(mine), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    assert [(row[0], row[1]) for row in rows] == [("mlp_keras1_sgd", "fixture"), ("train", "script")]
    unknown = kmigrate(venv, "verify", "--list", "no_such_fixture", cwd=tmp_path)
    assert unknown.returncode == 2 and "fixture_programs" in unknown.stderr and "Traceback" not in unknown.stderr


def test_with_numpy_but_no_tensorflow_it_says_so_then_with_both_it_finds_the_fixtures(venv, tmp_path):
    pip_install(venv / "bin" / "python", f"numpy=={importlib.metadata.version('numpy')}")
    done = kmigrate(venv, "verify", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "tensorflow is not installed" in done.stderr and EXTRA_ADVICE in done.stderr
    assert "numpy" not in done.stderr.split(":")[1]
    # A stand-in `tensorflow` (TensorFlow itself is too big for this test): the run gets past the extras
    # and the discovery of the bundled fixtures, and stops where the legacy runtime is needed.
    stub = tmp_path / "stub"
    (stub / "tensorflow").mkdir(parents=True)
    (stub / "tensorflow" / "__init__.py").write_text("")
    done = kmigrate(venv, "verify", "--legacy-python", str(tmp_path / "absent-python"), cwd=tmp_path,
                    extra_path=stub)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"kmigrate verify: --legacy-python {tmp_path / 'absent-python'}: no such file"


@pytest.mark.verify
def test_the_installed_harness_verifies_a_bundled_fixture(wheel, tmp_path):
    """The wheel's files as pip lays them out (a --target folder first on the path, no checkout around it),
    run by this environment's interpreter, which has TensorFlow 2.21: the bundled fixture is found,
    migrated by the installed kmigrate and verified against the legacy runtime."""
    from kmigrate.harness import provision

    provision.ensure_legacy_runtime()  # provisioned once, in the default cache (as `kmigrate verify` does)
    installed = tmp_path / "site"
    done = run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
                "--target", installed, wheel])
    assert done.returncode == 0, done.stdout + done.stderr
    env = {**os.environ, "PYTHONPATH": str(installed)}
    done = run([sys.executable, "-m", "kmigrate", "verify", "mlp_keras1_sgd", "-j", "1", "--format", "json"],
               cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    (fixture,) = json.loads(done.stdout)["fixtures"]
    assert Path(fixture["path"]) == installed / "kmigrate" / "harness" / "fixture_programs" / "mlp_keras1_sgd.py"
