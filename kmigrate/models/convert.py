"""Convert one legacy Keras ``.h5`` model file for TF 2.21 / Keras 3.15 (no TensorFlow needed).

    report = convert_model_file(Path("old.h5"), Path("new.keras"))
    if not report.ok:
        print(report.format())

The destination is a ``.keras`` file (config.json, metadata.json and model.weights.h5 in Keras
3's layout) or, when it ends in ``.h5``, Keras 3's legacy HDF5 layout.  ``check=True`` converts
in memory and writes nothing.  The source file is only read.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import h5py
import numpy as np

from kmigrate.models.config import (
    ConversionError,
    Notes,
    Saveable,
    convert_model_config,
)
from kmigrate.models.legacy_file import LegacyFile, NotAModelFile, read_legacy_file
from kmigrate.models.optimizer import convert_training_config, optimizer_state
from kmigrate.models.outcome import ConversionReport, write_file_atomically
from kmigrate.models.weight_files import architecture_config, convert_weights_file
from kmigrate.models.weights_layout import (
    PlacedVariable,
    WeightMismatch,
    WeightTree,
    build_weight_tree,
    write_keras3_weights,
)

# What the written files say they are (the Keras that reads them is 3.15).
WRITTEN_KERAS_VERSION = "3.15.1"
SUFFIXES = (".keras", ".h5")


@dataclass
class Converted:
    """A converted model in memory: what the writers need."""

    config: dict
    compile_config: dict | None
    training_config_h5: dict | None
    tree: WeightTree
    optimizer_values: list[np.ndarray] | None
    optimizer_name: str | None
    model_saveable: Saveable


def _check_file(legacy: LegacyFile, notes: Notes) -> bool:
    major = legacy.major_version
    if major is not None and major < 2:
        notes.problem("(file)", f"saved by Keras {legacy.keras_version}: Keras 1 files store other layer "
                      "configs and weight layouts (separate W_i/U_i/b_i recurrent weights)",
                      "load it once with Keras 2.2.4 (kmigrate verify provisions it: "
                      "~/.cache/kmigrate) and save it again, then convert that file")
        return False
    return True


def convert_legacy(legacy: LegacyFile, notes: Notes, *, h5: bool = False) -> Converted | None:
    """The whole conversion, in memory.  None when a problem stops it (see ``notes``)."""
    if not _check_file(legacy, notes):
        return None
    if legacy.model_config is None:
        notes.problem("(file)", "a weights-only file (save_weights output): it has no architecture",
                      f"give the architecture: kmigrate convert-model {legacy.path.name} NEW.keras --config "
                      "ARCHITECTURE.json (the legacy model.to_json()); or convert the whole-model file and "
                      f"run kmigrate convert-model --weights {legacy.path.name} NEW.weights.h5 --config "
                      "CONVERTED.keras; or call kmigrate.models.weights.load_legacy_weights(model, path)")
        return None
    theano = legacy.backend == "theano"
    try:
        config, saveable = convert_model_config(legacy.model_config, notes, theano=theano)
    except ConversionError as error:
        notes.problem("(model)", str(error), "rebuild the model in code and load the weights")
        return None
    if config is None:
        return None
    try:
        tree = build_weight_tree(saveable, legacy.weights, legacy.layer_names)
    except WeightMismatch as error:
        notes.problem("(weights)", str(error), "the file's weights do not fit its own config: re-save the "
                      "model with legacy Keras, or rebuild it in code")
        return None
    _mark_frozen_layers(config, tree)
    compiled = convert_training_config(legacy.training_config, notes, h5=h5)
    trainable_keras3 = [v for v in tree.variables() if v.trainable]
    order = {name: i for i, name in enumerate(legacy.layer_names)}
    trainable_legacy = sorted(trainable_keras3, key=lambda v: order.get(v.top_layer, len(order)))
    values = None
    if not h5:
        values = optimizer_state(compiled, legacy.optimizer_weights, trainable_keras3, trainable_legacy, notes)
    elif legacy.optimizer_weights:
        notes.change("(optimizer)", "optimizer state not written to .h5 (Keras 3 does not restore it from "
                     "HDF5; write .keras to keep it)")
    if compiled.compile_config is not None:
        config["compile_config"] = compiled.compile_config
    training_h5 = None
    if h5 and compiled.compile_config is not None:
        cc = compiled.compile_config
        training_h5 = {"optimizer_config": {"class_name": compiled.optimizer_class,
                                            "config": compiled.optimizer_config},
                       "loss": cc["loss"], "metrics": cc["metrics"], "weighted_metrics": cc["weighted_metrics"],
                       "loss_weights": cc["loss_weights"]}
    return Converted(config, compiled.compile_config, training_h5, tree, values,
                     compiled.optimizer_class.lower() if compiled.optimizer_class else None, saveable)


def _mark_frozen_layers(config: dict, tree: WeightTree) -> None:
    """Variables of a layer saved with trainable=False are not trainable (optimizer slots)."""
    frozen = set()

    def walk(entries: list) -> None:
        for entry in entries:
            layer_config = entry.get("config") or {}
            if layer_config.get("trainable") is False:
                frozen.add(entry.get("name") or layer_config.get("name"))
            if isinstance(layer_config.get("layers"), list):
                walk(layer_config["layers"])

    walk(config["config"]["layers"])
    for variable in tree.variables():
        if variable.legacy_layer in frozen:
            variable.trainable = False


# -- writers -------------------------------------------------------------------------------------
def _weights_bytes(converted: Converted) -> bytes:
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        optimizer = None
        if converted.optimizer_values is not None and converted.optimizer_name:
            optimizer = (converted.optimizer_name, converted.optimizer_values)
        write_keras3_weights(converted.tree, handle, optimizer, converted.model_saveable.name)
    return buffer.getvalue()


def keras_archive_bytes(converted: Converted) -> bytes:
    metadata = {"keras_version": WRITTEN_KERAS_VERSION, "date_saved": datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
                "converted_by": "kmigrate convert-model"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("config.json", json.dumps(converted.config))
        archive.writestr("model.weights.h5", _weights_bytes(converted))
    return buffer.getvalue()


def _legacy_layer_weights(converted: Converted) -> list[tuple[str, list[PlacedVariable]]]:
    """Per top-level layer (Keras 3 order), its variables as Keras 3's HDF5 loader takes them:
    trainable first, then non-trainable."""
    out: list[tuple[str, list[PlacedVariable]]] = []
    layers = converted.model_saveable.children[0][1]
    used: dict[str, int] = {}
    groups = converted.tree.groups
    for child in layers:
        from kmigrate.models.config import to_snake_case

        base = to_snake_case(child.class_name)
        name = base if base not in used else f"{base}_{used[base] + 1}"
        used[base] = used.get(base, -1) + 1
        prefix = f"layers/{name}"
        variables = [v for path, (_n, vs) in groups.items() if path == prefix or path.startswith(prefix + "/")
                     for v in vs]
        ordered = [v for v in variables if v.trainable] + [v for v in variables if not v.trainable]
        out.append((child.legacy_name or child.name, ordered))
    return out


def h5_bytes(converted: Converted) -> bytes:
    """Keras 3's legacy HDF5 model layout (``legacy_h5_format.save_model_to_hdf5``)."""
    buffer = io.BytesIO()
    model_config = {"class_name": converted.config["class_name"], "config": converted.config["config"]}
    with h5py.File(buffer, "w") as handle:
        handle.attrs["backend"] = "tensorflow"
        handle.attrs["keras_version"] = WRITTEN_KERAS_VERSION
        handle.attrs["model_config"] = json.dumps(model_config)
        if converted.training_config_h5 is not None:
            handle.attrs["training_config"] = json.dumps(converted.training_config_h5)
        group = handle.create_group("model_weights")
        group.attrs["backend"] = "tensorflow"
        group.attrs["keras_version"] = WRITTEN_KERAS_VERSION
        layers = _legacy_layer_weights(converted)
        # Fixed-length byte strings, as Keras's save_attributes_to_hdf5_group writes them.
        group.attrs["layer_names"] = np.asarray([name.encode("utf8") for name, _ in layers])
        for name, variables in layers:
            layer_group = group.create_group(name)
            names = []
            for index, variable in enumerate(variables):
                weight_name = f"{name}/{index}_{variable.legacy_name.rsplit('/', 1)[-1]}"
                layer_group.create_dataset(weight_name, data=variable.value)
                names.append(weight_name.encode("utf8"))
            layer_group.attrs["weight_names"] = np.asarray(names, dtype="S") if names else np.zeros(0, "S1")
    return buffer.getvalue()


def destination_format(destination: Path) -> str:
    name = destination.name.lower()
    if name.endswith(".keras"):
        return "keras"
    if name.endswith((".h5", ".hdf5")):
        return "h5"
    raise ValueError(f"{destination}: the destination must end in .keras or .h5")


def convert_model_file(source: Path, destination: Path | None = None, *, weights_only: bool = False,
                       check: bool = False, config: Path | None = None) -> ConversionReport:
    """Convert ``source`` (a legacy .h5) to ``destination`` (.keras, or .h5 on request).

    ``weights_only``: write only the weights, in Keras 3's ``.weights.h5`` layout, for the
    architecture of ``config`` (a converted .keras file, the legacy whole-model .h5 or the
    legacy ``model.to_json()``); the source may be a whole-model file or a save_weights file.
    Without ``weights_only``, ``config`` gives the architecture of a save_weights source, and
    the result is a whole model.  ``check``: write nothing."""
    source = Path(source)
    report = ConversionReport(source, Path(destination) if destination else None)
    notes = Notes()
    if weights_only:
        convert_weights_file(source, report.destination, config, notes, report, check=check)
        report.changes, report.problems = notes.changes, notes.problems
        return report
    try:
        kind = destination_format(Path(destination)) if destination else "keras"
    except ValueError as error:
        notes.problem("(file)", str(error), "name the output NEW.keras (default) or NEW.h5")
        report.problems = notes.problems
        return report
    try:
        legacy = read_legacy_file(source)
    except (NotAModelFile, OSError, KeyError, ValueError, json.JSONDecodeError) as error:
        notes.problem("(file)", f"cannot read it as a Keras model file: {error}",
                      "give a .h5 file written by Keras model.save()")
        report.changes, report.problems = notes.changes, notes.problems
        return report
    report.keras_version = legacy.keras_version
    if legacy.is_weights_only and config is not None:
        # save_weights output + its architecture (model.to_json(), or a whole-model file): a model.
        try:
            legacy.model_config = architecture_config(Path(config))
        except (NotAModelFile, OSError, KeyError, ValueError) as error:
            notes.problem("(file)", f"--config: {error}", "give the model's JSON architecture (model.to_json()) "
                          "or the legacy whole-model .h5")
            report.changes, report.problems = notes.changes, notes.problems
            return report
        notes.change("(model)", f"weights-only file: architecture taken from {Path(config).name}")
    try:
        converted = convert_legacy(legacy, notes, h5=kind == "h5")
    except Exception as error:  # noqa: BLE001 - a file this converter does not understand: report it
        notes.problem("(file)", f"internal error while converting: {type(error).__name__}: {error}",
                      "please report it with the file; meanwhile rebuild the model in code and load the weights")
        converted = None
    report.changes, report.problems = notes.changes, notes.problems
    if converted is None or report.problems or check or destination is None:
        return report
    data = keras_archive_bytes(converted) if kind == "keras" else h5_bytes(converted)
    if Path(destination).resolve() == source.resolve():
        notes.problem("(file)", "the destination is the source file", "write the converted model elsewhere")
        return report
    write_file_atomically(Path(destination), data)
    report.written = True
    return report
