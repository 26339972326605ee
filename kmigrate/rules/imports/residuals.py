"""Residual imports: the imports of names with no tf.keras home, marked while a use is left
and dropped once every use was rewritten by another family."""

from __future__ import annotations

import libcst as cst

from kmigrate.markers import add_markers
from kmigrate.nodes import LeaveResult
from kmigrate.rules.imports.common import (
    ImportsBase,
    _has_dunder_all,
    _Replace,
    _used_names,
)
from kmigrate.walk import rewrite


class ResidualImports(ImportsBase):
    """Residual imports: the imports of names with no tf.keras home, marked while a use is left"""

    # -- residual imports: marked, or dropped when every use was rewritten ------------------
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._residuals:
            return updated
        used_before = _used_names(original)
        used_after = _used_names(updated)
        replacements: dict[int, LeaveResult] = {}
        exported = _has_dunder_all(original)
        for residual in self._residuals:
            if residual.statement is None:  # not reached: kept residuals have their statement
                continue
            names = residual.locals
            unused = "*" not in names and not any(n in used_after for n in names)
            if unused and residual.removable and any(n in used_before for n in names):
                # Every use was rewritten by the family that claims the name.
                replacements[id(residual.statement)] = cst.RemovalSentinel.REMOVE
                self.ctx.edits += 1
                continue
            if unused and residual.rule and not exported:
                # Never used, and the name no longer exists: the import could only fail.
                replacements[id(residual.statement)] = cst.RemovalSentinel.REMOVE
                self.ctx.fixed(residual.rule, residual.anchor,
                               f"removed an unused import of a name with no tf.keras equivalent ({residual.message})")
                continue
            if not residual.rule:
                continue
            message = residual.message
            if residual.removable and any(n in used_after for n in names):
                message += " (still used where kmigrate could not rewrite it)"
            self.ctx.report_only(residual.rule, residual.anchor, message)
            marked = add_markers(residual.statement, [(residual.rule, message)], self.ctx.module)
            if marked is not residual.statement:
                replacements[id(residual.statement)] = marked
                self.ctx.edits += 1
        if not replacements:
            return updated
        # rewrite() keeps unchanged statements as they are, so comments carried onto them stay.
        return cst.ensure_type(rewrite(updated, _Replace(replacements)), cst.Module)
