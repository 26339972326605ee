"""The per-file pipeline: skipping, encodings, line endings, atomic writes, bad input."""

from __future__ import annotations

import os
import stat

import libcst as cst
import pytest

from kmigrate import pipeline
from kmigrate.diagnostics import Status
from kmigrate.pipeline import migrate_bytes, migrate_path, write_atomically
from kmigrate.settings import Settings

LEGACY = b"from keras.layers.core import Dense\n"
MIGRATED = b"from tensorflow.keras.layers import Dense\n"


def test_file_without_keras_is_skipped_without_parsing(monkeypatch):
    def no_parse(*args, **kwargs):
        raise AssertionError("parsed a file that cannot involve Keras")

    monkeypatch.setattr(cst, "parse_module", no_parse)
    result = migrate_bytes(b"import numpy as np\nx = np.zeros(3)\n", "a.py", Settings())
    assert result.status is Status.SKIPPED


def test_keras_file_that_needs_nothing_is_unchanged():
    result = migrate_bytes(b"from tensorflow import keras\n", "a.py", Settings())
    assert result.status is Status.UNCHANGED


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"\xef\xbb\xbf" + LEGACY, b"\xef\xbb\xbf" + MIGRATED),  # BOM kept
        (LEGACY.replace(b"\n", b"\r\n") + b"x = 1\r\n", MIGRATED.replace(b"\n", b"\r\n") + b"x = 1\r\n"),
        (b"# -*- coding: latin-1 -*-\n" + LEGACY + b"s = '\xe9'\n",
         b"# -*- coding: latin-1 -*-\n" + MIGRATED + b"s = '\xe9'\n"),
        (LEGACY.rstrip(b"\n"), MIGRATED.rstrip(b"\n")),  # no newline at the end
    ],
)  # fmt: skip
def test_encoding_bom_and_line_endings_are_kept(before, after):
    result = migrate_bytes(before, "a.py", Settings())
    assert result.status is Status.CHANGED
    assert result.output_bytes == after


def test_syntax_error_is_reported_and_nothing_is_returned():
    result = migrate_bytes(b"import keras\ndef f(:\n", "bad.py", Settings())
    assert result.status is Status.ERROR
    assert "cannot parse" in result.error
    assert result.output is None


def test_python2_file_gets_a_hint():
    result = migrate_bytes(b"import keras\nprint 'hello'\n", "old.py", Settings())
    assert result.status is Status.ERROR
    assert "Python 2" in result.error


def test_undecodable_file_is_an_error():
    result = migrate_bytes(b"import keras\nx = '\xff\xfe'\n", "bin.py", Settings())
    assert result.status is Status.ERROR


def test_a_fixer_crash_leaves_the_file_alone(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(pipeline, "_transform", boom)
    result = migrate_bytes(LEGACY, "a.py", Settings())
    assert result.status is Status.ERROR
    assert "internal error" in result.error


def test_output_that_would_not_parse_is_never_produced(monkeypatch):
    broken = cst.parse_module("x = (\n    1\n)\n").with_changes(
        body=[cst.SimpleStatementLine([cst.Expr(cst.Name("def"))])]
    )
    monkeypatch.setattr(pipeline, "_transform", lambda *args: (broken, []))
    result = migrate_bytes(LEGACY, "a.py", Settings())
    assert result.status is Status.ERROR
    assert "does not parse" in result.error


def test_in_place_write_keeps_mode(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(LEGACY)
    path.chmod(0o751)
    result = migrate_path(str(path), Settings(), write=True)
    assert result.status is Status.CHANGED and result.written
    assert path.read_bytes() == MIGRATED
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]  # no temporary left behind


def test_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.py"
    real.write_bytes(LEGACY)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    migrate_path(str(link), Settings(), write=True)
    assert link.is_symlink()
    assert real.read_bytes() == MIGRATED


def test_failed_write_leaves_original_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "a.py"
    path.write_bytes(LEGACY)

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = migrate_path(str(path), Settings(), write=True)
    assert result.status is Status.ERROR
    assert "cannot write" in result.error
    assert path.read_bytes() == LEGACY
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]


def test_unreadable_file_is_an_error(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(LEGACY)
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything
        pytest.skip("running as a user who can read mode-0 files")
    assert migrate_path(str(path), Settings(), write=True).status is Status.ERROR


def test_write_atomically_replaces_content(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(b"old")
    write_atomically(str(path), b"new")
    assert path.read_bytes() == b"new"


def test_diagnostics_carry_positions_in_the_original():
    result = migrate_bytes(b"x = 1\n\nimport keras\ny = keras.layers.core.Dense(3)\n", "a.py", Settings())
    positions = {(d.rule, d.line, d.column) for d in result.diagnostics}
    assert ("KM101", 3, 1) in positions
    assert ("KM103", 4, 5) in positions


def test_changes_do_not_leak_between_files():
    # Imports added for one file must never appear in the next one (a known LibCST pitfall).
    first = migrate_bytes(b"from keras.layers import Dense\n", "a.py", Settings())
    second = migrate_bytes(b"import keras\n", "b.py", Settings())
    assert "Dense" not in second.output
    assert first.output == "from tensorflow.keras.layers import Dense\n"


def test_code_already_written_for_keras_3_is_left_alone():
    for source in (
        b"import keras\nfrom keras import ops\nx = ops.sum(keras.layers.Dense(3)(y))\n",
        b"import keras\nkeras.config.set_backend('jax')\n",
        b"from keras.src.layers import Dense\n",
    ):
        result = migrate_bytes(source, "k3.py", Settings())
        assert result.status is Status.SKIPPED and "Keras 3" in result.note
