"""Legacy weights (``save_weights`` output, or the weights of a whole-model file) -> Keras 3's
``.weights.h5`` layout for a given architecture, without TensorFlow.

The architecture comes from a converted ``.keras`` file (its config.json, and its weights file
for the shapes) or from the legacy whole-model ``.h5``.  Layers are matched by name first, then
the remaining ones by order; counts and shapes are checked, and any mismatch is reported with
every layer concerned, never written.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import h5py
import numpy as np

from kmigrate.models.config import ConversionError, Notes, convert_model_config
from kmigrate.models.legacy_file import NotAModelFile, is_hdf5, read_legacy_file
from kmigrate.models.outcome import ConversionReport, write_file_atomically
from kmigrate.models.weights_layout import (
    WeightMismatch,
    WeightTree,
    build_weight_tree,
    write_keras3_weights,
)


def _architecture(config_path: Path, notes: Notes) -> tuple[dict, dict[str, list[tuple[int, ...]]] | None]:
    """(model config, shapes of the reference weights by group path, when known)."""
    if zipfile.is_zipfile(config_path):
        with zipfile.ZipFile(config_path) as archive:
            config = json.loads(archive.read("config.json"))
            shapes: dict[str, list[tuple[int, ...]]] = {}
            if "model.weights.h5" in archive.namelist():
                with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as handle:
                    def visit(name: str, obj: object) -> None:
                        if isinstance(obj, h5py.Group) and name.endswith("vars") and not name.startswith("optimizer"):
                            path = name[: -len("/vars")] if name != "vars" else ""
                            shapes[path] = [obj[str(i)].shape for i in range(len(obj))]
                    handle.visititems(visit)
        return config, shapes
    if config_path.suffix.lower() == ".json":  # legacy model.to_json(), or a Keras 3 config.json
        config = json.loads(config_path.read_text(encoding="utf-8"))
        if "class_name" not in config:
            raise NotAModelFile(f"{config_path}: not a model architecture (no class_name)")
        return config, None
    if is_hdf5(config_path):
        legacy = read_legacy_file(config_path)
        if legacy.model_config is None:
            raise NotAModelFile(f"{config_path}: a weights-only file has no architecture")
        return legacy.model_config, None
    raise NotAModelFile(f"{config_path}: neither a .keras archive, a legacy .h5 model nor a JSON architecture")


def architecture_config(path: Path) -> dict:
    """The model config (legacy or Keras 3 schema) held by a .json, .keras or legacy .h5 file."""
    return _architecture(Path(path), Notes())[0]


def _match_layers(expected: list[str], weights: dict[str, list], legacy_order: list[str],
                  notes: Notes) -> dict[str, list]:
    """Legacy weights keyed by the architecture's layer names: by name, then by order."""
    with_weights = [n for n in legacy_order if weights.get(n)]
    matched = {name: weights[name] for name in expected if weights.get(name)}
    left_expected = [n for n in expected if n not in matched]
    left_legacy = [n for n in with_weights if n not in expected]
    if left_expected and left_legacy:
        pairs = list(zip(left_expected, left_legacy))
        for new, old in pairs:
            matched[new] = weights[old]
            notes.change(new, f"weights taken from legacy layer {old!r} (matched by order: the names differ)")
    return matched


def convert_weights_file(source: Path, destination: Path | None, config_path: Path | None, notes: Notes,
                         report: ConversionReport, *, check: bool = False) -> None:
    if config_path is None:
        notes.problem("(file)", "no architecture given", "pass --config CONVERTED.keras")
        return
    try:
        legacy = read_legacy_file(source)
        config, reference_shapes = _architecture(Path(config_path), notes)
    except (NotAModelFile, OSError, KeyError, ValueError) as error:
        notes.problem("(file)", f"cannot read: {error}", "give a legacy weights .h5 and a converted .keras")
        return
    report.keras_version = legacy.keras_version
    if legacy.major_version is not None and legacy.major_version < 2:
        notes.problem("(file)", f"weights saved by Keras {legacy.keras_version}",
                      "load them into the model with Keras 2.2.4, save again, then convert")
        return
    # The 1.2 hard_sigmoid rescaling applies exactly where the converter applied it: the
    # architecture keeps the built-in 'hard_sigmoid' name there.
    arch_notes = Notes()
    try:
        model_config, saveable = convert_model_config(config, arch_notes, theano=legacy.backend == "theano")
    except ConversionError as error:
        notes.problem("(model)", str(error), "check the --config file")
        return
    if model_config is None:
        notes.problems.extend(arch_notes.problems)
        return
    expected = [child.legacy_name or child.name for child in saveable.children[0][1]]
    weights = _match_layers(expected, legacy.weights, legacy.layer_names, notes)
    try:
        tree = build_weight_tree(saveable, weights, expected)
    except WeightMismatch as error:
        notes.problem("(weights)", str(error), "the weights do not belong to this architecture")
        return
    unused = [n for n in legacy.layer_names if legacy.weights.get(n) and not any(
        weights.get(e) is legacy.weights[n] for e in expected)]
    mismatches = [f"legacy layer {n!r} matches no layer of the architecture" for n in unused]
    if reference_shapes is not None:
        mismatches += _shape_mismatches(tree, reference_shapes)
    if mismatches:
        notes.problem("(weights)", "; ".join(mismatches),
                      "the weights do not fit this architecture: check that --config is the converted "
                      "model these weights were trained for")
        return
    for where, what in arch_notes.changes:
        if "hard_sigmoid" in what:
            notes.change(where, what)
    if check or destination is None:
        return
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        write_keras3_weights(tree, handle, None, saveable.name)
    write_file_atomically(Path(destination), buffer.getvalue())
    report.written = True


def _shape_mismatches(tree: WeightTree, reference: dict[str, list[tuple[int, ...]]]) -> list[str]:
    out = []
    for path, (_name, variables) in tree.groups.items():
        want = reference.get(path)
        have = [tuple(np.shape(v.value)) for v in variables]
        if want is None:
            if have:
                out.append(f"{path}: {len(have)} weights but the architecture has no such layer")
            continue
        if [tuple(w) for w in want] != have:
            layer = variables[0].legacy_layer if variables else path
            out.append(f"{path} (legacy {layer}): shapes {have} != expected {[tuple(w) for w in want]}")
    return out
