"""setup.py: the string literals of ``install_requires``, ``tests_require`` and
``extras_require`` in a ``setup(...)`` call.

LibCST finds the lists, which may be written in the call or bound to a module-level name
(``REQUIRED = [...]``, ``install_requires=REQUIRED``), and where each string literal is; the
edits then replace, delete or add exactly those items in the text (the same item edits as TOML
arrays), so comments, quotes and trailing commas stay, and the result is parsed again.  A list
that is computed (read from requirements.txt, built in a loop) is left to its source.  A
setup.py that imports Keras or TensorFlow also goes through the code rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from kmigrate.dependencies.document import Changes, FormatError, build_result
from kmigrate.dependencies.requirement import (
    NOT_REWRITTEN,
    Advice,
    ParsedRequirement,
    advise,
    advise_in_group,
    parse,
    provided_after,
    provided_names,
)
from kmigrate.dependencies.rules import RULES
from kmigrate.dependencies.toml_edits import edit_array
from kmigrate.dependencies.toml_text import Item, Value
from kmigrate.diagnostics import FileResult, Status
from kmigrate.settings import Settings

if TYPE_CHECKING:
    from kmigrate.project import ProjectIndex

_LIST_KEYWORDS = ("install_requires", "tests_require")
_BASE = "install_requires"


@dataclass(frozen=True)
class _Entry:
    string: cst.SimpleString
    requirement: ParsedRequirement
    raw_ok: bool  # no escapes in the literal: its text can be edited as written


class _Collector(cst.CSTVisitor):
    """Finds the requirement lists of every setup() call: list node -> group name."""

    def __init__(self, assignments: dict[str, cst.BaseExpression]) -> None:
        self.assignments = assignments
        self.groups: dict[cst.List | cst.Tuple, str] = {}

    def visit_Call(self, node: cst.Call) -> None:
        name = get_full_name_for_node(node.func) or ""
        if name.rsplit(".", 1)[-1] != "setup":
            return
        for keyword, value in self._keywords(node):
            if keyword in _LIST_KEYWORDS:
                self._add(value, keyword)
            elif keyword == "extras_require":
                for extra, listing in self._keywords_of(self._resolve(value)):
                    self._add(listing, f"extra:{extra}")

    def _keywords(self, call: cst.Call) -> list[tuple[str, cst.BaseExpression]]:
        """The call's keyword arguments, with those of `**options` when `options` is a literal
        dict (or `dict(...)`) bound at module level."""
        found = []
        for arg in call.args:
            if arg.keyword is not None:
                found.append((arg.keyword.value, arg.value))
            elif arg.star == "**":
                found += self._keywords_of(self._resolve(arg.value))
        return found

    def _keywords_of(self, value: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]]:
        if isinstance(value, cst.Dict):
            return [
                (element.key.evaluated_value, element.value)
                for element in value.elements
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
                and isinstance(element.key.evaluated_value, str)
            ]  # fmt: skip
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict":
            return [(arg.keyword.value, arg.value) for arg in value.args if arg.keyword is not None]
        return []

    def _resolve(self, value: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(value, cst.Name) and value.value in self.assignments:
            return self.assignments[value.value]
        return value

    def _add(self, value: cst.BaseExpression, group: str) -> None:
        value = self._resolve(value)
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
            self._add(value.left, group)  # REQUIRED + ["h5py"]: both lists are requirements
            self._add(value.right, group)
        elif isinstance(value, (cst.List, cst.Tuple)):
            self.groups[value] = group


def _module_assignments(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Module-level ``NAME = <list, tuple or dict>``: the last binding of each name wins."""
    found: dict[str, cst.BaseExpression] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name):
                    found[target.value] = small.value
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
                found[small.target.value] = small.value
    return found


def _entries(sequence: cst.List | cst.Tuple) -> list[_Entry]:
    found = []
    for element in sequence.elements:
        value = element.value
        if not isinstance(value, cst.SimpleString) or "b" in value.prefix.lower():
            continue
        evaluated = value.evaluated_value
        if not isinstance(evaluated, str):
            continue
        parsed = parse(evaluated)
        if parsed is not None:
            found.append(_Entry(value, parsed, value.raw_value == evaluated))
    return found


def _imports_keras_or_tensorflow(module: cst.Module) -> bool:
    """Whether the code rules have anything to do here: a setup.py that names Keras only in
    its requirement strings is not Keras code (and must not get an entry-point line)."""

    class Finder(cst.CSTVisitor):
        found = False

        def visit_Import(self, node: cst.Import) -> None:
            self.found |= any(_is_keras_module(get_full_name_for_node(a.name) or "") for a in node.names)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if node.module is not None:
                self.found |= _is_keras_module(get_full_name_for_node(node.module) or "")

    finder = Finder()
    module.visit(finder)
    return finder.found


def _is_keras_module(name: str) -> bool:
    return name.split(".")[0] in ("keras", "tensorflow", "keras_applications", "keras_preprocessing")


def migrate(data: bytes, path: str, settings: Settings, report_fixes: bool = True,
            project: ProjectIndex | None = None) -> FileResult:  # fmt: skip
    from kmigrate.pipeline import (
        migrate_bytes,  # the pipeline imports the document table
    )

    try:
        module = cst.parse_module(data)
        text = data.decode(module.encoding)
    except (cst.ParserSyntaxError, UnicodeDecodeError, LookupError, SyntaxError):
        return migrate_bytes(data, path, settings, report_fixes, project)  # its own clear error
    try:
        changes = Changes(text, settings)
        if any(settings.rule_enabled(rule.id) for rule in RULES):
            _migrate_requirements(module, changes)
        result = build_result(path, changes, module.encoding, report_fixes)
        if result.output_bytes is not None:
            cst.parse_module(result.output_bytes)  # item edits keep it Python; checked, not assumed
    except Exception as exc:  # a bug here must not stop the run or touch the file
        return FileResult(
            path, Status.ERROR,
            error=f"internal error while migrating setup.py requirements ({type(exc).__name__}: {exc}); "
            "file left unchanged",
        )  # fmt: skip
    if not _imports_keras_or_tensorflow(module):
        return result
    output = result.output if result.output is not None else text
    code = migrate_bytes(output.encode(module.encoding), path, settings, report_fixes, project)
    if code.status is Status.ERROR:
        return code
    if code.status is not Status.CHANGED:
        result.diagnostics += code.diagnostics
        return result
    return FileResult(
        path, Status.CHANGED, diagnostics=result.diagnostics + code.diagnostics, original=text,
        output=code.output, output_bytes=code.output_bytes,
    )  # fmt: skip


def _migrate_requirements(module: cst.Module, changes: Changes) -> None:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    collector = _Collector(_module_assignments(module))
    wrapper.visit(collector)
    line_starts = [0]
    for line in changes.text.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))

    def offset(node: cst.CSTNode, end: bool = False) -> int:
        where = positions[node].end if end else positions[node].start
        return line_starts[where.line - 1] + where.column

    target = changes.settings.target
    entries = {node: _entries(node) for node in collector.groups}
    base = provided_after(
        (e.requirement for node, group in collector.groups.items() if group == _BASE for e in entries[node]), target
    )
    for node, group in collector.groups.items():
        own = provided_names(e.requirement for e in entries[node])
        provided = set(own if group == _BASE else base | own)
        elements = node.elements
        items = [_item(changes.text, el.value, offset(el.value), offset(el.value, end=True)) for el in elements]
        index_of = {id(el.value): i for i, el in enumerate(elements)}
        plans: dict[int, tuple[str, ...]] = {}
        for entry in entries[node]:
            advice = advise_in_group(entry.requirement, target, provided)
            if advice is None:
                continue
            if advice.fixed and not entry.raw_ok:
                advice = Advice(NOT_REWRITTEN, f"{advice.message}; not rewritten: the string has escapes", None)
            if changes.apply(advice, offset(entry.string), []) and advice.replacement is not None:
                plans[index_of[id(entry.string)]] = tuple(r.strip() for r in advice.replacement)
        changes.edits.extend(edit_array(changes.text, items, plans))


def _item(text: str, node: cst.BaseExpression, start: int, end: int) -> Item:
    """An element of a Python list as the shared array edits see it: its span, where the
    text between its quotes is (strings), and its comma."""
    comma = re.match(r"\s*,", text[end:])
    value = Value(start, end, "other")
    if isinstance(node, cst.SimpleString):
        inner = len(node.prefix) + len(node.quote)
        value = Value(start, end, "string", raw_start=start + inner, raw_end=end - len(node.quote), quote=node.quote)
    return Item(value, end + comma.end() - 1 if comma else None)


def requirements(data: bytes) -> list[ParsedRequirement]:
    """Every requirement string in the setup() lists, for reading only (FormatError when the
    file is not Python 3)."""
    try:
        module = cst.parse_module(data)
    except (cst.ParserSyntaxError, UnicodeDecodeError, LookupError, SyntaxError) as exc:
        raise FormatError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    collector = _Collector(_module_assignments(module))
    module.visit(collector)
    return [entry.requirement for node in collector.groups for entry in _entries(node)]
