"""Load a legacy weights file into a live (migrated) Keras 3 model.

    from kmigrate.models.weights import load_legacy_weights
    model = build_migrated_model()            # the tf.keras model the migrated code builds
    load_legacy_weights(model, "old_weights.h5")

Takes a live model, so callers have TensorFlow; the codemod never imports this module.  Layers
are matched by name first, then the remaining ones by order (the migration may have renamed
them); counts and shapes are checked for every layer before anything is assigned, and a
mismatch raises ``LegacyWeightsError`` listing every layer concerned.  Where the model keeps the
built-in ``hard_sigmoid`` (as converted files do), the weights feeding it are scaled by 1.2 so
that Keras 3's formula gives the legacy numbers; a model that uses a custom legacy hard_sigmoid
(``kmigrate.legacy_hard_sigmoid``) gets the weights unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kmigrate.models.config import Notes, convert_layer
from kmigrate.models.legacy_file import read_legacy_file
from kmigrate.models.weights_layout import WeightMismatch, WeightTree, place

if TYPE_CHECKING:  # for annotations only: the caller brings Keras (and TensorFlow)
    import keras


class LegacyWeightsError(ValueError):
    """The legacy weights do not fit the model (nothing was assigned)."""


def _serialized(layer: keras.layers.Layer) -> dict[str, Any]:
    from keras.saving import serialize_keras_object

    return serialize_keras_object(layer)


def load_legacy_weights(model: keras.Model, path: str | Path) -> list[str]:
    """Assign the weights of a legacy ``.h5`` (save_weights output or whole model) to ``model``.

    Returns notes on what was adapted (layers matched by order, rescaled gates)."""
    legacy = read_legacy_file(Path(path))
    if legacy.major_version is not None and legacy.major_version < 2:
        raise LegacyWeightsError(f"{path}: saved by Keras {legacy.keras_version}; load it with Keras 2.2.4 and "
                                 "save again first")
    layers = [layer for layer in model.layers if layer.weights]
    with_weights = [n for n in legacy.layer_names if legacy.weights.get(n)]
    by_name = {layer.name: legacy.weights[layer.name] for layer in layers if legacy.weights.get(layer.name)}
    left_layers = [layer for layer in layers if layer.name not in by_name]
    left_legacy = [n for n in with_weights if n not in by_name]
    notes: list[str] = []
    problems: list[str] = []
    chosen: dict[str, tuple[str, list]] = {layer.name: (layer.name, by_name[layer.name]) for layer in layers
                                           if layer.name in by_name}
    for layer, old in zip(left_layers, left_legacy):
        chosen[layer.name] = (old, legacy.weights[old])
        notes.append(f"{layer.name}: weights of legacy layer {old!r} (matched by order)")
    for layer in left_layers[len(left_legacy):]:
        problems.append(f"model layer {layer.name!r} has no legacy weights")
    for old in left_legacy[len(left_layers):]:
        problems.append(f"legacy layer {old!r} matches no model layer")

    assignments = []
    for layer in layers:
        if layer.name not in chosen:
            continue
        old, weights = chosen[layer.name]
        layer_notes = Notes()
        result = convert_layer(_serialized(layer), layer_notes, theano=legacy.backend == "theano")
        tree = WeightTree()
        if result is None:
            problems.append(f"{layer.name}: " + "; ".join(str(p) for p in layer_notes.problems))
            continue
        try:
            place(result.saveable, layer.name, weights, tree, old)
        except WeightMismatch as error:
            problems.append(str(error))
            continue
        values = [v.value for v in tree.variables()]
        targets = list(layer.weights)
        if len(values) != len(targets):
            problems.append(f"{layer.name}: {len(targets)} weights in the model, {len(values)} in legacy {old!r}")
            continue
        bad = [f"{t.path} {tuple(t.shape)} != {v.shape}" for t, v in zip(targets, values)
               if tuple(t.shape) != tuple(v.shape)]
        if bad:
            problems.append(f"{layer.name} (legacy {old!r}): " + ", ".join(bad))
            continue
        notes += [f"{where}: {what}" for where, what in layer_notes.changes if "hard_sigmoid" in what]
        assignments.append((targets, values))
    if problems:
        raise LegacyWeightsError(f"{path}: the legacy weights do not fit the model:\n  " + "\n  ".join(problems))
    for targets, values in assignments:
        for target, value in zip(targets, values):
            target.assign(np.asarray(value, dtype=target.dtype))
    return notes
