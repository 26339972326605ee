"""Jupyter notebooks: code cells migrated as one program, IPython syntax kept, the file's JSON
layout kept byte for byte outside the changed sources, errors per file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kmigrate import notebooks, pipeline
from kmigrate.diagnostics import Status
from kmigrate.discovery import discover
from kmigrate.notebooks import ipython, layout
from kmigrate.pipeline import migrate_document, migrate_path
from kmigrate.project import ProjectIndex
from kmigrate.reporting import unified_diff
from kmigrate.settings import Settings
from kmigrate.source_version import detect

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "notebooks"


def notebook_text(*cells, indent=1, ensure_ascii=False, as_lines=True, trailing_newline=True, nbformat=4) -> str:
    """A notebook file's text; a cell is code text, or (cell_type, text)."""
    built = []
    for cell in cells:
        kind, text = cell if isinstance(cell, tuple) else ("code", cell)
        source = re.findall(r"[^\n]*\n|[^\n]+$", text) if as_lines else text
        if kind == "code":
            built.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source})
        else:
            built.append({"cell_type": kind, "metadata": {}, "source": source})
    data = {"cells": built, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": nbformat, "nbformat_minor": 4}
    return json.dumps(data, indent=indent, ensure_ascii=ensure_ascii) + ("\n" if trailing_newline else "")


def run(text: str, path: str = "nb.ipynb", **settings):
    return migrate_document(text.encode("utf-8"), path, Settings(**settings))


def code_sources(text: str) -> list[str]:
    cells = json.loads(text)["cells"]
    return [c["source"] if isinstance(c["source"], str) else "".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def assert_only_sources_changed(before: str, after: str) -> None:
    """Both parse; all but the sources of code cells are equal; and in the text, everything
    outside the `source` values is byte for byte the same, as are the sources that did not
    change (so a line-based `git diff` shows lines of changed sources only)."""
    old, new = json.loads(before), json.loads(after)
    assert len(old["cells"]) == len(new["cells"])
    changed = set()
    for index, (a, b) in enumerate(zip(old["cells"], new["cells"])):
        if a["source"] != b["source"]:
            assert a["cell_type"] == "code"
            changed.add(index)
        a, b = dict(a), dict(b)
        a.pop("source"), b.pop("source")
        assert a == b
    assert {k: v for k, v in old.items() if k != "cells"} == {k: v for k, v in new.items() if k != "cells"}
    outside_before, sources_before = _outside_sources(before)
    outside_after, sources_after = _outside_sources(after)
    assert outside_before == outside_after
    for index, (a, b) in enumerate(zip(sources_before, sources_after)):
        assert a == b or index in changed, f"cell {index + 1}: the same source, spelled differently"


def _outside_sources(text: str) -> tuple[list[str], list[str]]:
    """The file text between the cells' `source` values, and those values, as written."""
    outside, sources, at = [], [], 0
    for span in layout.source_spans(text):
        outside.append(text[at : span.start])
        sources.append(text[span.start : span.end])
        at = span.end
    return [*outside, text[at:]], sources


def unmarked_standalone_keras_imports(text: str) -> list[str]:
    return [
        line for source in code_sources(text) for line in source.splitlines()
        if re.match(r"\s*(import keras\b|from keras\b)", line) and "# kmigrate:" not in line
    ]  # fmt: skip


# -- real-looking notebooks -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mnist_cnn.ipynb", "keras1_imdb_lstm.ipynb"])
def test_fixture_notebooks_migrate_with_only_source_lines_changed(tmp_path, name):
    path = tmp_path / name
    original = (FIXTURES / name).read_bytes()
    path.write_bytes(original)
    result = migrate_path(str(path), Settings(), write=True)
    assert result.status is Status.CHANGED, result.error
    written = path.read_text(encoding="utf-8")
    assert_only_sources_changed(original.decode("utf-8"), written)
    assert not unmarked_standalone_keras_imports(written)
    for source in code_sources(written):
        if not ipython.is_cell_magic(source):
            compile(ipython.mask(source, "t").text, name, "exec")
    again = migrate_path(str(path), Settings(), write=True)
    assert again.status is Status.UNCHANGED, again.status
    assert path.read_text(encoding="utf-8") == written


def test_mnist_fixture_diff_is_per_cell_source_lines():
    result = migrate_path(str(FIXTURES / "mnist_cnn.ipynb"), Settings(), write=False)
    diff = unified_diff(result)
    headers = re.findall(r"^--- (.*)$", diff, flags=re.MULTILINE)
    assert headers == [f"{FIXTURES / 'mnist_cnn.ipynb'}:cell 3", f"{FIXTURES / 'mnist_cnn.ipynb'}:cell 8"]
    assert "+from tensorflow.keras.models import Sequential\n" in diff
    assert '"source"' not in diff and '\\n"' not in diff  # source lines, not JSON
    # The install line is a finding in the cell that has it; the %%time cell needs nothing.
    (install,) = [d for d in result.diagnostics if d.rule == "KM720"]
    assert (install.cell, install.line, install.column) == (2, 2, 1)
    assert "pin tensorflow>=2.16 instead of keras==2.2.4" in install.message


def test_keras1_fixture_keeps_its_own_layout(tmp_path):
    """Two-space indent, \\u escapes, sources as one string, no final newline: all kept."""
    original = (FIXTURES / "keras1_imdb_lstm.ipynb").read_text(encoding="utf-8")
    assert "\\u2014" in original and not original.endswith("\n")
    result = run(original, "keras1.ipynb")
    assert result.status is Status.CHANGED
    assert "\\u2014" in result.output and "\\u00e9" in result.output and not result.output.endswith("\n")
    assert result.output.isascii()
    assert '\n  "nbformat": 4' in result.output
    assert all(isinstance(c["source"], str) for c in json.loads(result.output)["cells"])
    findings = {(d.rule, d.cell, d.line) for d in result.findings}
    assert ("KM110", 6, 1) in findings  # the KerasClassifier import, marked in its own cell
    assert "KerasClassifier  # kmigrate: KM110" in code_sources(result.output)[4]


# -- one program, cell by cell ----------------------------------------------------------------


def test_an_import_in_one_cell_binds_names_used_in_a_later_cell():
    text = notebook_text(
        "from keras.layers import Convolution2D\nfrom keras.models import Sequential",
        ("markdown", "Le modèle"),
        "x = 1",
        "model = Sequential()\nmodel.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))",
    )
    result = run(text)
    sources = code_sources(result.output)
    assert sources[0] == "from tensorflow.keras.layers import Conv2D as Convolution2D\nfrom tensorflow.keras.models import Sequential" or (
        "tensorflow.keras" in sources[0]
    )
    assert sources[1] == "x = 1"
    assert "Convolution2D(32, (3, 3), padding='same'" in sources[2]
    assert [s.label for s in result.sections] == ["cell 1", "cell 4"]  # numbered over all cells


def test_an_added_import_goes_into_the_first_importing_cell_not_a_later_one():
    text = notebook_text(
        "%matplotlib inline",
        "from keras import backend as K\nimport numpy as np",
        "x = np.zeros(3)",
        "import pandas as pd\ny = 2",
        "a = K.identity(x)",
    )
    result = run(text)
    sources = code_sources(result.output)
    assert sources[1] == "from tensorflow.keras import backend as K\nimport numpy as np\nimport tensorflow as tf"
    assert sources[3] == "import pandas as pd\ny = 2"
    assert sources[4] == "a = tf.identity(x)"
    assert sources[0] == "%matplotlib inline"


def test_import_words_in_a_docstring_do_not_make_a_cell_the_imports_cell():
    docstring_cell = '"""An LSTM.\n\nfrom what you see with CNNs\n"""\nfrom __future__ import print_function'
    text = notebook_text(
        "%matplotlib inline",
        docstring_cell,
        "from keras import backend as K\nimport numpy as np",
        "a = K.identity(np.ones(3))",
    )
    sources = code_sources(run(text).output)
    assert sources[:2] == ["%matplotlib inline", docstring_cell]
    assert sources[2] == "from tensorflow.keras import backend as K\nimport numpy as np\nimport tensorflow as tf"


def test_markers_land_in_the_cell_of_their_statement():
    text = notebook_text(
        "import keras\nfrom keras.models import Sequential",
        "from keras.wrappers.scikit_learn import KerasClassifier\nclf = KerasClassifier(build_fn=None)",
        "# a comment first\nfrom keras.utils import multi_gpu_model\nparallel = multi_gpu_model(model, gpus=2)",
    )
    result = run(text)
    sources = code_sources(result.output)
    assert "# kmigrate:" not in sources[0]
    assert sources[1].startswith("from keras.wrappers.scikit_learn import KerasClassifier  # kmigrate: KM110")
    assert sources[2].startswith("# a comment first\n")
    assert "# kmigrate:" in sources[2]
    by_cell = {d.cell for d in result.findings}
    assert by_cell == {2, 3}
    assert all(d.line <= 3 for d in result.diagnostics)
    again = run(result.output)
    assert again.status is Status.UNCHANGED


def test_diagnostic_lines_are_counted_within_the_cell():
    text = notebook_text("import keras", ("markdown", "x"), "\n\nmodel.fit(x, y, nb_epoch=3)")
    result = run(text)
    (fix,) = [d for d in result.fixes if d.cell == 3]
    assert (fix.line, fix.column) == (3, 1) or fix.line == 3
    assert fix.where.startswith("cell 3:3:")


# -- IPython syntax ----------------------------------------------------------------------------

IPYTHON_CELL = (
    "%matplotlib inline\n"
    "!nvidia-smi\n"
    "files = !ls -la \\\n"
    "    data/\n"
    "t = %time model.fit(x, y, nb_epoch=1)\n"
    "model?\n"
    "??model.fit\n"
    "model.fit??\n"
    "get_ipython().run_line_magic('load_ext', 'autoreload')\n"
    "for f in files:\n"
    "    %time print(f)\n"
    "    !echo {f}\n"
    "doc = '''\n"
    "%not a magic, inside a string\n"
    "!neither\n"
    "'''\n"
    "what = 'is this?'\n"
    "model.fit(x, y, nb_epoch=2)"
)


def test_ipython_lines_survive_exactly_and_python_around_them_is_migrated():
    result = run(notebook_text("from keras.models import Sequential\nmodel = Sequential()", IPYTHON_CELL))
    assert result.status is Status.CHANGED, result.error
    expected = IPYTHON_CELL.replace("model.fit(x, y, nb_epoch=2)", "model.fit(x, y, epochs=2)")
    assert code_sources(result.output)[1] == expected


def test_an_encoding_declaration_in_a_cell_does_not_garble_its_text():
    text = notebook_text("# -*- coding: latin-1 -*-\nimport keras\nprint('café')", "x = 'é'\r\nmodel.fit(x, y, nb_epoch=1)\r\n")
    sources = code_sources(run(text).output)
    assert sources == [
        "# -*- coding: latin-1 -*-\nfrom tensorflow import keras\nprint('café')", "x = 'é'\r\nmodel.fit(x, y, epochs=1)\r\n"
    ]


def test_masking_keeps_line_numbers_and_leaves_strings_alone():
    masked = ipython.mask(IPYTHON_CELL, "tag")
    assert masked.text.count("\n") == IPYTHON_CELL.count("\n")
    compile(masked.text, "<masked>", "exec")
    assert "%not a magic, inside a string" in masked.text and "what = 'is this?'" in masked.text
    assert "    pass  # tag" in masked.text  # the indented magic keeps the loop's body
    assert ipython.restore(masked.text, "tag", masked.originals) == IPYTHON_CELL
    assert ipython.restore(masked.text.replace("# tag 3\n", ""), "tag", masked.originals) is None


def test_cell_magic_cells_are_left_alone_and_reported_when_they_need_migrating():
    text = notebook_text(
        "from keras.models import Sequential\nmodel = Sequential()",
        "%%time\nmodel.fit(x, y, nb_epoch=2)",
        "%%bash\npip install keras==2.1.2\nls",
        "%%timeit\nx = 1 + 1",
    )
    result = run(text)
    sources = code_sources(result.output)
    assert sources[1:] == ["%%time\nmodel.fit(x, y, nb_epoch=2)", "%%bash\npip install keras==2.1.2\nls", "%%timeit\nx = 1 + 1"]
    findings = {(d.rule, d.cell, d.line) for d in result.findings}
    assert ("KM721", 2, 1) in findings
    assert ("KM720", 3, 2) in findings
    assert not any(d.cell == 4 for d in result.diagnostics)


def test_keras_only_under_a_cell_magic_is_still_reported():
    result = run(notebook_text("x = 1", "%%time\nimport keras\nmodel.fit(x, y, nb_epoch=2)"))
    assert [(d.rule, d.cell) for d in result.findings] == [("KM721", 2)]
    assert code_sources(result.output)[1].startswith("%%time\nimport keras  # kmigrate: KM721")
    ignored = run(notebook_text("import keras", "print 'x'\nimport keras"), ignore=("KM721",))
    assert not ignored.findings and code_sources(ignored.output)[1] == "print 'x'\nimport keras"


def test_a_cell_that_does_not_parse_is_left_alone_and_the_rest_migrated():
    text = notebook_text("import keras\nfrom keras.models import Sequential", "print 'Python 2', keras.__version__", "m = Sequential()\nm.fit(x, y, nb_epoch=1)")
    result = run(text)
    assert result.status is Status.CHANGED
    sources = code_sources(result.output)
    assert sources[1] == "print 'Python 2', keras.__version__"
    assert sources[2].endswith("epochs=1)")
    (left,) = [d for d in result.findings if d.rule == "KM721"]
    assert left.cell == 2 and "not Python 3" in left.message


def test_left_alone_cells_get_markers_on_their_standalone_keras_imports():
    text = notebook_text(
        "import keras",
        "%%time\nfrom keras.layers import Dense\nprint 'x'",
        "print 'hello'\nfrom keras.models import Model\ns = \"\"\"\nimport keras\n\"\"\"",
        "%%bash\necho 'import keras'",
    )
    result = run(text)
    sources = code_sources(result.output)
    marker = "  # kmigrate: KM721 cell not migrated (cell magic or not Python 3): migrate it by hand"
    assert sources[1] == f"%%time\nfrom keras.layers import Dense{marker}\nprint 'x'"
    assert sources[2] == f"print 'hello'\nfrom keras.models import Model{marker}\ns = \"\"\"\nimport keras\n\"\"\""
    assert sources[3] == "%%bash\necho 'import keras'"
    assert {(d.rule, d.cell) for d in result.findings} == {("KM721", 2), ("KM721", 3)}
    assert unmarked_standalone_keras_imports(result.output) == ["import keras"]  # the one inside a string
    again = run(result.output)
    assert again.status is Status.UNCHANGED and len(again.findings) == 2


def test_a_cell_whose_only_statement_a_rule_removes_becomes_empty():
    # `import keras.layers` and `import keras.backend` both become `from tensorflow import keras`,
    # a duplicate of cell 1's import: the pipeline drops them, whatever cell they are in.
    text = notebook_text("import keras\nx = 1", "import keras.layers", "y = keras.layers.Dense(3)", "import keras.backend")
    result = run(text)
    assert result.status is Status.CHANGED, result.error
    assert code_sources(result.output) == ["from tensorflow import keras\nx = 1", "", "y = keras.layers.Dense(3)", ""]
    assert_only_sources_changed(text, result.output)


def test_a_statement_removed_at_the_top_of_a_cell_leaves_nothing_behind():
    # As in a .py file: `K.set_learning_phase(0)` goes; no `pass` stands in for it.
    text = notebook_text("from keras import backend as K\nimport numpy as np", "K.set_learning_phase(0)\nx = np.ones(3)")
    result = run(text)
    assert code_sources(result.output)[1] == "x = np.ones(3)"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("!pip install keras==2.1.2", "pin tensorflow>=2.16 instead of keras==2.1.2"),
        ("%pip install -q keras", "pin tensorflow>=2.16 instead of keras"),
        ("!pip install -U tensorflow==1.15 keras==2.2.4 h5py", "instead of keras==2.2.4"),
        ("get_ipython().system('pip install keras==2.0.8')", "instead of keras==2.0.8"),
        ("!python -m pip install keras-applications==1.0.8", "keras-applications"),
    ],
)
def test_install_lines_are_findings(line, expected):
    result = run(notebook_text(line, "import keras"))
    messages = [d.message for d in result.findings if d.rule == "KM720"]
    assert any(expected in m for m in messages), messages
    assert all(d.cell == 1 and d.line == 1 for d in result.findings if d.rule == "KM720")


def test_install_advice_follows_the_target_and_names_bundled_packages():
    text = notebook_text("!pip install keras==2.2.4 keras-applications==1.0.8", "import keras")
    messages = [d.message for d in run(text, target="tf_keras").findings]
    assert any(m.startswith("pin tensorflow>=2.16 and tf-keras>=2.16 instead of keras==2.2.4") for m in messages)
    assert any(m.startswith("drop keras-applications==1.0.8: TensorFlow ships it") for m in messages)
    assert not [d for d in run(text, ignore=("KM720",)).diagnostics if d.rule == "KM720"]


def test_ignore_comments_work_in_cells():
    text = notebook_text("import keras", "model.fit(x, y, nb_epoch=1)  # kmigrate: ignore\nmodel.fit(x, y, nb_epoch=2)")
    assert code_sources(run(text).output)[1] == "model.fit(x, y, nb_epoch=1)  # kmigrate: ignore\nmodel.fit(x, y, epochs=2)"


def test_install_lines_alone_are_reported_without_migrating_anything():
    result = run(notebook_text("!pip install keras==2.1.2", "print('hello')"))
    assert result.status is Status.UNCHANGED
    assert [d.rule for d in result.findings] == ["KM720"]


def test_notebook_pip_lines_feed_source_version_detection(tmp_path):
    (tmp_path / "nb.ipynb").write_text(notebook_text("%pip install keras==2.1.2", "import keras"))
    (tmp_path / ".git").mkdir()
    assert detect(tmp_path)[0] == "2.1.2"


# -- layout ------------------------------------------------------------------------------------


@pytest.mark.parametrize("indent", [1, 2, 4])
@pytest.mark.parametrize("ensure_ascii", [False, True])
@pytest.mark.parametrize("as_lines", [True, False])
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_the_files_own_layout_is_kept(indent, ensure_ascii, as_lines, trailing_newline):
    text = notebook_text(
        ("markdown", "# Réseau — « café »"),
        "import keras\nfrom keras.layers import Dense\n# entraîné sur données réelles",
        "model.add(Dense(10, init='uniform'))  # couche dense\n\nprint('déjà')\n",
        indent=indent, ensure_ascii=ensure_ascii, as_lines=as_lines, trailing_newline=trailing_newline,
    )
    result = run(text)
    assert result.status is Status.CHANGED
    assert_only_sources_changed(text, result.output)
    assert result.output.endswith("\n") == trailing_newline
    assert result.output.isascii() == ensure_ascii
    expected = json.loads(text)
    expected["cells"][1]["source"] = (
        ["from tensorflow import keras\n", "from tensorflow.keras.layers import Dense\n", "# entraîné sur données réelles"]
        if as_lines else "from tensorflow import keras\nfrom tensorflow.keras.layers import Dense\n# entraîné sur données réelles"
    )
    expected["cells"][2]["source"] = (
        ["model.add(Dense(10, kernel_initializer='uniform'))  # couche dense\n", "\n", "print('déjà')\n"]
        if as_lines else "model.add(Dense(10, kernel_initializer='uniform'))  # couche dense\n\nprint('déjà')\n"
    )
    assert json.loads(result.output) == expected
    # Written as Jupyter (or the file's writer) would have written it.
    assert result.output == json.dumps(expected, indent=indent, ensure_ascii=ensure_ascii) + ("\n" if trailing_newline else "")


def test_a_byte_order_mark_and_windows_line_ends_in_the_file_are_kept():
    text = notebook_text("import keras").replace("\n", "\r\n")
    result = migrate_document(b"\xef\xbb\xbf" + text.encode(), "nb.ipynb", Settings())
    assert result.status is Status.CHANGED, result.error
    assert result.output_bytes.startswith(b"\xef\xbb\xbf")
    assert result.output_bytes.count(b"\r\n") == text.count("\r\n")


def test_nan_in_outputs_does_not_upset_the_check_of_the_written_file():
    text = notebook_text("import keras").replace('"outputs": []', '"outputs": [{"output_type": "execute_result", "data": {"application/json": {"loss": NaN}}, "metadata": {}, "execution_count": 1}]')
    result = run(text)
    assert result.status is Status.CHANGED, result.error
    assert '"loss": NaN' in result.output


def test_one_line_source_lists_and_empty_cells():
    text = '{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 3, "source": ["import keras\\n", "x = 1"]}, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    result = run(text)
    assert result.status is Status.CHANGED
    assert result.output == text.replace('"import keras\\n"', '"from tensorflow import keras\\n"')


# -- errors, skipping, discovery, stdin, the project --------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"cells": [', "invalid JSON (line 1, column 12"),
        ('{"cells": [], "nbformat": 3, "worksheets": []}', "not an nbformat 4 notebook (nbformat is 3)"),
        ('{"cells": [{"source": "import keras"}], "nbformat": 4}', "cell 1 lacks a cell_type"),
        ('["keras"]', "not a notebook: the JSON is not an object"),
    ],
)
def test_a_broken_notebook_is_an_error_and_left_alone(tmp_path, content, message):
    path = tmp_path / "bad.ipynb"
    path.write_text(content)
    result = migrate_path(str(path), Settings(), write=True)
    assert result.status is Status.ERROR
    assert message in result.error and "file left unchanged" in result.error
    assert path.read_text() == content


def test_a_run_over_a_folder_continues_past_a_broken_notebook(tmp_path):
    (tmp_path / "bad.ipynb").write_text('{"nbformat": 4, "cells": [} keras')
    (tmp_path / "good.ipynb").write_text(notebook_text("import keras"))
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "good-checkpoint.ipynb").write_text(notebook_text("import keras"))
    out = subprocess.run([sys.executable, "-m", "kmigrate", str(tmp_path)], capture_output=True, text=True, check=False)
    assert out.returncode == 2, out.stderr
    assert "bad.ipynb: error: not a notebook: invalid JSON" in out.stderr
    assert code_sources((tmp_path / "good.ipynb").read_text()) == ["from tensorflow import keras"]
    assert "import keras" in (tmp_path / ".ipynb_checkpoints" / "good-checkpoint.ipynb").read_text()
    assert sorted(Path(p).name for p in discover([str(tmp_path)])) == ["bad.ipynb", "good.ipynb"]


def test_a_notebook_without_keras_is_skipped_without_parsing(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(pipeline.cst, "parse_module", no_parsing)
    monkeypatch.setattr(notebooks, "migrate_bytes", no_parsing)
    monkeypatch.setattr(notebooks.ipython, "mask", no_parsing)  # not even the cells are read
    text = notebook_text("import numpy as np\nx = np.zeros(3)\nx?", ("markdown", "no deep learning here"))
    assert run(text).status is Status.SKIPPED


def test_lost_separators_are_an_internal_error_and_nothing_is_written(tmp_path, monkeypatch):
    real = notebooks.migrate_bytes

    def lose_separators(data, *args, **kwargs):
        result = real(data, *args, **kwargs)
        result.output = re.sub(r"(?m)^.*# kmigrate-cell \d+\n", "", result.output or "")
        return result

    monkeypatch.setattr(notebooks, "migrate_bytes", lose_separators)
    path = tmp_path / "nb.ipynb"
    text = notebook_text("import keras", "model.fit(x, y, nb_epoch=1)")
    path.write_text(text)
    result = migrate_path(str(path), Settings(), write=True)
    assert result.status is Status.ERROR and "could not be told apart" in result.error
    assert path.read_text() == text


def test_separator_and_mask_tags_do_not_collide_with_the_notebooks_text():
    text = notebook_text("import keras\n# kmigrate-cell 2\n# kmigrate-ipython 0", "!ls\nmodel.fit(x, y, nb_epoch=1)")
    result = run(text)
    assert result.status is Status.CHANGED
    assert code_sources(result.output) == [
        "from tensorflow import keras\n# kmigrate-cell 2\n# kmigrate-ipython 0", "!ls\nmodel.fit(x, y, epochs=1)"
    ]


def test_stdin_with_a_notebook_name_gives_a_notebook_back(tmp_path):
    text = notebook_text("import keras", "model.fit(x, y, nb_epoch=1)")
    out = subprocess.run(
        [sys.executable, "-m", "kmigrate", "--stdin-filename", "x.ipynb", "-"],
        input=text, capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert out.returncode == 1, out.stderr
    assert code_sources(out.stdout) == ["from tensorflow import keras", "model.fit(x, y, epochs=1)"]
    diff = subprocess.run(
        [sys.executable, "-m", "kmigrate", "--diff", "--stdin-filename", "x.ipynb", "-"],
        input=text, capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert "--- x.ipynb:cell 2\n" in diff.stdout and "+model.fit(x, y, epochs=1)\n" in diff.stdout


def test_a_notebook_importing_a_project_module_gets_the_project_answers(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "model.py").write_text(
        "from keras.models import Sequential\nfrom keras.layers import Dense\n"
        "def build():\n    m = Sequential()\n    m.add(Dense(1, input_dim=3))\n    return m\n"
    )
    path = tmp_path / "train.ipynb"
    path.write_text(notebook_text("from model import *", "net = build()\nnet.fit_generator(gen, samples_per_epoch=10, nb_epoch=2)"))
    project = ProjectIndex.build(tmp_path)
    result = migrate_path(str(path), Settings(), write=False, project=project)
    assert result.status is Status.CHANGED, result.error
    assert "net.fit(gen, steps_per_epoch=10, epochs=2)" in code_sources(result.output)[1] or "epochs=2" in code_sources(result.output)[1]
    # Without the project, nothing says the notebook is about Keras: skipped unparsed.
    assert migrate_path(str(path), Settings(), write=False).status is Status.SKIPPED


def test_in_a_project_a_notebook_importing_no_project_module_is_skipped_unparsed(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "model.py").write_text("from keras.models import Sequential\n")
    path = tmp_path / "plots.ipynb"
    path.write_text(notebook_text("import numpy as np\nimport matplotlib.pyplot as plt", "plt.plot(np.ones(3))"))
    project = ProjectIndex.build(tmp_path)
    assert str(path) not in project.modules  # notebooks are not indexed as modules
    monkeypatch.setattr(notebooks.ipython, "mask", lambda *args: pytest.fail("read the cells"))
    assert migrate_path(str(path), Settings(), write=False, project=project).status is Status.SKIPPED


def test_notebook_rules_are_registered_and_documented():
    from kmigrate.rules import rule_by_id

    assert rule_by_id("KM720").name == "notebook-pip-keras"
    assert rule_by_id("KM721").name == "notebook-cell-not-migrated"
    assert notebooks.handles("a/B.IPYNB") and not notebooks.handles("a.py")


# -- properties ----------------------------------------------------------------------------------

_PIECES = list("ab %!?/,;#\\'\"()[]{}=:\n\r\t") + ["'''", '"""', "if x:\n    ", "from __future__ import x"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@given(_TEXT)
def test_masking_then_restoring_gives_back_any_text(text):
    masked = ipython.mask(text, "tag")
    assert ipython.physical_lines(masked.text).__len__() == len(ipython.physical_lines(text))
    assert ipython.restore(masked.text, "tag", masked.originals) == text


_CELL_LINES = [
    "import keras", "from keras.layers import Dense, Convolution2D", "from keras import backend as K",
    "import numpy as np", "%matplotlib inline", "!pip install keras==2.1.2", "files = !ls", "model?",
    "model = Sequential()", "model.add(Dense(10, init='uniform'))", "model.fit(x, y, nb_epoch=2)",
    "a = K.identity(x)", "K.set_learning_phase(0)", "# a comment", "", "x = 'é?'",
    "for i in range(2):\n    %time f(i)\n    model.fit(x, y, nb_epoch=i)",
    "from keras.wrappers.scikit_learn import KerasClassifier",
    "?model", "t = %time model.predict(x)", "!pip install -q \\\n    keras==2.2.4", "from __future__ import division",
    "get_ipython().run_line_magic('matplotlib', 'inline')", 's = """\n%not magic\n"""',
]


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(_CELL_LINES), max_size=4), min_size=1, max_size=5), st.booleans())
def test_any_notebook_of_legacy_lines_migrates_cleanly(cells, as_lines):
    sources = ["from keras.models import Sequential"] + ["\n".join(lines) for lines in cells]
    text = notebook_text(*sources, as_lines=as_lines)
    result = run(text)
    assert result.status in (Status.CHANGED, Status.UNCHANGED), result.error
    output = result.output if result.status is Status.CHANGED else text
    assert_only_sources_changed(text, output)
    for source, before in zip(code_sources(output), sources):
        assert [line for line in source.splitlines() if line.lstrip().startswith(("%", "!"))] == [
            line for line in before.splitlines() if line.lstrip().startswith(("%", "!"))
        ]
    again = run(output)
    assert again.status in (Status.UNCHANGED, Status.SKIPPED), again.output


# -- Keras's own examples as notebooks: the same answers as the scripts -------------------------


def _examples_folder() -> Path:
    from kmigrate.harness.provision import default_cache_dir

    return default_cache_dir() / "keras-2.2.4-examples" / "examples"


def notebook_from_script(source: str) -> str:
    """A notebook of a script: a magics cell, then a cell per top-level block (split at a blank
    line before a statement at column 0), with outputs and non-ASCII markdown."""
    lines = source.splitlines(keepends=True)
    cells, current = [], []
    for index, line in enumerate(lines):
        current.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() or following[:1] in ("", " ", "\t", "\n", "#", ")", "]", "}"):
            continue
        chunk = "".join(current)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the examples' own invalid escapes
                compile(chunk, "<chunk>", "exec")
        except SyntaxError:
            continue  # inside a string or a bracket: keep going
        cells.append(chunk.strip("\n"))
        current = []
    cells.append("".join(current).strip("\n"))
    text = notebook_text(("markdown", "# Exemple — réseau"), "%matplotlib inline\n!pip install -q keras==2.2.4", *filter(None, cells))
    notebook = json.loads(text)
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["fini — ok\n"]}]
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _imported_names(code: str) -> set[str]:
    import ast

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(code)
    return {
        alias.asname or alias.name
        for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }  # fmt: skip


@pytest.mark.parametrize("name", ["mnist_cnn", "imdb_lstm", "deep_dream", "babi_rnn", "variational_autoencoder"])
def test_keras_examples_as_notebooks_get_the_same_migration_as_the_scripts(name):
    script = _examples_folder() / f"{name}.py"
    if not script.is_file():
        pytest.skip("the Keras 2.2.4 examples are not cached (kmigrate verify downloads them)")
    settings = Settings(from_version="2.2.4")
    source = script.read_text(encoding="utf-8")
    text = notebook_from_script(source)
    as_notebook = migrate_document(text.encode(), f"{name}.ipynb", settings)
    as_script = migrate_document(source.encode(), f"{name}.py", settings)
    assert as_notebook.status is Status.CHANGED and as_script.status is Status.CHANGED
    assert_only_sources_changed(text, as_notebook.output)
    assert not unmarked_standalone_keras_imports(as_notebook.output)
    cells = code_sources(as_notebook.output)[1:]  # without the magics cell
    assert code_sources(as_notebook.output)[0] == "%matplotlib inline\n!pip install -q keras==2.2.4"
    code = "\n".join(cells)
    # The same code, line for line, but for where imports added by rules were merged.
    def body(text):
        return sorted(line for line in text.splitlines() if line.strip() and not re.match(r"(import|from) ", line))

    assert body(code) == body(as_script.output)
    assert _imported_names(code) == _imported_names(as_script.output)
    # The same findings, in the cells, plus the install line.
    def kinds(result):
        return sorted((d.rule, d.fixed) for d in result.diagnostics if d.rule != "KM720")

    assert kinds(as_notebook) == kinds(as_script)
    assert [d.rule for d in as_notebook.diagnostics if d.rule == "KM720"] == ["KM720"]
    assert migrate_document(as_notebook.output.encode(), f"{name}.ipynb", settings).status is Status.UNCHANGED
