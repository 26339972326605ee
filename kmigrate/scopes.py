"""Where the traversal is: the functions, classes and lambdas around it, innermost last.

One stack per file, kept by the traversal drivers (``kmigrate.transform``): a scope's frame is
pushed before any fixer's ``visit_`` hook for its def, class or lambda runs, and popped after the
last ``leave_`` hook, in the rewriting passes and in the shared scan pass alike. So inside a
def's, class's or lambda's own hooks its frame is already (still) the innermost one. Fixers and
scanners ask ``ctx.scopes`` instead of keeping class or function stacks of their own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Sequence

import libcst as cst

from kmigrate.names import Api

ScopeNode = cst.FunctionDef | cst.ClassDef | cst.Lambda


class ScopeKind(enum.Enum):
    FUNCTION = "function"
    CLASS = "class"
    LAMBDA = "lambda"


@dataclass(eq=False)
class ScopeFrame:
    """One enclosing def, class or lambda (a node of the original tree)."""

    node: ScopeNode
    kind: ScopeKind
    name: str | None  # the def's or class's name; None for a lambda
    bases: tuple[cst.BaseExpression, ...] = ()  # a class's bases as written (keywords such as metaclass= apart)
    # What the bases name as Keras APIs, worked out on first ask (``FileContext.in_class_deriving``).
    base_apis: tuple[Api | None, ...] | None = field(default=None, repr=False)


def _frame(node: cst.CSTNode) -> ScopeFrame | None:
    if isinstance(node, cst.FunctionDef):
        return ScopeFrame(node, ScopeKind.FUNCTION, node.name.value)
    if isinstance(node, cst.ClassDef):
        return ScopeFrame(node, ScopeKind.CLASS, node.name.value, tuple(arg.value for arg in node.bases))
    if isinstance(node, cst.Lambda):
        return ScopeFrame(node, ScopeKind.LAMBDA, None)
    return None


class ScopeStack:
    """The scopes around the traversal and the questions families ask about them.

    Module level is the empty stack. A lambda is a frame like a def or a class, but the
    questions about defs skip it unless asked (``in_function(lambdas=True)``): it holds one
    expression, which most rules treat as part of the code around it."""

    def __init__(self) -> None:
        self._frames: list[ScopeFrame] = []

    # -- kept by the traversal ----------------------------------------------------------------
    def enter(self, node: cst.CSTNode) -> None:
        frame = _frame(node)
        if frame is not None:
            self._frames.append(frame)

    def leave(self, node: cst.CSTNode) -> None:
        if self._frames and self._frames[-1].node is node:
            self._frames.pop()

    # -- the questions -----------------------------------------------------------------------
    @property
    def frames(self) -> Sequence[ScopeFrame]:
        """Every enclosing scope, outermost first (read-only)."""
        return tuple(self._frames)

    @property
    def innermost(self) -> ScopeFrame | None:
        return self._frames[-1] if self._frames else None

    @property
    def at_module_level(self) -> bool:
        """No def or class around: a module-level statement, or an expression in one (a lambda
        there does not count)."""
        return not any(frame.kind is not ScopeKind.LAMBDA for frame in self._frames)

    @property
    def in_top_level_scope(self) -> bool:
        """Exactly one scope around: in (or, in its own hooks, at) a def, class or lambda
        written at module level."""
        return len(self._frames) == 1

    @property
    def class_frame(self) -> ScopeFrame | None:
        """The innermost class around, however many defs lie between (a method's nested
        function is still in its class)."""
        for frame in reversed(self._frames):
            if frame.kind is ScopeKind.CLASS:
                return frame
        return None

    @property
    def current_class(self) -> cst.ClassDef | None:
        frame = self.class_frame
        return frame.node if frame is not None and isinstance(frame.node, cst.ClassDef) else None

    @property
    def in_class(self) -> bool:
        """Some class is around, at any depth."""
        return any(frame.kind is ScopeKind.CLASS for frame in self._frames)

    def function_frame(self, *, lambdas: bool = False) -> ScopeFrame | None:
        """The innermost def (with ``lambdas``: def or lambda) around; class bodies skipped."""
        for frame in reversed(self._frames):
            if frame.kind is ScopeKind.FUNCTION or lambdas and frame.kind is ScopeKind.LAMBDA:
                return frame
        return None

    @property
    def function(self) -> cst.FunctionDef | None:
        """The innermost def around (lambdas and class bodies skipped)."""
        frame = self.function_frame()
        return frame.node if frame is not None and isinstance(frame.node, cst.FunctionDef) else None

    @property
    def functions(self) -> tuple[cst.FunctionDef, ...]:
        """Every def around, outermost first."""
        return tuple(frame.node for frame in self._frames if isinstance(frame.node, cst.FunctionDef))

    def in_function(self, *, lambdas: bool = False) -> bool:
        """Code that runs when a def (with ``lambdas``: a def or a lambda) is called."""
        return self.function_frame(lambdas=lambdas) is not None

    @property
    def function_key(self) -> int:
        """A key for per-scope tables: the innermost def's ``id``, 0 at module level (a class
        body or a lambda belongs to the def, or module, around it)."""
        function = self.function
        return id(function) if function is not None else 0


class _KeepingScopes(cst.CSTVisitor):
    def __init__(self, visitor: cst.CSTVisitor, scopes: ScopeStack) -> None:
        super().__init__()
        self._visitor = visitor
        self._scopes = scopes

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._scopes.enter(node)
        return self._visitor.on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self._visitor.on_leave(original_node)
        self._scopes.leave(original_node)


def scan_alone(module: cst.Module, scanner: cst.CSTVisitor, scopes: ScopeStack) -> None:
    """Run one scanner over ``module`` outside the pipeline's shared scan, keeping ``scopes``
    as that scan keeps ``ctx.scopes``. Give the scanner a fresh stack to ask, not the
    traversal's: this runs wherever the traversal happens to be."""
    module.visit(_KeepingScopes(scanner, scopes))
