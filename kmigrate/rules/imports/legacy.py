"""``keras.legacy.interfaces`` decorators (removed) and ``K.backend() == 'theano'`` gates."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate.rules.imports.common import _DEAD_BACKENDS, ImportsBase, _is_backend_call


class LegacyDecoratorsAndGates(ImportsBase):
    """``keras.legacy.interfaces`` decorators (removed) and ``K.backend() == 'theano'`` gates."""

    # -- keras.legacy decorators and backend gates ----------------------------------------
    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator) -> cst.Decorator | cst.RemovalSentinel:
        target = original.decorator
        if isinstance(target, cst.Call):
            target = target.func
        name = self.ctx.resolver.keras_name(target)
        if name is None or not name.legacy or not name.path.startswith("legacy.interfaces."):
            return updated
        if not self.ctx.allows("KM111"):
            return updated
        self.ctx.fixed("KM111", original, f"removed `@{get_full_name_for_node(target)}`")
        return cst.RemovalSentinel.REMOVE

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.Comparison:
        operands = [original.left, *(c.comparator for c in original.comparisons)]
        calls_backend = any(
            isinstance(o, cst.Call) and _is_backend_call(self.ctx, o) for o in operands
        )
        names_dead = any(
            isinstance(o, cst.SimpleString) and o.evaluated_value in _DEAD_BACKENDS
            for o in operands
        )
        if calls_backend and names_dead and self.ctx.allows("KM119"):
            self.ctx.flag("KM119", original, "K.backend() is always 'tensorflow' after migration; keep the TensorFlow branch and delete the other", marker="keep the TensorFlow branch: K.backend() is always 'tensorflow' now")
        return updated

    implements: ClassVar[tuple[str, ...]] = ("KM111",)
