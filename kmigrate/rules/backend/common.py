"""The backend family's shared part: rule entries, the whole-file scan, helpers, and the state
and statement hooks every concern of the family uses (``BackendBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, ClassVar, Mapping, Sequence, TypeVar

import libcst as cst

from kmigrate import match as m
from kmigrate.callargs import argument, bind_positionals, has_star_args, literal
from kmigrate.nodes import LeaveResult
from kmigrate.rule_types import CONTEXT, SAFE
from kmigrate.rule_types import FLAG as FLAG_ONLY
from kmigrate.rules.backend.catalog import SEMANTIC_RULES
from kmigrate.rules.backend.scan import _is_call_to, _Scan, backend_name
from kmigrate.rules.backend_table import (
    BUILTIN,
    CK_IDS,
    ENTRIES,
    FLAG,
    REMOVE,
    RENAME,
    SPECIAL,
    TF,
    VALUE,
    Entry,
)  # fmt: skip
from kmigrate.rules.base import Fixer, Rule
from kmigrate.walk import find_all

_SAFETY = {RENAME: SAFE, TF: SAFE, BUILTIN: SAFE, REMOVE: SAFE, VALUE: SAFE, SPECIAL: CONTEXT, FLAG: FLAG_ONLY}


# Group D rows whose marker a table rule places (D05: learning-phase tricks).
_ALSO_COVERS = {"C-K-learning_phase": ("D05",)}
TABLE_RULES = tuple(
    Rule(
        id=CK_IDS[e.catalog],
        name=f"backend-{e.name.lower().replace('_', '-')}",
        summary=e.message.split(":")[0] if e.kind in (FLAG, SPECIAL) else e.message,
        before=e.before,
        after=e.after or "# (statement removed)",
        safety=_SAFETY[e.kind],
        safety_note=e.note,
        catalog=(e.catalog, *_ALSO_COVERS.get(e.catalog, ())),
        tf_keras=e.tf_keras,
    )
    for e in sorted(ENTRIES, key=lambda e: CK_IDS[e.catalog])
)
RULES = SEMANTIC_RULES + TABLE_RULES

_DIM = {"th": "channels_first", "tf": "channels_last"}
_COMPARABLE = (cst.Equal, cst.NotEqual, cst.In, cst.NotIn, cst.Is, cst.IsNot)
_TF_INITIALIZERS = frozenset({
    "tensorflow.global_variables_initializer", "tensorflow.initialize_all_variables",
    "tensorflow.local_variables_initializer", "tensorflow.compat.v1.global_variables_initializer",
    "tensorflow.compat.v1.local_variables_initializer", "tensorflow.compat.v1.initialize_all_variables",
})  # fmt: skip
_TF_SESSIONS = frozenset({"tensorflow.Session", "tensorflow.compat.v1.Session", "tensorflow.InteractiveSession",
                          "tensorflow.compat.v1.InteractiveSession"})  # fmt: skip
_TF_CONFIGS = frozenset({"tensorflow.ConfigProto", "tensorflow.compat.v1.ConfigProto"})
_TF_GPU_OPTIONS = frozenset({"tensorflow.GPUOptions", "tensorflow.compat.v1.GPUOptions"})
HELPER_NAME = "k_function"
_SUBMODULES = frozenset({"tensorflow_backend", "common", "load_backend"})
_MISSING_HINTS = {
    "_get_available_gpus": "list the GPUs with `tf.config.list_logical_devices('GPU')`",
    "tensorflow_backend": "its functions are in tf.keras.backend (`K.<name>`) or `tf`",
    "_SESSION": "there are no sessions in TF 2",
}

_HELPER = '''def {name}(inputs, outputs, learning_phase_index=None):
    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it
    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`
    (the `K.learning_phase()` input) is the `training` flag."""
    model = {tf}.keras.Model(inputs, outputs)

    def call(values):
        values = list(values)
        training = False
        if learning_phase_index is not None:
            training = bool(values.pop(learning_phase_index))
        return [tensor.numpy() for tensor in {tf}.nest.flatten(model(values, training=training))]

    return call
'''

_GROWTH = """for {gpu} in {tf}.config.list_physical_devices('GPU'):
    {tf}.config.experimental.set_memory_growth({gpu}, True)
"""


@dataclass
class BackendBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    # Names with no tf.keras home whose uses this family rewrites: the import family drops
    # their imports once no use is left, and marks them while one is.
    handles: ClassVar[frozenset[str]] = frozenset(
        f"backend.{e.name}" for e in ENTRIES if e.kind != FLAG
    )

    # Merged from every concern by the composed fixer: table name -> its rewrite (``table.py``).
    special_calls: ClassVar[Mapping[str, Callable]] = {}

    _scan: _Scan | None = None
    _callees: set[int] = field(default_factory=set)
    _statement_calls: set[int] = field(default_factory=set)  # calls that are a whole statement
    _remove_calls: set[int] = field(default_factory=set)
    _skip_calls: set[int] = field(default_factory=set)
    _strings: dict[int, str] = field(default_factory=dict)  # literal -> mapped value
    _dim_calls: set[int] = field(default_factory=set)  # image_dim_ordering() inside a mapped comparison
    _plan: dict[int, str | cst.BaseStatement] = field(default_factory=dict)  # statement -> "remove" | replacement
    _helper_name: str = HELPER_NAME
    _attribute_parents: dict[int, cst.Attribute] = field(default_factory=dict)

    # -- file-level facts --------------------------------------------------------------------
    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Scan(self.ctx)
        return (self._scan,)

    def visit_Module(self, node: cst.Module) -> None:
        self._helper_name = self._fresh(HELPER_NAME)
        self._plan_block(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._plan_block(node.body)

    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))
        if backend_name(self.ctx, node.func) in ("function", "Function"):
            # K.learning_phase() among the inputs becomes `training=`: not a finding of its own.
            for inner in find_all(node, cst.Call):
                if inner is not node and _is_call_to(self.ctx, inner, "learning_phase"):
                    self._skip_calls.add(id(inner))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                self._statement_calls.add(id(small.value))
                self._init_idiom(small.value)

    # -- renames / tf / builtins ------------------------------------------------------------------
    def _backend_ref(self, original: cst.BaseExpression, updated: cst.BaseExpression, name: str) -> cst.BaseExpression:
        """``K.<name>`` spelled through the same ``K`` when it is a plain name, else imported."""
        if isinstance(updated, cst.Attribute) and isinstance(original, cst.Attribute):
            module = self.ctx.resolver.keras_name(original.value)
            if module is not None and module.path == "backend":
                return updated.with_changes(attr=cst.Name(name))
        ref = self.ctx.imports.reference(f"backend.{name}")
        return ref.with_changes(lpar=getattr(updated, "lpar", ()), rpar=getattr(updated, "rpar", ()))

    def _parent_attribute(self, node: cst.Attribute) -> cst.CSTNode | None:
        return self._attribute_parents.get(id(node))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Attribute):
            self._attribute_parents[id(node.value)] = node

    def _bound(self, entry: Entry, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
        if has_star_args(call) or len(call.args) > len(entry.params):
            return None
        bound = bind_positionals(call, entry.params)
        return {a.keyword.value: a.value for a in bound.args if a.keyword}

    # -- statements: removal and planned replacements --------------------------------------------
    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine) -> LeaveResult:
        planned = self._plan.get(id(original))
        if planned is not None:
            if isinstance(planned, str):  # "remove"
                return self._remove(original, updated)
            return planned
        if not self._remove_calls:
            return updated
        kept = [
            new for old, new in zip(original.body, updated.body)
            if not (isinstance(old, cst.Expr) and id(old.value) in self._remove_calls)
        ]
        if len(kept) == len(updated.body):
            return updated
        if not kept:
            return self._remove(original, updated)
        kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(body=kept)

    def _remove(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
                ) -> cst.SimpleStatementLine | cst.RemovalSentinel:  # fmt: skip
        has_comment = any(line.comment for line in updated.leading_lines) or updated.trailing_whitespace.comment
        if has_comment:
            return updated.with_changes(body=[cst.Pass()])
        return cst.RemovalSentinel.REMOVE

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        if updated.body or not original.body:
            return updated
        return updated.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])

    # -- provided by the concerns the fixer is composed of (BackendFixer) -------------------------
    # Declared here so that the shared hooks above and sibling concerns can call them; the
    # concern module named in each docstring overrides them.
    def _plan_block(self, body: Sequence[cst.BaseStatement]) -> None:
        """session.py: plan the allow_growth session idiom's rewrite in a block."""
        raise NotImplementedError

    def _init_idiom(self, call: cst.Call) -> None:
        """session.py: the TF 1 variable-initialiser idiom."""
        raise NotImplementedError

    def _semantic_call(self, name: str, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """semantics.py: KM501-KM503 on a backend call."""
        raise NotImplementedError

    def _module_attr(self, name: str, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        """semantics.py: KM506, ``K.tf`` / ``K.np`` / ``K.T``."""
        raise NotImplementedError

    # -- names this family writes -------------------------------------------------------------------
    def _tf(self) -> str:
        return self.ctx.imports.module("tensorflow", "tf")

    def _numpy(self) -> str:
        return self.ctx.imports.module("numpy", "np")

    def _fresh(self, base: str) -> str:
        name = base
        while self.ctx.resolver.is_bound(name):
            name = f"{name}_"
        return name


def _has_params(params: cst.Parameters) -> bool:
    return bool(params.params or params.posonly_params or params.kwonly_params) or isinstance(
        params.star_arg, cst.Param
    ) or params.star_kwarg is not None


def _atom(node: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)) or node.lpar:
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _empty(node: cst.BaseExpression) -> bool:
    return (isinstance(node, cst.Name) and node.value == "None") or (
        isinstance(node, (cst.List, cst.Tuple)) and not node.elements
    )


ElementT = TypeVar("ElementT", cst.Element, cst.BaseElement)


def _fix_elements(elements: list[ElementT]) -> list[ElementT]:
    if not elements:
        return elements
    last = elements[-1]
    if isinstance(last.comma, cst.Comma):
        elements[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return elements


def _restring(node: cst.SimpleString, value: str) -> cst.SimpleString:
    quote = node.quote
    return node.with_changes(value=f"{node.prefix}{quote}{value}{quote}")


def _dim_literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if value in _DIM:
            return f"'{_DIM[value]}'"
        if value == "default":
            return "None"
    return None


def _literal_arg(call: cst.Call, position: int, keyword: str) -> object:
    """The literal value passed for a parameter (None when absent or not a literal)."""
    value = argument(call, keyword, position)
    try:
        return literal(value) if value is not None else None
    except ValueError:
        return None


def _statement_call(statement: cst.CSTNode) -> cst.Call | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return small.value
    return None


def _last_assignment(statements: Sequence[cst.BaseStatement], name: str
                     ) -> tuple[cst.SimpleStatementLine, cst.BaseExpression] | None:  # fmt: skip
    for statement in reversed(statements):
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            if isinstance(small, cst.Assign) and len(small.targets) == 1 \
                    and m.matches(small.targets[0].target, m.Name(name)):
                return statement, small.value
    return None


def _attribute_assignment(statement: cst.CSTNode, name: str) -> cst.Assign | None:
    """The statement's assignment when it is ``name.<attributes> = value`` alone."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target: cst.BaseExpression = small.targets[0].target
    while isinstance(target, cst.Attribute):
        target = target.value
    assigns = isinstance(target, cst.Name) and target.value == name and target is not small.targets[0].target
    return small if assigns else None
