"""KM617: Keras 1 ``keras.engine.training.slice_X`` becomes plain indexing where the file proves
what its arguments are.

Keras 1.2's ``slice_X(X, start=None, stop=None)`` (gone since Keras 2.0; ``addition_rnn.py``):
when ``start`` has a ``__len__`` (a list or array of indices) it returns ``X[start]`` (an array of
indices first turned into a list, for h5py), otherwise ``X[start:stop]``; when ``X`` is a ``list``
it does that to each array, ``[x[...] for x in X]`` (a tuple is not a list: it was sliced whole).

So the rewrite needs to know two things, and makes it only when the file shows them:

* ``start``/``stop`` are not sequences: int literals, ``None``, or int arithmetic (``+ - * // %``,
  ``len(...)``, ``int(...)``) of those and of names whose only module-level bindings are such
  expressions (``split_at = len(X) - len(X) // 10``).  A list display of indices is ``X[[...]]``;
* ``X`` is a NumPy array: a name whose every module-level binding is a call of a function of the
  ``numpy`` module (``np.zeros(...)``), an index of such a name (``X = X[indices]``) or an
  ``.astype``/``.reshape``/``.copy`` of one -- or ``X`` is a list display, done element by element.

The call must be at module level (inside a function the names may be local).  Everything else is
marked with the replacement written out for both cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.scopes import ScopeStack

RULES = (
    Rule(
        id="KM617",
        name="keras1-slice-x",
        summary="Keras 1 `slice_X(X, start, stop)` becomes `X[start:stop]` when the file shows X is "
        "a NumPy array and start/stop are integers.",
        before="import numpy as np\nfrom keras.engine.training import slice_X\n\n"
        "X = np.zeros((100, 7))\nsplit_at = len(X) - len(X) // 10\n"
        "(X_train, X_val) = (slice_X(X, 0, split_at), slice_X(X, split_at))",
        after="import numpy as np\n\nX = np.zeros((100, 7))\nsplit_at = len(X) - len(X) // 10\n"
        "(X_train, X_val) = (X[0:split_at], X[split_at:])",
        safety=FixSafety.CONTEXT,
        safety_note="Keras 1.2 slice_X returned X[start:stop] for an array and an integer start, "
        "X[start] for a sequence of indices, and did either to each array of a list. Rewritten at "
        "module level when every binding of X in the file is a NumPy array (a numpy call, an index "
        "or astype/reshape of one) or X is a list display, and start/stop are integer expressions "
        "(literals, len(), int(), arithmetic, names bound only to those) or a list display of "
        "indices; otherwise marked with both replacements.",
        catalog=("A04",),
    ),
)

_INT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo)
_INT_BUILTINS = frozenset({"len", "int"})
_ARRAY_METHODS = frozenset({"astype", "reshape", "copy"})


@dataclass
class _Bindings(cst.CSTVisitor):
    """Every binding of a name at module level: an assigned value, or None when the name is bound
    another way (unpacking, for, with, import, def, global from a function)."""

    scopes: ScopeStack  # where the scan is (ctx.scopes)
    values: dict[str, list[cst.BaseExpression | None]] = field(default_factory=dict)

    # A def's or class's own frame is on the stack in its hook: one frame means module level.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.scopes.in_top_level_scope:
            self.values.setdefault(node.name.value, []).append(None)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.scopes.in_top_level_scope:
            self.values.setdefault(node.name.value, []).append(None)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.values.setdefault(item.name.value, []).append(None)  # assigned in a function

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target, None)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._target(node.asname.name, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target, None)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        bound = node.asname.name if node.asname is not None else node.name
        if isinstance(bound, cst.Name):
            self._bind(bound.value, None)

    def _target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value, None)

    def _bind(self, name: str, value: cst.BaseExpression | None) -> None:
        if self.scopes.at_module_level:
            self.values.setdefault(name, []).append(value)


@dataclass
class SliceXFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"slice_X",)
    handles: ClassVar[frozenset[str]] = frozenset({"layers.slice_X"})  # engine.training's home

    _bindings: _Bindings | None = None

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._bindings = _Bindings(self.ctx.scopes)
        return (self._bindings,)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None or api.name.qualified != "keras.engine.training.slice_X" or not self.ctx.allows("KM617"):
            return updated
        x = callargs.argument(updated, "X", 0)
        start = callargs.argument(updated, "start", 1)
        stop = callargs.argument(updated, "stop", 2)
        if x is None or any(a.star for a in updated.args) or len(updated.args) > 3:
            return self._flag(original, "X", "start", "stop")
        start_text = code(start) if start is not None else ""
        stop_text = code(stop) if stop is not None else ""
        indices = isinstance(start, cst.List) and stop is None
        # Outside defs and lambdas the module-level bindings are what the names hold.
        if not self.ctx.scopes.in_function(lambdas=True) and (indices or self._is_int(start) and self._is_int(stop)):
            lower, upper = ("" if t == "None" else t for t in (start_text, stop_text))
            index = start_text if indices else f"{lower}:{upper}"
            if isinstance(x, cst.List) and all(isinstance(e, cst.Element) for e in x.elements):  # no *starred
                items = ", ".join(f"{_operand(e.value)}[{index}]" for e in x.elements)
                replacement: cst.BaseExpression = cst.parse_expression(f"[{items}]")
            elif self._is_array(x, set()):
                replacement = cst.parse_expression(f"{_operand(x)}[{index}]")
            else:
                return self._flag(original, code(x), start_text, stop_text)
            self.ctx.fixed("KM617", original, f"slice_X(...) -> {code(replacement)} (Keras 1.2 slice_X "
                           "on a NumPy array)")
            return replacement.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        return self._flag(original, code(x), start_text, stop_text)

    def _flag(self, original: cst.Call, x: str, start: str, stop: str) -> cst.Call:
        if start.startswith("["):
            rows = start  # a list of indices
        elif stop and stop != "None":
            rows = f"{start}:{stop}"
        else:
            rows = f"{start}:"  # an integer start; a sequence of indices would be X[start]
        indices = "" if start.startswith("[") else f"; if {start} is a sequence of indices, {x}[{start}]"
        self.ctx.flag("KM617", original, f"slice_X is gone (Keras 1): for an array write {x}[{rows}], for a "
                      f"list of arrays [x[{rows}] for x in {x}]{indices}",
                      marker=f"slice_X is gone: {x}[{rows}] for an array, [x[{rows}] for x in {x}] for a list")
        return original

    # -- what the file proves ---------------------------------------------------------------
    def _is_int(self, node: cst.BaseExpression | None, seen: frozenset[str] = frozenset()) -> bool:
        """``node`` is None, an integer, or integer arithmetic: never a sequence of indices."""
        if node is None or isinstance(node, cst.Integer) or (isinstance(node, cst.Name) and node.value == "None"):
            return True
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
            return self._is_int(node.expression, seen)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, _INT_OPERATORS):
            return self._is_int(node.left, seen) and self._is_int(node.right, seen)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in _INT_BUILTINS:
            return node.func.value not in self._all_bindings() and len(node.args) == 1 and not node.args[0].star
        if isinstance(node, cst.Name) and node.value not in seen:
            values = self._all_bindings().get(node.value, [])
            return bool(values) and all(v is not None and self._is_int(v, seen | {node.value}) for v in values)
        return False

    def _is_array(self, node: cst.BaseExpression, seen: set[str]) -> bool:
        """``node`` is a NumPy array: a name every module-level binding of which is one, or an
        expression that makes one."""
        if not isinstance(node, cst.Name):
            return self._is_array_value(node, seen)
        if node.value in seen:
            return True  # X = X[indices]: as much an array as X's other bindings
        values = self._all_bindings().get(node.value, [])
        seen.add(node.value)
        return bool(values) and all(v is not None and self._is_array_value(v, seen) for v in values)

    def _is_array_value(self, value: cst.BaseExpression, seen: set[str]) -> bool:
        if isinstance(value, cst.Subscript):
            return self._is_array(value.value, seen)
        if not isinstance(value, cst.Call):
            return False
        func = value.func
        if isinstance(func, cst.Attribute) and func.attr.value in _ARRAY_METHODS and self._is_array(func.value, seen):
            return True
        root = func
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name) or root is func:
            return False
        bindings = self.ctx.resolver.bindings.get(root.value) or []
        return len(bindings) == 1 and bindings[0].qualified == "numpy"

    def _all_bindings(self) -> dict[str, list[cst.BaseExpression | None]]:
        return self._bindings.values if self._bindings is not None else {}


def _operand(node: cst.BaseExpression) -> str:
    """``node`` as the value of a subscript: parenthesised unless it is a name or an attribute."""
    text = code(node)
    return text if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)) else f"({text})"


FIXER = SliceXFixer
