"""Uses of Keras names the import statements cannot fix alone: names that reach the file through
a star import, and dotted uses (``keras.layers.convolutional.Conv2D``) respelled at their home."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate import keras_api
from kmigrate.context import FileContext
from kmigrate.names import KerasName, classify
from kmigrate.rules.imports.common import _SPECIFIC_FAMILIES, ImportsBase, _respell

# KM120: modules that legacy Keras modules imported at their top level and, having no __all__,
# handed to `from <module> import *` (read from Keras 2.2.4's modules). The local name -> where
# it lives now; the tables below say which legacy modules bound it.
STAR_MODULE_NAMES = {
    "K": "backend",
    "activations": "activations",
    "initializers": "initializers",
    "regularizers": "regularizers",
    "constraints": "constraints",
    "np": "numpy",
}
_LAYER_MODULES = frozenset({"activations", "initializers", "regularizers", "constraints"})
_INCIDENTAL: dict[str, frozenset[str]] = {
    "layers": frozenset({"K", "np"}) | _LAYER_MODULES,
    "layers.core": frozenset({"K", "np"}) | _LAYER_MODULES,
    "layers.recurrent": frozenset({"K", "np"}) | _LAYER_MODULES,
    "layers.convolutional_recurrent": frozenset({"K", "np"}) | _LAYER_MODULES,
    "layers.convolutional": frozenset({"K"}) | _LAYER_MODULES,
    "layers.advanced_activations": frozenset({"K"}) | _LAYER_MODULES,
    "layers.local": frozenset({"K"}) | _LAYER_MODULES,
    "layers.embeddings": frozenset({"K", "initializers", "regularizers", "constraints"}),
    "layers.normalization": frozenset({"K", "initializers", "regularizers", "constraints"}),
    "layers.noise": frozenset({"K", "np"}),
    "callbacks": frozenset({"K", "np"}),
    "initializers": frozenset({"K", "np"}),
    "engine.training": frozenset({"K", "np"}),
    "utils.np_utils": frozenset({"np"}),
    **{module: frozenset({"K"}) for module in (
        "layers.merge", "layers.pooling", "layers.wrappers", "models", "optimizers", "losses", "metrics",
        "objectives", "regularizers", "constraints", "activations",
    )},
}  # fmt: skip


def star_bound_module(ctx: FileContext, name: str) -> str | None:
    """Where the module bound to ``name`` lives now (``constraints``, ``backend``, ``numpy``) when
    only a legacy Keras star import of the file binds ``name``; None otherwise."""
    module = STAR_MODULE_NAMES.get(name)
    if module is None or ctx.resolver.is_bound(name):
        return None
    if not any(name in _incidental_names(star) for star in ctx.resolver.star_modules):
        return None
    return module


def _incidental_names(star_module: str) -> frozenset[str]:
    """The module names ``from <star_module> import *`` bound in legacy Keras."""
    if not star_module.startswith("keras."):
        return frozenset()
    return _INCIDENTAL.get(star_module[len("keras."):], frozenset())


class NameUses(ImportsBase):
    """Uses of Keras names the import statements cannot fix alone: names that reach the file through"""

    # -- names that reach the file through a star import ------------------------------------
    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_uses.add(id(node.keyword))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        """``Convolution2D`` from ``from keras.layers import *`` (or a project module that
        re-exports it): the star import moves to tf.keras, where the name is ``Conv2D``."""
        if id(original) in self._not_uses or self.ctx.resolver.bindings.get(original.value):
            return updated
        name = self.ctx.resolver.keras_name(original)
        if name is None:
            return self._star_module_name(original, updated)
        if not name.legacy:
            return updated
        home = keras_api.legacy_home(name.path, self.ctx.target)
        if home.path is None or home.is_module or home.path.rpartition(".")[2] == original.value:
            return updated
        if not self.ctx.allows(home.rule):
            return updated
        self.ctx.fixed(home.rule, original, f"`{original.value}` (through a star import) -> `{home.path}`")
        return self.ctx.imports.reference(home.path)

    def _star_module_name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        """KM120: ``K``/``constraints``/``np`` that a legacy star import bound by accident."""
        value = original.value
        module = star_bound_module(self.ctx, value)
        if module is None or not self.ctx.allows("KM120"):
            return updated
        if value not in self._star_module_names:
            self._star_module_names.add(value)
            self.ctx.fixed("KM120", original, f"`{value}` came from a legacy star import: imported explicitly")
        if module == "numpy":
            return cst.Name(self.ctx.imports.module("numpy", value))
        if module == "backend":  # `K` keeps its name: `import tensorflow.keras.backend as K`
            return cst.Name(self.ctx.imports.module("tensorflow.keras.backend", value))
        return self.ctx.imports.reference(module)

    def _name_rule(self, source: KerasName, home: keras_api.Home) -> str:
        if not source.qualified.startswith(("keras", "keras_")):
            return "KM118"
        if source.path == "" and home.is_module:
            rule = home.rule
            return rule if rule in _SPECIFIC_FAMILIES else "KM102"
        return home.rule if source.path else "KM102"

    # -- dotted uses --------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_uses.add(id(node.attr))  # `x.plot` is not a use of a star-imported `plot`
        if isinstance(node.value, cst.Attribute):
            self._inner_attributes.add(id(node.value))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if id(original) in self._inner_attributes:
            return updated
        qualified = self.ctx.resolver.qualified_name(original)
        if qualified is None:
            return updated
        name = classify(qualified)
        if name is None:
            return updated
        if not name.legacy:
            return updated
        if _in_backend_module_attr(name.path):
            return updated  # `np.ones` after `from keras.backend import np`: NumPy, not the backend's ones
        if {"__version__", "_BACKEND"} & set(name.path.split(".")):
            if self.ctx.allows("KM119"):
                self.ctx.flag("KM119", original, "the Keras version/backend is Keras 3 on TensorFlow after migration; check which branch this code needs", marker="check which branch this needs: Keras is 3 on TensorFlow after migration")
            return updated
        owner = _owning_class(name.path, self.ctx.target)
        if owner is not None:
            # `Layer.get_config(self)`: a method of a Keras class, not a name of a module; only the
            # class is respelled (its own import, or here when the use is fully dotted)
            return self._respell_owner(original, updated, owner)
        rule = "KM118" if not qualified.startswith("keras") else keras_api.module_rule(
            name.path.rpartition(".")[0]
        ).rule
        home = keras_api.legacy_home(name.path, self.ctx.target)
        if home.path is None:
            self._flag_homeless_use(original, name.path, rule, home.note)
            return updated
        spelled = _respell(original, home.path, self.ctx)
        if spelled is None and _through_split_module(original, self.ctx):
            # `KE.Layer` after `import keras.engine as KE` (Mask R-CNN): the module has no single
            # tf.keras home, but the name has; spell it through an import of the name itself
            if not self.ctx.allows(rule):
                return updated
            reference = self.ctx.imports.reference(home.path)
            self.ctx.fixed(rule, original, f"`{get_full_name_for_node(original)}` -> `{home.path}`")
            return reference.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        if spelled is None or spelled == get_full_name_for_node(original):
            return updated
        if not self.ctx.allows(rule):
            return updated
        self.ctx.fixed(rule, original, f"`{get_full_name_for_node(original)}` -> `{spelled}`")
        return cst.parse_expression(spelled).with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def _respell_owner(self, original: cst.Attribute, updated: cst.Attribute, owner: str) -> cst.BaseExpression:
        if not isinstance(original.value, cst.Attribute):
            return updated  # `Layer.get_config`: the name `Layer` is fixed where it is imported
        spelled = _respell(original.value, owner, self.ctx)
        if spelled is None or spelled == get_full_name_for_node(original.value):
            return updated
        if not self.ctx.allows("KM103"):
            return updated
        self.ctx.fixed("KM103", original, f"`{get_full_name_for_node(original.value)}` -> `{spelled}`")
        return updated.with_changes(value=cst.parse_expression(spelled))

    def _flag_homeless_use(self, node: cst.Attribute, path: str, rule: str, note: str) -> None:
        """`keras.layers.Highway(...)` after `import keras`: the import moved, this use cannot."""
        if path.startswith("backend.") or path.startswith("legacy.interfaces."):
            return  # the backend family explains K.* names; the decorators are removed above
        if path.rpartition(".")[2].startswith("__"):
            return  # module dunders (__name__, __file__) exist on tf.keras modules too
        module, _, leaf = path.rpartition(".")
        homes = keras_api.module_rule(module).homes
        api = ".".join(p for p in (homes[0] if homes else module, leaf) if p)
        if api in self.ctx.rules.handled:
            return  # another family rewrites or marks this use
        if self.ctx.allows(rule):
            self.ctx.flag(rule, node, f"`{get_full_name_for_node(node)}`: {note}")

    def _homeless_attributes(self, legacy_module: str, local: str) -> list[str]:
        """Names the file reads as ``local.X`` that the module's tf.keras home lacks."""
        # From the syntax tree: words in comments, docstrings and URLs are not uses.
        used = self.ctx.kinds.scanner.attribute_uses.get(local, set())
        return sorted(
            attribute for attribute in used
            if keras_api.legacy_home(f"{legacy_module}.{attribute}", self.ctx.target).path is None
            and not self._claimed(legacy_module, attribute)
        )

    implements: ClassVar[tuple[str, ...]] = ("KM119", "KM120")


def _owning_class(path: str, target: str) -> str | None:
    """The tf.keras home of the Keras class (or function) that ``path`` reads an attribute of
    (``layers.Layer`` for ``layers.Layer.get_config``), or None when ``path`` names a module member."""
    owner = path.rpartition(".")[0]
    while owner:
        home = keras_api.legacy_home(owner, target)
        if home.path is not None:
            return None if home.is_module else home.path
        owner = owner.rpartition(".")[0]
    return None


def _through_split_module(node: cst.Attribute, ctx: FileContext) -> bool:
    """``Alias.Name`` where ``Alias`` is an import of a legacy Keras module whose names moved to
    several tf.keras modules (``keras.engine``, ``keras.engine.topology``)."""
    if not isinstance(node.value, cst.Name):
        return False
    bindings = ctx.resolver.bindings.get(node.value.value)
    if not bindings:
        return False
    bound = classify(bindings[0].qualified)
    if bound is None or not bound.legacy:
        return False
    return keras_api.legacy_home(bound.path, ctx.target).path is None


def _in_backend_module_attr(path: str) -> bool:
    """``backend.np.ones``: a member of a module (tf, np) the legacy TensorFlow backend imported."""
    parts = path.split(".")
    if parts[:2] == ["backend", "tensorflow_backend"]:
        parts = ["backend", *parts[2:]]
    return len(parts) > 2 and parts[0] == "backend" and parts[1] in ("tf", "np")
