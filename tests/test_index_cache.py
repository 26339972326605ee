"""The project index kept between runs: a file that has not changed is not summarized again,
one that changed or went away is, and the cache never changes an answer."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmigrate import index_cache, project
from kmigrate.cli import main
from kmigrate.kinds import Kind
from kmigrate.project import ProjectIndex

MODEL = """\
from keras.models import Sequential
from keras.layers import Dense

def build_model(n):
    model = Sequential()
    model.add(Dense(n, input_dim=4))
    return model
"""
TRAIN = """\
from model import build_model

model = build_model(3)
model.fit_generator(gen(), 10, nb_epoch=2)
"""
AN_HOUR_AGO = time.time() - 3600


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.delenv("KMIGRATE_NO_CACHE", raising=False)
    monkeypatch.setenv("KMIGRATE_CACHE_DIR", str(folder))
    return folder / "project-index"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    for name, text in {"model.py": MODEL, "train.py": TRAIN, "util.py": "def helper():\n    return 1\n"}.items():
        (root / name).write_text(text)
        os.utime(root / name, (AN_HOUR_AGO, AN_HOUR_AGO))  # older than the racy window
    return root


@pytest.fixture
def summarized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files summarized from their source (not taken from the cache)."""
    seen: list[str] = []
    original = project.summarize_file

    def counting(path: str):  # type: ignore[no-untyped-def]
        seen.append(os.path.basename(path))
        return original(path)

    monkeypatch.setattr(project, "summarize_file", counting)
    return seen


def test_unchanged_files_come_from_the_cache(cache_dir, tree, summarized):
    first = ProjectIndex.build(tree, cached=True)
    assert sorted(summarized) == ["model.py", "train.py", "util.py"]
    assert len(list(cache_dir.glob("*.pickle"))) == 1
    summarized.clear()
    second = ProjectIndex.build(tree, cached=True)
    assert summarized == []
    assert second.modules == first.modules
    assert second.lookup_qualified("model.build_model", str(tree / "train.py"), called=True) is Kind.MODEL


def test_a_changed_file_is_summarized_again_and_a_removed_one_dropped(cache_dir, tree, summarized):
    ProjectIndex.build(tree, cached=True)
    summarized.clear()
    (tree / "model.py").write_text(MODEL.replace("return model", "return n"))
    os.utime(tree / "model.py", (AN_HOUR_AGO + 60, AN_HOUR_AGO + 60))
    (tree / "util.py").unlink()
    index = ProjectIndex.build(tree, cached=True)
    assert summarized == ["model.py"]
    assert str(tree / "util.py") not in index.modules
    assert index.lookup_qualified("model.build_model", str(tree / "train.py"), called=True) is not Kind.MODEL
    summarized.clear()
    ProjectIndex.build(tree, cached=True)
    assert summarized == []  # the update was kept


def test_a_file_changed_just_now_is_not_trusted_next_time(cache_dir, tree, summarized):
    (tree / "train.py").write_text(TRAIN + "# edited\n")  # mtime: now, within the racy window
    ProjectIndex.build(tree, cached=True)
    summarized.clear()
    ProjectIndex.build(tree, cached=True)
    assert summarized == ["train.py"]


@pytest.mark.parametrize("damage", ["truncated", "another format", "another root"])
def test_a_cache_that_does_not_fit_is_rebuilt(cache_dir, tree, summarized, damage):
    ProjectIndex.build(tree, cached=True)
    [file] = cache_dir.glob("*.pickle")
    if damage == "truncated":
        file.write_bytes(file.read_bytes()[:100])
    else:
        stored = pickle.loads(file.read_bytes())
        stored["format" if damage == "another format" else "root"] = "something else"
        file.write_bytes(pickle.dumps(stored))
    summarized.clear()
    index = ProjectIndex.build(tree, cached=True)
    assert sorted(summarized) == ["model.py", "train.py", "util.py"]
    assert index.lookup_qualified("model.build_model", str(tree / "train.py"), called=True) is Kind.MODEL
    summarized.clear()
    ProjectIndex.build(tree, cached=True)
    assert summarized == []  # and written again


def test_the_cache_is_not_written_when_turned_off_or_not_writable(cache_dir, tree, monkeypatch):
    monkeypatch.setenv("KMIGRATE_NO_CACHE", "1")
    ProjectIndex.build(tree, cached=True)
    assert not cache_dir.exists()
    monkeypatch.delenv("KMIGRATE_NO_CACHE")
    cache_dir.parent.mkdir(parents=True)
    cache_dir.write_text("a file where the folder should be")
    index = ProjectIndex.build(tree, cached=True)  # no error: the cache is only a shortcut
    assert index.lookup_qualified("model.build_model", str(tree / "train.py"), called=True) is Kind.MODEL


def test_the_format_key_follows_kmigrate_code(monkeypatch):
    index_cache.format_key.cache_clear()
    key = index_cache.format_key()
    monkeypatch.setattr(index_cache, "__version__", "another")
    index_cache.format_key.cache_clear()
    try:
        assert index_cache.format_key() != key
    finally:
        index_cache.format_key.cache_clear()


def test_cli_answers_are_the_same_with_a_warm_cache_and_without_one(cache_dir, tree):
    train = str(tree / "train.py")
    runner = CliRunner()
    cold = runner.invoke(main, ["--diff", train], catch_exceptions=False).output
    assert "+model.fit(gen(), steps_per_epoch=10, epochs=2)" in cold
    assert list(cache_dir.glob("*.pickle"))
    warm = runner.invoke(main, ["--diff", train], catch_exceptions=False).output
    uncached = runner.invoke(main, ["--diff", "--no-cache", train], catch_exceptions=False).output
    assert cold == warm == uncached


def test_indexes_of_projects_unused_for_a_month_are_deleted(cache_dir, tree, tmp_path):
    cache_dir.mkdir(parents=True)
    stale, recent = cache_dir / "0123456789abcdef01234567.pickle", cache_dir / "fedcba9876543210fedcba98.pickle"
    for file in (stale, recent):
        file.write_bytes(b"an index")
    long_ago = time.time() - 40 * 24 * 3600
    os.utime(stale, (long_ago, long_ago))
    ProjectIndex.build(tree, cached=True)
    assert not stale.exists() and recent.exists()
    assert len(list(cache_dir.glob("*.pickle"))) == 2  # the tree's own, and the recent one
