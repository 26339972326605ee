"""The project index: files that get their model from another module of the project, and the
same answers whether kmigrate is given the tree, one file, or stdin."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmigrate.cli import main
from kmigrate.kinds import Kind
from kmigrate.project import ProjectIndex, find_project_root

MODEL_MODULE = """\
from keras.models import Sequential, Model
from keras.layers import Dense, Input

def build_model(n):
    model = Sequential()
    model.add(Dense(n, input_dim=4))
    model.compile('sgd', 'mse')
    return model

def build_unet():
    inputs = Input((4,))
    return Model(inputs, Dense(1)(inputs))

class Helper:
    def add(self, x):
        return x
"""
# No "keras" anywhere in these files: their models come from the project's modules.
TRAIN_STAR = """\
from model import *

model = build_model(3)
model.fit_generator(gen(), 10, nb_epoch=2)
helper = Helper()
helper.add(1)
"""
TRAIN_RELATIVE = """\
from .nets import build_unet

net = build_unet()
net.predict_generator(gen(), 5)
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "model.py").write_text(MODEL_MODULE)
    (tmp_path / "train.py").write_text(TRAIN_STAR)
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "nets.py").write_text(MODEL_MODULE)
    (package / "run.py").write_text(TRAIN_RELATIVE)
    return tmp_path


def invoke(*args: str, input: str | None = None, cwd: Path | None = None):
    previous = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    finally:
        os.chdir(previous)


def test_index_knows_what_project_functions_return(tree):
    index = ProjectIndex.build(tree)
    train = str(tree / "train.py")
    assert index.lookup_qualified("model.build_model", train, called=True) is Kind.MODEL
    assert index.lookup_qualified("model.Helper", train, called=True) is Kind.PROJECT
    assert index.lookup_relative(str(tree / "pkg" / "run.py"), 1, "nets", "build_unet", True) is Kind.MODEL
    assert "add" in index.method_names
    assert index.owns_module("pkg") and index.owns_module("model") and not index.owns_module("keras")
    assert index.involves_keras(train)  # through `from model import *`


def test_project_root_is_found_from_a_nested_file(tree):
    assert find_project_root(tree / "pkg" / "run.py") == tree.resolve()


def test_whole_tree_run_rewrites_models_from_other_modules(tree):
    result = invoke("--diff", str(tree))
    assert "+model.fit(gen(), steps_per_epoch=10, epochs=2)" in result.output
    assert "+net.predict(gen(), steps=5)" in result.output
    assert "-helper.add(1)" not in result.output  # a project class's own add()


@pytest.mark.parametrize("how", ["one file", "stdin", "stdin in the folder"])
def test_single_file_and_stdin_give_the_tree_answers(tree, how):
    if how == "one file":
        output = invoke("--diff", str(tree / "train.py")).output
        assert "+model.fit(gen(), steps_per_epoch=10, epochs=2)" in output
    elif how == "stdin":
        output = invoke("--stdin-filename", str(tree / "train.py"), "-", input=TRAIN_STAR).output
        assert "model.fit(gen(), steps_per_epoch=10, epochs=2)" in output
    else:
        output = invoke("-", input=TRAIN_STAR, cwd=tree).output
        assert "model.fit(gen(), steps_per_epoch=10, epochs=2)" in output


def test_a_tree_run_with_workers_gives_the_same_answers(tree):
    for index in range(10):  # enough files for the process pool
        (tree / f"copy_{index}.py").write_text(TRAIN_STAR)
    result = invoke("--diff", "-j", "2", str(tree))
    assert result.output.count("+model.fit(gen(), steps_per_epoch=10, epochs=2)") == 11


def test_syntax_errors_and_python2_files_do_not_stop_the_index(tree):
    (tree / "old.py").write_text("print 'hello'\n")
    index = ProjectIndex.build(tree)
    assert str(tree / "old.py") not in index.modules
    assert index.lookup_qualified("model.build_model", str(tree / "train.py"), called=True) is Kind.MODEL


def test_keras_names_re_exported_by_a_project_module_resolve_as_keras(tree):
    (tree / "common.py").write_text("from keras.layers import *\nfrom keras.callbacks import ModelCheckpoint\n")
    (tree / "fit.py").write_text(
        "from common import *\nfrom common import ModelCheckpoint as MC\n"
        "layer = Convolution2D(8, 3, 3, border_mode='same')\ncheck = MC('best.hdf5')\n"
    )
    output = invoke("--diff", str(tree / "fit.py")).output
    # Keras 1 arguments are rewritten (Keras 3 still has the Convolution2D alias) ...
    assert "+layer = Convolution2D(8, (3, 3), padding='same')" in output
    # ... and the checkpoint rule sees ModelCheckpoint through the project module.
    assert "+check = MC('best.keras')" in output


def test_index_follows_a_layer_called_on_a_tensor(tree):
    (tree / "blocks.py").write_text(
        "from keras.layers import Dense\n\ndef head(x):\n    return Dense(3)(x)\n\ndef name():\n    return 'head'\n"
    )
    index = ProjectIndex.build(tree)
    importer = str(tree / "train.py")
    assert index.lookup_qualified("blocks.head", importer, called=True) is Kind.TENSOR
    assert index.lookup_qualified("blocks.name", importer, called=True) is Kind.FOREIGN


def test_an_index_built_by_several_processes_is_the_serial_one(tmp_path):
    """Large trees are summarized by forked workers: the same summaries, and kind-only return
    tuples shared again (the 10,000-file tree relies on that sharing for its memory)."""
    from kmigrate import project

    for index in range(project.PARALLEL_INDEX_FILES + 4):
        body = "from keras.models import Sequential\ndef build():\n    m = Sequential()\n    return m\n" if index % 3 == 0 \
            else f"class C{index}:\n    def run(self):\n        return {index}\ndef f():\n    return []\n"
        (tmp_path / f"m{index}.py").write_text(body)
    serial = project.ProjectIndex.build(tmp_path, jobs=1)
    forked = project.ProjectIndex.build(tmp_path, jobs=2)
    assert len(forked.modules) == project.PARALLEL_INDEX_FILES + 4
    assert {path: vars(summary) for path, summary in forked.modules.items()} == {
        path: vars(summary) for path, summary in serial.modules.items()
    }
    assert forked.method_names == serial.method_names
    shared = {id(summary.functions["f"]) for summary in forked.modules.values() if "f" in summary.functions}
    assert len(shared) == 1


def test_a_copy_of_keras_in_the_tree_does_not_count_as_the_projects_classes(tmp_path):
    """A repository that keeps a copy of Keras (`keras/engine/training.py`) defines Keras's own
    methods: an unknown receiver's `fit_generator` is still rewritten, while a project class's
    own method still blocks the rewrite."""
    (tmp_path / "setup.py").write_text("")
    vendored = tmp_path / "keras" / "engine"
    vendored.mkdir(parents=True)
    (tmp_path / "keras" / "__init__.py").write_text("")
    (vendored / "training.py").write_text("class Model(object):\n    def fit_generator(self, generator, steps):\n        pass\n")
    (tmp_path / "train.py").write_text("import keras\n\ndef train(model, gen):\n    model.fit_generator(gen, 10)\n")
    index = ProjectIndex.build(tmp_path)
    assert "fit_generator" not in index.method_names
    assert "+    model.fit(gen, steps_per_epoch=10)" in invoke("--diff", str(tmp_path / "train.py")).output
    (tmp_path / "trainer.py").write_text("class Trainer(object):\n    def fit_generator(self, g, n):\n        pass\n")
    assert "fit_generator" in ProjectIndex.build(tmp_path).method_names
