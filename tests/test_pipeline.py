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
    monkeypatch.setattr(pipeline, "_transform", lambda *args: (broken.code, []))
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


def test_a_file_edited_during_the_run_keeps_the_edit(tmp_path, monkeypatch):
    path = tmp_path / "a.py"
    path.write_bytes(LEGACY)
    edited = LEGACY + b"# saved by an editor meanwhile\n"
    real_migrate = pipeline.migrate_document

    def migrate_while_someone_saves(data, *args, **kwargs):
        result = real_migrate(data, *args, **kwargs)
        path.write_bytes(edited)  # between kmigrate's read and its write
        return result

    monkeypatch.setattr(pipeline, "migrate_document", migrate_while_someone_saves)
    result = migrate_path(str(path), Settings(), write=True)
    assert result.status is Status.ERROR and not result.written
    assert "changed during the run" in result.error
    assert path.read_bytes() == edited
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]  # no temporary left behind


def test_a_file_deleted_during_the_run_is_not_recreated(tmp_path, monkeypatch):
    path = tmp_path / "a.py"
    path.write_bytes(LEGACY)
    real_migrate = pipeline.migrate_document

    def migrate_while_someone_deletes(data, *args, **kwargs):
        result = real_migrate(data, *args, **kwargs)
        path.unlink()
        return result

    monkeypatch.setattr(pipeline, "migrate_document", migrate_while_someone_deletes)
    result = migrate_path(str(path), Settings(), write=True)
    assert result.status is Status.ERROR
    assert list(tmp_path.iterdir()) == []


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


# -- one run settles a file ------------------------------------------------------------------

import glob  # noqa: E402
import textwrap  # noqa: E402

from tests.helpers import assert_second_run_is_noop, run  # noqa: E402

_PROGRAMS = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "fixtures", "programs", "*.py")))
_PROGRAMS += sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "fixtures", "example", "*.py")))

_MULTI_RULE = [
    # merge with a lambda mode: the Keras 1 merge becomes a Lambda layer, whose own rules
    # must run in the same run, not in the next one.
    """
    from keras.layers import Input, merge
    a = Input((3,))
    b = Input((3,))
    c = merge([a, b], mode=lambda x: x[0] * x[1], output_shape=(3,))
    """,
    """
    import keras
    from keras.models import Sequential
    from keras.layers import Dense, LSTM
    model = Sequential()
    model.add(LSTM(32, batch_input_shape=(16, 10, 8), stateful=True, init='uniform'))
    model.add(Dense(1, W_regularizer=keras.regularizers.l2(0.01)))
    model.compile(optimizer=keras.optimizers.Nadam(lr=0.002, schedule_decay=0.004), loss='mse',
                  metrics=['acc'])
    model.fit_generator(gen, samples_per_epoch=6400, nb_epoch=3, nb_worker=2)
    model.save('model.hdf5')
    """,
]


@pytest.mark.parametrize("path", _PROGRAMS, ids=os.path.basename)
def test_fixture_programs_settle_in_one_run(path):
    with open(path, encoding="utf-8") as handle:
        code = handle.read()
    result = run(code)
    assert result.status is not Status.ERROR, result.error
    if result.status is Status.CHANGED:
        assert_second_run_is_noop(result.output)


@pytest.mark.parametrize("code", _MULTI_RULE)
def test_multi_rule_programs_settle_in_one_run(code):
    result = run(code)
    assert result.status is Status.CHANGED, result.error
    assert_second_run_is_noop(result.output)


def test_a_file_that_needs_no_second_pass_is_traversed_twice_at_most(monkeypatch):
    passes = []
    real = pipeline.FileContext

    def counting(*args, **kwargs):
        passes.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "FileContext", counting)
    migrate_bytes(LEGACY, "a.py", Settings())
    assert len(passes) == 2  # the rewrite, then the pass that finds nothing left to do


# -- Python 2 files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        b"import keras\nf = lambda (x, y): x + y\n",
        b"import keras\nf = map(lambda (k, v): k, d.items())\n",
        b"import keras\ndef f(a, (b, c)):\n    return a\n",
        b"import keras\ndef f((a, b)):\n    return a\n",
    ],
)
def test_python2_tuple_parameters_get_the_python2_hint(source):
    result = migrate_bytes(source, "old.py", Settings())
    assert result.status is Status.ERROR
    assert "Python 2" in result.error and "tuple parameter" in result.error and "KM914" in result.error


def test_a_python3_syntax_error_with_a_tuple_default_gets_no_python2_hint():
    result = migrate_bytes(b"import keras\ndef f(a, b=(1, 2):\n    return a\n", "bad.py", Settings())
    assert result.status is Status.ERROR
    assert "Python 2" not in result.error


# -- imports the migration adds ----------------------------------------------------------------


def _migrated(code):
    result = run(code)
    assert result.status is Status.CHANGED, result.error
    assert_second_run_is_noop(result.output)
    return result.output


@pytest.mark.parametrize(
    "code",
    [
        "import keras\nimport keras\nx = keras.layers.Dense(3)\n",
        "import keras.layers\nimport keras\nx = keras.layers.Dense(3)\n",
        "import keras\nfrom tensorflow import keras\nx = keras.layers.Dense(3)\n",
        "import keras\n# layers\nimport keras.layers\nx = keras.layers.Dense(3)\n",
    ],
)
def test_no_duplicate_imports_are_written(code):
    output = _migrated(code)
    assert output.count("from tensorflow import keras") == 1
    assert output.endswith("x = keras.layers.Dense(3)\n")


def test_the_authors_own_duplicate_import_stays():
    output = _migrated("import os\nimport os\nfrom keras.layers import Dense\n")
    assert output == "import os\nimport os\nfrom tensorflow.keras.layers import Dense\n"


def test_an_import_that_rebinds_a_reassigned_name_stays():
    code = "import keras\nkeras = None\nimport keras\nx = keras.layers.Dense(3)\n"
    assert _migrated(code).count("from tensorflow import keras") == 2


_BATCH_LSTM = "model = Sequential()\nmodel.add(LSTM(32, batch_input_shape=(16, 10, 8), stateful=True))\n"


def test_new_imports_go_after_a_call_that_must_run_first():
    code = textwrap.dedent(
        '''\
        """Train."""
        from __future__ import print_function
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        import sys
        sys.path.insert(0, '..')
        from keras.models import Sequential
        from keras.layers import LSTM
        '''
    ) + _BATCH_LSTM
    lines = _migrated(code).splitlines()
    assert lines.index("matplotlib.use('Agg')") < lines.index("import matplotlib.pyplot as plt")
    assert lines.index("sys.path.insert(0, '..')") < lines.index("from tensorflow.keras.layers import LSTM, Input")
    assert lines[:2] == ['"""Train."""', "from __future__ import print_function"]


def test_new_imports_go_with_the_other_imports_not_after_code_that_uses_them():
    code = (
        "from keras.models import Sequential\nfrom keras.layers import LSTM\n"
        + _BATCH_LSTM
        + "from keras.utils import plot_model\nplot_model(model)\n"
    )
    lines = _migrated(code).splitlines()
    assert lines.index("from tensorflow.keras.layers import LSTM, Input") < lines.index("model = Sequential()")


def test_a_new_import_goes_before_a_statement_between_imports_that_uses_it():
    code = (
        "import numpy as np\nfrom keras.layers import LSTM\nfrom keras.models import Sequential\n"
        + _BATCH_LSTM
        + "import os\n"
    )
    lines = _migrated(code).splitlines()
    using = lines.index("model.add(Input(batch_shape=(16, 10, 8)))")
    assert any(line.startswith("from tensorflow.keras") and "Input" in line for line in lines[:using])


def _rebuilding_passes(monkeypatch) -> list[int]:
    """Count the passes that rebuild the tree (a rewrite), not the read-only ones."""
    calls: list[int] = []
    real_rewrite = pipeline.rewrite

    def rewrite(module, transformer, **options):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real_rewrite(module, transformer, **options)

    monkeypatch.setattr(pipeline, "rewrite", rewrite)
    return calls


def test_code_already_on_tf_keras_is_proven_settled_without_rebuilding(monkeypatch):
    calls = _rebuilding_passes(monkeypatch)
    result = migrate_bytes(MIGRATED, "a.py", Settings())
    assert result.status is Status.UNCHANGED
    assert calls == []


def test_a_legacy_file_is_rebuilt_once_and_confirmed_read_only(monkeypatch):
    calls = _rebuilding_passes(monkeypatch)
    result = migrate_bytes(LEGACY, "a.py", Settings())
    assert result.status is Status.CHANGED and result.output_bytes == MIGRATED
    assert len(calls) == 1  # the confirming pass changed nothing and rebuilt nothing


def test_a_file_needing_a_second_rewriting_pass_still_settles(monkeypatch):
    # tf.keras code with a legacy idiom: the read-only pass finds work, a real pass follows.
    source = b"from tensorflow.keras.optimizers import Adam\nopt = Adam(lr=0.1)\n"
    calls = _rebuilding_passes(monkeypatch)
    result = migrate_bytes(source, "a.py", Settings())
    assert result.status is Status.CHANGED
    assert b"learning_rate=0.1" in result.output_bytes
    assert len(calls) == 1


def test_a_syntax_error_is_reported_where_python_finds_its_cause():
    # LibCST stops two lines later, at the token it could not take; CPython names the cause.
    data = b"import keras\nx = dict(a=1\n\ny = 2\nz = 3\n"
    result = migrate_bytes(data, "a.py", Settings())
    assert result.status is Status.ERROR
    assert "cannot parse (line 2, column 9): '(' was never closed" in result.error
