"""Per-file state shared by all fixers during one traversal.

Fixers ask it what names refer to (``api``), whether a rule may act here (``allows``), and
tell it what they did (``fixed``) or could not do (``flag``).  It also owns the imports that
rewrites need (``reference``), added once per file when the module is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Callable, Mapping, TypeVar, cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from kmigrate import keras_api
from kmigrate import match as m
from kmigrate.diagnostics import Diagnostic
from kmigrate.inference import KindResolver
from kmigrate.kinds import Kind
from kmigrate.markers import MarkerBook, ignore_comments
from kmigrate.names import Api, KerasName, NameResolver, classify
from kmigrate.nodes import LeaveResult, Statement
from kmigrate.positions import locate, statement_start
from kmigrate.project import ProjectIndex
from kmigrate.scopes import ScopeStack
from kmigrate.settings import Settings
from kmigrate.walk import find_all

ScannerT = TypeVar("ScannerT", bound=cst.CSTVisitor)

STATEMENT_TYPES = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


@dataclass(frozen=True)
class RuleSet:
    """What the registry says about the rules, handed down by the pipeline for one run so that
    this layer never imports the registry.

    ``active`` holds the ids selected for the run and applicable to its target (None: let the
    settings decide, for a context built without the registry); ``known`` every rule id;
    ``families`` the fixer family of each id; ``handled`` the legacy paths without a tf.keras
    home that an enabled family rewrites (the import family leaves their imports alone);
    ``rewritten`` the same for every family, enabled or not (what ``import *`` binds)."""

    active: frozenset[str] | None = None
    known: frozenset[str] = frozenset()
    families: Mapping[str, str] = field(default_factory=dict)
    handled: frozenset[str] = frozenset()
    rewritten: frozenset[str] = frozenset()


@dataclass
class _Pending:
    rule: str
    message: str
    node: cst.CSTNode
    statement: cst.CSTNode | None
    fixed: bool


class FileContext:
    def __init__(
        self, module: cst.Module, source: str, settings: Settings,
        path: str | None = None, project: ProjectIndex | None = None, rules: RuleSet | None = None,
    ) -> None:  # fmt: skip
        self.module = module
        self.rules = rules if rules is not None else RuleSet()
        self.source = source  # the module's code as read: search it instead of regenerating it
        self.settings = settings
        self.target = settings.target
        self.path = path  # None for stdin or tests
        self.project = project  # the whole-project index, when one was built
        self.resolver = NameResolver.for_module(module, self.rules.rewritten)
        if project is not None:
            rewritten = self.rules.rewritten
            self.resolver.reexports = lambda qualified: project.reexported_keras_name(qualified, path, rewritten=rewritten)
        self.scopes = ScopeStack()  # the defs, classes and lambdas around the traversal
        self.kinds = KindResolver(self, project, path, self.scopes)
        self._pending: list[_Pending] = []
        self._statements: list[cst.CSTNode] = []
        self.markers = MarkerBook(source, self.enabled, self.rules.families)  # markers to place, statement by statement
        self._ignores = ignore_comments(source) if "kmigrate" in source else {}
        self._statement_lines: dict[int, tuple[int, int]] | None = None
        self._enabled_cache: dict[str, bool] = {}
        self._apis: dict[int, tuple[cst.BaseExpression, Api | None]] = {}
        self._shared_scanners: dict[Callable[[FileContext], object], object] = {}
        self.imports = ImportRequests(self)
        self.edits = 0
        self._involves_keras: bool | None = None
        self._file_is_legacy: bool | None = None

    # -- what names mean -------------------------------------------------------------
    @property
    def file_is_legacy(self) -> bool:
        """The file imports standalone Keras (or TF's private copy), not only tf.keras."""
        if self._file_is_legacy is None:
            modules = [b[0].qualified for b in self.resolver.bindings.values()]
            modules += self.resolver.star_modules
            self._file_is_legacy = any(
                (name := classify(m)) is not None and name.legacy for m in modules
            )
        return self._file_is_legacy

    @property
    def involves_keras(self) -> bool:
        """The file imports some Keras namespace (gates method-name rules like fit_generator)."""
        if self._involves_keras is None:
            self._involves_keras = any(
                classify(b[0].qualified) is not None or b[0].qualified == "tensorflow"
                for b in self.resolver.bindings.values()
            ) or bool(self.resolver.star_modules) or (
                self.project is not None and self.path is not None and self.project.involves_keras(self.path, self.source.encode())
            )
        return self._involves_keras

    def shared_scanner(self, make: Callable[[FileContext], ScannerT]) -> ScannerT:
        """One scanner of whole-file facts per pass, however many families read them: the
        first family that asks makes it, the others get the same (the shared scan walks it once)."""
        found = self._shared_scanners.get(make)
        if found is None:
            found = self._shared_scanners[make] = make(self)
        return cast(ScannerT, found)  # stored by its own factory: of the type it makes

    @property
    def has_ignore_comments(self) -> bool:
        """The file has ``# kmigrate: ignore`` comments, which apply by line number."""
        return bool(self._ignores)

    def kind_of(self, node: cst.BaseExpression) -> Kind:
        """What kind of object ``node`` (a node of the original tree) is, where the traversal is."""
        return self.kinds.kind_of(node)

    def keras_receiver(self, receiver: cst.BaseExpression, member: str, call: cst.Call | None = None) -> bool:
        """May a rule about ``receiver.member`` act here?  The receiver policy of ``kinds``
        (``call``: the original call of that member, whose keywords may show it is Keras's)."""
        return self.kinds.allows_member(receiver, member, call)

    def api(self, node: cst.BaseExpression) -> Api | None:
        known = self._apis.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        name = self.resolver.keras_name(node)
        if name is None and type(node) is cst.Name and not self.resolver.bindings.get(node.value):
            # Not remembered: what an alias stands for is learnt as the scan goes.
            alias = self.kinds.alias_of(node)  # RNN = layers.LSTM; RNN(64)
            name = self.resolver.keras_name(alias) if alias is not None else None
            return None if name is None else self._api(name)
        found = None if name is None else self._api(name)
        # Twenty fixers ask about each call's callee: id(node) -> (node, its Api), the node kept
        # so that its id stays its own.
        self._apis[id(node)] = (node, found)
        return found

    def _api(self, name: KerasName) -> Api:
        if not name.legacy:
            return Api(name.path, False, name)
        return Api(keras_api.modern_path(name, self.target), True, name)

    # -- may a rule act here ------------------------------------------------------------
    def enabled(self, rule_id: str) -> bool:
        cached = self._enabled_cache.get(rule_id)
        if cached is None:
            if self.rules.active is not None and rule_id in self.rules.known:
                cached = rule_id in self.rules.active
            else:  # an id no rule defines, or no registry: --select/--ignore decide
                cached = self.settings.rule_enabled(rule_id)
            self._enabled_cache[rule_id] = cached
        return cached

    def allows(self, rule_id: str) -> bool:
        """The rule is selected, applies to the target, and the statement does not opt out."""
        return self.enabled(rule_id) and not self._suppressed(rule_id)

    def _suppressed(self, rule_id: str) -> bool:
        if not self._ignores or not self._statements:
            return False
        if self._statement_lines is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            positions = wrapper.resolve(PositionProvider)
            self._statement_lines = {}
            for node, where in positions.items():
                if isinstance(node, cst.SimpleStatementLine):
                    self._statement_lines[id(node)] = (where.start.line, where.end.line)
                elif isinstance(node, cst.BaseCompoundStatement):
                    self._statement_lines[id(node)] = (where.start.line, where.start.line)
        first, last = self._statement_lines.get(id(self._statements[-1]), (0, -1))
        for line in range(first, last + 1):
            codes = self._ignores.get(line, ())
            if codes is None or any(rule_id.startswith(c.upper()) for c in codes):
                return True
        return False

    # -- what was done --------------------------------------------------------------------
    def fixed(self, rule_id: str, node: cst.CSTNode, message: str) -> None:
        self.edits += 1
        self._pending.append(_Pending(rule_id, message, node, self.current_statement, True))
        self.markers.rewrote(self.current_statement, rule_id)

    def flag(self, rule_id: str, node: cst.CSTNode, message: str, marker: str | None = None) -> None:
        """Report a finding and mark the enclosing statement with a ``# kmigrate:`` comment.

        ``message`` (the report) explains; the marker is ``marker`` when given, an imperative
        of at most ``markers.MARKER_LIMIT`` characters, else derived from ``message``
        (``markers.short_marker``)."""
        statement = self.current_statement
        self._pending.append(_Pending(rule_id, message, node, statement, False))
        if statement is not None:
            self.markers.flagged(statement, rule_id, message, marker, node)

    def report_only(self, rule_id: str, node: cst.CSTNode, message: str) -> None:
        """A finding whose marker the fixer places itself (e.g. on a statement it builds)."""
        self._pending.append(_Pending(rule_id, message, node, self.current_statement, False))

    @property
    def current_statement(self) -> cst.CSTNode | None:
        return self._statements[-1] if self._statements else None

    # -- where the traversal is ----------------------------------------------------------------
    def enter_scope(self, node: cst.CSTNode) -> None:
        """The traversal enters a function, class or lambda (object kinds read the same stack)."""
        self.scopes.enter(node)

    def leave_scope(self, node: cst.CSTNode) -> None:
        self.scopes.leave(node)

    def in_class_deriving(self, test: Callable[[Api], bool]) -> bool:
        """The innermost class around the traversal has a base naming a Keras API for which
        ``test`` holds: ``ctx.in_class_deriving(lambda api: api.path == "callbacks.Callback")``.
        What the bases name is worked out once per class."""
        frame = self.scopes.class_frame
        if frame is None:
            return False
        if frame.base_apis is None:
            frame.base_apis = tuple(self.api(base) for base in frame.bases)
        return any(api is not None and test(api) for api in frame.base_apis)

    def enter_statement(self, node: cst.CSTNode) -> None:
        self._statements.append(node)

    def leave_statement(self, original: cst.CSTNode, updated: LeaveResult) -> LeaveResult:
        self._statements.pop()
        nodes = list(updated.nodes) if isinstance(updated, cst.FlattenSentinel) else [updated]
        if not nodes or not isinstance(nodes[0], cst.CSTNode):
            return updated
        marked = self.markers.leave(original, nodes[0], self.module)
        if marked is nodes[0]:
            return updated
        self.edits += 1
        return cst.FlattenSentinel([marked, *nodes[1:]]) if isinstance(updated, cst.FlattenSentinel) else marked

    def diagnostics(self, report_fixes: bool = True, known: AbstractSet[tuple[str, str]] = frozenset()) -> list[Diagnostic]:
        """What this pass found, located in the module. ``known``: (rule, message) of findings an
        earlier pass reported already, left out before paying for their positions."""
        pending = [
            p for p in self._pending
            if (p.fixed and report_fixes) or (not p.fixed and (p.rule, p.message) not in known)
        ]  # fmt: skip
        anchors = [p.node for p in pending]
        anchors += [statement_start(p.statement) for p in pending if p.statement is not None]
        found = locate(self.module, anchors)
        result = []
        for p in pending:
            where = found.get(id(p.node))
            if where is None and p.statement is not None:
                where = found.get(id(statement_start(p.statement)))
            line, column = where or (1, 1)
            result.append(Diagnostic(p.rule, p.message, line, column, p.fixed))
        return sorted(result, key=lambda d: (d.line, d.column, d.rule))


class ImportRequests:
    """tf.keras names that rewrites need, referenced through the file's own imports.

    ``reference("layers.Concatenate")`` prefers a binding the file already has (``layers``
    from ``from tensorflow.keras import layers``, or ``keras`` after the import rewrite) and
    otherwise adds ``from tensorflow.keras.layers import Concatenate`` when the module is
    left, merged into an existing import of that module when there is one.
    """

    def __init__(self, ctx: FileContext) -> None:
        self._ctx = ctx
        self._added: dict[str, list[str]] = {}  # module -> names, in request order
        self._modules: dict[str, tuple[str, str]] = {}  # module -> (import statement, name)
        self._definitions: dict[str, str] = {}  # key -> helper code, after the imports

    def reference(self, api_path: str) -> cst.BaseExpression:
        module, _, leaf = api_path.rpartition(".")
        existing = self._existing(api_path)
        if existing is not None:
            return existing
        resolver = self._ctx.resolver
        already = self._added.get(module, [])
        if leaf in already or not resolver.is_bound(leaf):
            if leaf not in already:
                self._added.setdefault(module, []).append(leaf)
            return cst.Name(leaf)
        # The short name is taken by something else: spell it through `tf`.
        tf_name = self._tensorflow_alias()
        return cst.parse_expression(f"{tf_name}.keras.{api_path}")

    def _existing(self, api_path: str) -> cst.BaseExpression | None:
        best: tuple[int, str, str] | None = None
        for local, bindings in self._ctx.resolver.bindings.items():
            if not bindings[0].top_level:
                continue
            qualified = bindings[0].qualified
            if qualified == "tensorflow":
                candidate = (0, local, "keras." + api_path)
            else:
                name = classify(qualified)
                if name is None:
                    continue
                home = name.path if not name.legacy else _home_or_none(name.path, self._ctx.target)
                if home is None:
                    continue
                if home == api_path:
                    candidate = (len(home) + 2, local, "")
                elif home == "" or api_path.startswith(home + "."):
                    candidate = (len(home) + 1, local, api_path[len(home) :].lstrip("."))
                else:
                    continue
            if best is None or candidate[0] > best[0]:
                best = candidate
        if best is None:
            return None
        _, local, rest = best
        return cst.parse_expression(f"{local}.{rest}" if rest else local)

    def _tensorflow_alias(self) -> str:
        return self.module("tensorflow", "tf")

    def module(self, name: str, alias: str) -> str:
        """The file's top-level name for a plain module (``tensorflow``, ``numpy``).

        Reuses an existing top-level import of it; otherwise adds ``import name as alias``
        (or ``import name`` when ``alias`` is taken) and returns the name to spell.
        """
        for local, bindings in self._ctx.resolver.bindings.items():
            if bindings[0].top_level and all(b.qualified == name for b in bindings):
                return local
        if name in self._modules:
            return self._modules[name][1]
        spelled = alias if not self._ctx.resolver.is_bound(alias) else name
        statement = f"import {name} as {alias}" if spelled == alias != name else f"import {name}"
        self._modules[name] = (statement, spelled)
        return spelled

    def add_definition(self, name: str, code: str) -> None:
        """Define ``name`` (a function or class in ``code``) once at the top level, e.g. a
        registered activation that rewritten code calls.  It goes after the last top-level
        import before its first use, and is not added when the file already defines it."""
        self._definitions.setdefault(name, code)

    def apply(self, module: cst.Module) -> cst.Module:
        statements: list[Statement] = list(module.body)
        # Two legacy imports can become the same tf.keras import (`import keras` and
        # `import keras.layers` both give `from tensorflow import keras`): keep the first.
        orphans: list[cst.EmptyLine] = []  # comments above a dropped last import: the footer's
        deduplicated = _drop_duplicate_imports(statements, list(self._ctx.module.body), orphans)
        if not self._added and not self._modules and not self._definitions and not deduplicated:
            return module
        new_lines: list[Statement] = [
            cst.parse_statement(statement) for statement, _ in self._modules.values()
        ]
        bound = {spelled for _, spelled in self._modules.values()}
        bound.update(name for names in self._added.values() for name in names)
        at = _import_insertion_index(statements, bound)
        for dotted, names in self._added.items():
            target = "tensorflow.keras" + (f".{dotted}" if dotted else "")
            merged = _merge_into_existing(statements[:at], target, names)
            if merged is not None:
                index, statement = merged
                statements[index] = statement
            else:
                new_lines.append(cst.parse_statement(f"from {target} import {', '.join(names)}"))
        statements[at:at] = new_lines
        placed: set[str] = set()
        for name, code in self._definitions.items():
            if _defines(statements, name):
                continue
            at = _definition_position(statements, name, placed)
            placed.add(name)
            definition = list(cst.parse_module(code).body)
            definition[0] = definition[0].with_changes(
                leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *definition[0].leading_lines]
            )
            statements[at:at] = definition
            following = at + len(definition)
            if following < len(statements):
                statements[following] = _two_blank_lines_before(statements[following])
        self._ctx.edits += 1
        return module.with_changes(body=statements, footer=[*orphans, *module.footer])


def _defines(statements: list[Statement], names: str | AbstractSet[str]) -> bool:
    wanted = {names} if isinstance(names, str) else names
    return any(
        isinstance(s, (cst.FunctionDef, cst.ClassDef)) and s.name.value in wanted for s in statements
    )


def _is_import(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        return any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
    if isinstance(statement, (cst.Try, cst.If)):  # guarded imports
        return bool(find_all(statement, (cst.Import, cst.ImportFrom)))
    return False


def _definition_position(statements: list[Statement], name: str, placed: AbstractSet[str] = frozenset()) -> int:
    """After the last top-level import (or definition of this pass, ``placed``, so that helpers
    keep the order they were asked in) that precedes the first use of ``name``."""
    first_use = next(
        (i for i, s in enumerate(statements) if any(n.value == name for n in find_all(s, cst.Name))), len(statements)
    )
    position = 0
    for index, statement in enumerate(statements[:first_use]):
        if _is_import(statement) or (placed and _defines([statement], placed)):
            position = index + 1
        elif index == 0 and m.matches(statement, m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])):
            position = 1
    return position


def _two_blank_lines_before(statement: Statement) -> Statement:
    lines = list(statement.leading_lines)
    blanks = 0
    for line in lines:
        if line.comment is not None:
            break
        blanks += 1
    if blanks >= 2:
        return statement
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * (2 - blanks) + lines)


def _home_or_none(legacy_path: str, target: str) -> str | None:
    return keras_api.legacy_home(legacy_path, target).path


def _merge_into_existing(statements: list[Statement], target: str, names: list[str]
                         ) -> tuple[int, cst.SimpleStatementLine] | None:  # fmt: skip
    """``from target import names`` merged into an existing import of ``target`` among
    ``statements`` (those before the insertion point): its index and new statement."""
    for index, statement in enumerate(statements):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small_index, small in enumerate(statement.body):
            if (
                isinstance(small, cst.ImportFrom)
                and not isinstance(small.names, cst.ImportStar)
                and small.module is not None
                and not small.relative
                and cst.helpers.get_full_name_for_node(small.module) == target
            ):
                present = {a.evaluated_alias or a.evaluated_name for a in small.names}
                extra = [cst.ImportAlias(name=cst.Name(n)) for n in names if n not in present]
                aliases = list(small.names)
                if extra:
                    last = aliases[-1]
                    if last.comma is cst.MaybeSentinel.DEFAULT or last.comma is None:
                        aliases[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                    aliases += extra
                body = list(statement.body)
                body[small_index] = small.with_changes(names=aliases)
                return index, statement.with_changes(body=body)
    return None


def _import_insertion_index(statements: list[Statement], names: AbstractSet[str] = frozenset()) -> int:
    """Where new imports go: after the last import of the file's leading block.

    The leading block runs from the top to the first compound statement that is not a
    guarded import.  Simple statements between its imports stay before the new imports,
    since they may have to run first (``matplotlib.use('Agg')`` before pyplot is imported,
    ``sys.path.insert(...)``, ``np.random.seed(...)``) -- unless one of them uses a name the
    new imports bind: then the imports go after the last import before that statement.
    """
    ends = [0]  # candidate positions: the top (after a docstring) and after each import
    between: list[int] = []  # simple non-import statements in the leading block
    for position, statement in enumerate(statements):
        if _is_import(statement) and (isinstance(statement, cst.SimpleStatementLine) or _is_guarded_import(statement)):
            ends.append(position + 1)
        elif position == 0 and m.matches(statement, m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])):
            ends = [1]
        elif isinstance(statement, cst.SimpleStatementLine):
            between.append(position)
        else:
            break
    at = ends[-1]
    if names:
        first_use = next((p for p in between if p < at and _uses_any(statements[p], names)), None)
        if first_use is not None:
            at = max(end for end in ends if end <= first_use)
    return at


def _is_guarded_import(statement: cst.CSTNode) -> bool:
    """``try: import x`` / ``if ...: import x`` whose bodies hold nothing but imports."""
    if not isinstance(statement, (cst.Try, cst.If)):
        return False
    blocks = [statement.body]
    if isinstance(statement, cst.Try):
        blocks += [handler.body for handler in statement.handlers]
    elif statement.orelse is not None:
        blocks.append(statement.orelse.body)
    return all(
        isinstance(s, cst.SimpleStatementLine)
        and all(isinstance(small, (cst.Import, cst.ImportFrom, cst.Pass)) for small in s.body)
        for block in blocks
        if isinstance(block, cst.IndentedBlock)
        for s in block.body
    )


def _uses_any(statement: cst.CSTNode, names: AbstractSet[str]) -> bool:
    return any(n.value in names for n in find_all(statement, cst.Name))


def _import_bindings(statement: cst.CSTNode) -> list[tuple[str, str]] | None:
    """(local name, what it is bound to) for each name a top-level import statement binds;
    None for any other statement."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return [
            (a.evaluated_alias or a.evaluated_name.partition(".")[0], a.evaluated_name)
            for a in small.names
        ]  # fmt: skip
    if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None \
            and not isinstance(small.names, cst.ImportStar):
        module = cst.helpers.get_full_name_for_node(small.module)
        return [(a.evaluated_alias or a.evaluated_name, f"{module}.{a.evaluated_name}") for a in small.names]
    return None


def _duplicate_imports(statements: list[Statement]) -> list[int]:
    """Top-level import statements that only rebind names to what they were bound to by an
    import above, with no other binding of those names in between."""
    imports = [_import_bindings(statement) for statement in statements]
    seen: dict[str, str] = {}
    candidates = False
    for bindings in imports:  # cheap first: does any import repeat an earlier one at all?
        if bindings is not None:
            candidates = candidates or all(seen.get(local) == target for local, target in bindings)
            seen.update(bindings)
    if not candidates:
        return []
    bound: dict[str, str] = {}
    duplicates = []
    for index, statement in enumerate(statements):
        bindings = imports[index]
        if bindings is None:
            for name in _names_bound(statement):
                bound.pop(name, None)
            continue
        if all(bound.get(local) == target for local, target in bindings):
            duplicates.append(index)
        bound.update(bindings)
    return duplicates


def _names_bound(statement: cst.CSTNode) -> set[str]:
    targets = find_all(
        statement,
        (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.AsName, cst.FunctionDef,
         cst.ClassDef, cst.Global, cst.NamedExpr, cst.ImportAlias),
    )
    names: set[str] = set()
    for target in targets:
        node = getattr(target, "target", None) or getattr(target, "name", None)
        if isinstance(node, cst.Name):
            names.add(node.value)
        elif isinstance(target, cst.ImportAlias):
            names.add(target.evaluated_alias or target.evaluated_name.partition(".")[0])
        else:
            names.update(n.value for n in find_all(target, cst.Name))
    return names


def _drop_duplicate_imports(statements: list[Statement], original: list[Statement], orphans: list[cst.EmptyLine]) -> bool:
    """Remove import statements the rewrite made duplicates of an import above (a duplicate
    the file already had is the author's and stays)."""
    duplicates = _duplicate_imports(statements)
    if not duplicates:
        return False
    code = cst.Module(body=[]).code_for_node
    already = {code(original[i]).strip() for i in _duplicate_imports(original)}
    drop = [i for i in duplicates if code(statements[i]).strip() not in already]
    for index in reversed(drop):
        removed = statements.pop(index)
        if index < len(statements) and removed.leading_lines:
            # Keep the comments and blank lines that stood above the removed import.
            following = statements[index]
            statements[index] = following.with_changes(leading_lines=[*removed.leading_lines, *following.leading_lines])
        elif any(line.comment is not None for line in removed.leading_lines):
            orphans[:0] = removed.leading_lines  # the last statement: its comments end the file
    return bool(drop)
