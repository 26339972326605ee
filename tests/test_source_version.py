"""Reading the legacy Keras version from a project's own files."""

from __future__ import annotations

import json

import pytest

from kmigrate.source_version import detect, version_in_text


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("numpy\nkeras==2.2.4\n", "2.2.4"),
        ("Keras>=2.1.0,<2.3\n", "2.1.0"),
        ("install_requires=['keras==2.0.8', 'h5py']", "2.0.8"),
        ("keras-applications==1.0.8\nkeras_preprocessing==1.1.0\n", None),
        ("tf-keras==2.15.0\n", None),
        ("keras<2.3\n", None),
        ("keras==3.0.0\n", None),
        ("  - keras=2.1.6\n  - pip:\n    - keras==2.1.6\n", "2.1.6"),
    ],
)
def test_version_in_text(text, version):
    assert version_in_text(text) == version


def test_detect_walks_up_to_the_project_root(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements.txt").write_text("keras==1.2.2\n")
    (tmp_path / "src" / "models").mkdir(parents=True)
    found = detect(tmp_path / "src" / "models")
    assert found is not None and found[0] == "1.2.2"


def test_detect_stops_at_the_project_root(tmp_path):
    (tmp_path / "requirements.txt").write_text("keras==1.2.2\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert detect(project) is None


def test_detect_reads_notebook_pip_cells(tmp_path):
    (tmp_path / ".git").mkdir()
    notebook = {"cells": [{"cell_type": "code", "source": ["!pip install keras==2.1.6\n", "import keras"]}]}
    (tmp_path / "demo.ipynb").write_text(json.dumps(notebook))
    assert detect(tmp_path)[0] == "2.1.6"


# -- dependency files are read with the dependency parsers -----------------------------------

from kmigrate.source_version import version_in_file


@pytest.mark.parametrize(
    ("name", "text", "version"),
    [
        ("requirements.txt", "# keras==1.2.2 was the old pin\nkeras==2.1.6\n", "2.1.6"),  # comments never count
        ("requirements.txt", "keras-applications==1.0.8\nnumpy\n", None),
        ("setup.cfg", "[options]\ninstall_requires =\n    Keras>=2.0.5\n", "2.0.5"),
        ("pyproject.toml", '[tool.poetry.dependencies]\nkeras = "^2.2.4"\n', "2.2.4"),
        ("pyproject.toml", '[project]\ndependencies = ["keras~=2.3.0"]\n', "2.3.0"),
        ("Pipfile", '[packages]\nkeras = {version = "==2.1.3"}\n', "2.1.3"),
        ("environment.yml", "dependencies:\n  - keras=2.0.8\n", "2.0.8"),
        ("setup.py", "from setuptools import setup\nsetup(keywords='keras==1.0', install_requires=['keras==2.2.0'])\n", "2.2.0"),
        # Python 2: not parsed, so the text is searched as before
        ("setup.py", "print 'x'\nsetup(install_requires=['keras==2.0.2'])\n", "2.0.2"),
        ("Dockerfile", "RUN pip install keras==2.1.5 tensorflow==1.8\n", "2.1.5"),
    ],
)
def test_version_in_file(tmp_path, name, text, version):
    path = tmp_path / name
    path.write_text(text)
    assert version_in_file(path) == version


def test_detect_follows_requirement_includes(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("keras==2.0.9\n")
    (tmp_path / "requirements.txt").write_text("-r requirements/base.txt\n")
    assert detect(tmp_path) == ("2.0.9", tmp_path / "requirements.txt")


def test_an_unparseable_dependency_file_does_not_stop_detection(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project\n")
    (tmp_path / "requirements.txt").write_text("keras==2.2.2\n")
    assert detect(tmp_path)[0] == "2.2.2"
