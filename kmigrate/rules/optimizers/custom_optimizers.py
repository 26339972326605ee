"""Custom optimizer classes (``get_updates`` -> ``build`` / ``update_step``) and lower-case
optimizer aliases in imports."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate.names import KerasName
from kmigrate.rules.base import rename_imported_names
from kmigrate.rules.optimizers.common import _LOWERCASE, OptimizersBase


class CustomOptimizers(OptimizersBase):
    """Custom optimizer classes (``get_updates`` -> ``build`` / ``update_step``) and lower-case"""

    # -- imports: lower-case aliases keep their local name -------------------------------------
    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        def rename(alias: cst.ImportAlias, keras_name: KerasName) -> tuple[str, str, str] | None:
            name = alias.evaluated_name
            if keras_name.legacy and keras_name.path == f"optimizers.{name}" and name in _LOWERCASE:
                return "KM307", _LOWERCASE[name], f"`{name}` is the class `{_LOWERCASE[name]}`"
            return None

        return rename_imported_names(self.ctx, original, updated, rename)

    # -- classes: custom optimizers --------------------------------------------------------------
    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        if not self.ctx.scopes.in_class or original.name.value != "get_updates" or not self.ctx.involves_keras:
            return updated
        params = [p.name.value for p in original.params.params]
        if params[:4] == ["self", "params", "constraints", "loss"] and self.ctx.allows("KM227"):
            self.ctx.flag("KM227", original, "Keras 1 get_updates(params, constraints, loss): port the "
                          "optimizer to Keras 3 (build(var_list) + update_step(gradient, variable, "
                          "learning_rate)), or use a built-in optimizer")
        elif self._in_custom_optimizer() and self.ctx.allows("KM311"):
            self.ctx.flag("KM311", original, "Keras 3 optimizers have no get_updates: port to "
                          "build(var_list) + update_step(gradient, variable, learning_rate), or use a "
                          "built-in optimizer")
        return updated

    implements: ClassVar[tuple[str, ...]] = ("KM227", "KM311")
