"""What a name in the file refers to, resolved through its imports and aliases.

Resolution is table-based: one cheap statement-level pass collects every import binding
and every other binding of the same names.  Only when a Keras-bound name is also bound some
other way (a parameter ``K``, a local ``Dense`` class) is LibCST's ScopeProvider computed,
because that is the one case where the table alone could be wrong, and ScopeProvider costs
about three LibCST parses.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ImportAssignment, MetadataWrapper, Scope, ScopeProvider

from kmigrate import keras_api
from kmigrate.walk import walk

_BUILTINS = frozenset(dir(builtins))

# Packages whose names are legacy Keras, as the prefix of their keras-relative path.
LEGACY_ROOTS: dict[str, str] = {
    "keras": "",
    "tensorflow.python.keras": "",  # TF's frozen private Keras 2 copy (catalog A18)
    "tensorflow.contrib.keras.api.keras": "",
    "tensorflow.contrib.keras": "",
    "keras_preprocessing": "preprocessing",
    "keras_applications": "applications",
}
# Packages whose names are already tf.keras (still subject to the Keras 2 -> 3 rules).
MODERN_ROOTS: dict[str, str] = {
    "tensorflow.keras": "",
    "tf_keras": "",
}


@dataclass(frozen=True)
class KerasName:
    """A dotted name inside some Keras namespace.

    ``path`` is relative to the package root, e.g. ``layers.convolutional.Conv2D`` for
    ``keras.layers.convolutional.Conv2D``; ``legacy`` tells standalone Keras from tf.keras.
    """

    path: str
    legacy: bool
    qualified: str  # the fully qualified name as written, e.g. "keras.layers.core.Dense"


@lru_cache(maxsize=8192)
def classify(qualified: str) -> KerasName | None:
    """Map a fully qualified name to the Keras namespace it lives in, if any."""
    for roots, legacy in ((MODERN_ROOTS, False), (LEGACY_ROOTS, True)):
        for root, prefix in roots.items():
            if qualified == root or qualified.startswith(root + "."):
                rest = qualified[len(root) + 1 :]
                path = ".".join(p for p in (prefix, rest) if p)
                return KerasName(path, legacy, qualified)
    return None


@dataclass(frozen=True)
class Api:
    """A name resolved to the Keras API it denotes (``FileContext.api``).

    ``path`` is where it lives in tf.keras (``layers.Conv2D``) whether the code spells it
    ``keras.layers.convolutional.Conv2D`` or ``tf.keras.layers.Conv2D``; for a legacy name
    with no tf.keras home it is the name under its family (``layers.Merge``).
    """

    path: str
    legacy: bool
    name: KerasName

    @property
    def leaf(self) -> str:
        return self.path.rpartition(".")[2]


@dataclass(frozen=True)
class Binding:
    """A local name bound by an import: ``local`` refers to ``qualified``."""

    local: str
    qualified: str
    node: cst.CSTNode  # the Import/ImportFrom statement that binds it
    top_level: bool  # bound at module level, so visible everywhere in the file


class BindingCollector(cst.CSTVisitor):
    """One pass over statements (not expressions): import bindings and other bindings."""

    def __init__(self) -> None:
        self.imports: dict[str, list[Binding]] = {}
        self.star_modules: list[tuple[str, cst.ImportFrom]] = []
        self.other_bindings: set[str] = set()
        self._depth = 0  # function/class nesting

    # Expressions never bind module-level names that matter here; skipping them keeps the
    # pass at a fraction of a full traversal.
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        for small in node.body:
            if isinstance(small, cst.Import):
                self._import(small)
            elif isinstance(small, cst.ImportFrom):
                self._import_from(small)
            elif isinstance(small, cst.Assign):
                for target in small.targets:
                    self._targets(target.target)
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                self._targets(small.target)
            elif isinstance(small, (cst.Global, cst.Nonlocal)):
                self.other_bindings.update(n.name.value for n in small.names)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1
        self.other_bindings.add(node.name.value)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self.other_bindings.add(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.other_bindings.add(star.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._depth += 1
        self.other_bindings.add(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._depth -= 1

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._targets(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._targets(node.name.name)

    # Do not descend into expressions hanging off compound statements.
    def visit_Parameters(self, node: cst.Parameters) -> bool:
        return False

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        return False

    def _targets(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.other_bindings.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._targets(element.value)
        elif isinstance(target, cst.StarredElement):
            self._targets(target.value)

    def _import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):  # always, in `import`
                self._bind(alias.asname.name.value, dotted, node)
            else:
                head = dotted.split(".")[0]
                # `import keras.layers.core` binds `keras`, but uses will spell the full path.
                self._bind(head, head, node)

    def _import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            if isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                self.other_bindings.add(alias.evaluated_alias or alias.evaluated_name)
            return
        module = get_full_name_for_node(node.module) or ""
        if isinstance(node.names, cst.ImportStar):
            self.star_modules.append((module, node))
            return
        for alias in node.names:
            local = alias.evaluated_alias or alias.evaluated_name
            self._bind(local, f"{module}.{alias.evaluated_name}", node)

    def _bind(self, local: str, qualified: str, node: cst.CSTNode) -> None:
        self.imports.setdefault(local, []).append(Binding(local, qualified, node, self._depth == 0))


class NameResolver:
    """Answers "what does this expression refer to?" for Names and attribute chains."""

    def __init__(self, module: cst.Module, collector: BindingCollector, rewritten: frozenset[str] = frozenset()) -> None:
        self._module = module
        self._rewritten = rewritten  # legacy paths without a tf.keras home that rules rewrite
        self._imports = collector.imports
        self._stars = [m for m, _ in collector.star_modules if classify(m) is not None]
        self._all_stars = [m for m, _ in collector.star_modules]
        # A name bound by an import and also some other way needs real scope analysis.
        self._ambiguous = {
            name
            for name, bindings in collector.imports.items()
            if name in collector.other_bindings
            or len({b.qualified for b in bindings}) > 1
            and not _same_keras_object(b.qualified for b in bindings)
        }
        self._other = collector.other_bindings
        # A name imported more than once, only at module level and bound no other way, means the
        # same at every use: what all its imports agree on (`try: import cPickle as pickle /
        # except ImportError: import pickle`: nothing). Scope analysis would say the same, at
        # the cost of three parses.
        self._module_level = {
            name: _agreed(collector.imports[name])
            for name in self._ambiguous
            if name not in self._other and all(b.top_level for b in collector.imports[name])
        }
        # Rules ask about the same nodes again and again (twenty fixers look at each call's
        # callee): id(node) -> (node, its qualified name), the node kept so its id stays its own.
        self._qualified: dict[int, tuple[cst.BaseExpression, str | None]] = {}
        # Set by the file context when a project index is known: maps a name imported from a
        # project module to the Keras name that module re-exports, if any.
        self.reexports: Callable[[str], str | None] | None = None
        self._scopes: Mapping[cst.CSTNode, Scope | None] | None = None

    @classmethod
    def for_module(cls, module: cst.Module, rewritten: frozenset[str] = frozenset()) -> "NameResolver":
        collector = BindingCollector()
        walk(module, collector, code_only=True)  # read-only: nothing rebuilt
        return cls(module, collector, rewritten)

    @property
    def bindings(self) -> Mapping[str, list[Binding]]:
        return self._imports

    @property
    def star_modules(self) -> list[str]:
        """Keras modules imported with ``*``."""
        return self._stars

    @property
    def all_star_modules(self) -> list[str]:
        """Every absolute module imported with ``*`` (the project's own among them)."""
        return self._all_stars

    def only_imported_at_top_level(self, name: str) -> bool:
        """``name`` is bound by module-level imports and nothing else in the file."""
        bindings = self._imports.get(name)
        return bindings is not None and bool(bindings) and name not in self._other \
            and all(b.top_level for b in bindings)

    def is_bound(self, name: str) -> bool:
        return name in self._imports or name in self._other

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """The fully qualified dotted name of ``node`` (Name or Attribute chain), if imported."""
        known = self._qualified.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        qualified = self._qualified_name(node)
        self._qualified[id(node)] = (node, qualified)
        return qualified

    def _qualified_name(self, node: cst.BaseExpression) -> str | None:
        parts: list[str] = []
        while type(node) is cst.Attribute:  # (isinstance goes through ABCMeta: this is hot)
            parts.append(node.attr.value)
            node = node.value
        if type(node) is not cst.Name:
            return None
        head = self._head(node)
        if head is None:
            return None
        return ".".join([head, *reversed(parts)])

    def keras_name(self, node: cst.BaseExpression) -> KerasName | None:
        qualified = self.qualified_name(node)
        return classify(qualified) if qualified else None

    def _head(self, name: cst.Name) -> str | None:
        value = name.value
        bindings = self._imports.get(value)
        if bindings is None:
            if value in self._other or value in _BUILTINS:
                return None
            if self.reexports is not None:
                # `from model import *` where the project's model.py imports Keras names.
                for module in reversed(self._all_stars):
                    if classify(module) is None:
                        found = self.reexports(f"{module}.{value}")
                        if found is not None:
                            return found
            if not self._stars:
                return None
            # `from keras.layers import *`: an otherwise unbound name may come from one of
            # them; the last star import that has it wins, as at run time.
            for module in reversed(self._stars):
                if star_exports(module, value, self._rewritten):
                    return f"{module}.{value}"
            return None
        if value not in self._ambiguous:
            qualified = bindings[0].qualified
            if self.reexports is not None and classify(qualified) is None:
                return self.reexports(qualified) or qualified  # `from model import Dense`
            return qualified
        if value in self._module_level:
            return self._module_level[value]
        return self._head_by_scope(name, bindings)

    def _head_by_scope(self, name: cst.Name, bindings: list[Binding]) -> str | None:
        if self._scopes is None:
            wrapper = MetadataWrapper(self._module, unsafe_skip_copy=True)
            self._scopes = wrapper.resolve(ScopeProvider)
        scope = self._scopes.get(name)
        if scope is None:
            return None
        assignments = list(scope[name.value])
        imports = [a for a in assignments if isinstance(a, ImportAssignment)]
        if not assignments or len(imports) < len(assignments):
            return None
        by_node = {id(b.node): b for b in bindings}
        found = {by_node[id(a.node)].qualified for a in imports if id(a.node) in by_node}
        if len(found) == 1 or _same_keras_object(found):
            return sorted(found)[0]
        return None


def star_exports(module: str, name: str, rewritten: frozenset[str] = frozenset()) -> bool:
    """Would ``from <module> import *`` (a Keras module) bind ``name``?

    ``rewritten``: legacy paths that some rule family rewrites although tf.keras lacks them
    (``layers.Merge``, ``layers.Highway``); the registry knows them and the pipeline passes
    them down, so this layer never imports the rules."""
    found = classify(f"{module}.{name}")
    if found is None:
        return False
    if found.legacy:
        return keras_api.legacy_home(found.path, "tf.keras").path is not None or _known_homeless(found.path, rewritten)
    return keras_api.exists(found.path, "tf.keras")


def _known_homeless(path: str, rewritten: frozenset[str]) -> bool:
    leaf = path.rpartition(".")[2]
    return any(handled.rpartition(".")[2] == leaf for handled in rewritten)


def _agreed(bindings: list[Binding]) -> str | None:
    """What several imports of one name agree it is, if they agree."""
    found = {b.qualified for b in bindings}
    if len(found) == 1 or _same_keras_object(found):
        return sorted(found)[0]
    return None


def _same_keras_object(qualified_names: Iterable[str]) -> bool:
    """`try: from keras.layers import Dense except: from tensorflow.keras.layers import Dense`."""
    leaves = set()
    for qualified in qualified_names:
        name = classify(qualified)
        if name is None:
            return False
        leaves.add(name.path.rsplit(".", 1)[-1])
    return len(leaves) == 1
