"""Whole-file facts the training family reads before any rewrite: how metrics are spelled, which
names hold history dicts, what a model's last layer outputs, the batch size a generator yields."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final, Iterator, Literal, Sequence

import libcst as cst

from kmigrate import callargs
from kmigrate.context import FileContext
from kmigrate.scopes import ScopeKind, ScopeStack, scan_alone
from kmigrate.rules.training_table import (
    CROSSENTROPY_LOSSES,
    FLOW_METHODS,
    METRIC_IDS,
    method_name,
    number_value,
    positional_count,
    string_value,
)

# compile metric spelling -> the history key Keras <= 2.2 logged for it
_LEGACY_METRIC_KEYS = {
    "accuracy": "acc", "acc": "acc", "mae": "mean_absolute_error", "mse": "mean_squared_error",
    "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
    "crossentropy": "ce", "ce": "ce",
}  # fmt: skip


_SHAPE_KEEPING_LAYERS = {
    "Activation", "Dropout", "BatchNormalization", "GaussianNoise", "GaussianDropout",
    "ActivityRegularization", "AlphaDropout", "Softmax", "ReLU", "LeakyReLU", "PReLU", "ELU",
}  # fmt: skip


@dataclass
class _Scope:
    node: cst.CSTNode  # Module or FunctionDef
    params: frozenset[str]


def scopes_around(ctx: FileContext) -> list[_Scope]:
    """The module and each def around the traversal (``ctx.scopes``), outermost first, with the
    def's parameters: where the file facts look a model's name up."""
    scopes = [_Scope(ctx.module, frozenset())]
    for function in ctx.scopes.functions:
        params = function.params
        names = frozenset(p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params))
        scopes.append(_Scope(function, names))
    return scopes


class _Marker(enum.Enum):
    """Answers beside a value: a metric key that cannot be known, a generator with no batch size."""

    UNKNOWN = enum.auto()
    PLAIN_GENERATOR = enum.auto()


_UNKNOWN: Final = _Marker.UNKNOWN
_PLAIN_GENERATOR: Final = _Marker.PLAIN_GENERATOR


class _FileFacts(cst.CSTVisitor):
    """What the whole file says about models, generators and compiled metrics.

    A scanner: filled in the pipeline's one read-only pass before the rewrite."""

    def __init__(self, ctx: FileContext, scopes: ScopeStack | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.scopes = scopes if scopes is not None else ctx.scopes  # the shared scan keeps ctx.scopes
        self.functions: dict[str, cst.FunctionDef] = {}
        self.generator_functions: set[str] = set()
        self.history_names: set[str] = set()
        self.spellings: set[str] = set()
        # compile metric spelling -> the id the migrated compile passes (KM384 renames some), which
        # is the key Keras 3 logs; None when the migration leaves the id unresolved (marked)
        self.migrated_ids: dict[str, str | None] = {}

    @classmethod
    def scanned_alone(cls, ctx: FileContext) -> _FileFacts:
        """The facts of ``ctx.module`` for a fixer used outside the pipeline (no shared scan)."""
        scopes = ScopeStack()
        facts = cls(ctx, scopes)
        scan_alone(ctx.module, facts, scopes)
        return facts

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, node)

    def visit_Yield(self, node: cst.Yield) -> None:
        owner = self.scopes.function_frame(lambdas=True)  # a yield in a lambda makes no generator function
        if owner is not None and owner.kind is ScopeKind.FUNCTION and owner.name is not None:
            self.generator_functions.add(owner.name)

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if isinstance(value, cst.Attribute) and value.attr.value == "history":
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.history_names.add(target.target.value)

    def visit_Call(self, node: cst.Call) -> None:
        if method_name(node) == "compile":
            metrics = callargs.keyword(node, "metrics")
            if metrics is None and positional_count(node) >= 3:
                metrics = node.args[2]
            if metrics is not None:
                spelled = _strings_in(metrics.value)
                self.spellings.update(spelled)
                loss = callargs.keyword(node, "loss")
                if loss is None and positional_count(node) >= 2:
                    loss = node.args[1]
                loss_id = string_value(loss.value) if loss is not None else None
                for spelling in spelled:
                    migrated = _migrated_metric_id(spelling, loss_id)
                    if self.migrated_ids.setdefault(spelling, migrated) != migrated:
                        self.migrated_ids[spelling] = None  # compiled against several losses

    # -- metric names ------------------------------------------------------------------
    def metric_key(self, key: str) -> str | Literal[_Marker.UNKNOWN] | None:
        """The tf.keras key for a legacy history key: a str, None (unchanged) or _UNKNOWN."""
        version, _ = self.ctx.settings.legacy_version
        prefix = "val_" if key.startswith("val_") else ""
        base = key[len(prefix):]
        if version >= (2, 3):  # Keras 2.3 logged string metrics under the id given, as Keras 3 does
            renamed = {self.migrated_ids.get(s) for s in self.spellings if s == base} - {base}
            new = renamed.pop() if len(renamed) == 1 else None
            return prefix + new if new is not None else None
        spelled = {s for s in self.spellings if _LEGACY_METRIC_KEYS.get(s, s) == base}
        if base == "acc":
            if not spelled:
                return _UNKNOWN
            if spelled == {"acc"}:
                return None
            if len(spelled) > 1:
                return _UNKNOWN
            return prefix + spelled.pop()
        # Keras 3 logs the id the migrated compile passes: the spelling, or KM384's renamed id
        logged = {self.migrated_ids.get(s, s) for s in spelled}
        known = {name for name in logged if name is not None}
        if len(known) < len(logged):  # compiled against several losses
            return None
        known.discard(base)
        return prefix + known.pop() if len(known) == 1 else None

    # -- history dicts -------------------------------------------------------------------
    def is_history_dict(self, node: cst.BaseExpression, scopes: list[_Scope]) -> bool:
        if isinstance(node, cst.Attribute):
            return node.attr.value == "history"
        if isinstance(node, cst.Name):
            return node.value == "logs" or node.value in self.history_names
        return False

    # -- models --------------------------------------------------------------------------
    def _assigned(self, name: str, scopes: list[_Scope]) -> tuple[cst.BaseExpression, cst.CSTNode] | None:
        """The value assigned to ``name`` in the innermost scope that assigns it (if unique)."""
        for scope in reversed(scopes):
            if name in scope.params:
                return None
            values = _assignments_in(scope.node, name)
            if len(values) == 1:
                return values[0], scope.node
            if values:
                return None
        return None

    def _layers(self, receiver: cst.BaseExpression, scopes: list[_Scope], depth: int = 0
                ) -> tuple[str, list[cst.BaseExpression]] | None:  # fmt: skip
        """(kind, layer calls in order) of the model ``receiver`` names, when the file shows it."""
        if depth > 3 or not isinstance(receiver, cst.Name):
            return None
        found = self._assigned(receiver.value, scopes)
        if found is None:
            return None
        value, scope = found
        if isinstance(value, cst.Call):
            api = self.ctx.api(value.func)
            if api is not None and api.path in ("models.Sequential", "Sequential"):
                layers: list[cst.BaseExpression] = []
                if value.args and isinstance(value.args[0].value, (cst.List, cst.Tuple)) and value.args[0].keyword is None:
                    layers.extend(e.value for e in value.args[0].value.elements)
                layers.extend(_added_layers(scope, receiver.value))
                return "Sequential", layers
            if api is not None and api.path in ("models.Model", "Model"):
                return "Model", self._functional_output(value, scope)
            if isinstance(value.func, cst.Name) and value.func.value in self.functions and not value.args:
                function = self.functions[value.func.value]
                returned = _returned_name(function)
                if returned is not None:
                    inner = [_Scope(function, frozenset())]
                    return self._layers(cst.Name(returned), inner, depth + 1)
        return None

    def _functional_output(self, call: cst.Call, scope: cst.CSTNode) -> list[cst.BaseExpression]:
        outputs = callargs.keyword(call, "outputs") or callargs.keyword(call, "output")
        if outputs is None and len(call.args) >= 2 and call.args[1].keyword is None:
            outputs = call.args[1]
        if outputs is None or not isinstance(outputs.value, cst.Name):
            return []
        layers: list[cst.BaseExpression] = []
        name = outputs.value.value
        for _ in range(5):
            values = _assignments_in(scope, name)
            if len(values) != 1 or not isinstance(values[0], cst.Call) or not isinstance(values[0].func, cst.Call):
                break
            applied = values[0]
            layers.insert(0, applied.func)
            if not applied.args or not isinstance(applied.args[0].value, cst.Name):
                break
            name = applied.args[0].value.value
        return layers

    def model_kind(self, receiver: cst.BaseExpression, scopes: list[_Scope]) -> str | None:
        found = self._layers(receiver, scopes)
        return found[0] if found else None

    def output_units(self, receiver: cst.BaseExpression, scopes: list[_Scope]) -> int | None:
        found = self._layers(receiver, scopes)
        if not found:
            return None
        for layer in reversed(found[1]):
            if not isinstance(layer, cst.Call):
                return None
            api = self.ctx.api(layer.func)
            if api is None:
                return None
            if api.leaf in _SHAPE_KEEPING_LAYERS:
                continue
            if api.leaf == "TimeDistributed" and layer.args:
                inner = layer.args[0].value
                if isinstance(inner, cst.Call):
                    layer = inner
                    api = self.ctx.api(layer.func)
                    if api is None:
                        return None
            if api.leaf == "Dense":
                units = callargs.keyword(layer, "units") or callargs.keyword(layer, "output_dim")
                if units is None and layer.args and layer.args[0].keyword is None:
                    units = layer.args[0]
                value = self._number(units.value, scopes) if units is not None else None
                return int(value) if value is not None and value == int(value) and value >= 1 else None
            return None
        return None

    def _number(self, node: cst.BaseExpression, scopes: list[_Scope]) -> float | None:
        """A literal number, or a name the file binds once to one (``NUM_TAGS = 6``)."""
        if isinstance(node, cst.Name):
            found = self._assigned(node.value, scopes)
            return number_value(found[0]) if found is not None else None
        return number_value(node)

    # -- generators ------------------------------------------------------------------------
    def batch_size(self, node: cst.BaseExpression, scopes: list[_Scope]
                   ) -> cst.BaseExpression | Literal[_Marker.PLAIN_GENERATOR] | None:  # fmt: skip
        """The batch size expression of an iterator, _PLAIN_GENERATOR, or None when unknown."""
        for _ in range(3):
            if isinstance(node, cst.Name):
                found = self._assigned(node.value, scopes)
                if found is None:
                    return None
                node = found[0]
                continue
            break
        if not isinstance(node, cst.Call):
            return None
        name = method_name(node)
        if name in FLOW_METHODS:
            arg = callargs.keyword(node, "batch_size")
            position = {"flow": 2, "flow_from_directory": 5}.get(name)
            if arg is None and position is not None and positional_count(node) > position:
                arg = node.args[position]
            if arg is None:
                return cst.Integer(str(FLOW_METHODS[name]))
            return arg.value
        if isinstance(node.func, cst.Name) and node.func.value in self.generator_functions:
            return _PLAIN_GENERATOR
        return None


def _migrated_metric_id(spelling: str, loss: str | None) -> str | None:
    """The metric id the migrated compile passes for ``spelling`` (what KM384 writes)."""
    if spelling in ("ce", "crossentropy"):
        return loss if loss in CROSSENTROPY_LOSSES else None
    return METRIC_IDS.get(spelling, spelling)


def _strings_in(node: cst.BaseExpression) -> set[str]:
    found: set[str] = set()
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        for element in node.elements:
            found |= _strings_in(element.value)
    elif isinstance(node, cst.Dict):
        for entry in node.elements:
            if isinstance(entry, cst.DictElement):
                found |= _strings_in(entry.value)
    elif isinstance(node, cst.Call):
        # `BinaryAccuracy(name='accuracy')` (KM386 writes it for 'accuracy'): logged under its name
        name = callargs.keyword(node, "name")
        value = string_value(name.value) if name is not None else None
        if value is not None:
            found.add(value)
    else:
        value = string_value(node)
        if value is not None:
            found.add(value)
    return found


def _own_statements(scope: cst.CSTNode) -> Iterator[cst.SimpleStatementLine]:
    """Simple statements of a scope, descending into if/for/while/with/try but not into defs."""
    block = scope if isinstance(scope, cst.Module) else getattr(scope, "body", None)  # a def's block
    # A one-line def (`def f(): return x`) has no statement lines of its own.
    body: Sequence[cst.CSTNode] = block.body if isinstance(block, (cst.Module, cst.IndentedBlock)) else ()
    stack = list(reversed(list(body)))
    while stack:
        statement = stack.pop()
        if isinstance(statement, cst.SimpleStatementLine):
            yield statement
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            stack.extend(reversed(_blocks(statement)))


def _blocks(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements directly inside a compound statement, its else/except/finally parts included."""
    out: list[cst.CSTNode] = []
    suite = getattr(statement, "body", None)
    if isinstance(suite, cst.IndentedBlock):
        out.extend(suite.body)
    elif isinstance(suite, cst.SimpleStatementSuite):
        out.append(cst.SimpleStatementLine(body=suite.body))
    for attr in ("orelse", "finalbody"):
        part = getattr(statement, attr, None)
        if isinstance(part, cst.If):
            out.append(part)
        elif part is not None:
            out.extend(_blocks(part))
    for handler in getattr(statement, "handlers", ()) or ():
        out.extend(_blocks(handler))
    return out


def _assignments_in(scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
    values = []
    for statement in _own_statements(scope):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name) and target.target.value == name:
                        values.append(small.value)
    return values


def _added_layers(scope: cst.CSTNode, name: str) -> list[cst.BaseExpression]:
    layers = []
    for statement in _own_statements(scope):
        for small in statement.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                call = small.value
                if (
                    isinstance(call.func, cst.Attribute) and call.func.attr.value == "add"
                    and isinstance(call.func.value, cst.Name) and call.func.value.value == name
                    and call.args
                ):
                    layers.append(call.args[0].value)
    return layers


def _returned_name(function: cst.FunctionDef) -> str | None:
    names = set()
    for statement in _own_statements(function):
        for small in statement.body:
            if isinstance(small, cst.Return) and isinstance(small.value, cst.Name):
                names.add(small.value.value)
    return names.pop() if len(names) == 1 else None
