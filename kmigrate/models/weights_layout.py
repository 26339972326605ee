"""Place legacy weights into Keras 3's weights layout, following a ``config.Saveable`` plan.

Keras 3 (``saving_lib``) stores each object's variables under ``<path>/vars/0..n``; a model's
layers live under ``layers/<snake_case class name>[_k]`` in the order of ``model.layers``, a
recurrent layer's under ``.../cell``, a wrapper's under ``.../layer`` or
``.../forward_layer``/``backward_layer``.  Legacy files store ``<layer>/<weight name>`` per layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import h5py
import numpy as np

from kmigrate.models.config import GateScale, Saveable, to_snake_case


class WeightMismatch(Exception):
    """The legacy weights do not fit the converted architecture (never converted silently)."""


@dataclass
class PlacedVariable:
    legacy_layer: str
    legacy_name: str
    value: np.ndarray
    trainable: bool
    rescaled: bool
    top_layer: str = ""  # the top-level legacy layer (a nested model's name for its sublayers)


@dataclass
class WeightTree:
    groups: dict[str, tuple[str, list[PlacedVariable]]] = field(default_factory=dict)  # path -> (name, vars)

    def variables(self) -> list[PlacedVariable]:
        """Every variable, in the order Keras 3 lists ``model.weights`` (own, then children)."""
        return [v for _name, group in self.groups.values() for v in group]


def _apply_scale(value: np.ndarray, scale: GateScale, where: str) -> np.ndarray:
    if scale.gates is None:
        return value * np.asarray(scale.factor, dtype=value.dtype)
    width = value.shape[-1]
    if width % scale.n_gates:
        raise WeightMismatch(f"{where}: last axis {width} is not {scale.n_gates} gate blocks")
    unit = width // scale.n_gates
    out = value.copy()
    for gate in scale.gates:
        out[..., gate * unit:(gate + 1) * unit] *= np.asarray(scale.factor, dtype=value.dtype)
    return out


def _non_trainable(name: str) -> bool:
    leaf = name.rsplit("/", 1)[-1]
    return leaf.startswith(("moving_mean", "moving_variance"))


def _own_variables(saveable: Saveable, weights: list[tuple[str, np.ndarray]], layer: str,
                   trainable: bool, top: str) -> list[PlacedVariable]:
    out = []
    for index, (name, value) in enumerate(weights):
        rescaled = False
        if index in saveable.flip:
            value = np.ascontiguousarray(value[tuple([slice(None, None, -1)] * (value.ndim - 2))])
            rescaled = True
        for scale in saveable.scale:
            if scale.variables is None or index in scale.variables:
                value = _apply_scale(value, scale, f"{layer}/{name}")
                rescaled = True
        out.append(PlacedVariable(layer, name, value, trainable and not _non_trainable(name), rescaled, top))
    return out


def place(saveable: Saveable, path: str, weights: list[tuple[str, np.ndarray]], tree: WeightTree,
          layer: str, trainable: bool = True, top: str | None = None) -> None:
    """Give ``weights`` (one legacy layer's list, in order) to ``saveable`` and its children."""
    top = top or layer
    if saveable.children and saveable.children[0][0] == "layers":  # a nested model
        _place_model(saveable, path, {layer: weights}, tree, nested=True)
        return
    if saveable.split:
        if len(weights) % len(saveable.children):
            raise WeightMismatch(f"{layer}: {len(weights)} weights cannot be split between "
                                 f"{len(saveable.children)} wrapped layers")
        share = len(weights) // len(saveable.children)
        tree.groups[path] = (saveable.name, [])
        for i, (attribute, child) in enumerate(saveable.children):
            place(child, f"{path}/{attribute}", weights[i * share:(i + 1) * share], tree, layer, trainable, top)
        return
    own = weights if saveable.own == -1 else weights[: saveable.own]
    rest = weights[len(own):]
    tree.groups[path] = (saveable.name, _own_variables(saveable, own, layer, trainable, top))
    for attribute, child in saveable.children:
        place(child, f"{path}/{attribute}", rest, tree, layer, trainable, top)
        rest = []
    if rest:
        raise WeightMismatch(f"{layer}: {len(rest)} legacy weights left over")


def _leaf_names(saveable: Saveable) -> set[str]:
    """Legacy names of the layers inside a nested model (its weights are named after them)."""
    if not (saveable.children and saveable.children[0][0] == "layers"):
        return set()
    names: set[str] = set()
    for child in saveable.children[0][1]:
        names |= _leaf_names(child) or {child.legacy_name or child.name}
    return names


def _place_model(model: Saveable, path: str, weights: dict[str, list[tuple[str, np.ndarray]]],
                 tree: WeightTree, nested: bool = False) -> set[str]:
    """Place a model's layers; returns the legacy layer groups used."""
    layers = model.children[0][1]
    used_groups: set[str] = set()
    top = next(iter(weights)) if nested else None
    tree.groups[path] = (model.name, [])
    used: dict[str, int] = {}
    flat = next(iter(weights.values())) if nested else []
    for child in layers:
        base = to_snake_case(child.class_name)
        name = base if base not in used else f"{base}_{used[base] + 1}"
        used[base] = used.get(base, -1) + 1
        child_path = f"{path}/layers/{name}" if path else f"layers/{name}"
        legacy = child.legacy_name or child.name
        if nested:  # a nested model's weights are named "<sublayer>/<weight>" in one list
            owners = _leaf_names(child) | {legacy}
            mine = [(n, v) for n, v in flat if n.split("/")[0] in owners]
        else:
            mine = weights.get(legacy, [])
            used_groups.add(legacy)
        place(child, child_path, mine, tree, legacy, top=top)
    if nested:
        placed = sum(len(group) for p, (_n, group) in tree.groups.items() if p.startswith(path + "/"))
        if placed != len(flat):
            raise WeightMismatch(f"{model.name}: {len(flat) - placed} weights of the nested model match no layer")
    return used_groups


def build_weight_tree(model: Saveable, weights: dict[str, list[tuple[str, np.ndarray]]],
                      layer_order: list[str]) -> WeightTree:
    """Place every legacy layer's weights; a legacy layer with weights that no converted layer
    takes is an error, never dropped silently."""
    tree = WeightTree()
    taken = _place_model(model, "", weights, tree)
    missing = [name for name in layer_order if weights.get(name) and name not in taken]
    if missing:
        raise WeightMismatch(f"legacy weights of {', '.join(missing)} match no layer of the converted model")
    return tree


def write_keras3_weights(tree: WeightTree, handle: h5py.File, optimizer: tuple[str, list[np.ndarray]] | None,
                         model_name: str) -> None:
    """Write an h5py File in Keras 3's ``model.weights.h5`` layout."""
    for path, (name, variables) in tree.groups.items():
        group = handle.require_group(f"{path}/vars" if path else "vars")
        group.attrs["name"] = name
        for index, variable in enumerate(variables):
            group.create_dataset(str(index), data=variable.value)
    handle.require_group("vars").attrs["name"] = model_name
    if optimizer is not None:
        opt_name, values = optimizer
        group = handle.require_group("optimizer/vars")
        group.attrs["name"] = opt_name
        for index, value in enumerate(values):
            group.create_dataset(str(index), data=value)
