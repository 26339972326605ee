"""Infer the kind of an expression in one file (``kinds.Kind``), for the receiver policy.

A read-only scanner, run with the fixers' scanners in the shared scan pass, records the
file's scopes: what each name is assigned, each function's parameters and returns, each
class's bases, methods and ``self.x`` assignments, and which calls pass what to the file's
own functions.  ``KindResolver.kind_of`` then evaluates an expression lazily, in the scope
where the rewrite traversal currently is, following names through assignments, functions
that return Keras objects, ``self`` inside subclasses of Keras classes, parameters whose
callers in the file pass them, and names imported from other modules of the project (the
project index, ``kmigrate.project``).  Anything it cannot follow is ``Kind.UNKNOWN``.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Iterator, Protocol

import libcst as cst
from libcst.helpers import get_full_name_for_node

from kmigrate.callargs import argument
from kmigrate.kinds import (
    KERAS_MEMBER_KEYWORDS,
    KERAS_ONLY_KEYWORDS,
    KERAS_ONLY_MEMBERS,
    MEMBER_KINDS,
    METHOD_RESULTS,
    MODEL_MEMBER_KEYWORDS,
    MODEL_ONLY_MEMBERS,
    Kind,
    combine,
    kind_of_api_call,
    kind_of_base,
)
from kmigrate.names import Api, NameResolver, classify
from kmigrate.project import ProjectIndex
from kmigrate.scopes import ScopeStack


class ResolvesNames(Protocol):
    """What the resolver asks of the per-file context (``FileContext``, the layer above)."""

    resolver: NameResolver

    def api(self, node: cst.BaseExpression) -> Api | None: ...

_BUILTINS = frozenset(dir(builtins))
_LITERALS = (
    cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float,
    cst.Imaginary, cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.DictComp,
    cst.SetComp, cst.GeneratorExp, cst.Lambda, cst.Comparison,
)  # fmt: skip
# Bound in a way the resolver does not evaluate (loop target, unpacking, with ... as).
OPAQUE = None


@dataclass
class Scope:
    node: cst.CSTNode
    parent: "Scope | None"
    is_class: bool = False
    assignments: dict[str, list[cst.BaseExpression | None]] = field(default_factory=dict)
    params: list[str] = field(default_factory=list)
    defaults: dict[str, cst.BaseExpression] = field(default_factory=dict)
    returns: list[cst.BaseExpression] = field(default_factory=list)
    definitions: dict[str, cst.CSTNode] = field(default_factory=dict)  # def / class in this scope
    # classes: self.<attr> = value in any method; the bases
    self_assignments: dict[str, list[tuple[cst.BaseExpression, "Scope"]]] = field(default_factory=dict)
    bases: list[cst.BaseExpression] = field(default_factory=list)
    relative_imports: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    # name -> (method, keywords) of every `name.method(...)` call in this scope
    member_calls: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)

    def lookup_scopes(self) -> Iterator["Scope"]:
        """This scope, then the enclosing ones as Python resolves names (class bodies skipped)."""
        yield self
        scope = self.parent
        while scope is not None:
            if not scope.is_class:
                yield scope
            scope = scope.parent


class ScopeScanner(cst.CSTVisitor):
    """Collects the scopes of one module (read-only; part of the shared scan pass)."""

    def __init__(self) -> None:
        super().__init__()
        self.scopes: dict[int, Scope] = {}
        self.calls: dict[str, list[tuple[cst.Call, Scope]]] = {}  # callee name -> calls
        # The scope of every expression a rule may ask about, so that analyses run after the
        # scan (outside the traversal's position) evaluate names where they occur.
        self.expression_scopes: dict[int, Scope] = {}
        # `local.attr` read anywhere outside import statements: local name -> attributes.
        self.attribute_uses: dict[str, set[str]] = {}
        # Facts about the code only (never comments or strings), for rules that used to search
        # the text: every `.attr` read, every `.attr = ...` target, every callee's last name
        # (`f`, `x.f`; `lr.assign` for `opt.lr.assign(...)`), and Lambda layers of lambdas.
        self.attribute_names: set[str] = set()
        self.assigned_attributes: set[str] = set()
        self.called_names: set[str] = set()
        self.calls_lambda_layer_with_lambda = False
        self.method_names: set[str] = set()  # members the file's own classes define
        self._in_import = False
        self._module_id: int | None = None
        self._stack: list[Scope] = []

    @property
    def stack(self) -> list[Scope]:
        return self._stack

    @property
    def module_scope(self) -> Scope | None:
        return self.scopes.get(self._module_id) if self._module_id is not None else None

    def _push(self, node: cst.CSTNode, is_class: bool = False) -> Scope:
        scope = Scope(node, self._stack[-1] if self._stack else None, is_class)
        self.scopes[id(node)] = scope
        self._stack.append(scope)
        return scope

    def visit_Module(self, node: cst.Module) -> None:
        self._module_id = id(node)
        self._push(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        self._stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._stack[-1].definitions[node.name.value] = node
        scope = self._push(node, is_class=True)
        scope.bases = [arg.value for arg in node.bases if arg.keyword is None]

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._stack[-1].is_class:
            self.method_names.add(node.name.value)
        self._stack[-1].definitions[node.name.value] = node
        scope = self._push(node)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.params.append(param.name.value)
            if param.default is not None:
                scope.defaults[param.name.value] = param.default
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.assignments.setdefault(star.name.value, []).append(OPAQUE)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        scope = self._push(node)
        for param in node.params.params:
            scope.params.append(param.name.value)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._stack.pop()

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self._stack:
            self._stack[-1].returns.append(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):  # x += ...: a number or a list, rarely Keras
            self._stack[-1].assignments.setdefault(node.target.value, []).append(OPAQUE)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, OPAQUE)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, OPAQUE)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, OPAQUE)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind(node.name.name, OPAQUE)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value)

    def leave_ImportFrom(self, original_node: cst.ImportFrom) -> None:
        self._in_import = False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import = True
        if not node.relative or isinstance(node.names, cst.ImportStar):
            return
        module = get_full_name_for_node(node.module) if node.module is not None else ""
        for alias in node.names:
            local = alias.evaluated_alias or alias.evaluated_name
            self._stack[-1].relative_imports[local] = (len(node.relative), module or "", alias.evaluated_name)

    def visit_Name(self, node: cst.Name) -> None:
        self.expression_scopes[id(node)] = self._stack[-1]

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.expression_scopes[id(node)] = self._stack[-1]
        if self._in_import:
            return
        self.attribute_names.add(node.attr.value)
        if isinstance(node.value, cst.Name):
            self.attribute_uses.setdefault(node.value.value, set()).add(node.attr.value)

    def visit_Import(self, node: cst.Import) -> None:
        self._in_import = True

    def leave_Import(self, original_node: cst.Import) -> None:
        self._in_import = False

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.expression_scopes[id(node)] = self._stack[-1]

    def visit_Call(self, node: cst.Call) -> None:
        self.expression_scopes[id(node)] = self._stack[-1]
        func = node.func
        if isinstance(func, cst.Name):
            self.called_names.add(func.value)
        elif isinstance(func, cst.Attribute):
            self.called_names.add(func.attr.value)
            if isinstance(func.value, cst.Name):
                keywords = frozenset(a.keyword.value for a in node.args if a.keyword is not None)
                self._stack[-1].member_calls.setdefault(func.value.value, []).append((func.attr.value, keywords))
            if isinstance(func.value, cst.Attribute):
                self.called_names.add(f"{func.value.attr.value}.{func.attr.value}")
        callee = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
        if callee == "Lambda" and any(isinstance(arg.value, cst.Lambda) for arg in node.args):
            self.calls_lambda_layer_with_lambda = True
        name = None
        if isinstance(func, cst.Name):
            name = func.value
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            name = "self." + func.attr.value
        if name is not None and self._stack:
            self.calls.setdefault(name, []).append((node, self._stack[-1]))

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        scope = self._stack[-1]
        if isinstance(target, cst.Name):
            scope.assignments.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, OPAQUE)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, OPAQUE)
        elif isinstance(target, cst.Attribute):
            self.assigned_attributes.add(target.attr.value)
            if not isinstance(target.value, cst.Name):
                return
            method = scope if isinstance(scope.node, cst.FunctionDef) else None
            owner = method.parent if method is not None else None
            if method is not None and owner is not None and owner.is_class and method.params \
                    and target.value.value == method.params[0]:
                if value is not None:
                    owner.self_assignments.setdefault(target.attr.value, []).append((value, scope))


class _ImportedKinds:
    """The kinds of names bound by imports: Keras, the project's own (through the project
    index), or another library.  Part of ``KindResolver``, which provides these attributes."""

    _ctx: ResolvesNames
    _project: ProjectIndex | None
    _path: str | None

    def _imported(self, node: cst.BaseExpression, called: bool) -> Kind:
        qualified = self._ctx.resolver.qualified_name(node)
        if qualified is None:
            if isinstance(node, cst.Name) and node.value in _BUILTINS:
                return Kind.FOREIGN
            return self._star_imported(node, called)
        if classify(qualified) is not None:
            return Kind.KERAS
        if self._project is not None:
            found = self._project.lookup_qualified(qualified, self._path, called)
            if found is not None:
                return found
        if qualified.split(".")[0] == "tensorflow" and called:
            return Kind.UNKNOWN  # a TF op: a tensor, or a tf.data pipeline, or ...
        return Kind.FOREIGN  # another library (tensorflow.keras names were classified above)

    def _star_imported(self, node: cst.BaseExpression, called: bool) -> Kind:
        if self._project is None or not isinstance(node, cst.Name):
            return Kind.UNKNOWN
        for module in self._ctx.resolver.all_star_modules:
            found = self._project.lookup_qualified(f"{module}.{node.value}", self._path, called)
            if found is not None:
                return found
        return Kind.UNKNOWN

    def _project_name(self, level: int, module: str, name: str, called: bool) -> Kind:
        if self._project is None:
            return Kind.UNKNOWN
        found = self._project.lookup_relative(self._path, level, module, name, called)
        return found if found is not None else Kind.UNKNOWN


class KindResolver(_ImportedKinds):
    """``kind_of(expr)`` for nodes of the original tree, in the traversal's current scope."""

    MAX_DEPTH = 12

    def __init__(
        self, ctx: ResolvesNames, project: ProjectIndex | None, path: str | None, traversal: ScopeStack | None = None
    ) -> None:
        self._ctx = ctx
        self._project = project
        self._path = path
        self.scanner = ScopeScanner()
        # Where the traversal is: the context's one scope stack (a stack of our own when used alone).
        self._traversal = traversal if traversal is not None else ScopeStack()
        self._memo: dict[tuple[int, int], Kind] = {}
        self._active: set[tuple[int, int]] = set()
        self.scanned = False  # until the scan pass is over, answers are provisional: not kept

    # -- where the traversal is ------------------------------------------------------------
    @property
    def current(self) -> Scope | None:
        """The scanned scope of the innermost def, class or lambda around the traversal."""
        for frame in reversed(self._traversal.frames):
            scope = self.scanner.scopes.get(id(frame.node))
            if scope is not None:
                return scope
        if self.scanner.stack:  # asked by another scanner during the scan pass
            return self.scanner.stack[-1]
        return self.scanner.module_scope

    # -- the policy ------------------------------------------------------------------------
    def project_defines(self, member: str) -> bool:
        """A class of this file or of the project defines a method named ``member``."""
        return member in self.scanner.method_names or (
            self._project is not None and member in self._project.method_names
        )

    def allows_member(self, receiver: cst.BaseExpression, member: str, call: cst.Call | None = None) -> bool:
        kind = self.kind_of(receiver)
        if kind.is_keras:
            return True
        if kind.is_not_keras:
            return False
        if self.project_defines(member):
            return False  # the project's own classes define it: cannot tell them apart
        if member in KERAS_ONLY_MEMBERS:
            return True
        keywords = KERAS_ONLY_KEYWORDS | KERAS_MEMBER_KEYWORDS.get(member, frozenset())
        return call is not None and any(
            arg.keyword is not None and arg.keyword.value in keywords for arg in call.args
        )

    # -- aliases ---------------------------------------------------------------------------
    def alias_of(self, node: cst.Name) -> cst.BaseExpression | None:
        """``RNN`` after ``RNN = layers.LSTM`` (its only binding): the Keras name it stands for."""
        scope = self.scanner.expression_scopes.get(id(node)) or self.current
        if scope is None:
            return None
        for where in scope.lookup_scopes():
            if node.value in where.params or node.value in where.definitions:
                return None
            values = where.assignments.get(node.value)
            if values is None:
                continue
            if len(values) != 1 or not isinstance(values[0], (cst.Name, cst.Attribute)):
                return None
            value = values[0]
            return value if self._ctx.resolver.keras_name(value) is not None else None
        return None

    # -- inference -------------------------------------------------------------------------
    def kind_of(self, node: cst.BaseExpression, scope: Scope | None = None) -> Kind:
        scope = scope or self.scanner.expression_scopes.get(id(node)) or self.current
        if scope is None:
            return Kind.UNKNOWN
        key = (id(node), id(scope))
        if key in self._memo:
            return self._memo[key]
        if key in self._active or len(self._active) > self.MAX_DEPTH:
            return Kind.UNKNOWN  # recursion (x = f(x)) or a chain too long to follow
        self._active.add(key)
        try:
            kind = self._evaluate(node, scope)
        finally:
            self._active.discard(key)
        if self.scanned:
            self._memo[key] = kind
        return kind

    def _evaluate(self, node: cst.BaseExpression, scope: Scope) -> Kind:
        if isinstance(node, _LITERALS):
            return Kind.FOREIGN
        if isinstance(node, cst.Name):
            return self._name(node, scope)
        if isinstance(node, cst.Attribute):
            return self._attribute(node, scope)
        if isinstance(node, cst.Call):
            return self._call(node, scope)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, scope)
        if isinstance(node, cst.IfExp):
            return combine([self.kind_of(node.body, scope), self.kind_of(node.orelse, scope)])
        if isinstance(node, cst.BinaryOperation):
            sides = {self.kind_of(node.left, scope), self.kind_of(node.right, scope)}
            if Kind.TENSOR in sides:
                return Kind.TENSOR
            return Kind.FOREIGN if sides <= {Kind.FOREIGN} else Kind.UNKNOWN
        if isinstance(node, cst.UnaryOperation):
            return self.kind_of(node.expression, scope)
        return Kind.UNKNOWN

    # names
    def _name(self, node: cst.Name, scope: Scope) -> Kind:
        value = node.value
        if value in ("None", "True", "False"):
            return Kind.FOREIGN
        for where in scope.lookup_scopes():
            if value in where.params:
                return self._or_evidence(self._parameter(value, where), value, [where])
            if value in where.assignments:
                return self._or_evidence(self._assigned(where.assignments[value], where), value, [where])
            if value in where.definitions:
                return self._definition_reference(where.definitions[value], where)
            if value in where.relative_imports:
                return self._project_name(*where.relative_imports[value], called=False)
        return self._or_evidence(self._imported(node, called=False), value, list(scope.lookup_scopes()))

    def _or_evidence(self, kind: Kind, name: str, scopes: list[Scope]) -> Kind:
        """An unknown name on which model-only methods are called (``def train(model):
        model.fit_generator(...)``) is a model: duck typing, unless the project's own classes
        define those methods."""
        if kind is not Kind.UNKNOWN:
            return kind
        own = self.scanner.method_names | (self._project.method_names if self._project is not None else frozenset())
        keras_only = model_like = False
        for scope in scopes:
            for method, keywords in scope.member_calls.get(name, ()):
                if method in own:
                    continue
                if method in MODEL_ONLY_MEMBERS or keywords & MODEL_MEMBER_KEYWORDS.get(method, frozenset()):
                    return Kind.MODEL
                keras_only = keras_only or method in KERAS_ONLY_MEMBERS
                model_like = model_like or method in MODEL_MEMBER_KEYWORDS
        # A Keras-only method (reset_states) on an object that also predicts or fits: only a
        # Keras model has both.
        return Kind.MODEL if keras_only and model_like else kind

    def _assigned(self, values: list[cst.BaseExpression | None], scope: Scope) -> Kind:
        kinds = []
        for value in values:
            if value is OPAQUE:
                return Kind.UNKNOWN
            if isinstance(value, cst.Name) and value.value == "None":
                continue  # `model = None` before the real assignment
            kinds.append(self.kind_of(value, scope))
        return combine(kinds)

    def _parameter(self, name: str, function: Scope) -> Kind:
        owner = function.parent
        if owner is not None and owner.is_class and function.params and name == function.params[0]:
            if not _is_static(function.node):
                return self._instance_of_class(owner)
        # What the file's callers pass (f(model) / self.f(model)), and the default.
        passed: list[Kind] = []
        if name in function.defaults and not _is_none(function.defaults[name]):
            passed.append(self.kind_of(function.defaults[name], function.parent or function))
        if isinstance(function.node, cst.FunctionDef):
            position = function.params.index(name)
            is_method = owner is not None and owner.is_class
            callee = ("self." if is_method else "") + function.node.name.value
            calls = self.scanner.calls.get(callee, [])
            if not calls:
                return combine(passed) if passed else Kind.UNKNOWN
            for call, where in calls:
                passed_value = argument(call, name, position - (1 if is_method else 0))
                if passed_value is None:
                    continue
                passed.append(self.kind_of(passed_value, where))
        return combine(passed) if passed else Kind.UNKNOWN

    def _definition_reference(self, node: cst.CSTNode, scope: Scope) -> Kind:
        if isinstance(node, cst.ClassDef):
            instance = self._instance_of_class(self.scanner.scopes[id(node)])
            return Kind.KERAS if instance.is_keras else Kind.PROJECT
        return Kind.FOREIGN  # a function object

    # attributes
    def _attribute(self, node: cst.Attribute, scope: Scope) -> Kind:
        if self._ctx.api(node) is not None:
            return Kind.KERAS
        receiver, member = node.value, node.attr.value
        if isinstance(receiver, cst.Name):
            method = _enclosing_method(scope)
            if method is not None and method.params and receiver.value == method.params[0] \
                    and not _is_static(method.node) and method.parent is not None:
                assigned = method.parent.self_assignments.get(member)
                if assigned:
                    return combine([self.kind_of(value, where) for value, where in assigned])
        owner = self.kind_of(receiver, scope)
        if owner is Kind.FOREIGN:
            return Kind.FOREIGN
        if (owner, member) in MEMBER_KINDS:
            return MEMBER_KINDS[(owner, member)]
        if owner is Kind.UNKNOWN:
            return self._imported(node, called=False) if _is_dotted(node) else Kind.UNKNOWN
        return Kind.UNKNOWN

    def _subscript(self, node: cst.Subscript, scope: Scope) -> Kind:
        value = node.value
        if isinstance(value, cst.Attribute) and value.attr.value == "layers":
            if self.kind_of(value.value, scope) is Kind.MODEL:
                return Kind.LAYER
        return Kind.TENSOR if self.kind_of(value, scope) is Kind.TENSOR else Kind.UNKNOWN

    # calls
    def _call(self, node: cst.Call, scope: Scope) -> Kind:
        func = node.func
        api = self._ctx.api(func)
        if api is not None:
            return kind_of_api_call(api.path)
        if isinstance(func, cst.Name):
            for where in scope.lookup_scopes():
                if func.value in where.params or func.value in where.assignments:
                    return self._called_object(self.kind_of(func, scope))
                definition = where.definitions.get(func.value)
                if isinstance(definition, cst.ClassDef):
                    return self._instance_of_class(self.scanner.scopes[id(definition)])
                if isinstance(definition, cst.FunctionDef):
                    return self._returns(self.scanner.scopes[id(definition)])
                if func.value in where.relative_imports:
                    return self._project_name(*where.relative_imports[func.value], called=True)
            return self._imported(func, called=True)
        if isinstance(func, cst.Attribute):
            receiver, method = func.value, func.attr.value
            if isinstance(receiver, cst.Name):
                found = self._own_method(receiver, method, scope)
                if found is not None:
                    return found
            owner = self.kind_of(receiver, scope)
            if owner is Kind.FOREIGN:
                return Kind.FOREIGN
            if (owner, method) in METHOD_RESULTS:
                return METHOD_RESULTS[(owner, method)]
            if owner is Kind.UNKNOWN and _is_dotted(func):
                return self._imported(func, called=True)
            return Kind.UNKNOWN
        return self._called_object(self.kind_of(func, scope))

    @staticmethod
    def _called_object(kind: Kind) -> Kind:
        # Calling a layer or a model on a tensor gives a tensor.
        return Kind.TENSOR if kind in (Kind.LAYER, Kind.MODEL) else Kind.UNKNOWN

    def _own_method(self, receiver: cst.Name, method: str, scope: Scope) -> Kind | None:
        """``self.build_model()`` inside a class that defines ``build_model``."""
        function = _enclosing_method(scope)
        if function is None or not function.params or receiver.value != function.params[0]:
            return None
        owner = function.parent
        definition = owner.definitions.get(method) if owner is not None else None
        if isinstance(definition, cst.FunctionDef):
            return self._returns(self.scanner.scopes[id(definition)])
        return None

    def _returns(self, function: Scope) -> Kind:
        values = [v for v in function.returns if not _is_none(v)]
        return combine([self.kind_of(value, function) for value in values]) if values else Kind.FOREIGN

    def _instance_of_class(self, cls: Scope) -> Kind:
        kinds = []
        for base in cls.bases:
            api = self._ctx.api(base)
            if api is not None:
                kinds.append(kind_of_base(api.path))
                continue
            base_kind = self.kind_of(base, cls.parent or cls)
            if base_kind is Kind.KERAS:  # a Keras subclass defined in this file or the project
                kinds.append(self._keras_subclass_kind(base, cls))
            elif base_kind is Kind.UNKNOWN:
                return Kind.UNKNOWN
        keras = [k for k in kinds if k.is_keras]
        return keras[0] if keras else Kind.PROJECT

    def _keras_subclass_kind(self, base: cst.BaseExpression, cls: Scope) -> Kind:
        if isinstance(base, cst.Name):
            for where in (cls.parent or cls).lookup_scopes():
                definition = where.definitions.get(base.value)
                if isinstance(definition, cst.ClassDef):
                    return self._instance_of_class(self.scanner.scopes[id(definition)])
            if self._project is not None:
                qualified = self._ctx.resolver.qualified_name(base)
                if qualified is not None:
                    found = self._project.lookup_qualified(qualified, self._path, called=True)
                    if found is not None:
                        return found
        return Kind.KERAS




def _enclosing_method(scope: Scope) -> Scope | None:
    for where in (scope, *scope.lookup_scopes()):
        if isinstance(where.node, cst.FunctionDef):
            if where.parent is not None and where.parent.is_class:
                return where
        elif where.is_class:
            return None
    return None


def _is_static(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.FunctionDef):
        return False
    return any(
        isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")
        for d in node.decorators
    )


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _is_dotted(node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)
