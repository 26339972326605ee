"""The documented pre-commit hooks, run by the real `pre-commit` on a temporary repository.

pre-commit clones this checkout at its HEAD commit (so the test sees the committed
.pre-commit-hooks.yaml, as a user pinning `rev` would) and pip-installs kmigrate into its own
environment: the first run needs PyPI and takes a minute; the cache lives in the test's tmp folder.
Deselect with `-m "not precommit"`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
LEGACY = "from keras.layers.core import Dense\nimport keras\nx = keras.layers.core.Dense(3)\n"
NOTEBOOK_CELLS = [["# Legacy Keras in a notebook\n"], ["import keras\n", "from keras.layers import Dense\n", "layer = Dense(3)\n"]]

pytestmark = pytest.mark.precommit


def _committed(path: str) -> bool:
    """Whether HEAD holds ``path`` (pre-commit installs kmigrate from HEAD, not the work tree)."""
    return subprocess.run(["git", "cat-file", "-e", f"HEAD:{path}"], cwd=CHECKOUT, capture_output=True, check=False).returncode == 0


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)


def _notebook(path: Path) -> None:
    cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
        for source in NOTEBOOK_CELLS
    ]
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(document, indent=1) + "\n")


def test_hooks_block_a_legacy_commit_and_pass_the_migrated_one(tmp_path):
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    if pre_commit is None or shutil.which("git") is None:
        pytest.skip("needs git and pre-commit (pip install -e '.[test]')")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=CHECKOUT, capture_output=True, text=True, check=False)
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    with_notebook = _committed("kmigrate/notebooks.py") or _committed("kmigrate/notebooks/__init__.py")

    repo = tmp_path / "repo"
    repo.mkdir()
    env = dict(
        os.environ,
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"),
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
        NO_COLOR="1",
    )  # fmt: skip
    env.pop("VIRTUAL_ENV", None)
    # The snippet from docs/usage.md, with the checkout as the repository and HEAD as the rev.
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {CHECKOUT}\n"
        f"    rev: {head.stdout.strip()}\n"
        "    hooks:\n"
        "      - id: kmigrate\n"
        "      - id: kmigrate-check\n"
    )
    (repo / "train.py").write_text(LEGACY)
    (repo / "README.md").write_text("not Python\n")
    if with_notebook:
        _notebook(repo / "explore.ipynb")
    notebook_before = (repo / "explore.ipynb").read_text() if with_notebook else None
    assert _run(["git", "init", "-q"], repo, env).returncode == 0
    assert _run([pre_commit, "install"], repo, env).returncode == 0
    assert _run(["git", "add", "-A"], repo, env).returncode == 0

    # CI: the check-only hook fails on legacy code and writes nothing.
    check = _run([pre_commit, "run", "kmigrate-check", "--all-files"], repo, env)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "would rewrite train.py" in check.stdout
    assert (repo / "train.py").read_text() == LEGACY
    if with_notebook:
        assert "would rewrite explore.ipynb" in check.stdout
        assert (repo / "explore.ipynb").read_text() == notebook_before

    # A developer's commit: the rewriting hook blocks it and leaves the migrated files.
    blocked = _run(["git", "commit", "-q", "-m", "legacy"], repo, dict(env, SKIP="kmigrate-check"))
    output = blocked.stdout + blocked.stderr  # git shows the hook's output on stderr
    assert blocked.returncode != 0, output
    assert "files were modified by this hook" in output
    assert "2 files rewritten, no place needs a person." in output if with_notebook else "1 file rewritten" in output
    assert _run(["git", "rev-parse", "--verify", "-q", "HEAD"], repo, env).returncode != 0  # no commit made
    assert "from tensorflow" in (repo / "train.py").read_text()
    if with_notebook:
        migrated = json.loads((repo / "explore.ipynb").read_text())
        assert "tensorflow" in "".join(migrated["cells"][1]["source"])
        assert migrated["cells"][0] == json.loads(notebook_before)["cells"][0]

    # The migrated files pass both hooks and the commit goes through.
    assert _run(["git", "add", "-A"], repo, env).returncode == 0
    passed = _run(["git", "commit", "-q", "-m", "migrated"], repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    clean = _run([pre_commit, "run", "kmigrate-check", "--all-files"], repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
