"""End to end: `kmigrate --diff` / in place / `--check` on a folder holding several dependency
files beside legacy code, and the legacy version they pin."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kmigrate.cli import main

FILES = {
    "requirements.txt": "numpy==1.14.5\nKeras==2.2.4  # model code\nkeras-contrib\n-r requirements-extra.txt\n",
    "setup.py": "from setuptools import setup\nsetup(name='faces', install_requires=['keras>=2.1.6', 'h5py'])\n",
    "setup.cfg": "[metadata]\nname = faces\n",
    "pyproject.toml": '[project]\nname = "faces"\ndependencies = [\n    "keras==2.2.4",\n]\n',
    "Pipfile": '[packages]\nkeras = "==2.2.4"\n',
    "environment.yml": "name: faces\ndependencies:\n  - python=3.6\n  - keras=2.2.4\n",
    "train.py": "from keras.models import Sequential\nmodel = Sequential()\nmodel.fit(x, y, nb_epoch=2)\n",
    "notes.txt": "keras==2.2.4 is what we used\n",
}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_diff_shows_every_dependency_file_and_writes_nothing(project):
    result = invoke("--diff", str(project))
    assert result.exit_code == 1
    out = result.output
    for name in ("requirements.txt", "setup.py", "pyproject.toml", "Pipfile", "environment.yml", "train.py"):
        assert f"+++ {project / name}" in out, name
    assert "-Keras==2.2.4  # model code\n+tensorflow>=2.16  # model code\n" in out
    assert "+setup(name='faces', install_requires=['tensorflow>=2.16', 'h5py'])" in out
    assert "+tensorflow = \">=2.16\"" in out and "+  - tensorflow>=2.16" in out
    assert "notes.txt" not in out and "setup.cfg" not in out.split("\n\n")[0]
    assert "KM703" in out and "KM705" in out  # keras-contrib; the missing include
    for name, text in FILES.items():
        assert (project / name).read_text() == text, name


def test_in_place_then_a_second_run_changes_nothing(project):
    assert invoke(str(project)).exit_code == 1
    assert (project / "requirements.txt").read_text() == (
        "numpy==1.14.5\ntensorflow>=2.16  # model code\nkeras-contrib\n-r requirements-extra.txt\n"
    )
    assert (project / "environment.yml").read_text() == "name: faces\ndependencies:\n  - python=3.6\n  - tensorflow>=2.16\n"
    again = invoke("--check", str(project))
    assert again.exit_code == 1  # the findings (keras-contrib, the missing include) remain for a person
    assert "0 would be rewritten" in again.output


def test_tf_keras_target_and_json(project):
    result = invoke("--diff", "--target", "tf_keras", "--format", "json", str(project / "Pipfile"))
    report = json.loads(result.stdout)
    assert report["target"] == "tf_keras" and report["summary"]["changed"] == 1
    assert "KM701" in json.dumps(report) and "tf-keras" in json.dumps(report)


def test_from_version_is_read_from_poetry_and_includes(tmp_path):
    from kmigrate.source_version import detect

    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.poetry.dependencies]\npython = "^3.6"\nKeras = "^2.1.6"\n')
    assert detect(tmp_path) == ("2.1.6", tmp_path / "pyproject.toml")
