"""One traversal per pass that runs every enabled fixer (all rules in one pass)."""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

import libcst as cst

from kmigrate.context import STATEMENT_TYPES, FileContext
from kmigrate.rules.base import Fixer


_SCOPE_TYPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


class MigrationTransformer(cst.CSTTransformer):
    """Dispatches each node to the fixers that have a ``visit_``/``leave_`` method for it."""

    def __init__(self, ctx: FileContext, fixer_types: list[type[Fixer]]) -> None:
        super().__init__()
        self.ctx = ctx
        self._visitors: dict[str, list[Callable]] = defaultdict(list)
        self._leavers: dict[str, list[Callable]] = defaultdict(list)
        self._fixers: list[Fixer] = []
        for fixer_type in fixer_types:
            fixer = fixer_type(ctx)
            self._fixers.append(fixer)
            for attribute in dir(fixer_type):
                if attribute.startswith("visit_"):
                    self._visitors[attribute[6:]].append(getattr(fixer, attribute))
                elif attribute.startswith("leave_"):
                    self._leavers[attribute[6:]].append(getattr(fixer, attribute))

    def scan(self, module: cst.Module) -> None:
        """Run every fixer's scanners over ``module`` in a single read-only traversal,
        together with the scope scanner that object kinds are inferred from."""
        scanners = [self.ctx.kinds.scanner, *(scanner for fixer in self._fixers for scanner in fixer.scanners())]
        module.visit(_AllOf(scanners))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, STATEMENT_TYPES):
            self.ctx.enter_statement(node)
        if isinstance(node, _SCOPE_TYPES):
            self.ctx.kinds.enter(node)
        for visit in self._visitors.get(type(node).__name__, ()):
            visit(node)
        # Nothing inside an import statement concerns any fixer beyond the statement itself.
        return not isinstance(node, (cst.Import, cst.ImportFrom))

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        result = updated_node
        node_type = type(original_node)
        leavers = self._leavers.get(node_type.__name__, ())
        for index, leave in enumerate(leavers):
            result = leave(original_node, result)
            if not isinstance(result, node_type):
                # Replaced by another kind of node, or removed: the remaining fixers did not
                # see it, so the file gets another pass over the new code.
                if index + 1 < len(leavers) and isinstance(result, cst.CSTNode):
                    self.ctx.another_pass = True
                break
        if isinstance(original_node, _SCOPE_TYPES):
            self.ctx.kinds.leave(original_node)
        if isinstance(original_node, STATEMENT_TYPES):
            result = self.ctx.leave_statement(original_node, result)
        if isinstance(original_node, cst.Module) and isinstance(result, cst.Module):
            result = self.ctx.imports.apply(result)
        return result


class _AllOf(cst.CSTVisitor):
    """Several visitors in one traversal, each seeing exactly what it would see alone:
    a visitor whose ``visit_X`` returned False is not called below that node."""

    def __init__(self, visitors: list[cst.CSTVisitor]) -> None:
        super().__init__()
        self._visitors = visitors
        self._skipping: list[cst.CSTNode | None] = [None] * len(visitors)

    def on_visit(self, node: cst.CSTNode) -> bool:
        for index, visitor in enumerate(self._visitors):
            if self._skipping[index] is None and visitor.on_visit(node) is False:
                self._skipping[index] = node
        return any(skipped is None for skipped in self._skipping)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        for index, visitor in enumerate(self._visitors):
            skipped = self._skipping[index]
            if skipped is original_node:
                self._skipping[index] = None
            elif skipped is not None:
                continue
            visitor.on_leave(original_node)
