"""Read a legacy Keras HDF5 file (``model.save`` or ``save_weights`` output) with h5py only."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


class NotAModelFile(Exception):
    """The file is not an HDF5 file saved by Keras."""


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return _text(value.item())
    return str(value)


def _names(values: Any) -> list[str]:
    return [_text(v) for v in (values if values is not None else [])]


@dataclass
class LegacyFile:
    path: Path
    keras_version: str
    backend: str
    model_config: dict | None
    training_config: dict | None
    layer_names: list[str]
    weights: dict[str, list[tuple[str, np.ndarray]]]  # layer name -> [(weight name, value)]
    optimizer_weights: list[tuple[str, np.ndarray]] = field(default_factory=list)

    @property
    def is_weights_only(self) -> bool:
        return self.model_config is None

    @property
    def major_version(self) -> int | None:
        head = self.keras_version.split(".")[0]
        return int(head) if head.isdigit() else None


def is_hdf5(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(8) == HDF5_SIGNATURE
    except OSError:
        return False


def read_legacy_file(path: Path) -> LegacyFile:
    path = Path(path)
    if not is_hdf5(path):
        raise NotAModelFile(f"{path}: not an HDF5 file (legacy Keras models are .h5/.hdf5 files)")
    with h5py.File(path, "r") as handle:
        attrs = handle.attrs
        model_config = json.loads(_text(attrs["model_config"])) if "model_config" in attrs else None
        training_config = json.loads(_text(attrs["training_config"])) if "training_config" in attrs else None
        if "model_weights" in handle:
            group = handle["model_weights"]
        elif "layer_names" in attrs:
            group = handle  # save_weights output: the layers sit at the root
        else:
            raise NotAModelFile(f"{path}: an HDF5 file but not one saved by Keras (no model_weights, "
                                "no layer_names)")
        keras_version = _text(attrs.get("keras_version", group.attrs.get("keras_version", "")))
        backend = _text(attrs.get("backend", group.attrs.get("backend", "")))
        layer_names = _names(group.attrs.get("layer_names"))
        weights: dict[str, list[tuple[str, np.ndarray]]] = {}
        for layer in layer_names:
            layer_group = group[layer]
            names = _names(layer_group.attrs.get("weight_names"))
            weights[layer] = [(name, np.asarray(layer_group[name])) for name in names]
        optimizer_weights: list[tuple[str, np.ndarray]] = []
        if "optimizer_weights" in handle:
            opt = handle["optimizer_weights"]
            optimizer_weights = [(name, np.asarray(opt[name])) for name in _names(opt.attrs.get("weight_names"))]
    return LegacyFile(path, keras_version, backend, model_config, training_config, layer_names, weights,
                      optimizer_weights)
