"""One traversal per pass that runs every enabled fixer (all rules in one pass)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import libcst as cst

from kmigrate.context import STATEMENT_TYPES, FileContext
from kmigrate.nodes import LeaveResult
from kmigrate.removal import CommentKeeper
from kmigrate.rules.base import Fixer
from kmigrate.scopes import ScopeStack
from kmigrate.walk import rewrite, walk

_SCOPE_TYPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


@dataclass(frozen=True)
class _Role:
    """What the traversal does with one concrete node type, worked out once per type:
    ``isinstance`` against LibCST's abstract base classes went through ``ABCMeta`` on every
    node and cost about a quarter of a pass."""

    name: str  # the suffix of the fixers' visit_/leave_ methods
    statement: bool
    scope: bool
    imports: bool
    keeps_comments: bool


_HOOK_NAMES: dict[type[Fixer], tuple[str, ...]] = {}


def _hook_names(fixer_type: type[Fixer]) -> tuple[str, ...]:
    """The fixer's visit_/leave_ methods, in ``dir`` order: looked up once per fixer class, not
    once per pass (``dir`` of a fixer class is a tenth of a millisecond)."""
    names = _HOOK_NAMES.get(fixer_type)
    if names is None:
        names = _HOOK_NAMES[fixer_type] = tuple(n for n in dir(fixer_type) if n.startswith(("visit_", "leave_")))
    return names


@cache
def _role(node_type: type[cst.CSTNode]) -> _Role:
    return _Role(
        name=node_type.__name__,
        statement=issubclass(node_type, STATEMENT_TYPES),
        scope=issubclass(node_type, _SCOPE_TYPES),
        imports=issubclass(node_type, (cst.Import, cst.ImportFrom)),
        keeps_comments=CommentKeeper.concerns(node_type),
    )


class MigrationTransformer(CommentKeeper, cst.CSTTransformer):
    """Dispatches each node to the fixers that have a ``visit_``/``leave_`` method for it."""

    def __init__(self, ctx: FileContext, fixer_types: list[type[Fixer]]) -> None:
        cst.CSTTransformer.__init__(self)
        CommentKeeper.__init__(self)
        self.ctx = ctx
        self._visitors: dict[str, list[Callable]] = defaultdict(list)
        self._leavers: dict[str, list[Callable]] = defaultdict(list)
        self._fixers: list[Fixer] = []
        # node type -> (its role, the fixers' visit_ and leave_ methods for it), filled as met
        self._by_type: dict[type[cst.CSTNode], tuple[_Role, tuple[Callable, ...], tuple[Callable, ...]]] = {}
        for fixer_type in fixer_types:
            fixer = fixer_type(ctx)
            self._fixers.append(fixer)
            for attribute in _hook_names(fixer_type):
                hooks = self._visitors if attribute.startswith("visit_") else self._leavers
                hooks[attribute[6:]].append(getattr(fixer, attribute))

    def scan(self, module: cst.Module) -> None:
        """Run every fixer's scanners over ``module`` in a single read-only traversal,
        together with the scope scanner that object kinds are inferred from; ``ctx.scopes`` is
        kept as in a rewriting pass."""
        scanners = [self.ctx.kinds.scanner, *(scanner for fixer in self._fixers for scanner in fixer.scanners())]
        scanners = list({id(scanner): scanner for scanner in scanners}.values())  # shared ones once
        walk(module, _AllOf(scanners, self.ctx.scopes), code_only=True)
        self.ctx.kinds.scanned = True

    def _dispatch(self, node_type: type[cst.CSTNode]) -> tuple[_Role, tuple[Callable, ...], tuple[Callable, ...]]:
        found = self._by_type.get(node_type)
        if found is None:
            role = _role(node_type)
            found = (role, tuple(self._visitors.get(role.name, ())), tuple(self._leavers.get(role.name, ())))
            self._by_type[node_type] = found
        return found

    def on_visit(self, node: cst.CSTNode) -> bool:
        role, visits, _ = self._dispatch(type(node))
        if role.statement:
            self.ctx.enter_statement(node)
        if role.scope:
            self.ctx.enter_scope(node)
        for visit in visits:
            visit(node)
        # Nothing inside an import statement concerns any fixer beyond the statement itself.
        return not role.imports

    # LibCST types on_leave as returning the node's own type, but lets a transformer return
    # another kind of node at run time, and the fixers do (a call becomes a name).
    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> LeaveResult:  # type: ignore[override]
        role = _role(type(original_node))
        result = self.leave_fixers(original_node, updated_node)
        if role.statement:
            result = self.ctx.leave_statement(original_node, result)
        return self.leave_rest(original_node, result, role)

    def leave_fixers(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> LeaveResult:
        """The fixers' leave_ methods for the node, then the scope it closes."""
        result: LeaveResult = updated_node
        node_type = type(original_node)
        role, _, leaves = self._dispatch(node_type)
        for leave in leaves:
            result = leave(original_node, result)
            if type(result) is not node_type:
                # Replaced by another kind of node, or removed: the remaining fixers see the new
                # code in the next pass (passes run until one changes nothing).
                break
        if role.scope:
            self.ctx.leave_scope(original_node)
        return result

    def leave_rest(self, original_node: cst.CSTNode, result: LeaveResult, role: _Role) -> LeaveResult:
        """After the statement's markers: comments of removed statements, the module's imports."""
        if role.keeps_comments:
            result = self.keep(original_node, result)  # comments above a removed statement stay
        if type(original_node) is cst.Module and isinstance(result, cst.Module):
            result = self.ctx.imports.apply(result)
        return result


    def marker_changes(self, module: cst.Module) -> dict[int, cst.CSTNode] | None:
        """Run every fixer over ``module`` as a read-only traversal (a confirming pass): None
        when some fixer would change code, else the statements whose markers alone the pass
        changes, id(original) -> marked (a marker tagged for a recheck and settled, a finding
        about code the last pass wrote), none when the file has settled. Code nobody changes is
        a fixed point, so such a pass settles the file: ``with_marker_changes`` applies them
        without a rebuilding pass and another confirming one. On None the context has seen part
        of the file: run a fresh pass."""
        dry_run = _DryRun(self)
        try:
            walk(module, dry_run, code_only=True)
        except _WouldChange:
            return None
        return dry_run.marker_changes


def with_marker_changes(module: cst.Module, changes: Mapping[int, cst.CSTNode]) -> cst.Module:
    """``module`` with the statements ``marker_changes`` found replaced (their markers set)."""
    return cst.ensure_type(rewrite(module, _Replace(changes), code_only=True), cst.Module)


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: Mapping[int, cst.CSTNode]) -> None:
        super().__init__()
        self._replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self._replacements.get(id(original_node), updated_node)


class _WouldChange(Exception):
    """A fixer returned something other than the node it was given."""


class _DryRun(cst.CSTVisitor):
    """The transformer's visit and leave logic in a visitor: each node is left with itself as
    the updated node (no child changed, or the traversal would have stopped), so a fixer that
    returns anything else is a change. Walked without rebuilding a node (kmigrate.walk), it
    costs a fraction of a transform pass.

    A statement whose markers alone change is noted instead, as long as no statement around it
    has its markers changed too (that one would be rebuilt with the inner change) and the file
    has no ``# kmigrate: ignore`` comments (they apply by line, and markers move lines): those
    are left to a rewriting pass."""

    def __init__(self, transformer: MigrationTransformer) -> None:
        super().__init__()
        self._transformer = transformer
        self._markers_allowed = not transformer.ctx.has_ignore_comments
        self.marker_changes: dict[int, cst.CSTNode] = {}
        self._open: list[int] = []  # len(marker_changes) when each open statement was entered

    def on_visit(self, node: cst.CSTNode) -> bool:
        if _role(type(node)).statement:
            self._open.append(len(self.marker_changes))
        return self._transformer.on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        transformer = self._transformer
        role = _role(type(original_node))
        result = transformer.leave_fixers(original_node, original_node)
        if result is not original_node and not (isinstance(result, cst.CSTNode) and result.deep_equals(original_node)):
            raise _WouldChange  # (a fixer that rebuilt the node as it was changes nothing)
        if role.statement:
            inner_changes = len(self.marker_changes) - self._open.pop()
            marked = transformer.ctx.leave_statement(original_node, original_node)
            if marked is not original_node:
                if not self._markers_allowed or inner_changes or not isinstance(marked, cst.CSTNode):
                    raise _WouldChange
                self.marker_changes[id(original_node)] = marked
        if transformer.leave_rest(original_node, original_node, role) is not original_node:
            raise _WouldChange


class _AllOf(cst.CSTVisitor):
    """Several visitors in one traversal, each seeing exactly what it would see alone:
    a visitor whose ``visit_X`` returned False is not called below that node.

    Each node type is dispatched only to the visitors that define a method for it (most
    scanners care about a few node types), which keeps the shared scan cheap. ``scopes``, when
    given, is entered before the visitors see a def, class or lambda and left after them."""

    def __init__(self, visitors: list[cst.CSTVisitor], scopes: ScopeStack | None = None) -> None:
        super().__init__()
        self._visitors = visitors
        self._scopes = scopes
        self._skipping: list[cst.CSTNode | None] = [None] * len(visitors)
        self._skipped = 0  # visitors currently skipping a subtree
        self._visit_table: dict[type, list[tuple[int, Callable]]] = {}
        self._leave_table: dict[type, list[tuple[int, Callable]]] = {}

    def _table(self, node_type: type, prefix: str, cache: dict) -> list[tuple[int, Callable]]:
        found = cache.get(node_type)
        if found is None:
            methods = _methods_for(tuple(type(visitor) for visitor in self._visitors), node_type, prefix)
            found = [(index, getattr(self._visitors[index], method)) for index, method in methods]
            cache[node_type] = found
        return found

    def on_visit(self, node: cst.CSTNode) -> bool:
        node_type = type(node)
        visits = self._visit_table.get(node_type)
        if visits is None:
            visits = self._table(node_type, "visit_", self._visit_table)
        if self._scopes is not None and _role(node_type).scope:
            self._scopes.enter(node)
        if not self._skipped:  # the common case: every visitor is looking
            for index, visit in visits:
                if visit(node) is False:
                    self._skipping[index] = node
                    self._skipped += 1
        else:
            for index, visit in visits:
                if self._skipping[index] is None and visit(node) is False:
                    self._skipping[index] = node
                    self._skipped += 1
        return self._skipped < len(self._visitors)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        node_type = type(original_node)
        leaves = self._leave_table.get(node_type)
        if leaves is None:
            leaves = self._table(node_type, "leave_", self._leave_table)
        if self._skipped:
            for index, skipped in enumerate(self._skipping):
                if skipped is original_node:
                    self._skipping[index] = None
                    self._skipped -= 1
            for index, leave in leaves:
                if self._skipping[index] is None:
                    leave(original_node)
        else:
            for _, leave in leaves:
                leave(original_node)
        if self._scopes is not None and _role(node_type).scope:
            self._scopes.leave(original_node)


@lru_cache(maxsize=4096)
def _methods_for(
    visitor_types: tuple[type[cst.CSTVisitor], ...], node_type: type, prefix: str
) -> tuple[tuple[int, str], ...]:
    """(visitor index, method name) of the visitors that handle ``node_type`` (``prefix`` is
    ``visit_`` or ``leave_``): worked out once per set of scanner classes, not once per file."""
    name = prefix + node_type.__name__
    generic = "on_visit" if prefix == "visit_" else "on_leave"
    found = []
    for index, visitor_type in enumerate(visitor_types):
        if getattr(visitor_type, generic) is not getattr(cst.CSTVisitor, generic):
            found.append((index, generic))
        elif getattr(visitor_type, name, None) is not getattr(cst.CSTVisitor, name, None):
            found.append((index, name))
    return tuple(found)
