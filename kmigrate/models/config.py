"""Rewrite a legacy stored model config (Keras 2.x ``model_config``) into Keras 3's schema.

Pure data: no h5py, numpy, TensorFlow or Keras.  ``convert_model_config`` returns the Keras 3
config (``module`` / ``class_name`` / ``config`` / ``registered_name`` everywhere, as Keras 3
itself writes) and a ``Saveable`` tree that says where each legacy weight goes in the Keras 3
weights file and which ones are rescaled.  Everything it changes or cannot convert is recorded
in ``Notes`` by layer name.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from kmigrate import keras_api
from kmigrate.models import tables
from kmigrate.rules import layer_args_table
from kmigrate.rules.initializer_aliases import INITIALIZER_ALIASES
from kmigrate.rules.keras1_api import CONSTRAINTS as KERAS1_CONSTRAINTS
from kmigrate.rules.merge_layers import MERGE_MODES

TARGET = "tf.keras"


@dataclass(frozen=True)
class Problem:
    layer: str  # layer name, or "(model)" / "(file)"
    what: str  # what cannot be converted
    todo: str  # what to do about it

    def __str__(self) -> str:
        return f"{self.layer}: {self.what} -- {self.todo}"


@dataclass
class Notes:
    changes: list[tuple[str, str]] = field(default_factory=list)  # (layer name, what changed)
    problems: list[Problem] = field(default_factory=list)

    def change(self, where: str, what: str) -> None:
        if (where, what) not in self.changes:
            self.changes.append((where, what))

    def problem(self, where: str, what: str, todo: str) -> None:
        self.problems.append(Problem(where, what, todo))


@dataclass(frozen=True)
class GateScale:
    """Multiply a variable by ``factor`` on the last-axis blocks ``gates`` of ``n_gates`` equal
    blocks (all of it when ``gates`` is None)."""

    factor: float
    n_gates: int = 1
    gates: tuple[int, ...] | None = None
    variables: tuple[int, ...] | None = None  # which own variables (None: all)


@dataclass
class Saveable:
    """One Keras 3 object of the weights file: ``<path>/vars/0..n`` plus its children.

    ``own`` is how many of the legacy weights given to it are its own variables (-1: all of
    them); the rest go to the children in order, or are split evenly when ``split``
    (Bidirectional: forward weights, then backward)."""

    class_name: str
    name: str
    own: int = -1
    scale: list[GateScale] = field(default_factory=list)
    children: list[tuple[str, Any]] = field(default_factory=list)  # (attribute, Saveable | list)
    split: bool = False
    flip: tuple[int, ...] = ()  # Theano-backend kernels (by index): reverse their spatial axes
    legacy_name: str | None = None  # top-level layers: the group in the legacy file


def to_snake_case(name: str) -> str:
    """Keras 3's ``naming.to_snake_case``: how it names a class's group in a weights file."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class ConversionError(Exception):
    """The config cannot be converted at all (the problems say why)."""


# -- nested objects (initializers, regularizers, constraints) ----------------------------------
_OBJECT_KINDS = (("_initializer", "initializers"), ("_regularizer", "regularizers"),
                 ("_constraint", "constraints"))  # fmt: skip
_INIT_KEYS = {"init": "initializers", "inner_init": "initializers"}


def _object_kind(key: str) -> str | None:
    for suffix, kind in _OBJECT_KINDS:
        if key.endswith(suffix):
            return kind
    return None


def _serialized(module: str, class_name: str, config: dict) -> dict:
    return {"module": module, "class_name": class_name, "config": config, "registered_name": None}


def convert_object(value: Any, kind: str, where: str, notes: Notes) -> Any:
    """A legacy ``{"class_name", "config"}`` initializer/regularizer/constraint, or a string id."""
    if value is None:
        return None
    if isinstance(value, str):
        if kind == "initializers" and value in INITIALIZER_ALIASES:
            cls, defaults = INITIALIZER_ALIASES[value]
            notes.change(where, f"initializer '{value}' -> {cls}")
            return _serialized("keras.initializers", cls, dict(defaults))
        return value  # Keras 3 string ids: 'glorot_uniform', 'zeros', 'l2', ...
    if not isinstance(value, dict) or "class_name" not in value:
        return value
    cls = value["class_name"]
    config = dict(value.get("config") or {})
    if kind == "constraints":
        renamed, keys = KERAS1_CONSTRAINTS.get(f"constraints.{cls}", (f"constraints.{cls}", {}))
        cls = renamed.rpartition(".")[2]
        config = {keys.get(k, k): v for k, v in config.items()}
    if kind == "initializers" and cls == "VarianceScaling" and config.get("distribution") == "normal":
        # Keras 2 'normal' was a truncated normal; Keras 3 rejects the name.
        config["distribution"] = "truncated_normal"
        notes.change(where, "VarianceScaling distribution 'normal' -> 'truncated_normal' (same draw)")
    if not keras_api.exists(f"{kind}.{cls}", TARGET):
        notes.problem(where, f"unknown {kind[:-1]} class {cls!r} (a custom object)",
                      "Keras 3 cannot import it: remove it from the layer, or register it with "
                      "tf.keras.utils.register_keras_serializable and load with custom_objects")
        return None
    return _serialized(f"keras.{kind}", cls, config)


# -- activations ---------------------------------------------------------------------------------
def _activation_name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # Keras 2.3 may serialize {"class_name": "hard_sigmoid"}
        return value.get("class_name") if isinstance(value.get("class_name"), str) else None
    return None


# -- layers -----------------------------------------------------------------------------------------
@dataclass
class LayerResult:
    entry: dict  # Keras 3 serialized layer
    saveable: Saveable
    batch_input_shape: list | None = None
    dtype: str | None = None


def _keras3_class(legacy_class: str, where: str, notes: Notes) -> str | None:
    path = f"layers.{legacy_class}"
    spec = layer_args_table.LAYERS.get(path)
    if spec is not None and spec.replace:
        new = spec.replace.rpartition(".")[2]
        notes.change(where, f"class {legacy_class} -> {new}")
        legacy_class = new
    if path in layer_args_table.REMOVED:
        notes.problem(where, f"{legacy_class} has no Keras 3 class", layer_args_table.REMOVED[path][1])
        return None
    cls = tables.CLASS_ALIASES.get(legacy_class, legacy_class)
    if not keras_api.exists(f"layers.{cls}", TARGET):
        return None
    return cls


def _common_keys(cls: str, config: dict, where: str, notes: Notes) -> dict:
    """Keras 1 keyword renames (shared with the source rules) and keys Keras 3 dropped."""
    spec = layer_args_table.LAYERS.get(f"layers.{cls}")
    out = dict(config)
    if spec is not None:
        for old, new in spec.renames:
            if old in out and new not in out:
                out[new] = out.pop(old)
                notes.change(where, f"{old} -> {new}")
    if "data_format" in out and out["data_format"] in layer_args_table.DIM_ORDERING:
        out["data_format"] = layer_args_table.DIM_ORDERING[out["data_format"]]
    for old, new in tables.RENAMED_KEYS.get(cls, ()):
        if old in out:
            out[new] = out.pop(old)
            notes.change(where, f"{old} -> {new}")
    for key in tables.DROPPED_KEYS["*"] | tables.DROPPED_KEYS.get(cls, frozenset()):
        if key in out and cls != "InputLayer":
            value = out.pop(key)
            if key not in ("batch_input_shape", "batch_size") and value is not None:
                notes.change(where, f"{key}={value!r} dropped (Keras 3 has no such argument)")
    for key, value in list(out.items()):
        kind = _object_kind(key) or _INIT_KEYS.get(key)
        if kind is not None:
            out[key] = convert_object(value, kind, where, notes)
    if isinstance(out.get("dtype"), dict):  # a Keras 2.3 policy: keep the plain dtype name
        out["dtype"] = (out["dtype"].get("config") or {}).get("name", "float32")
    return out


def _hard_sigmoid_scale(cls: str, config: dict, where: str, notes: Notes) -> list[GateScale]:
    """GateScales that keep legacy hard_sigmoid numerics with Keras 3's built-in hard_sigmoid."""
    scales: list[GateScale] = []
    factor = tables.HARD_SIGMOID_SCALE
    activation = _activation_name(config.get("activation"))
    if cls in tables.RECURRENT:
        _cell, gates, recurrent_gates = tables.RECURRENT[cls]
        if _activation_name(config.get("recurrent_activation")) == "hard_sigmoid" and recurrent_gates:
            chosen = tuple(i for i, g in enumerate(gates) if g in recurrent_gates)
            scales.append(GateScale(factor, len(gates), chosen))
            notes.change(where, f"legacy hard_sigmoid gates ({', '.join(g for g in gates if g in recurrent_gates)}): "
                         f"weights feeding them x{factor} for Keras 3's hard_sigmoid")
        if activation == "hard_sigmoid":
            if cls == "LSTM" or cls == "ConvLSTM2D":
                notes.problem(where, "activation='hard_sigmoid' (LSTM candidate and cell output)",
                              "Keras 3's hard_sigmoid is another formula and the cell state cannot be "
                              "rescaled: rebuild the layer with a custom activation "
                              "clip(0.2x+0.5, 0, 1) and load the weights")
            else:
                candidate = tuple(i for i, g in enumerate(gates) if g not in recurrent_gates)
                scales.append(GateScale(factor, len(gates), candidate))
                notes.change(where, f"legacy hard_sigmoid activation: weights feeding it x{factor}")
        return scales
    if activation == "hard_sigmoid" and cls != "Activation":
        if cls in tables.LINEAR_THEN_ACTIVATION:
            scales.append(GateScale(factor, variables=tables.LINEAR_THEN_ACTIVATION[cls]))
            notes.change(where, f"legacy hard_sigmoid activation: kernel and bias x{factor} for Keras 3's "
                         "hard_sigmoid")
        else:
            notes.problem(where, f"activation 'hard_sigmoid' on a {cls} layer",
                          "Keras 3's hard_sigmoid is relu6(x+3)/6, legacy was clip(0.2x+0.5, 0, 1): "
                          "replace the layer with Rescaling(0.2, offset=0.5) + ReLU(max_value=1.0)")
    return scales


def convert_layer(layer: dict, notes: Notes, *, theano: bool = False) -> LayerResult | None:
    """One legacy ``{"class_name", "config"}`` layer (functional extras are the caller's)."""
    legacy_class = str(layer.get("class_name"))
    config = layer.get("config") or {}
    if legacy_class in ("Sequential", "Model", "Functional"):
        return _nested_model(layer, notes, theano=theano)
    where = str(config.get("name") or layer.get("name") or legacy_class)
    if legacy_class == "Merge":
        return _merge(layer, where, notes)
    if legacy_class == "Lambda":
        notes.problem(where, "Lambda layer: its Python code is stored marshalled "
                      f"({config.get('function_type', '?')})",
                      "Keras 3 refuses unsafe deserialization by default and cannot rebuild the code "
                      "across Python versions: rebuild the model in code with the Lambda and load the "
                      "weights (kmigrate.models.weights.load_legacy_weights)")
        return None
    cls = _keras3_class(legacy_class, where, notes)
    if cls is None and legacy_class in tables.NO_KERAS3_CLASS:
        notes.problem(where, f"{legacy_class} has no Keras 3 class", tables.NO_KERAS3_CLASS[legacy_class])
        return None
    if cls is None:
        if not any(p.layer == where for p in notes.problems):
            notes.problem(where, f"unknown layer class {legacy_class!r} (a custom layer, or removed from "
                          "Keras)", "define the class, register it with "
                          "tf.keras.utils.register_keras_serializable, rebuild the model in code and "
                          "load the weights (kmigrate.models.weights.load_legacy_weights)")
        return None
    batch_input_shape = config.get("batch_input_shape")
    dtype = config.get("dtype") if isinstance(config.get("dtype"), str) else None
    new = _common_keys(cls, config, where, notes)
    saveable = Saveable(cls, new.get("name", where))

    if cls == "InputLayer":
        new.setdefault("batch_shape", batch_input_shape)
        new.pop("batch_input_shape", None)
        return LayerResult(_serialized("keras.layers", cls, new), Saveable(cls, where, own=0),
                           new.get("batch_shape"), dtype)
    if cls in ("Bidirectional", "TimeDistributed"):
        inner = convert_layer(new.pop("layer"), notes, theano=theano)
        if inner is None:
            return None
        new["layer"] = inner.entry
        if cls == "Bidirectional":
            backward = None
            if new.get("backward_layer"):
                backward = convert_layer(new.pop("backward_layer"), notes, theano=theano)
                if backward is None:
                    return None
                new["backward_layer"] = backward.entry
            forward_save = copy.deepcopy(inner.saveable)
            backward_save = copy.deepcopy(backward.saveable if backward else inner.saveable)
            forward_save.name = f"forward_{inner.saveable.name}"
            backward_save.name = f"backward_{inner.saveable.name}"
            saveable = Saveable(cls, saveable.name, own=0, split=True,
                                children=[("backward_layer", backward_save), ("forward_layer", forward_save)])
            # forward weights come first in the legacy file: the split follows the children's
            # order, so record it explicitly.
            saveable.children = [("forward_layer", forward_save), ("backward_layer", backward_save)]
        else:
            saveable = Saveable(cls, saveable.name, own=0, children=[("layer", inner.saveable)])
        return LayerResult(_serialized("keras.layers", cls, new), saveable, batch_input_shape, dtype)

    if cls == "Activation" and _activation_name(new.get("activation")) == "hard_sigmoid":
        return _legacy_hard_sigmoid_layer(new, where, notes, batch_input_shape, dtype)
    scales = _hard_sigmoid_scale(cls, new, where, notes)
    if cls in tables.RECURRENT:
        cell_class = tables.RECURRENT[cls][0]
        if cls == "GRU" and "reset_after" not in new:
            new["reset_after"] = False
            notes.change(where, "GRU reset_after=False (the legacy formula and weight layout)")
        saveable = Saveable(cls, saveable.name, own=0,
                            children=[("cell", Saveable(cell_class, to_snake_case(cell_class), scale=scales))])
    else:
        saveable.scale = scales
    if theano and cls in tables.THEANO_FLIPPED_KERNELS:
        holder = saveable.children[0][1] if cls in tables.RECURRENT else saveable
        holder.flip = tables.THEANO_FLIPPED_KERNELS[cls]
        notes.change(where, "Theano kernel flipped to TensorFlow's cross-correlation order (as Keras 2 did)")
    return LayerResult(_serialized("keras.layers", cls, new), saveable, batch_input_shape, dtype)


def _legacy_hard_sigmoid_layer(config: dict, where: str, notes: Notes, batch_input_shape: list | None,
                               dtype: str | None) -> LayerResult:
    """``Activation('hard_sigmoid')`` has no weights to rescale: the legacy formula
    clip(0.2 x + 0.5, 0, 1) is ``Rescaling(0.2, offset=0.5)`` then ``ReLU(max_value=1)``, kept
    as one layer (a small Sequential under the same name) so that the graph keeps its shape."""
    name = config.get("name", where)
    common = {"trainable": config.get("trainable", True), "dtype": config.get("dtype", "float32")}
    steps = [
        _serialized("keras.layers", "Rescaling", {"name": f"{name}_scale", "scale": 0.2, "offset": 0.5, **common}),
        _serialized("keras.layers", "ReLU", {"name": f"{name}_clip", "max_value": 1.0, "negative_slope": 0.0,
                                             "threshold": 0.0, **common}),
    ]
    entry = {"module": "keras", "class_name": "Sequential", "config": {"name": name, "trainable": True,
                                                                       "layers": steps},
             "registered_name": None}
    notes.change(where, "Activation('hard_sigmoid') -> Rescaling(0.2, offset=0.5) + ReLU(max_value=1.0): the "
                 "legacy formula with built-in layers (Keras 3's hard_sigmoid is another one)")
    saveable = Saveable("Sequential", name, own=0, children=[("layers", [
        Saveable("Rescaling", f"{name}_scale", own=0), Saveable("ReLU", f"{name}_clip", own=0)])])
    return LayerResult(entry, saveable, batch_input_shape, dtype)


def _merge(layer: dict, where: str, notes: Notes) -> LayerResult | None:
    """Keras 1's Merge layer (kept by Keras 2.0-2.1 in keras.legacy.layers)."""
    config = layer.get("config") or {}
    mode = config.get("mode")
    if "layers" in config:
        notes.problem(where, "Merge of Sequential models (a branching Sequential)",
                      "rebuild the model with the functional API and load the weights")
        return None
    if config.get("mode_type") not in (None, "raw") or mode not in MERGE_MODES:
        notes.problem(where, f"Merge mode {mode!r} ({config.get('mode_type', 'raw')}) has no Keras 3 layer",
                      "rebuild this merge in code (a Lambda or a custom layer) and load the weights")
        return None
    for key in ("output_shape", "output_mask"):
        if config.get(key) is not None:
            notes.problem(where, f"Merge with {key}", "rebuild this merge in code and load the weights")
            return None
    cls = MERGE_MODES[mode].rpartition(".")[2]
    new: dict[str, Any] = {"name": config.get("name", where), "trainable": True}
    if cls == "Concatenate":
        new["axis"] = config.get("concat_axis", -1)
    elif cls == "Dot":
        new["axes"] = config.get("dot_axes", -1)
    notes.change(where, f"Keras 1 Merge(mode={mode!r}) -> {cls}")
    return LayerResult(_serialized("keras.layers", cls, new), Saveable(cls, new["name"], own=0))


# -- models -----------------------------------------------------------------------------------------
def _nested_model(layer: dict, notes: Notes, *, theano: bool) -> LayerResult | None:
    entry, saveable = convert_model_config(layer, notes, theano=theano)
    if entry is None:
        return None
    # Its input shape, for a Sequential that starts with it (a pretrained base, say).
    layers = entry["config"]["layers"]
    inputs = [e for e in layers if e["class_name"] == "InputLayer"]
    shape = inputs[0]["config"].get("batch_shape") if len(inputs) == 1 else None
    return LayerResult(entry, saveable, shape, inputs[0]["config"].get("dtype") if inputs else None)


def convert_model_config(model_config: dict, notes: Notes, *, theano: bool = False) -> tuple[dict | None, Saveable]:
    """The Keras 3 config of a legacy Sequential or functional model, and its weights plan."""
    cls = model_config.get("class_name")
    if cls == "Sequential":
        return _sequential(model_config, notes, theano)
    if cls in ("Model", "Functional"):
        return _functional(model_config, notes, theano)
    notes.problem("(model)", f"model class {cls!r} (a subclassed or custom model)",
                  "only Sequential and functional models are stored as configs: rebuild it in code and "
                  "load the weights")
    return None, Saveable(str(cls), "model")


def _sequential(model_config: dict, notes: Notes, theano: bool) -> tuple[dict | None, Saveable]:
    body = model_config.get("config") or {}
    if isinstance(body, list):  # Keras 2.0/2.1 stored the bare layer list
        body = {"name": model_config.get("name") or "sequential", "layers": body}
        notes.change("(model)", "Sequential config stored as a bare list (Keras 2.0/2.1) -> named config")
    name = body.get("name") or "sequential"
    layers_in = list(body.get("layers") or [])
    if any(layer.get("class_name") == "Merge" and "layers" in (layer.get("config") or {}) for layer in layers_in):
        return _branching_sequential(name, layers_in, notes, theano)
    results: list[LayerResult] = []
    failed = False
    input_entry = None
    if layers_in and layers_in[0].get("class_name") == "InputLayer":
        first = convert_layer(layers_in.pop(0), notes, theano=theano)
        assert first is not None
        input_entry, batch_shape = first.entry, first.batch_input_shape
    for layer in layers_in:
        result = convert_layer(layer, notes, theano=theano)
        if result is None:
            failed = True
            continue
        results.append(result)
    if failed:
        return None, Saveable("Sequential", name)
    if input_entry is None:
        if not results or results[0].batch_input_shape is None:
            notes.problem("(model)", "the first layer has no input shape (the model was never built)",
                          "build the model in code with an Input and load the weights")
            return None, Saveable("Sequential", name)
        first_name = results[0].entry["config"].get("name", "layer")
        batch_shape = list(results[0].batch_input_shape)
        input_entry = _serialized("keras.layers", "InputLayer", {
            "batch_shape": batch_shape, "dtype": results[0].dtype or "float32", "sparse": False,
            "name": f"{first_name}_input"})
        notes.change(first_name, f"batch_input_shape {batch_shape} -> an explicit InputLayer "
                     f"(Keras 3 would keep the batch dimension in the shape)")
    entry = {
        "module": "keras", "class_name": "Sequential",
        "config": {"name": name, "trainable": True, "layers": [input_entry] + [r.entry for r in results]},
        "registered_name": None,
        "build_config": {"input_shape": batch_shape},
    }
    saveable = Saveable("Sequential", name, own=0, children=[("layers", [r.saveable for r in results])])
    for result, layer in zip(results, layers_in):
        result.saveable.legacy_name = (layer.get("config") or {}).get("name")
    return entry, saveable


def _sequential_layers(model: dict) -> list[dict] | None:
    if model.get("class_name") != "Sequential":
        return None
    body = model.get("config")
    return list(body if isinstance(body, list) else (body or {}).get("layers") or [])


def _branching_sequential(name: str, layers_in: list[dict], notes: Notes,
                          theano: bool) -> tuple[dict | None, Saveable]:
    """Keras 1's ``Sequential([Merge([model_a, model_b], mode=...), ...])`` -> the equivalent
    functional model: one Input per branch, in the legacy input order."""
    layers: list[dict] = []
    inputs: list[list] = []

    def chain(sequence: list[dict]) -> list | None:
        current: list | None = None
        for layer in sequence:
            config = layer.get("config") or {}
            if layer.get("class_name") == "Merge" and "layers" in config:
                outputs = []
                for branch in config["layers"]:
                    branch_layers = _sequential_layers(branch)
                    if branch_layers is None:
                        notes.problem(config.get("name", "merge"), "Merge of a non-Sequential model",
                                      "rebuild the model with the functional API and load the weights")
                        return None
                    out = chain(branch_layers)
                    if out is None:
                        return None
                    outputs.append(out)
                flat = {k: v for k, v in config.items() if k != "layers"}
                layers.append({"class_name": "Merge", "config": flat, "name": flat.get("name"),
                               "inbound_nodes": [[out + [{}] for out in outputs]]})
                current = [flat.get("name"), 0, 0]
                continue
            layer_name = str(config.get("name"))
            if current is None:
                shape = config.get("batch_input_shape")
                if shape is None:
                    notes.problem(layer_name, "the first layer of a merged branch has no input shape",
                                  "rebuild the model with the functional API and load the weights")
                    return None
                input_name = f"{layer_name}_input"
                layers.append({"class_name": "InputLayer", "name": input_name, "inbound_nodes": [],
                               "config": {"batch_input_shape": shape, "dtype": config.get("dtype", "float32"),
                                          "sparse": False, "name": input_name}})
                inputs.append([input_name, 0, 0])
                current = [input_name, 0, 0]
            layers.append({"class_name": layer["class_name"], "config": config, "name": layer_name,
                           "inbound_nodes": [[current + [{}]]]})
            current = [layer_name, 0, 0]
        return current

    output = chain(layers_in)
    if output is None:
        return None, Saveable("Functional", name)
    notes.change("(model)", f"Sequential with a Keras 1 Merge of models -> a functional model with "
                 f"{len(inputs)} inputs ({', '.join(i[0] for i in inputs)}, in the legacy order)")
    functional = {"class_name": "Model", "config": {"name": name, "layers": layers, "input_layers": inputs,
                                                     "output_layers": [output]}}
    return _functional(functional, notes, theano)


def _clean_node(node: Any) -> Any:
    """Legacy inbound node ``[[layer, node_index, tensor_index, kwargs], ...]``: masks that Keras 2
    recorded are dropped (Keras 3 propagates masks itself and merge layers take no mask)."""
    out = []
    for item in node:
        item = list(item)
        if len(item) == 4 and isinstance(item[3], dict):
            kwargs = {k: v for k, v in item[3].items() if k != "mask"}
            item = item[:3] + [kwargs]
        out.append(item)
    return out


def _functional(model_config: dict, notes: Notes, theano: bool) -> tuple[dict | None, Saveable]:
    body = model_config.get("config") or {}
    name = body.get("name") or "model"
    entries = []
    saveables: dict[str, Saveable] = {}
    failed = False
    for layer in body.get("layers", []):
        result = convert_layer(layer, notes, theano=theano)
        if result is None:
            failed = True
            continue
        entry = dict(result.entry)
        layer_name = str(layer.get("name") or (layer.get("config") or {}).get("name"))
        entry["name"] = layer_name
        entry["inbound_nodes"] = [_clean_node(node) if isinstance(node, list) else node
                                  for node in layer.get("inbound_nodes", [])]
        result.saveable.legacy_name = layer_name
        saveables[layer_name] = result.saveable
        entries.append(entry)
    if failed:
        return None, Saveable("Functional", name)
    order = functional_layer_order(body)
    output_layers = body.get("output_layers")
    # A legacy nested model had a node of its own (index 0) before its first call; a Keras 3
    # model has none: calls of it in inbound nodes shift by one.  In output_layers Keras 3 still
    # counts that node for a Functional (functional_from_config subtracts it), not for a Sequential.
    nested = {layer.get("name"): layer.get("class_name") for layer in body.get("layers", [])
              if layer.get("class_name") in ("Sequential", "Model", "Functional")
              and isinstance((layer.get("inbound_nodes") or [[]])[0], list)}
    inside = {name for layer in body.get("layers", []) if layer.get("name") in nested
              for name in _inner_layer_names(layer)}
    shared = sorted(set(nested) & inside)
    if shared:
        notes.problem(", ".join(shared), "a nested model used both inside another nested model and directly",
                      "Keras 3 numbers the calls of such a shared model differently: rebuild the model in code "
                      "and load the weights (kmigrate.models.weights.load_legacy_weights)")
        return None, Saveable("Functional", name)
    if nested:
        for entry in entries:
            entry["inbound_nodes"] = [_shift_nodes(node, set(nested)) if isinstance(node, list) else node
                                      for node in entry["inbound_nodes"]]
        output_layers = _shift_nodes(output_layers, {n for n, c in nested.items() if c == "Sequential"})
        notes.change("(model)", f"calls of nested models ({', '.join(sorted(nested))}) renumbered (a Keras 3 "
                     "model has no node of its own)")
    entry = {
        "module": "keras.src.models.functional", "class_name": "Functional",
        "config": {"name": name, "trainable": True, "layers": entries,
                   "input_layers": _single(body.get("input_layers")), "output_layers": _single(output_layers)},
        "registered_name": None,
    }
    saveable = Saveable("Functional", name, own=0, children=[("layers", [saveables[n] for n in order])])
    return entry, saveable


def _inner_layer_names(model: dict) -> set[str]:
    """Names of the layers inside a legacy nested model config, recursively."""
    body = model.get("config")
    layers = body if isinstance(body, list) else (body or {}).get("layers") or []
    names: set[str] = set()
    for layer in layers:
        config = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        names.add(str(layer.get("name") or config.get("name")))
        if layer.get("class_name") in ("Sequential", "Model", "Functional"):
            names |= _inner_layer_names(layer)
    return names


def _single(tensors: Any) -> Any:
    """Legacy configs list even one input/output ([[name, 0, 0]]); Keras 3 reads that as a list
    of one tensor (predict would return a list), and writes a single one as [name, 0, 0]."""
    if isinstance(tensors, list) and len(tensors) == 1 and isinstance(tensors[0], list):
        return tensors[0]
    return tensors


def _shift_nodes(value: Any, names: set[str]) -> Any:
    """[name, node_index, ...] references to the layers ``names``: node_index - 1."""
    if isinstance(value, list):
        if len(value) >= 3 and isinstance(value[0], str) and isinstance(value[1], int):
            if value[0] in names and value[1] > 0:
                return [value[0], value[1] - 1] + list(value[2:])
            return value
        return [_shift_nodes(item, names) for item in value]
    return value


def _as_tensor_list(value: Any) -> list[tuple[str, int, int]]:
    """input_layers/output_layers: one [name, node, tensor] triple or a list of them."""
    if value and isinstance(value[0], str):
        return [(value[0], value[1], value[2])]
    return [(v[0], v[1], v[2]) for v in value or []]


def _node_inputs(node: Any) -> list[tuple[str, int, int]]:
    """The [layer, node, tensor] inputs of a node: legacy list form, or Keras 3's
    ``{"args": ..., "kwargs": ...}`` with ``__keras_tensor__`` entries (a re-saved .keras)."""
    if isinstance(node, list):
        return [(item[0], item[1], item[2]) for item in node]
    found: list[tuple[str, int, int]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("class_name") == "__keras_tensor__":
                history = value["config"]["keras_history"]
                found.append((history[0], history[1], history[2]))
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(node.get("args", []))
    return found


def functional_layer_order(body: dict) -> list[str]:
    """The order of ``Functional.layers`` in Keras 3 (``ops.function.map_graph``): by depth from
    the outputs, deepest (inputs) first, ties in order of first visit by a depth-first walk
    from the outputs.  The weights file names its groups in this order."""
    inbound: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for layer in body.get("layers", []):
        name = layer.get("name") or layer["config"]["name"]
        nodes = layer.get("inbound_nodes", [])
        # A nested model's node 0 is its own (legacy configs, and Keras 3 Functional): the
        # listed calls are nodes 1, 2, ...
        legacy_nodes = bool(nodes) and isinstance(nodes[0], list)
        offset = 1 if layer.get("class_name") in ("Model", "Functional") or (
            legacy_nodes and layer.get("class_name") == "Sequential") else 0
        if not nodes:
            inbound[(name, 0)] = []
        for index, node in enumerate(nodes):
            inbound[(name, index + offset)] = [(item[0], item[1]) for item in _node_inputs(node)]
    inputs = {(n, i) for n, i, _ in _as_tensor_list(body.get("input_layers"))}

    finished: set = set()
    in_progress: set = set()
    ordered: list[tuple[str, int]] = []
    first_visit: dict[str, int] = {}

    def visit(node: tuple[str, int], is_model_input: bool) -> None:
        if node in finished:
            return
        if node in inputs and inbound.get(node):  # a model input that is not an InputLayer node
            finished.add(node)
            return
        if node in in_progress:
            raise ConversionError(f"cycle in the model graph at {node[0]}")
        first_visit.setdefault(node[0], len(first_visit))
        in_progress.add(node)
        for parent in inbound.get(node, []):
            visit(parent, parent in inputs)
        finished.add(node)
        in_progress.discard(node)
        ordered.append(node)

    for name, index, _ in _as_tensor_list(body.get("output_layers")):
        visit((name, index), False)

    node_depth: dict[tuple[str, int], int] = {}
    layer_depth: dict[str, int] = {}
    nodes_in_graph = set(ordered)
    for node in reversed(ordered):
        depth = node_depth.setdefault(node, 0)
        depth = max(depth, layer_depth.get(node[0], 0))
        layer_depth[node[0]] = depth
        node_depth[node] = depth
        for parent in inbound.get(node, []):
            if parent in nodes_in_graph:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    for name, _index, _ in _as_tensor_list(body.get("input_layers")):
        if name not in layer_depth:
            layer_depth[name] = 0
            first_visit[name] = -1
    by_depth: dict[int, list[str]] = {}
    for name, depth in layer_depth.items():
        by_depth.setdefault(depth, []).append(name)
    order: list[str] = []
    for depth in sorted(by_depth, reverse=True):
        order.extend(sorted(by_depth[depth], key=lambda n: first_visit[n]))
    return order
