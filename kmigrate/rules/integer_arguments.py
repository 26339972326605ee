"""KM601-KM602: arguments Keras 2.2.4 took as any number and Keras 3 demands as Python ints.

KM601: step counts computed with ``/`` (``steps_per_epoch=len(x) / batch_size``).  Keras 2.2.4's
generator loops ran ``while steps_done < steps`` (training_generator.py), i.e. ``ceil(steps)``
batches for a float; Keras 3 raises TypeError (``range(12.5)``).  ``math.ceil`` of the same value
runs the same number of batches and is always an int; ``-(-a // b)`` is not written because it
stays a float when ``a`` or ``b`` is one.

KM602: numpy integers as layer sizes (``Dense(np.max(y) + 1)``).  Keras 2.2.4 accepted them;
Keras 3.15 raises ValueError for the (layer, argument) pairs in ``_INT_ARGUMENTS`` (each
verified on TF 2.21; Conv filters, Reshape/Permute dims and Input shapes still accept numpy
ints and are left alone).  Legacy Keras failed for floats there, so ``int(...)`` only changes
values that already were integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.markers import has_marker
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.integer_arguments_catalog import RULES
from kmigrate.rules.training_table import (
    EVALUATE_GENERATOR,
    FIT_GENERATOR,
    PREDICT_GENERATOR,
    has_single_star,
    method_name,
    pick,
)

# (layer path) -> ((legacy position, keyword names it may be passed as), ...)
_INT_ARGUMENTS: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {
    "layers.Dense": ((0, ("units", "output_dim")),),
    "layers.Embedding": ((0, ("input_dim",)), (1, ("output_dim",))),
    "layers.LSTM": ((0, ("units", "output_dim")),),
    "layers.GRU": ((0, ("units", "output_dim")),),
    "layers.SimpleRNN": ((0, ("units", "output_dim")),),
    "layers.RepeatVector": ((0, ("n",)),),
}
_STEP_METHODS: dict[str, tuple[str, ...]] = {
    "fit": ("steps_per_epoch", "validation_steps"),
    "fit_generator": ("steps_per_epoch", "validation_steps"),
    "evaluate": ("steps",),
    "evaluate_generator": ("steps",),
    "predict": ("steps",),
    "predict_generator": ("steps",),
}
_GENERATOR_SIGNATURES = {"fit_generator": FIT_GENERATOR, "evaluate_generator": EVALUATE_GENERATOR,
                         "predict_generator": PREDICT_GENERATOR}  # fmt: skip
_SAMPLE_COUNTS = ("samples_per_epoch", "nb_val_samples", "val_samples")
# numpy functions returning an integral float64: int() of it is the loop count Keras 2 ran
_NUMPY_ROUNDING = frozenset({"numpy.ceil", "numpy.floor", "numpy.rint", "numpy.trunc", "numpy.fix",
                             "numpy.round", "numpy.around"})  # fmt: skip
_INT_OPERATORS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo)
_INT_BUILTINS = frozenset({"len", "int"})
_INT_OF_INT_BUILTINS = frozenset({"max", "min", "abs"})
_UNKNOWN = None  # a binding whose value is not visible (parameter, unpacking, import, ...)


class _Bindings(cst.CSTVisitor):
    """Every value each plain name is bound to anywhere in the file (None: not visible)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[cst.BaseExpression | None]] = {}
        # `n += x` seen as `n = n + x`, built only when some rule asks (building LibCST nodes
        # costs more than the rest of this scan): (name, position in its list, parts).
        self._augmented: list[tuple[str, int, tuple[cst.Name, Callable[[], cst.BaseBinaryOp], cst.BaseExpression]]] = []

    def settled(self) -> dict[str, list[cst.BaseExpression | None]]:
        """``values`` with every augmented assignment built as its arithmetic."""
        for name, index, (target, operator, value) in self._augmented:
            self.values[name][index] = cst.BinaryOperation(target, operator(), value)
        self._augmented.clear()
        return self.values

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.values.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            # `a, b = 64, 2` binds each name to its element; any other unpacking is not visible
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) else ()
            pairs = len(values) == len(target.elements) and not any(
                isinstance(e, cst.StarredElement) for e in (*values, *target.elements)
            )
            for index, element in enumerate(target.elements):
                self._bind(element.value, values[index].value if pairs else _UNKNOWN)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, _UNKNOWN)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        # `n += x` is `n = n + x`: visible only as that arithmetic.
        if isinstance(node.target, cst.Name):
            operators: dict[type, Callable[[], cst.BaseBinaryOp]] = {
                cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
                cst.FloorDivideAssign: cst.FloorDivide, cst.DivideAssign: cst.Divide}  # fmt: skip
            operator = operators.get(type(node.operator))
            self._bind(node.target, None)
            if operator is not None:
                name = node.target.value
                self._augmented.append((name, len(self.values[name]) - 1, (node.target, operator, node.value)))

    def visit_For(self, node: cst.For) -> None:
        ints = isinstance(node.iter, cst.Call) and isinstance(node.iter.func, cst.Name) and node.iter.func.value == "range"
        self._bind(node.target, cst.Integer("0") if ints else _UNKNOWN)

    def visit_Param(self, node: cst.Param) -> None:
        annotated_int = node.annotation is not None and isinstance(node.annotation.annotation, cst.Name) \
            and node.annotation.annotation.value == "int"
        self._bind(node.name, cst.Integer("0") if annotated_int else _UNKNOWN)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name, _UNKNOWN)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None and isinstance(node.name, cst.Name):
            self._bind(node.name, _UNKNOWN)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, _UNKNOWN)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._bind(node.name, _UNKNOWN)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name, _UNKNOWN)


def _strip_parens(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=[], rpar=[]) if getattr(node, "lpar", None) else node


def _has_true_division(node: cst.BaseExpression) -> bool:
    """Arithmetic (outside calls) with a `/` in it: a float in Python 3."""
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, cst.Divide) or _has_true_division(node.left) or _has_true_division(node.right)
    if isinstance(node, cst.UnaryOperation):
        return _has_true_division(node.expression)
    return False


def _is_arithmetic_or_number(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, (cst.BinaryOperation, cst.UnaryOperation, cst.Integer, cst.Float))


def _ceil_division(left: cst.BaseExpression, right: cst.BaseExpression) -> cst.BaseExpression:
    """``-(-left // right)``, parenthesizing operands that bind looser than the operators."""
    def operand(node: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(node, (cst.BinaryOperation, cst.UnaryOperation, cst.IfExp)) and not node.lpar:
            return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return node

    negated = cst.UnaryOperation(operator=cst.Minus(), expression=operand(left))
    floor = cst.BinaryOperation(left=negated, operator=cst.FloorDivide(), right=operand(right))
    return cst.UnaryOperation(
        operator=cst.Minus(), expression=floor.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    )


def _call(name: str, value: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=cst.parse_expression(name), args=[cst.Arg(value=_strip_parens(value))])


@dataclass
class IntegerArgumentFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)

    _scan: _Bindings | None = None
    _seen: set[str] = field(default_factory=set)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Bindings()
        return (self._scan,)

    @property
    def bindings(self) -> dict[str, list[cst.BaseExpression | None]]:
        if self._scan is None:  # used outside the pipeline
            self._scan = _Bindings()
            self.ctx.module.visit(self._scan)
        return self._scan.settled()

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if has_single_star(original) or len(original.args) != len(updated.args):
            return updated
        name = method_name(original)
        if name in _STEP_METHODS:
            return self._steps(original, updated, name)
        api = self.ctx.api(original.func)
        if api is not None and api.path in _INT_ARGUMENTS:
            return self._sizes(original, updated, api.path)
        return updated

    # -- KM601 ---------------------------------------------------------------------------------
    def _steps(self, original: cst.Call, call: cst.Call, name: str) -> cst.Call:
        receiver = cst.ensure_type(original.func, cst.Attribute).value  # a method call (leave_Call)
        if not self.ctx.allows("KM601") or not self.ctx.keras_receiver(receiver, name):
            return call
        version, _ = self.ctx.settings.legacy_version
        if version < (2, 0) or any(callargs.keyword(original, k) is not None for k in _SAMPLE_COUNTS):
            return call  # Keras 1 counted samples: KM223 converts them
        statement = self.ctx.current_statement
        if statement is not None and has_marker(statement, "KM223"):
            return call  # a sample count KM223 renamed and marked in an earlier pass
        wanted = _STEP_METHODS[name]
        positions: dict[int, str] = {}
        if name in _GENERATOR_SIGNATURES:
            signature = pick(_GENERATOR_SIGNATURES[name], version)
            positions = {signature.index(k): k for k in wanted if k in signature}
        args = list(call.args)
        changed = []
        for index, arg in enumerate(original.args):
            keyword = arg.keyword.value if arg.keyword is not None else positions.get(index) if not arg.star else None
            if keyword not in wanted:
                continue
            value = self._integral_steps(arg.value)
            if value is not None:
                args[index] = args[index].with_changes(value=value)
                changed.append(keyword)
        if not changed:
            return call
        self.ctx.fixed("KM601", original, f"{', '.join(changed)}: float step count rounded up as Keras 2 "
                       "ran it")
        return call.with_changes(args=args)

    def _integral_steps(self, value: cst.BaseExpression) -> cst.BaseExpression | None:
        division = _strip_parens(value)
        if (
            isinstance(division, cst.BinaryOperation) and isinstance(division.operator, cst.Divide)
            and self._visibly_int(division.left, set()) and self._visibly_int(division.right, set())
        ):
            # int / int: the ceiling division KM223 also writes, an int without an import.
            return _ceil_division(division.left, division.right)
        if _has_true_division(value) or self._name_of_divisions(value):
            if self.ctx.resolver.is_bound("math") and not self._math_imported():
                return None
            math = self.ctx.imports.module("math", "math")
            return _call(f"{math}.ceil", value)
        if isinstance(value, cst.Call) and self._numpy_rounding(value) and not self.ctx.resolver.is_bound("int"):
            return _call("int", value)
        return None

    def _math_imported(self) -> bool:
        bindings = self.ctx.resolver.bindings.get("math") or []
        return bool(bindings) and all(b.qualified == "math" for b in bindings)

    def _name_of_divisions(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Name):
            return False
        values = self.bindings.get(value.value, [])
        return bool(values) and all(_is_arithmetic_or_number(v) for v in values) and any(
            _has_true_division(v) for v in values if v is not None
        )

    def _numpy_rounding(self, call: cst.Call) -> bool:
        qualified = self.ctx.resolver.qualified_name(call.func)
        if qualified not in _NUMPY_ROUNDING:
            return False
        # np.round(x, 1) keeps decimals: only the one-argument forms are integral.
        return len(call.args) == 1 and call.args[0].keyword is None and not call.args[0].star

    # -- KM602 ---------------------------------------------------------------------------------
    def _sizes(self, original: cst.Call, call: cst.Call, path: str) -> cst.Call:
        if not self.ctx.allows("KM602") or self.ctx.resolver.is_bound("int"):
            return call
        args = list(call.args)
        wrapped = []
        for position, names in _INT_ARGUMENTS[path]:
            for index, arg in enumerate(original.args):
                if arg.star:
                    continue
                at_position = arg.keyword is None and index == position
                if not at_position and (arg.keyword is None or arg.keyword.value not in names):
                    continue
                if self._visibly_int(arg.value, set()):
                    continue
                args[index] = args[index].with_changes(value=_call("int", args[index].value))
                wrapped.append(names[0])
        if not wrapped:
            return call
        leaf = path.rpartition(".")[2]
        self.ctx.fixed("KM602", original, f"{leaf} {', '.join(wrapped)} wrapped in int() (Keras 3 rejects "
                       "numpy integers)")
        return call.with_changes(args=args)

    def _visibly_int(self, node: cst.BaseExpression | None, visiting: set[str]) -> bool:
        if node is None:
            return False
        if isinstance(node, cst.Integer):
            return True
        if isinstance(node, cst.UnaryOperation):
            return not isinstance(node.operator, cst.Not) and self._visibly_int(node.expression, visiting)
        if isinstance(node, cst.BinaryOperation):
            return isinstance(node.operator, _INT_OPERATORS) and self._visibly_int(node.left, visiting) \
                and self._visibly_int(node.right, visiting)
        if isinstance(node, cst.IfExp):
            return self._visibly_int(node.body, visiting) and self._visibly_int(node.orelse, visiting)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and not self.ctx.resolver.is_bound(node.func.value):
            if node.func.value in _INT_BUILTINS:
                return True
            if node.func.value in _INT_OF_INT_BUILTINS:
                return bool(node.args) and all(not a.star and self._visibly_int(a.value, visiting) for a in node.args)
            return False
        if isinstance(node, cst.Subscript):
            # numpy/TensorShape dimensions (`x.shape[0]`) are Python ints.
            return isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape"
        if isinstance(node, cst.Name):
            if node.value in visiting:
                return False
            values = self.bindings.get(node.value)
            if not values:
                return False
            visiting = visiting | {node.value}
            return all(self._visibly_int(v, visiting) for v in values)
        return False


FIXER = IntegerArgumentFixer
