"""KM608: Python generators fed to fit/evaluate that yield ``[x, y]`` lists.

Keras 2.2.4's ``fit_generator``/``evaluate_generator`` unpacked any output of length 2 or 3 as
``(x, y[, sample_weight])``, lists included; Keras 3's generator adapter accepts only tuples
and raises ``ValueError`` on a list.  ``predict_generator`` took a list as ``x`` (several
inputs), so generators also fed to predict are marked, not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.training_table import method_name
from kmigrate.scopes import ScopeKind, ScopeStack

RULES = (
    Rule(
        id="KM608",
        name="generator-list-batches",
        summary="Generators given to fit/evaluate that yield `[x, y]` lists yield tuples.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield [np.zeros((8, 4)), np.zeros((8, 1))]\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit_generator(batches(), steps_per_epoch=10, epochs=2)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield (np.zeros((8, 4)), np.zeros((8, 1)))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(batches(), steps_per_epoch=10, epochs=2)"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "Keras 2.2.4 fit_generator/evaluate_generator read an output of length 2 or 3 as (x, y[, "
            "sample_weight]) whatever its type; Keras 3 raises ValueError unless it is a tuple. Rewritten "
            "for generator functions of the same file whose every use is fit/evaluate (validation_data "
            "included); a generator also fed to predict (where a list was x) or one that yields a list of "
            "another length is marked at the call."
        ),
        catalog=(),
    ),
)

# method -> the argument names that carry (x, y) batches; predict methods take x only.
_TRAINING = {"fit_generator": ("generator", "validation_data"), "evaluate_generator": ("generator",),
             "fit": ("x", "validation_data"), "evaluate": ("x",)}  # fmt: skip
_PREDICT = ("predict_generator", "predict")
_LEGACY_ONLY = ("fit_generator", "evaluate_generator", "predict_generator")


class _Scan(cst.CSTVisitor):
    """Top-level generator functions, their list yields, and names bound to their calls."""

    def __init__(self, scopes: ScopeStack) -> None:
        super().__init__()
        self.scopes = scopes  # where the scan is (ctx.scopes)
        self.functions: dict[str, cst.FunctionDef] = {}
        self.list_yields: dict[str, list[cst.List]] = {}
        self.bound: dict[str, list[str | None]] = {}  # name -> generator functions called into it
        self.loads: dict[str, int] = {}  # Name occurrences (definitions and assignments excluded)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.loads[node.name.value] = self.loads.get(node.name.value, 0) - 1
        if self.scopes.in_top_level_scope:  # the def's own frame is the only one: written at module level
            self.functions.setdefault(node.name.value, node)

    def visit_Name(self, node: cst.Name) -> None:
        self.loads[node.value] = self.loads.get(node.value, 0) + 1

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self.loads[node.target.value] = self.loads.get(node.target.value, 0) - 1

    def visit_Yield(self, node: cst.Yield) -> None:
        function = self.scopes.innermost
        if function is None or function.kind is not ScopeKind.FUNCTION or not self.scopes.in_top_level_scope:
            return  # only a yield directly in a top-level def (not in a nested scope) is counted
        if function.name is not None and isinstance(node.value, cst.List):
            self.list_yields.setdefault(function.name, []).append(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        called = value.func.value if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) else None
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.bound.setdefault(target.target.value, []).append(called)


@dataclass
class GeneratorOutputFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"yield",)

    _scan: _Scan | None = None
    _uses: dict[str, set[str]] = field(default_factory=dict)  # function -> "train" / "predict"
    _seen: dict[str, int] = field(default_factory=dict)  # function or bound name -> Keras uses seen

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Scan(self.ctx.scopes)
        return (self._scan,)

    def _generator(self, node: cst.BaseExpression) -> str | None:
        """The top-level generator function whose call ``node`` is (directly or through a name)."""
        scan = self._scan
        if scan is None:
            return None
        name = None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            name = node.func.value
            used = name
        elif isinstance(node, cst.Name):
            bound = scan.bound.get(node.value, [])
            name = bound[0] if len(bound) == 1 else None
            used = node.value
        if name not in scan.list_yields:
            return None
        self._seen[used] = self._seen.get(used, 0) + 1
        return name

    def _only_used_by_keras(self, name: str) -> bool:
        """Every mention of the function (and of names bound to its calls) is a use seen here."""
        scan = self._scan
        if scan is None:  # not reached: no generator is found without the scan
            return False
        bound = [var for var, called in scan.bound.items() if called == [name]]
        if scan.loads.get(name, 0) != self._seen.get(name, 0) + len(bound):
            return False
        return all(scan.loads.get(var, 0) == self._seen.get(var, 0) for var in bound)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        method = method_name(original)
        if method not in _TRAINING and method not in _PREDICT or not self.ctx.involves_keras:
            return updated
        receiver = cst.ensure_type(original.func, cst.Attribute).value  # a method (method_name above)
        if method in _LEGACY_ONLY:
            if not self.ctx.keras_receiver(receiver, method):
                return updated
        elif not self.ctx.kind_of(receiver).is_keras:
            return updated
        if method in _PREDICT:
            first = original.args[0] if original.args and original.args[0].keyword is None else (
                callargs.keyword(original, "generator") or callargs.keyword(original, "x"))
            found = self._generator(first.value) if first is not None else None
            if found is not None:
                self._uses.setdefault(found, set()).add("predict")
                self._check(found, original)
            return updated
        names = _TRAINING[method]
        for index, arg in enumerate(original.args):
            position = index if arg.keyword is None and not arg.star else None
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword in names or (position == 0 and not arg.star):
                found = self._generator(arg.value)
                if found is not None:
                    self._uses.setdefault(found, set()).add("train")
                    self._check(found, original)
        return updated

    def _check(self, name: str, call: cst.Call) -> None:
        if not self.ctx.allows("KM608"):
            return
        uses = self._uses[name]
        lists = self._scan.list_yields[name] if self._scan is not None else []
        odd = any(len(lst.elements) not in (2, 3) for lst in lists) or any(
            isinstance(e, cst.StarredElement) for lst in lists for e in lst.elements
        )
        if "predict" in uses and "train" not in uses:
            self.ctx.flag("KM608", call, f"make {name}() yield (inputs,) tuples (Keras 3 rejects lists)")
        elif "predict" in uses or odd:
            self.ctx.flag("KM608", call, f"make {name}() yield (x, y) or (x, y, w) tuples (Keras 3 rejects lists)")
        if "predict" in uses or odd:
            uses.add("marked")

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        todo = {n for n, uses in self._uses.items() if uses == {"train"} and self._only_used_by_keras(n)}
        if not todo:
            return updated
        body = []
        scan = self._scan
        for statement in updated.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in todo and scan is not None:
                statement = cst.ensure_type(statement.visit(_TupleYields(statement)), cst.FunctionDef)
                for lst in scan.list_yields[statement.name.value]:
                    self.ctx.fixed("KM608", lst, "`yield [...]` -> `yield (...)`: Keras 3 reads only "
                                   "tuples as (x, y[, sample_weight])")
            body.append(statement)
        return updated.with_changes(body=body)


class _TupleYields(cst.CSTTransformer):
    """``yield [a, b]`` -> ``yield (a, b)`` in one function, not in nested functions."""

    def __init__(self, function: cst.FunctionDef) -> None:
        super().__init__()
        self._function = function

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self._function  # a nested def keeps its lists

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Yield(self, original: cst.Yield, updated: cst.Yield) -> cst.Yield:
        value = updated.value
        if not isinstance(value, cst.List) or len(value.elements) not in (2, 3):
            return updated
        if any(isinstance(e, cst.StarredElement) for e in value.elements):
            return updated
        elements = list(value.elements)
        return updated.with_changes(value=cst.Tuple(
            elements=elements, lpar=[cst.LeftParen(whitespace_after=value.lbracket.whitespace_after)],
            rpar=[cst.RightParen(whitespace_before=value.rbracket.whitespace_before)],
        ))  # fmt: skip


FIXER = GeneratorOutputFixer
