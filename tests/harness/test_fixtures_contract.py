"""Every fixture follows the contract and is written in genuine legacy Keras (checked statically;
running them under genuine Keras is the end-to-end test's job)."""

from __future__ import annotations

import ast

import pytest

from kmigrate.harness import compare, runner

FIXTURES = runner.discover_fixtures()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fixture_contract(fixture):
    tree = ast.parse(fixture.path.read_text())
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert {"data", "build", "train"} <= functions
    assert ast.get_docstring(tree), "say which legacy idioms the fixture exercises"
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    assert any(name == "keras" or name.startswith("keras.") for name in imported), "imports legacy keras"
    assert not any(name.startswith("tensorflow") for name in imported), "fixtures are legacy programs"
    constants = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)}
    for name in ("NOT_COMPARABLE", "TOLERANCES"):
        if name in constants:
            keys = set(ast.literal_eval(constants[name]))
            assert keys <= set(compare.COMPARISONS), f"{name} names unknown checks {keys - set(compare.COMPARISONS)}"
    if "NOT_COMPARABLE" in constants:
        assert all(len(reason) > 20 for reason in ast.literal_eval(constants["NOT_COMPARABLE"]).values())


def test_fixtures_cover_both_keras_generations_and_import_styles():
    sources = {f.name: f.path.read_text() for f in FIXTURES}
    everything = "\n".join(sources.values())
    for idiom in ("nb_epoch=", "Convolution2D(", "border_mode=", "output_dim=", "init=", "Model(input=",
                  "fit_generator(", "samples_per_epoch=", "lr=", "decay=", "predict_classes(", "K.function(",
                  "ImageDataGenerator(", "Tokenizer(", "pad_sequences(", "train_on_batch(", ".trainable",
                  "ModelCheckpoint(", "EarlyStopping(", "K.set_value(", "Lambda(", "LSTM(", "GRU(", "Embedding(",
                  "import keras\n", "from keras import backend as K", "import keras.backend as K",
                  "from keras.layers import *", "from keras.layers.core import", "epochs="):
        assert idiom in everything, idiom
