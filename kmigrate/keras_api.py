"""Where legacy Keras names live in tf.keras: the module table and the TF 2.21 namespace.

Paths are relative to the package root: ``layers.core.Dense`` means ``keras.layers.core.Dense``
on the legacy side and ``layers.Dense`` means ``tensorflow.keras.layers.Dense`` on the modern
side.  ``tf_keras_api.json`` is the public namespace of TF 2.21 dumped per target (see
``kmigrate/data/generate_api.py``): no name is written unless it exists there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

_API_FILE = Path(__file__).with_name("data") / "tf_keras_api.json"


@dataclass(frozen=True)
class ModuleRule:
    """A legacy module: the catalog rule that moves it, and where its names may live now."""

    rule: str
    homes: tuple[str, ...]  # tf.keras modules searched in order; empty: no home at all
    note: str = ""  # what to do instead when a name has no home


_LAYER_SUBMODULES = (
    "core", "convolutional", "recurrent", "pooling", "normalization", "embeddings",
    "advanced_activations", "noise", "wrappers", "merge", "local", "convolutional_recurrent",
    "cudnn_recurrent", "dense_attention", "kernelized",
)  # fmt: skip
_UTILS_SUBMODULES = (
    "np_utils", "generic_utils", "data_utils", "vis_utils", "layer_utils", "io_utils",
    "multi_gpu_utils", "conv_utils", "test_utils", "losses_utils", "metrics_utils", "tf_utils",
)  # fmt: skip
_ENGINE_HOMES = ("layers", "", "utils", "models")

# Legacy module -> rule and homes.  A module not listed inherits from its longest listed
# prefix; the catalog's group A documents each entry.
MODULES: dict[str, ModuleRule] = {
    "": ModuleRule("KM101", ("",)),
    "layers": ModuleRule("KM103", ("layers",)),
    **{f"layers.{m}": ModuleRule("KM103", ("layers",)) for m in _LAYER_SUBMODULES},
    "engine": ModuleRule("KM104", _ENGINE_HOMES),
    "engine.saving": ModuleRule("KM104", ("models",)),
    "models": ModuleRule("KM105", ("models", "", "layers")),
    "utils": ModuleRule("KM106", ("utils",)),
    **{f"utils.{m}": ModuleRule("KM106", ("utils",)) for m in _UTILS_SUBMODULES},
    "utils.visualize_util": ModuleRule("KM107", ("utils",)),
    "preprocessing": ModuleRule("KM108", ("preprocessing",)),
    "preprocessing.image": ModuleRule("KM108", ("preprocessing.image",)),
    "preprocessing.sequence": ModuleRule("KM108", ("preprocessing.sequence",)),
    "preprocessing.text": ModuleRule("KM108", ("preprocessing.text",)),
    "applications": ModuleRule("KM109", ("applications",)),
    "wrappers": ModuleRule(
        "KM110", (), "use scikeras.wrappers (pip install scikeras) or tf.keras.wrappers.SKLearnClassifier"
    ),
    "legacy": ModuleRule("KM111", (), "apply the Keras 2 API directly; the shims are gone"),
    "callbacks": ModuleRule("KM112", ("callbacks",)),
    "callbacks.callbacks": ModuleRule("KM112", ("callbacks",)),
    "callbacks.tensorboard_v1": ModuleRule("KM112", ("callbacks",)),
    **{m: ModuleRule("KM113", (m,)) for m in (
        "activations", "initializers", "regularizers", "constraints", "losses", "metrics",
        "optimizers",
    )},  # fmt: skip
    "initializations": ModuleRule("KM114", ("initializers",)),
    "objectives": ModuleRule("KM115", ("losses",)),
    "datasets": ModuleRule("KM116", ("datasets",)),
    "backend": ModuleRule("KM117", ("backend",)),
    "backend.tensorflow_backend": ModuleRule("KM117", ("backend",)),
    "backend.common": ModuleRule("KM117", ("backend",)),
    "backend.load_backend": ModuleRule("KM117", ("backend",)),
    "backend.theano_backend": ModuleRule("KM117", (), "Theano is gone; port to tf.keras.backend or tf"),
    "backend.cntk_backend": ModuleRule("KM117", (), "CNTK is gone; port to tf.keras.backend or tf"),
}

# Legacy modules whose own path changed, beyond what MODULES says.
MODULE_RENAMES: dict[str, str] = {
    "applications.mobilenetv2": "applications.mobilenet_v2",
}

# Legacy (module, name) pairs whose tf.keras home has another name.
NAME_RENAMES: dict[tuple[str, str], str] = {
    ("utils.visualize_util", "plot"): "utils.plot_model",
    ("models", "model_from_config"): "layers.deserialize",
    ("engine", "Container"): "Model",
    ("engine.topology", "Container"): "Model",
    ("engine", "Network"): "Model",
    ("engine.network", "Network"): "Model",
    ("engine.topology", "Network"): "Model",
}


def module_rule(legacy_module: str) -> ModuleRule:
    """The entry for ``legacy_module``, else what its longest listed prefix implies."""
    if legacy_module in MODULES:
        return MODULES[legacy_module]
    prefix = legacy_module
    while prefix and prefix not in MODULES:
        prefix = prefix.rpartition(".")[0]
    entry = MODULES[prefix]
    if entry.homes == (prefix,):
        # A family that kept its layout (applications.vgg16, datasets.mnist): same path.
        return ModuleRule(entry.rule, (MODULE_RENAMES.get(legacy_module, legacy_module),))
    return entry


@lru_cache(maxsize=None)
def _namespace(target: str) -> dict[str, frozenset[str]]:
    data = json.loads(_API_FILE.read_text(encoding="utf-8"))
    modules = data["tf_keras" if target == "tf_keras" else "tf.keras"]["modules"]
    return {
        name[len("tensorflow.keras") :].lstrip("."): frozenset(names)
        for name, names in modules.items()
    }


def is_module(path: str, target: str) -> bool:
    return path in _namespace(target)


def exists(path: str, target: str) -> bool:
    """Is ``tensorflow.keras.<path>`` a public name (module or object) on the target?"""
    if is_module(path, target):
        return True
    module, _, name = path.rpartition(".")
    return name in _namespace(target).get(module, frozenset())


@dataclass(frozen=True)
class Home:
    """Where a legacy name lives in tf.keras (``path``) or why it has none (``note``)."""

    path: str | None
    is_module: bool
    rule: str
    note: str = ""


def legacy_module_home(legacy_module: str, target: str) -> Home:
    """The tf.keras module that replaces a legacy module, when exactly one does."""
    entry = module_rule(legacy_module)
    if len(entry.homes) == 1 and is_module(entry.homes[0], target):
        return Home(entry.homes[0], True, entry.rule)
    if len(entry.homes) > 1 and entry.homes[0] == legacy_module and is_module(legacy_module, target):
        return Home(legacy_module, True, entry.rule)  # `keras.models` is still a module
    note = entry.note or (
        "its names moved to several tf.keras modules; import the names you use instead"
        if len(entry.homes) > 1
        else f"keras.{legacy_module} has no tf.keras counterpart"
    )
    return Home(None, True, entry.rule, note)


def legacy_home(path: str, target: str) -> Home:
    """Where the legacy ``keras.<path>`` (a module or a name in a module) lives in tf.keras."""
    if _is_legacy_module(path, target):
        return legacy_module_home(path, target)
    module, _, name = path.rpartition(".")
    entry = module_rule(module)
    renamed = NAME_RENAMES.get((module, name))
    if renamed is not None and exists(renamed, target):
        return Home(renamed, False, entry.rule)
    for home in entry.homes:
        candidate = f"{home}.{name}" if home else name
        if exists(candidate, target) and not is_module(candidate, target):
            return Home(candidate, False, entry.rule)
    note = entry.note or f"`{name}` has no tf.keras equivalent"
    return Home(None, False, entry.rule, note)


@lru_cache(maxsize=4096)
def _legacy_api_path(legacy_path: str, target: str) -> str:
    home = legacy_home(legacy_path, target)
    if home.path is not None:
        return home.path
    module, _, leaf = legacy_path.rpartition(".")
    homes = module_rule(module).homes
    return f"{homes[0]}.{leaf}".lstrip(".") if homes else legacy_path


class _ResolvedName(Protocol):
    """What ``modern_path`` reads of a resolved name (``names.KerasName``, a layer above)."""

    @property
    def path(self) -> str: ...

    @property
    def legacy(self) -> bool: ...


def modern_path(name: _ResolvedName, target: str) -> str:
    """The tf.keras-relative path of a resolved name (``layers.Conv2D`` whether the code
    spells ``keras.layers.convolutional.Conv2D`` or ``tf.keras.layers.Conv2D``); for a
    legacy name with no tf.keras home, the name under its family (``layers.Merge``)."""
    return _legacy_api_path(name.path, target) if name.legacy else name.path


# Names that a legacy package exported over its own submodule of the same name:
# `from keras.layers import merge` is the Keras 1 merge *function*, not keras/layers/merge.py.
NAMES_OVER_MODULES = frozenset({"layers.merge"})


def _is_legacy_module(path: str, target: str) -> bool:
    if path in NAMES_OVER_MODULES:
        return False
    if path in MODULES or path in MODULE_RENAMES:
        return True
    parent = path.rpartition(".")[0]
    if parent in MODULES and MODULES[parent].homes == (parent,):
        # A submodule of a same-path family (applications.vgg16, datasets.mnist).
        return is_module(MODULE_RENAMES.get(path, path), target)
    return False
