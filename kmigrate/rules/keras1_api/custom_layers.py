"""Keras 1 custom layers (B53: ``get_output_shape_for``, ``self.regularizers``) and layer weight
attributes (B54: ``W``/``b`` -> ``kernel``/``bias``)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst
import libcst.matchers as m

from kmigrate.kinds import Kind
from kmigrate.rules.base import in_layer_subclass
from kmigrate.rules.keras1_api.common import (
    _LAYER_ATTRS,
    _LAYER_ATTRS_FLAGGED,
    Keras1ApiBase,
    _visibly_a_layer,
)


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
        kind = self.ctx.kind_of(original.value)
        if kind is not Kind.LAYER and (not _visibly_a_layer(original.value) or kind.is_not_keras):
            return updated
        if not self.ctx.involves_keras:
            return updated
        if not self.ctx.allows("KM254"):
            return updated
        if attr in _LAYER_ATTRS:
            self.ctx.fixed("KM254", original, f".{attr} -> .{_LAYER_ATTRS[attr]}")
            return updated.with_changes(attr=cst.Name(_LAYER_ATTRS[attr]))
        self.ctx.flag("KM254", original, f".{attr} is gone: use {_LAYER_ATTRS_FLAGGED[attr]}, or "
                      "layer.get_weights()/set_weights()")
        return updated

    implements: ClassVar[tuple[str, ...]] = ("KM254",)
