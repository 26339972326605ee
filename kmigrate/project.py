"""The project index: a cheap first pass over the whole tree with the standard ``ast``.

Per module it keeps what other files need to know about it: its classes (bases, methods),
what its functions return, what its module-level names are bound to, and what it imports or
re-exports, as small symbolic references resolved on demand.  Files then ask it what a name
imported from the project is (``from model import build_model`` -> a function returning a
Keras model), and the receiver policy asks which method names any project class defines.

The index holds no syntax trees (a summary per file, picklable, shipped once to each
worker), and it is built the same way whether kmigrate was given a whole tree, one file, or
stdin: from the project root that contains the files (the nearest folder up with
``pyproject.toml``, ``setup.py``, ``setup.cfg`` or ``.git``, else the file's own folder).
"""

from __future__ import annotations

import ast
import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal, Union

from kmigrate import keras_api
from kmigrate.discovery import discover
from kmigrate.documents import PYTHON_SUFFIXES
from kmigrate.index_cache import Entry, IndexCache
from kmigrate.kinds import METHOD_RESULTS, Kind, combine, kind_of_api_call, kind_of_base
from kmigrate.names import LEGACY_ROOTS, MODERN_ROOTS, classify, star_exports

ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
# Beyond this many Python files a folder is not one project (a home directory, a monorepo
# checkout given by mistake): index only the files' own folders then.
MAX_INDEXED_FILES = 20000

# A symbolic reference to what an expression evaluates to, resolved on lookup:
#   ("kind", Kind)               known already (a Keras constructor call, a literal)
#   ("name", local)              the value of a module-level name of that module
#   ("call", local)              the result of calling it
#   ("method", ref, method)      the result of calling a method on it
#   ("called", ref)              the result of calling the object itself (a layer on a tensor)
Ref = Union[
    tuple[Literal["kind"], Kind],
    tuple[Literal["name", "call"], str],
    tuple[Literal["called"], "Ref"],
    tuple[Literal["method"], "Ref", str],
]


@dataclass
class ClassSummary:
    bases: list[Ref]
    methods: frozenset[str]


@dataclass(frozen=True)
class FunctionUse:
    """What a top-level function of a Keras module does with models, for rules that follow a
    model from one module to another (the GAN freeze, KM623): whether it returns a model it
    compiled, which parameters it trains (fit, fit_generator, train_on_batch) or freezes
    (``.trainable = False``), and whether it sets ``.trainable`` to anything else (it toggles)."""

    params: tuple[str, ...]
    returns_compiled: bool = False
    trains: frozenset[str] = frozenset()
    freezes: frozenset[str] = frozenset()
    toggles: bool = False


@dataclass
class ModuleSummary:
    path: str
    mentions_keras: bool = False  # the file's bytes contain "keras"
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local -> (module, name or "")
    stars: list[str] = field(default_factory=list)  # absolute module names
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    functions: dict[str, tuple[Ref, ...]] = field(default_factory=dict)  # returns
    values: dict[str, list[Ref]] = field(default_factory=dict)
    uses: dict[str, FunctionUse] = field(default_factory=dict)  # functions that do any of it


class ProjectIndex:
    """What each module of one project defines, and lookups across modules."""

    def __init__(self, root: Path, modules: dict[str, ModuleSummary]) -> None:
        self.root = root
        self.modules = modules  # by absolute file path
        # A copy of Keras kept in the tree (`<root>/keras/engine/training.py`) defines Keras's own
        # methods: they are not methods of the project's classes.
        self.method_names = frozenset(
            name for path, summary in modules.items() if not _vendored_keras(root, path)
            for cls in summary.classes.values() for name in cls.methods
        )
        self.top_level_names = frozenset(_top_level_names(root, modules))
        self._memo: dict[tuple[str, str, bool], Kind | None] = {}
        self._active: set[tuple[str, str, bool]] = set()
        self._involves_keras: dict[str, bool] = {}

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_memo"], state["_active"] = {}, set()
        return state

    def settle_involvement(self) -> None:
        """Answer ``involves_keras`` for every module now, before the workers are forked: a
        worker then reads one shared bool per file instead of walking module summaries, whose
        reference counts it would write to, copying page after page of the shared index."""
        for path in self.modules:
            self.involves_keras(path)

    def involves_keras(self, path: str, data: bytes | None = None) -> bool:
        """The file, or a project module it imports (transitively), mentions Keras: a file
        that says nothing of Keras may still get its model from ``from model import *``.
        ``data``: the file's bytes, for a file the index does not have (stdin)."""
        key = os.path.abspath(path)
        if key in self._involves_keras:
            return self._involves_keras[key]
        if key not in self.modules and data is not None:
            try:
                summary = summarize(ast.parse(data), key, b"keras" in data)
            except (SyntaxError, ValueError):
                return False
            return summary.mentions_keras or any(
                dependency is not None and self.involves_keras(dependency)
                for dependency in self._dependencies(summary)
            )
        self._involves_keras[key] = False  # cycles: assume not while this one is open
        indexed = self.modules.get(key)
        found = False
        if indexed is not None:
            found = indexed.mentions_keras or any(
                dependency is not None and self.involves_keras(dependency)
                for dependency in self._dependencies(indexed)
            )
        self._involves_keras[key] = found
        return found

    def _dependencies(self, summary: ModuleSummary) -> Iterable[str | None]:
        for module, name in summary.imports.values():
            if module.startswith("."):
                level = len(module) - len(module.lstrip("."))
                base = Path(summary.path).parent
                for _ in range(level - 1):
                    base = base.parent
                rest = module.lstrip(".")
                folder = base.joinpath(*rest.split(".")) if rest else base
                yield _module_file(folder, self.modules)
                if not rest and name:
                    yield _module_file(base / name, self.modules)
            else:
                yield self._find(module, summary.path)
                if name:
                    yield self._find(f"{module}.{name}", summary.path)
        for star in summary.stars:
            yield self._find(star, summary.path)

    # -- building ------------------------------------------------------------------------
    @classmethod
    def build(
        cls, root: Path, files: Iterable[str] | None = None, jobs: int = 1, cached: bool = False,
    ) -> "ProjectIndex":  # fmt: skip
        """Summarize every Python file under ``root`` (or ``files``); with ``jobs`` > 1 a large
        tree is summarized by that many forked processes. ``cached``: take the summaries of
        files unchanged since the last run from the cache (``kmigrate.index_cache``)."""
        root = root.resolve()
        found = files if files is not None else discover([str(root)])
        # Python modules only: discovery also yields notebooks and dependency files.
        paths = list(islice((path for path in found if path.endswith(PYTHON_SUFFIXES)), MAX_INDEXED_FILES))
        if cached:
            return cls(root, _cached_summaries(root, paths, jobs))
        modules = {}
        for summary in _summaries(paths, jobs):
            if summary is not None:
                modules[summary.path] = summary
        return cls(root, modules)

    # -- questions from the files --------------------------------------------------------
    def owns_module(self, top_level: str) -> bool:
        """``top_level`` (``keras_frcnn``) is a module or package of this project."""
        return top_level in self.top_level_names

    def lookup_qualified(self, qualified: str, importer: str | None, called: bool) -> Kind | None:
        """The kind of ``a.b.name`` imported by the file ``importer``, if ``a.b`` is a project
        module (``called``: the kind of calling it).  None when not the project's."""
        module, _, name = qualified.rpartition(".")
        while module:
            path = self._find(module, importer)
            if path is not None:
                return self._resolve(path, name, called)
            module, _, _ = module.rpartition(".")  # `import pkg` then `pkg.sub.f`: not followed
        return None

    def reexported_keras_name(
        self, qualified: str, importer: str | None, depth: int = 0, rewritten: frozenset[str] = frozenset(),
    ) -> str | None:  # fmt: skip
        """``model.Dense`` where the project's ``model.py`` has ``from keras.layers import Dense``
        (or ``*``): the Keras name it re-exports, so the importing file resolves it as Keras.
        ``rewritten``: legacy paths rules rewrite although tf.keras lacks them (``names.star_exports``)."""
        module, _, name = qualified.rpartition(".")
        path = self._find(module, importer) if module and depth < 8 else None
        if path is None:
            return None
        summary = self.modules[path]
        if name in summary.imports:
            source, imported = summary.imports[name]
            if source.startswith("."):
                return None  # relative chains: the file's own kinds follow those
            target = f"{source}.{imported}" if imported else source
            if classify(target) is not None:
                return target
            return self.reexported_keras_name(target, path, depth + 1, rewritten)
        if name in summary.classes or name in summary.functions or name in summary.values:
            return None
        for star in reversed(summary.stars):
            if classify(star) is not None:
                if star_exports(star, name, rewritten):
                    return f"{star}.{name}"
            else:
                found = self.reexported_keras_name(f"{star}.{name}", path, depth + 1, rewritten)
                if found is not None:
                    return found
        return None

    def function_use(self, qualified: str, importer: str | None, level: int = 0) -> FunctionUse | None:
        """What the project function ``a.b.name`` (imported by the file ``importer``; ``level``
        dots before ``a.b`` for a relative import) does with models, when it does any of what
        ``FunctionUse`` records."""
        module, _, name = qualified.rpartition(".")
        if level and importer is not None:
            base = Path(os.path.abspath(importer)).parent
            for _ in range(level - 1):
                base = base.parent
            path = _module_file(base.joinpath(*module.split(".")) if module else base, self.modules)
        else:
            path = self._find(module, importer) if module else None
        return self.modules[path].uses.get(name) if path is not None else None

    def lookup_relative(self, importer: str | None, level: int, module: str, name: str, called: bool) -> Kind | None:
        if importer is None:
            return None
        base = Path(os.path.abspath(importer)).parent
        for _ in range(level - 1):
            base = base.parent
        folder = base.joinpath(*module.split(".")) if module else base
        path = _module_file(folder, self.modules)
        if path is not None:
            return self._resolve(path, name, called)
        if module:
            return None
        sub = _module_file(base / name, self.modules)  # `from . import nets`
        return Kind.PROJECT if sub is not None and not called else None

    def _find(self, dotted: str, importer: str | None) -> str | None:
        parts = dotted.split(".")
        folders = [Path(os.path.abspath(importer)).parent] if importer else []
        folders += [self.root, self.root / "src"]
        for folder in folders:
            path = _module_file(folder.joinpath(*parts), self.modules)
            if path is not None:
                return path
        return None

    def _resolve(self, path: str, name: str, called: bool) -> Kind | None:
        key = (path, name, called)
        if key in self._memo:
            return self._memo[key]
        if key in self._active or len(self._active) > 16:
            return Kind.UNKNOWN
        self._active.add(key)
        try:
            kind = self._evaluate_name(self.modules[path], name, called)
        finally:
            self._active.discard(key)
        self._memo[key] = kind
        return kind

    def _evaluate_name(self, summary: ModuleSummary, name: str, called: bool) -> Kind | None:
        if name in summary.classes:
            instance = self._instance_kind(summary, summary.classes[name])
            if called:
                return instance
            return Kind.KERAS if instance.is_keras else Kind.PROJECT
        if name in summary.functions:
            if not called:
                return Kind.FOREIGN
            returns = summary.functions[name]
            return combine([self._ref(summary, r) for r in returns]) if returns else Kind.FOREIGN
        if name in summary.values:
            kind = combine([self._ref(summary, r) for r in summary.values[name]])
            return _called(kind) if called else kind
        if name in summary.imports:
            return self._imported(summary, name, called)
        for star in summary.stars:
            path = self._find(star, summary.path)
            if path is not None:
                found = self._resolve(path, name, called)
                if found is not None:
                    return found
            elif classify(star) is not None:
                return None  # could be Keras's own name: the file's own resolution decides
        return None

    def _imported(self, summary: ModuleSummary, local: str, called: bool) -> Kind | None:
        module, name = summary.imports[local]
        qualified = f"{module}.{name}" if name else module
        keras_name = classify(qualified)
        if keras_name is not None:
            if not called:
                return Kind.KERAS
            return kind_of_api_call(keras_api.modern_path(keras_name, "tf.keras"))
        if module.startswith("."):
            level = len(module) - len(module.lstrip("."))
            return self.lookup_relative(summary.path, level, module.lstrip("."), name, called) if name else None
        found = self.lookup_qualified(qualified, summary.path, called) if name else None
        return found if found is not None else Kind.FOREIGN

    def _ref(self, summary: ModuleSummary, ref: Ref) -> Kind:
        if ref[0] == "kind":
            return ref[1]
        if ref[0] == "name" or ref[0] == "call":
            tag, dotted = ref
            head, _, rest = dotted.partition(".")
            if rest:  # np.zeros(...), keras.models.Sequential(...) through a module import
                if head in summary.imports:
                    module, name = summary.imports[head]
                    qualified = ".".join(p for p in (module, name, rest) if p)
                    keras_name = classify(qualified)
                    if keras_name is not None:
                        return kind_of_api_call(keras_api.modern_path(keras_name, "tf.keras")) \
                            if tag == "call" else Kind.KERAS
                    found = self.lookup_qualified(qualified, summary.path, tag == "call")
                    return found if found is not None else Kind.FOREIGN
                return Kind.UNKNOWN
            found = self._resolve(summary.path, dotted, tag == "call")
            return found if found is not None else Kind.UNKNOWN
        if ref[0] == "called":
            return _called(self._ref(summary, ref[1]))
        if ref[0] == "method":
            receiver = self._ref(summary, ref[1])
            method = ref[2]
            if receiver is Kind.FOREIGN:
                return Kind.FOREIGN
            return METHOD_RESULTS.get((receiver, method), Kind.UNKNOWN)
        return Kind.UNKNOWN

    def _instance_kind(self, summary: ModuleSummary, cls: ClassSummary) -> Kind:
        kinds = []
        for base in cls.bases:
            if base[0] == "name":
                dotted = base[1]
                assert isinstance(dotted, str)
                head, _, rest = dotted.partition(".")
                if head in summary.imports:
                    module, name = summary.imports[head]
                    qualified = ".".join(p for p in (module, name, rest) if p)
                    keras_name = classify(qualified)
                    if keras_name is not None:
                        kinds.append(kind_of_base(keras_api.modern_path(keras_name, "tf.keras")))
                        continue
                found = self._resolve(summary.path, dotted, called=True) if not rest else None
                if found is not None:
                    kinds.append(found)
                    continue
            kinds.append(Kind.PROJECT)
        keras = [k for k in kinds if k.is_keras]
        return keras[0] if keras else Kind.PROJECT


def _called(kind: Kind) -> Kind:
    return Kind.TENSOR if kind in (Kind.LAYER, Kind.MODEL) else Kind.UNKNOWN


def _module_file(base: Path, modules: dict[str, ModuleSummary]) -> str | None:
    for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
        key = str(candidate)
        if key in modules:
            return key
    return None


_KERAS_PACKAGES = frozenset(root for root in (*LEGACY_ROOTS, *MODERN_ROOTS) if "." not in root)


def _vendored_keras(root: Path, path: str) -> bool:
    """``path`` lies in a package named like Keras at the project's top (or under ``src/``)."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return False
    if parts[:1] == ("src",):
        parts = parts[1:]
    return len(parts) > 1 and parts[0] in _KERAS_PACKAGES


def _top_level_names(root: Path, modules: dict[str, ModuleSummary]) -> set[str]:
    """Names a file of the project can import as its own: every module and package folder
    name along the way from the root (and ``src/``) to each indexed file."""
    names: set[str] = set()
    for path in modules:
        relative = Path(path).parent.relative_to(root) if Path(path).is_relative_to(root) else Path()
        names.update(relative.parts)
        stem = Path(path).stem
        if stem != "__init__":
            names.add(stem)
    names.discard("src")
    return names


# -- summaries -------------------------------------------------------------------------------


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that looks like a project root."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return folder


# Below this many files, starting processes costs more than summarizing in this one saves.
PARALLEL_INDEX_FILES = 256


def _summaries(paths: list[str], jobs: int) -> Iterable[ModuleSummary | None]:
    """The summary of each file: in this process, or split among ``jobs`` forked ones (Linux:
    fork is cheap and needs no re-import; other platforms summarize serially)."""
    if jobs <= 1 or len(paths) < PARALLEL_INDEX_FILES or not sys.platform.startswith("linux"):
        return (summarize_file(path) for path in paths)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        summaries = list(pool.map(summarize_file, paths, chunksize=max(1, len(paths) // (jobs * 8))))
    for summary in summaries:  # one shared tuple per kind-only return again, as built serially
        if summary is not None:
            for name, returns in summary.functions.items():
                summary.functions[name] = _shared_returns(returns)
    return summaries


def _cached_summaries(root: Path, paths: list[str], jobs: int) -> dict[str, ModuleSummary]:
    """The summaries of ``paths`` (in their order), from the cache where the file is unchanged;
    the cache is then brought up to date."""
    cache = IndexCache.load(root)
    stats: dict[str, tuple[int, int]] = {}  # absolute path -> (size, mtime), in the order of paths
    entries: dict[str, Entry] = {}
    for path in paths:
        absolute = os.path.abspath(path)
        try:
            status = os.stat(absolute)
        except OSError:
            continue  # gone since discovery: as summarize_file would, leave it out
        stats[absolute] = (status.st_size, status.st_mtime_ns)
        found, summary = cache.summary(absolute, status.st_size, status.st_mtime_ns)
        if found:
            entries[absolute] = (status.st_size, status.st_mtime_ns, summary)
    missing = [path for path in stats if path not in entries]
    for path, summary in zip(missing, _summaries(missing, jobs)):
        entries[path] = (*stats[path], summary)
    cache.save(entries, summarized=len(missing))
    return {path: summary for path in stats if (summary := entries[path][2]) is not None}


def summarize_file(path: str) -> ModuleSummary | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        tree = ast.parse(data, filename=path)
    except (OSError, SyntaxError, ValueError):
        return None
    return summarize(tree, os.path.abspath(path), b"keras" in data, b"keras" in data or b"trainable" in data)


def summarize(tree: ast.Module, path: str, mentions_keras: bool = True, uses_models: bool | None = None) -> ModuleSummary:
    """``uses_models``: record what its functions do with models (``FunctionUse``): a module of
    Keras code, or a helper that sets `.trainable` (by default: ``mentions_keras``)."""
    summary = ModuleSummary(path, mentions_keras)
    uses_models = mentions_keras if uses_models is None else uses_models
    for statement in _module_statements(tree.body):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    summary.imports[alias.asname] = (alias.name, "")
                else:
                    head = alias.name.split(".")[0]
                    summary.imports[head] = (head, "")
        elif isinstance(statement, ast.ImportFrom):
            module = "." * statement.level + (statement.module or "")
            for alias in statement.names:
                if alias.name == "*":
                    if not statement.level:
                        summary.stars.append(module)
                    continue
                summary.imports[alias.asname or alias.name] = (module, alias.name)
        elif isinstance(statement, ast.ClassDef):
            methods = frozenset(
                s.name for s in statement.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
            )
            summary.classes[statement.name] = ClassSummary([_ref(b, {}) for b in statement.bases], methods)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            summary.functions[statement.name] = _returns(statement)
            use = _function_use(statement) if uses_models else None
            if use is not None:
                summary.uses[statement.name] = use
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    summary.values.setdefault(target.id, []).append(_ref(statement.value, {}))
    return summary


def _module_statements(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """Module-level statements, including those under ``if``/``try`` (guarded imports)."""
    for statement in body:
        if isinstance(statement, (ast.If, ast.Try)):
            yield from _module_statements(statement.body)
            for handler in getattr(statement, "handlers", ()):
                yield from _module_statements(handler.body)
            yield from _module_statements(statement.orelse)
        else:
            yield statement


# Most functions of a project return plain values ("not Keras"): one shared tuple stands for all
# of them, which keeps the index of a 10,000-module tree small enough to copy into each worker.
_KIND_ONLY_RETURNS: dict[tuple[Ref, ...], tuple[Ref, ...]] = {}


def _returns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[Ref, ...]:
    """What the function returns, with its local variables followed to their values."""
    local: dict[str, ast.expr] = {}
    returns: list[Ref] = []
    for node in _statements_breadth_first(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            local.setdefault(node.targets[0].id, node.value)  # the first binding: usually the constructor
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                returns.append(_ref(node.value, local))
    return _shared_returns(tuple(returns))


def _shared_returns(returns: tuple[Ref, ...]) -> tuple[Ref, ...]:
    if len(returns) <= 2 and all(ref[0] == "kind" for ref in returns):
        return _KIND_ONLY_RETURNS.setdefault(returns, returns)  # a handful of combinations at most
    return returns


_BLOCK_ITEMS = (ast.stmt, ast.excepthandler, ast.match_case)


def _statements_breadth_first(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterable[ast.AST]:
    """The statements inside ``function`` (nested blocks and definitions included) in the
    order ``ast.walk`` meets them, without visiting a single expression: assignments and
    returns are statements, and no expression holds one. About a third of walking it all."""
    queue = deque(function.body)
    while queue:
        node = queue.popleft()
        yield node
        for name in node._fields:
            value = getattr(node, name)
            if type(value) is list and value and isinstance(value[0], _BLOCK_ITEMS):
                queue.extend(value)


_TRAINING_METHODS = frozenset({"fit", "fit_generator", "train_on_batch"})


def _function_use(function: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionUse | None:
    """What ``function`` does with models (``FunctionUse``); None when it does none of it."""
    params = tuple(a.arg for a in (*function.args.posonlyargs, *function.args.args))
    compiled: set[str] = set()
    returned: set[str] = set()
    trained: set[str] = set()
    frozen: set[str] = set()
    toggles = False
    # Statements only (the calls that matter are statements of their own or the value assigned:
    # `model.compile(...)`, `loss = d.train_on_batch(...)`): a fraction of walking every expression.
    for node in _statements_breadth_first(function):
        value = node.value if isinstance(node, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign)) else None
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            receiver = _dotted(value.func.value)
            if receiver is not None and value.func.attr == "compile":
                compiled.add(receiver)
            elif receiver is not None and value.func.attr in _TRAINING_METHODS:
                trained.add(receiver)
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Name):
            returned.add(node.value.id)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "trainable":
                    if isinstance(node.value, ast.Constant) and node.value.value is False:
                        frozen.add(_dotted(target.value) or "")
                    else:
                        toggles = True
    use = FunctionUse(params, bool(compiled & returned), frozenset(trained & set(params)),
                      frozenset(frozen & set(params)), toggles)  # fmt: skip
    return use if use.returns_compiled or use.trains or use.freezes or use.toggles else None


def _ref(node: ast.expr, local: dict[str, ast.expr], depth: int = 0) -> Ref:
    if depth > 4:
        return ("kind", Kind.UNKNOWN)
    if isinstance(node, (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp,
                         ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.Lambda, ast.JoinedStr)):
        return ("kind", Kind.FOREIGN)
    if isinstance(node, ast.Name) and node.id in local:
        return _ref(local[node.id], {}, depth + 1) if local[node.id] is not node else ("kind", Kind.UNKNOWN)
    dotted = _dotted(node)
    if dotted is not None:
        return ("name", dotted)
    if isinstance(node, ast.Call):
        callee = _dotted(node.func)
        if callee is not None and not (isinstance(node.func, ast.Name) and node.func.id in local):
            return ("call", callee)
        if isinstance(node.func, ast.Attribute):
            return ("method", _ref(node.func.value, local, depth + 1), node.func.attr)
        if isinstance(node.func, ast.Call):  # Dense(3)(x): calling a layer or model
            return ("called", _ref(node.func, local, depth + 1))
    return ("kind", Kind.UNKNOWN)


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None
