"""The core is layered: no import cycle among kmigrate's modules, and rule modules stay small
(their code: the rule entries, ``Rule(...)`` with its example programs, are data and do not count).

Read with ``ast`` only (nothing is imported), so a cycle held together by an import inside a
function, or under ``if TYPE_CHECKING:``, counts like any other: each one is an edge.
The verification harness (``kmigrate/harness``) is a separate tool and is left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kmigrate"
EXCLUDED = ("harness",)
MAX_RULE_MODULE_LINES = 400
MAX_CLASS_LINES = 300


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def kmigrate_modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).parts
        if relative[0] in EXCLUDED:
            continue
        found[module_name(path)] = path
    return found


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """Every kmigrate module ``name`` imports anywhere in its body (top level, functions,
    TYPE_CHECKING blocks).  ``from pkg import x`` counts as importing ``pkg.x`` when that is
    a module, else ``pkg``; importing ``a.b.c`` runs ``a`` and ``a.b`` too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                targets.add(candidate if candidate in known else module)
    edges = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in known and prefix != name:
                edges.add(prefix)
    # A module's own packages run before it: importing them is not a dependency of its own.
    return {e for e in edges if not name.startswith(e + ".")}


def import_graph() -> dict[str, set[str]]:
    modules = kmigrate_modules()
    known = set(modules)
    return {name: imported_modules(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for following in sorted(graph.get(node, ())):
            if state.get(following) == 1:
                return stack[stack.index(following):] + [following]
            if following not in state:
                found = visit(following)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_sees_imports_inside_functions(tmp_path: Path) -> None:
    # The checker itself: a function-level import is an edge, and a cycle through it is found.
    source = "def f():\n    from kmigrate import context\n"
    path = tmp_path / "x.py"
    path.write_text(source)
    assert imported_modules("kmigrate.x", path, {"kmigrate", "kmigrate.context"}) == {"kmigrate.context"}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_among_kmigrate_modules() -> None:
    graph = import_graph()
    assert "kmigrate.rules" in graph and "kmigrate.context" in graph
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def catalog_lines(tree: ast.Module) -> int:
    """Lines of ``Rule(...)`` entries: each rule's documentation with its complete before/after
    programs (tests/test_rule_examples.py runs them), one keyword argument a line. Data a reader
    looks up, not code to hold in mind. (The backend's ``Entry(...)`` rows get no such allowance:
    ``rules/backend_table/`` keeps them in one data module per concern, each under the limit.)"""
    entries = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Rule"
    ]
    return sum((node.end_lineno or node.lineno) - node.lineno + 1 for node in entries)


def test_rule_modules_and_classes_stay_small() -> None:
    too_long = []
    for name, path in kmigrate_modules().items():
        source = path.read_text()
        tree = ast.parse(source)
        if name.startswith("kmigrate.rules"):
            lines = len(source.splitlines()) - catalog_lines(tree)
            if lines > MAX_RULE_MODULE_LINES:
                too_long.append(f"module {name}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = (node.end_lineno or node.lineno) - first + 1
                if lines > MAX_CLASS_LINES:
                    too_long.append(f"class {name}.{node.name}: {lines} lines")
    assert not too_long, "over the limits: " + "; ".join(too_long)


def test_a_rule_id_leads_to_one_module() -> None:
    from kmigrate.rules import fixers, rule_module

    for fixer in fixers():
        claimed: dict[str, str] = {}
        for klass in fixer.__mro__:
            for rule_id in vars(klass).get("implements", ()):
                assert rule_id in fixer.rule_ids(), f"{klass.__name__} implements {rule_id}, not a rule of {fixer.__name__}"
                assert rule_id not in claimed, f"{rule_id} claimed by {claimed.get(rule_id)} and {klass.__name__}"
                claimed[rule_id] = klass.__name__
        for rule_id in fixer.rule_ids():
            module = rule_module(rule_id)
            assert module is not None and module.startswith("kmigrate.rules."), (rule_id, module)
            assert Path(__import__(module, fromlist=["_"]).__file__).is_file()
    assert rule_module("KM502") == "kmigrate.rules.backend.semantics"
    assert rule_module("km223") == "kmigrate.rules.training.fit"
    assert rule_module("KM999") is None


def test_the_models_package_imports_no_private_name_of_the_rules() -> None:
    private = []
    for name, path in kmigrate_modules().items():
        if not name.startswith("kmigrate.models"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kmigrate.rules"):
                private += [f"{name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert not private, "give these tables a public name where they live: " + ", ".join(private)


def test_the_safety_short_names_are_defined_once() -> None:
    def is_safety(value: ast.expr) -> bool:
        return isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "FixSafety"

    defined = []
    for name, path in kmigrate_modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and node.col_offset == 0:
                values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                if any(is_safety(value) for value in values):
                    defined.append(name)
    assert defined == ["kmigrate.rule_types"], "import SAFE, CONTEXT, FLAG from kmigrate.rule_types: " + ", ".join(defined)


def test_no_codemod_module_searches_with_libcst_findall() -> None:
    """``m.findall`` / ``m.extractall`` visit with LibCST's rebuilding traversal, about a parse per
    call; kmigrate.walk.find_all finds the same nodes without building any (docs/writing-rules.md)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "harness" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("findall", "extractall") \
                    and isinstance(node.value, ast.Name) and node.value.id == "m":  # fmt: skip
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders, offenders


def test_no_codemod_module_imports_libcst_matchers() -> None:
    """Importing libcst.matchers costs a quarter of a second at every start; the codemod's
    patterns come from kmigrate.match, which spells them the same way (tests/test_match.py)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "harness" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [f"{node.module}.{alias.name}" for alias in node.names] if isinstance(node, ast.ImportFrom) else [])
            if any(name == "libcst.matchers" or name.startswith("libcst.matchers.") for name in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders, offenders
