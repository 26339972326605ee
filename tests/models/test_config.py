"""Config rewriting and weight placement, without TensorFlow (kmigrate.models.config / optimizer /
weights_layout)."""

from __future__ import annotations

import numpy as np
import pytest

from kmigrate.models.config import (
    GateScale,
    Notes,
    convert_layer,
    convert_model_config,
    functional_layer_order,
    to_snake_case,
)
from kmigrate.models.optimizer import convert_training_config
from kmigrate.models.weights_layout import (
    WeightMismatch,
    WeightTree,
    _apply_scale,
    place,
)

GLOROT = {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform",
                                                       "seed": None}}


def dense(name, units, **extra):
    config = {"name": name, "trainable": True, "units": units, "activation": "linear", "use_bias": True,
              "kernel_initializer": GLOROT, "bias_initializer": {"class_name": "Zeros", "config": {}},
              "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
              "kernel_constraint": None, "bias_constraint": None}
    config.update(extra)
    return {"class_name": "Dense", "config": config}


def lstm(name, **extra):
    config = {"name": name, "units": 3, "activation": "tanh", "recurrent_activation": "hard_sigmoid",
              "use_bias": True, "implementation": 1, "return_sequences": False}
    config.update(extra)
    return {"class_name": "LSTM", "config": config}


def test_keras21_bare_list_sequential_gets_a_name_and_an_input_layer():
    notes = Notes()
    legacy = {"class_name": "Sequential",
              "config": [dense("dense_1", 4, batch_input_shape=[None, 3]), dense("dense_2", 2)]}
    config, saveable = convert_model_config(legacy, notes)
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    first = config["config"]["layers"][0]
    assert first["class_name"] == "InputLayer"
    assert first["config"]["batch_shape"] == [None, 3]  # the batch dimension stays separate
    assert all("batch_input_shape" not in layer["config"] for layer in config["config"]["layers"])
    assert config["build_config"] == {"input_shape": [None, 3]}
    assert [child.legacy_name for child in saveable.children[0][1]] == ["dense_1", "dense_2"]
    assert any("bare list" in what for _where, what in notes.changes)


def test_nested_objects_get_keras3_modules_and_keras2_normal_becomes_truncated_normal():
    notes = Notes()
    layer = dense("d", 2, batch_input_shape=[None, 3],
                  kernel_initializer={"class_name": "VarianceScaling",
                                      "config": {"scale": 2.0, "mode": "fan_in", "distribution": "normal",
                                                 "seed": None}},
                  kernel_regularizer={"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}},
                  kernel_constraint={"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}})
    result = convert_layer(layer, notes)
    config = result.entry["config"]
    assert result.entry["module"] == "keras.layers" and result.entry["registered_name"] is None
    assert config["kernel_initializer"]["module"] == "keras.initializers"
    assert config["kernel_initializer"]["config"]["distribution"] == "truncated_normal"
    assert config["kernel_regularizer"] == {"module": "keras.regularizers", "class_name": "L1L2",
                                            "config": {"l1": 0.0, "l2": 0.01}, "registered_name": None}
    assert config["kernel_constraint"]["module"] == "keras.constraints"


def test_keras1_argument_names_use_the_shared_layer_table():
    notes = Notes()
    keras1 = {"class_name": "Dense", "config": {"name": "d", "output_dim": 3, "init": "uniform",
                                                "W_regularizer": None, "bias": True}}
    config = convert_layer(keras1, notes).entry["config"]
    assert config["units"] == 3 and config["use_bias"] is True
    assert config["kernel_initializer"]["class_name"] == "RandomUniform"  # Keras 2 alias 'uniform'
    assert "output_dim" not in config and "init" not in config
    conv = {"class_name": "Convolution2D", "config": {"name": "c", "nb_filter": 2, "kernel_size": [3, 3],
                                                      "border_mode": "same", "dim_ordering": "tf"}}
    result = convert_layer(conv, notes)
    assert result.entry["class_name"] == "Conv2D"
    assert result.entry["config"]["padding"] == "same" and result.entry["config"]["filters"] == 2
    assert result.entry["config"]["data_format"] == "channels_last"


def test_lstm_hard_sigmoid_scales_input_forget_output_gates_not_the_candidate():
    notes = Notes()
    result = convert_layer(lstm("lstm_1"), notes)
    assert result.entry["config"]["recurrent_activation"] == "hard_sigmoid"  # kept: a built-in name
    assert "implementation" not in result.entry["config"]
    cell = result.saveable.children[0][1]
    assert result.saveable.children[0][0] == "cell" and cell.class_name == "LSTMCell"
    assert cell.scale == [GateScale(1.2, 4, (0, 1, 3))]
    kernel = np.ones((2, 12), dtype="float32")
    scaled = _apply_scale(kernel, cell.scale[0], "k")
    assert np.allclose(scaled[:, 0:6], 1.2) and np.allclose(scaled[:, 6:9], 1.0) and np.allclose(scaled[:, 9:], 1.2)


def test_the_rescaled_gate_reproduces_the_legacy_formula():
    z = np.linspace(-6, 6, 241)
    legacy = np.clip(0.2 * z + 0.5, 0, 1)
    keras3 = np.minimum(np.maximum(1.2 * z + 3, 0), 6) / 6  # relu6(x + 3) / 6 at x = 1.2 z
    assert np.max(np.abs(legacy - keras3)) < 1e-12


def test_gru_gets_reset_after_false_and_update_reset_gates_scaled():
    notes = Notes()
    gru = {"class_name": "GRU", "config": {"name": "g", "units": 2, "activation": "tanh",
                                           "recurrent_activation": "hard_sigmoid"}}
    result = convert_layer(gru, notes)
    assert result.entry["config"]["reset_after"] is False
    assert result.saveable.children[0][1].scale == [GateScale(1.2, 3, (0, 1))]
    sigmoid = dict(gru, config=dict(gru["config"], recurrent_activation="sigmoid", reset_after=True))
    result = convert_layer(sigmoid, Notes())
    assert result.entry["config"]["reset_after"] is True  # Keras 2.3 option kept
    assert result.saveable.children[0][1].scale == []


def test_dense_hard_sigmoid_scales_kernel_and_bias_and_an_activation_layer_becomes_builtin_layers():
    notes = Notes()
    result = convert_layer(dense("d", 2, activation="hard_sigmoid"), notes)
    assert result.saveable.scale == [GateScale(1.2)]
    act = convert_layer({"class_name": "Activation", "config": {"name": "act", "activation": "hard_sigmoid"}}, notes)
    steps = act.entry["config"]["layers"]
    assert act.entry["class_name"] == "Sequential" and act.entry["config"]["name"] == "act"
    assert [(s["class_name"], s["config"].get("scale"), s["config"].get("max_value")) for s in steps] == [
        ("Rescaling", 0.2, None), ("ReLU", None, 1.0)]
    x = np.linspace(-5, 5, 101)
    assert np.allclose(np.minimum(np.maximum(0.2 * x + 0.5, 0), 1.0), np.clip(0.2 * x + 0.5, 0, 1))
    # The LSTM candidate/cell activation cannot be rescaled (the cell state is not a weight).
    convert_layer(lstm("l", activation="hard_sigmoid"), notes)
    assert [p.layer for p in notes.problems] == ["l"]


def test_bidirectional_nested_layer_has_a_module_and_splits_forward_then_backward():
    notes = Notes()
    result = convert_layer({"class_name": "Bidirectional",
                            "config": {"name": "bi", "layer": lstm("lstm_1"), "merge_mode": "concat",
                                       "batch_input_shape": [None, 5, 3]}}, notes)
    assert result.entry["config"]["layer"]["module"] == "keras.layers"
    assert result.batch_input_shape == [None, 5, 3]
    tree = WeightTree()
    weights = [(f"w{i}", np.full((3, 12), i, dtype="float32")) for i in range(6)]
    place(result.saveable, "layers/bidirectional", weights, tree, "bi")
    forward = tree.groups["layers/bidirectional/forward_layer/cell"][1]
    backward = tree.groups["layers/bidirectional/backward_layer/cell"][1]
    assert [v.legacy_name for v in forward] == ["w0", "w1", "w2"]
    assert [v.legacy_name for v in backward] == ["w3", "w4", "w5"]
    with pytest.raises(WeightMismatch):
        place(result.saveable, "x", weights[:5], WeightTree(), "bi")


def test_keras1_merge_modes_and_what_cannot_be_merged():
    notes = Notes()
    concat = convert_layer({"class_name": "Merge", "config": {"name": "m", "mode": "concat", "mode_type": "raw",
                                                             "concat_axis": 1, "output_shape": None,
                                                             "output_mask": None}}, notes)
    assert concat.entry["class_name"] == "Concatenate" and concat.entry["config"]["axis"] == 1
    total = convert_layer({"class_name": "Merge", "config": {"name": "s", "mode": "sum", "mode_type": "raw"}}, notes)
    assert total.entry["class_name"] == "Add"
    assert convert_layer({"class_name": "Merge", "config": {"name": "l", "mode": "xxx", "mode_type": "lambda"}},
                         notes) is None
    assert [p.layer for p in notes.problems] == ["l"]


def test_lambda_and_unknown_classes_are_problems_with_a_remedy():
    notes = Notes()
    assert convert_layer({"class_name": "Lambda", "config": {"name": "lam", "function": ["code", None, None],
                                                             "function_type": "lambda"}}, notes) is None
    assert convert_layer({"class_name": "MyAttention", "config": {"name": "att"}}, notes) is None
    assert convert_layer({"class_name": "Highway", "config": {"name": "hw"}}, notes) is None
    layers = {p.layer: p for p in notes.problems}
    assert set(layers) == {"lam", "att", "hw"}
    assert "load the weights" in layers["lam"].todo and "unsafe" in layers["lam"].todo
    assert "register_keras_serializable" in layers["att"].todo


def test_theano_convolution_kernels_are_flipped():
    notes = Notes()
    conv = {"class_name": "Conv2D", "config": {"name": "c", "filters": 1, "kernel_size": [2, 2]}}
    result = convert_layer(conv, notes, theano=True)
    tree = WeightTree()
    kernel = np.arange(4, dtype="float32").reshape(2, 2, 1, 1)
    place(result.saveable, "layers/conv2d", [("k", kernel), ("b", np.zeros(1, "float32"))], tree, "c")
    flipped = tree.groups["layers/conv2d"][1][0].value
    assert flipped[:, :, 0, 0].tolist() == [[3.0, 2.0], [1.0, 0.0]]


def test_functional_order_follows_keras3_map_graph():
    # Two towers of different depths joined.  The expected order is what Keras 3.15 itself gives
    # for this graph (Model([in_a, in_b], join).layers); test_models_tf checks more graphs live.
    body = {
        "layers": [
            {"name": "in_b", "class_name": "InputLayer", "inbound_nodes": []},
            {"name": "in_a", "class_name": "InputLayer", "inbound_nodes": []},
            {"name": "deep_b", "class_name": "Dense", "inbound_nodes": [[["in_b", 0, 0, {}]]]},
            {"name": "deep_b2", "class_name": "Dense", "inbound_nodes": [[["deep_b", 0, 0, {}]]]},
            {"name": "shallow_a", "class_name": "Dense", "inbound_nodes": [[["in_a", 0, 0, {}]]]},
            {"name": "join", "class_name": "Concatenate",
             "inbound_nodes": [[["shallow_a", 0, 0, {}], ["deep_b2", 0, 0, {}]]]},
        ],
        "input_layers": [["in_a", 0, 0], ["in_b", 0, 0]],
        "output_layers": [["join", 0, 0]],
    }
    assert functional_layer_order(body) == ["in_b", "in_a", "deep_b", "shallow_a", "deep_b2", "join"]


def test_snake_case_matches_keras_group_names():
    assert [to_snake_case(c) for c in ("Dense", "BatchNormalization", "LSTM", "SimpleRNN", "Conv2D",
                                       "ConvLSTM2D", "PReLU", "GRUCell")] == [
        "dense", "batch_normalization", "lstm", "simple_rnn", "conv2d", "conv_lstm2d", "p_re_lu", "gru_cell"]


def test_training_config_lr_decay_epsilon_and_loss_names():
    notes = Notes()
    compiled = convert_training_config({
        "optimizer_config": {"class_name": "RMSprop", "config": {"lr": 0.01, "rho": 0.9, "decay": 0.001,
                                                                 "epsilon": 1e-07}},
        "loss": "kullback_leibler_divergence", "metrics": ["acc"], "loss_weights": None}, notes)
    optimizer = compiled.compile_config["optimizer"]["config"]
    assert "lr" not in optimizer and "decay" not in optimizer
    assert optimizer["learning_rate"]["class_name"] == "InverseTimeDecay"
    assert optimizer["learning_rate"]["config"]["decay_rate"] == 0.001
    assert optimizer["epsilon"] == pytest.approx(1e-14)
    assert compiled.compile_config["loss"] == "kl_divergence"
    adagrad = convert_training_config({"optimizer_config": {"class_name": "Adagrad", "config": {"lr": 0.01}},
                                       "loss": "mse"}, Notes(), h5=True)
    assert adagrad.compile_config["optimizer"]["config"]["initial_accumulator_value"] == 0.0
    assert adagrad.compile_config["loss"] == "mean_squared_error"  # .h5 cannot deserialize 'mse'
    custom = convert_training_config({"optimizer_config": {"class_name": "Adam", "config": {"lr": 0.1}},
                                      "loss": "my_loss"}, notes)
    assert custom.compile_config is None
    assert any("my_loss" in what for _w, what in notes.changes)


def test_a_nested_model_shared_inside_another_nested_model_is_refused():
    base = {"class_name": "Model", "name": "base", "config": {"name": "base", "layers": [
        {"name": "i", "class_name": "InputLayer", "config": {"batch_input_shape": [None, 2], "name": "i"},
         "inbound_nodes": []},
        {"name": "d", "class_name": "Dense", "config": {"name": "d", "units": 1}, "inbound_nodes": [[["i", 0, 0, {}]]]}],
        "input_layers": [["i", 0, 0]], "output_layers": [["d", 0, 0]]}}
    head = {"class_name": "Sequential", "name": "head", "config": {"name": "head", "layers": [dict(base)]},
            "inbound_nodes": [[["x", 0, 0, {}]]]}
    outer = {"class_name": "Model", "config": {"name": "outer", "layers": [
        {"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [None, 2], "name": "x"},
         "inbound_nodes": []},
        head, dict(base, inbound_nodes=[[["x", 0, 0, {}]]]),
        {"name": "add", "class_name": "Add", "config": {"name": "add"},
         "inbound_nodes": [[["head", 1, 0, {}], ["base", 1, 0, {}]]]}],
        "input_layers": [["x", 0, 0]], "output_layers": [["add", 0, 0]]}}
    notes = Notes()
    config, _saveable = convert_model_config(outer, notes)
    assert config is None and [p.layer for p in notes.problems] == ["base"]
