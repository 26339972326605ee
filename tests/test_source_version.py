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
