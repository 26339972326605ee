"""The import family's shared part: rule entries, the residual-import record, statement helpers
(``ImportsBase``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Mapping

import libcst as cst

from kmigrate import keras_api
from kmigrate.context import FileContext
from kmigrate.names import KerasName, classify
from kmigrate.nodes import LeaveResult
from kmigrate.removal import CommentKeeper
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.imports.catalog import RULES
from kmigrate.walk import walk

# Which rule moves `import X` / `from keras import X` when X is a module of a family that
# has a rule of its own; simple modules are covered by KM101/KM102.
_SPECIFIC_FAMILIES = {"KM104", "KM106", "KM107", "KM108", "KM109", "KM110", "KM111", "KM114",
                      "KM115", "KM116", "KM117"}  # fmt: skip
_DEAD_BACKENDS = ("theano", "cntk")


@dataclass
class _Residual:
    """A legacy import kept because its names have no home: marked, or removed if unused."""

    statement: cst.SimpleStatementLine | None  # the rebuilt statement, once there is one
    locals: tuple[str, ...]
    rule: str
    message: str
    anchor: cst.CSTNode
    # Dropped when uses that existed were all rewritten by the family that claims the name.
    removable: bool = True


@dataclass
class ImportsBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({"legacy.interfaces"})  # decorators, below

    _residuals: list[_Residual] = field(default_factory=list)
    _inner_attributes: set[int] = field(default_factory=set)
    _not_uses: set[int] = field(default_factory=set)  # Name nodes that are not name uses (x.attr, f(kw=))
    _star_module_names: set[str] = field(default_factory=set)  # KM120: reported once per name

    # -- provided by the concerns ImportFixer is composed of (declared for sibling calls) -------
    def _claimed(self, module_path: str, name: str) -> bool:
        raise NotImplementedError  # statements.py
    def _name_rule(self, source: KerasName, home: keras_api.Home) -> str:
        raise NotImplementedError  # uses.py
    def _homeless_attributes(self, legacy_module: str, local: str) -> list[str]:
        raise NotImplementedError  # uses.py


def _is_backend_call(ctx: FileContext, call: cst.Call) -> bool:
    api = ctx.api(call.func)
    return api is not None and api.path == "backend.backend"


class _Replace(CommentKeeper, cst.CSTTransformer):
    def __init__(self, replacements: Mapping[int, LeaveResult]) -> None:
        cst.CSTTransformer.__init__(self)
        CommentKeeper.__init__(self)
        self._replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        return not isinstance(node, cst.BaseExpression)

    # A statement may become its marked copy or be removed, which LibCST's typing of on_leave
    # (the node's own type) does not express.
    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> LeaveResult:  # type: ignore[override]
        return self.keep(original_node, self._replacements.get(id(original_node), updated_node))


class _NameUses(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def _has_dunder_all(module: cst.Module) -> bool:
    """A module that declares ``__all__`` may re-export an import nobody uses locally."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                    targets = small.targets if isinstance(small, cst.Assign) else [small]
                    for target in targets:
                        if isinstance(target.target, cst.Name) and target.target.value == "__all__":
                            return True
    return False


def _used_names(module: cst.Module) -> set[str]:
    visitor = _NameUses()
    walk(module, visitor)
    return visitor.names


# -- building import statements ---------------------------------------------------------------


def _tf_module(home_module: str) -> str:
    return "tensorflow.keras" + (f".{home_module}" if home_module else "")


def _split_module(home_module: str) -> tuple[str, str]:
    """``preprocessing.image`` -> (``tensorflow.keras.preprocessing``, ``image``)."""
    if not home_module:
        return "tensorflow", "keras"
    parent, _, leaf = home_module.rpartition(".")
    return _tf_module(parent), leaf


def _dotted(name: str) -> cst.Attribute | cst.Name:
    expression = cst.parse_expression(name)
    if not isinstance(expression, (cst.Attribute, cst.Name)):
        raise ValueError(f"not a dotted name: {name!r}")
    return expression


def _from_import(module: str, name: str, local: str | None) -> cst.ImportFrom:
    asname = cst.AsName(name=cst.Name(local)) if local and local != name else None
    return cst.ImportFrom(module=_dotted(module), names=[cst.ImportAlias(cst.Name(name), asname=asname)])


def _module_import(home_module: str, local: str) -> cst.ImportFrom:
    module, leaf = _split_module(home_module)
    return _from_import(module, leaf, local)


def _render(statement: cst.BaseSmallStatement) -> str:
    return cst.Module(body=[cst.SimpleStatementLine(body=[statement])]).code.strip()


def _fix_commas(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    if not aliases:
        return aliases
    fixed = list(aliases)
    fixed[-1] = fixed[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return fixed


def _rebuild_from(node: cst.ImportFrom, module: str, aliases: list[cst.ImportAlias]) -> cst.ImportFrom:
    """``node`` importing ``aliases`` from ``module``; each alias keeps its own comments."""
    if node.rpar is None:  # no parentheses: a trailing comma would not parse
        aliases = _fix_commas(aliases)
    elif aliases and not isinstance(node.names, cst.ImportStar) and aliases[-1] is not node.names[-1]:
        aliases = [*aliases[:-1], _closing_like(aliases[-1], node.names[-1])]
    return node.with_changes(module=_dotted(module), names=aliases)


def _closing_like(alias: cst.ImportAlias, original_last: cst.ImportAlias) -> cst.ImportAlias:
    """Give a new last alias the line break before ``)`` that the original last one had."""
    own, last = alias.comma, original_last.comma
    if not isinstance(last, cst.Comma):
        return alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    if isinstance(own, cst.Comma) and isinstance(own.whitespace_after, cst.ParenthesizedWhitespace) \
            and isinstance(last.whitespace_after, cst.ParenthesizedWhitespace):
        closing = own.whitespace_after.with_changes(
            indent=last.whitespace_after.indent, last_line=last.whitespace_after.last_line
        )
        return alias.with_changes(comma=own.with_changes(whitespace_after=closing))
    return alias.with_changes(comma=last)


def _fix_semicolons(body: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    fixed = list(body)
    for index, statement in enumerate(fixed):
        last = index == len(fixed) - 1
        if last:
            fixed[index] = statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        elif statement.semicolon is cst.MaybeSentinel.DEFAULT:
            fixed[index] = statement.with_changes(
                semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))
            )
    return fixed


def _respell(node: cst.Attribute, home_path: str, ctx: FileContext) -> str | None:
    """Spell ``home_path`` through the same local name the dotted use starts from."""
    head: cst.BaseExpression = node
    while isinstance(head, cst.Attribute):
        head = head.value
    if not isinstance(head, cst.Name):
        return None
    bindings = ctx.resolver.bindings.get(head.value)
    if not bindings:
        return None
    qualified = bindings[0].qualified
    if qualified in ("tensorflow", "tensorflow.compat.v1", "tensorflow.compat.v2"):
        return f"{head.value}.keras.{home_path}"
    bound = classify(qualified)
    if bound is None:
        return None
    if bound.legacy:
        base = keras_api.legacy_home(bound.path, ctx.target)
        if base.path is None or not base.is_module:
            return None
        base_path = base.path
    else:
        base_path = bound.path
    if base_path == "":
        return f"{head.value}.{home_path}"
    if home_path == base_path:
        return head.value
    if home_path.startswith(base_path + "."):
        return f"{head.value}.{home_path[len(base_path) + 1:]}"
    return None
