"""Keras 1 custom layers (B53: ``get_output_shape_for``, ``self.regularizers``) and layer weight
attributes (B54: ``W``/``b`` -> ``kernel``/``bias``)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import match as m
from kmigrate.kinds import Kind
from kmigrate.rules.base import in_layer_subclass, is_layer_base
from kmigrate.rules.keras1_api.common import (
    _LAYER_ATTRS,
    _LAYER_ATTRS_FLAGGED,
    _OTHER_WEIGHT_LAYOUTS,
    Keras1ApiBase,
    _visibly_a_layer,
)
from kmigrate.walk import find_all


class Keras1CustomLayers(Keras1ApiBase):
    """Keras 1 custom layers (B53: ``get_output_shape_for``, ``self.regularizers``) and layer weight"""

    # -- custom layers (B53) ----------------------------------------------------------------------
    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        if not in_layer_subclass(self.ctx):
            return updated
        if original.name.value != "get_output_shape_for" or not self.ctx.allows("KM253"):
            return updated
        self.ctx.fixed("KM253", original, "get_output_shape_for -> compute_output_shape")
        return updated.with_changes(name=cst.Name("compute_output_shape"))

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if not in_layer_subclass(self.ctx):
            return updated
        for target in original.targets:
            t = target.target
            if not isinstance(t, cst.Attribute) or not m.matches(t, m.Attribute(value=m.Name("self"))):
                continue
            attr = t.attr.value
            if attr in ("regularizers", "constraints"):  # weight lists: KM609 (keras1_internals)
                if self.ctx.allows("KM253"):
                    self.ctx.flag("KM253", original, f"self.{attr} cannot be assigned in Keras 3: create "
                                  "each weight with self.add_weight(name=..., shape=..., initializer=..., "
                                  "regularizer=..., constraint=..., trainable=...) and drop this list")
                return updated
        return updated

    # -- layer weight attributes (B54) --------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = original.attr.value
        if attr not in _LAYER_ATTRS and attr not in _LAYER_ATTRS_FLAGGED:
            return updated
        own_receiver = m.matches(original.value, m.Name("self")) and self.ctx.scopes.in_class
        if own_receiver and not self._inherited_weight(attr):
            return updated
        kind = self.ctx.kind_of(original.value)
        if kind is not Kind.LAYER and (not _visibly_a_layer(original.value) or kind.is_not_keras):
            return updated
        if not self.ctx.involves_keras:
            return updated
        if not self.ctx.allows("KM254"):
            return updated
        if not own_receiver and attr in self.ctx.kinds.scanner.assigned_attributes:
            # The file's own layer classes set `.W` too (self.W = self.add_weight(...)): `layer.W`
            # may be one of theirs, which keeps its name.
            instead = f".{_LAYER_ATTRS[attr]}" if attr in _LAYER_ATTRS else _LAYER_ATTRS_FLAGGED[attr]
            self.ctx.flag("KM254", original, f"if this is a built-in Keras layer, .{attr} is gone: use {instead}; "
                          f"this file's own layers also set .{attr}, which keeps its name on them",
                          marker=f"on a built-in Keras layer use {instead}" if attr in _LAYER_ATTRS else None)
            return updated
        others = self._other_weight_layouts() if not own_receiver else frozenset()
        if attr.startswith("b"):
            others = others - {"Embedding"}  # a Keras 1 Embedding had no bias
        if attr in _LAYER_ATTRS and others:
            # `layer.W` may be an Embedding's or a recurrent layer's here: .kernel would not exist.
            new = _LAYER_ATTRS[attr]
            notes = "; ".join(sorted({_OTHER_WEIGHT_LAYOUTS[name] for name in others}))
            places = [f"Dense/conv: .{new}"]
            if "Embedding" in others:
                places.append(f"Embedding: .{new.replace('kernel', 'embeddings')}")
            if others - {"Embedding"}:
                places.append(f"RNN: .cell.{new}")
            self.ctx.flag("KM254", original, f".{attr} is gone: on Dense/convolution layers use .{new}; "
                          f"{notes} (this file builds {', '.join(sorted(others))})",
                          marker="; ".join(places))
            return updated
        if attr in _LAYER_ATTRS:
            self.ctx.fixed("KM254", original, f".{attr} -> .{_LAYER_ATTRS[attr]}")
            return updated.with_changes(attr=cst.Name(_LAYER_ATTRS[attr]))
        self.ctx.flag("KM254", original, f".{attr} is gone: use {_LAYER_ATTRS_FLAGGED[attr]}, or "
                      "layer.get_weights()/set_weights()")
        return updated

    def _other_weight_layouts(self) -> frozenset[str]:
        """The layer classes of ``_OTHER_WEIGHT_LAYOUTS`` the file builds (a call to them)."""
        if self._other_weight_layouts_found is None:
            found = set()
            for call in find_all(self.ctx.module, cst.Call):
                api = self.ctx.api(call.func)
                if api is not None and api.path.startswith("layers.") and api.leaf in _OTHER_WEIGHT_LAYOUTS:
                    found.add(api.leaf)
            self._other_weight_layouts_found = frozenset(found)
        return self._other_weight_layouts_found

    def _inherited_weight(self, attr: str) -> bool:
        """``self.W`` inside a class names the weight Keras made only when the class derives from a
        built-in layer (``class MyDense(Dense)``) and neither sets ``self.W`` itself nor already
        uses the new name: in a user's own ``Layer`` subclass ``self.W``/``self.b`` are the user's
        names (Keras never reads them), and ``self.b`` -> ``self.bias`` would clobber a
        ``self.bias`` flag."""
        if not self.ctx.in_class_deriving(lambda base: base.path.startswith("layers.") and not is_layer_base(base)):
            return False
        cls = self.ctx.scopes.current_class
        if cls is None:
            return False
        key = id(cls)
        if key not in self._self_attributes:
            names = {a.attr.value for a in find_all(cls, cst.Attribute, m.Attribute(value=m.Name("self")))}
            sets = {
                t.target.attr.value
                for assign in find_all(cls, cst.Assign)
                for t in assign.targets
                if isinstance(t.target, cst.Attribute) and m.matches(t.target.value, m.Name("self"))
            }
            self._self_attributes[key] = (frozenset(names), frozenset(sets))
        used, assigned = self._self_attributes[key]
        new = _LAYER_ATTRS.get(attr)
        return attr not in assigned and (new is None or new not in used)

    implements: ClassVar[tuple[str, ...]] = ("KM254",)
