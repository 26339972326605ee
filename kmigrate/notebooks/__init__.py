"""Jupyter notebooks (``.ipynb``, nbformat 4): their code cells migrated as one program.

The code cells are joined in cell order into one Python source, with a separator line
between cells, so that an import in cell 1 binds the names used in cell 7 and a rule that
adds an import puts it beside the notebook's imports.  IPython syntax is masked first
(``kmigrate.notebooks.ipython``); the joined source goes through the same pipeline as a
``.py`` file (``migrate_bytes``, with the project index); the result is split back at the
separators, unmasked, and each changed cell's ``source`` is written back into the file text
in the file's own layout (``kmigrate.notebooks.layout``): outputs, execution counts,
metadata, key order, indentation and escaping stay byte for byte.

Cells are numbered from 1 over all cells, markdown and raw included (as nbQA and Jupyter's
own cell list count them); diagnostics give the cell and the line within it.

nbformat is not required: the file is checked here (valid JSON, ``"nbformat": 4``, a
``cells`` list whose cells have a ``cell_type`` and a ``source``), which is all the migration
reads.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeGuard

from kmigrate.diagnostics import Diagnostic, DiffSection, FileResult, Status
from kmigrate.notebooks import ipython, layout
from kmigrate.notebooks.installs import install_advice
from kmigrate.notebooks.rules import CELL_LEFT_ALONE, PIP_KERAS, RULES
from kmigrate.pipeline import could_involve_keras, migrate_bytes
from kmigrate.settings import Settings

if TYPE_CHECKING:
    from kmigrate.project import ProjectIndex

__all__ = ["RULES", "handles", "migrate"]

SUFFIX = ".ipynb"
_BOM = "\ufeff"
_CELL_TAG = "kmigrate-cell"
_MASK_TAG = "kmigrate-ipython"
# Separator lines between cells (see _join).
_SEPARATOR = "pass  # {tag} {number}\n"
_BLOCK_END = "if True: "
_IMPORT_WORDS = re.compile(rb"\b(?:import|from)\b")


class NotebookError(ValueError):
    """The file is not a notebook kmigrate can read (the message says why)."""


def handles(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


@dataclass
class _Cell:
    number: int  # 1-based over all cells
    index: int  # position in the cells list
    source: str  # as stored (list items joined)
    masked: ipython.Masked | None = None
    start_line: int = 0  # first line in the joined program (1-based)
    newline_added: bool = False

    @property
    def masked_source(self) -> ipython.Masked:
        """The masked source, for cells past masking (every Python cell is masked first)."""
        if self.masked is None:
            raise RuntimeError(f"cell {self.number} was not masked")
        return self.masked


def migrate(
    data: bytes, path: str, settings: Settings, report_fixes: bool = True, project: ProjectIndex | None = None
) -> FileResult:
    try:
        bom, text, cells = _read(data)  # JSON only, and cheap: a broken notebook is always reported
    except NotebookError as exc:
        return FileResult(path, Status.ERROR, error=f"{exc}; file left unchanged")
    if not _worth_reading(data, settings, project):
        return FileResult(path, Status.SKIPPED)
    try:
        return _migrate_cells(bom, text, cells, path, settings, report_fixes, project)
    except Exception as exc:  # noqa: BLE001 - a bug here must not stop the run or touch the file
        return FileResult(
            path, Status.ERROR,
            error=f"internal error while migrating the notebook ({type(exc).__name__}: {exc}); file left unchanged",
        )  # fmt: skip


def _worth_reading(data: bytes, settings: Settings, project: ProjectIndex | None) -> bool:
    """The cheap skip, before any Python is parsed: the bytes mention Keras (or another trigger
    word), or import something that a project module could be."""
    if could_involve_keras(data, settings):
        return True
    pattern = _project_imports(project.top_level_names) if project is not None else None
    return pattern is not None and pattern.search(data) is not None


@lru_cache(maxsize=8)
def _project_imports(names: frozenset[str]) -> re.Pattern[bytes] | None:
    """``import model`` / ``from model import *`` of one of the project's top-level modules."""
    if not names:
        return None
    alternatives = b"|".join(re.escape(name.encode("utf-8")) for name in sorted(names))
    return re.compile(rb"\b(?:import|from)\s+(?:" + alternatives + rb")\b")


# -- reading -------------------------------------------------------------------------------


def _read(data: bytes) -> tuple[str, str, list[_Cell]]:
    """(byte-order mark or "", the JSON text, the code cells) of a notebook file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not a notebook: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    bom = _BOM if text.startswith(_BOM) else ""
    text = text[len(bom) :]
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise NotebookError("not a notebook: JSON nested too deeply") from None
    if not isinstance(notebook, dict):
        raise NotebookError("not a notebook: the JSON is not an object")
    version = notebook.get("nbformat")
    if version != 4:
        shown = "missing" if version is None else json.dumps(version)
        raise NotebookError(
            f"not an nbformat 4 notebook (nbformat is {shown}); upgrade it with "
            "`jupyter nbconvert --to notebook` first"
        )
    raw_cells = notebook.get("cells")
    if not isinstance(raw_cells, list):
        raise NotebookError("not an nbformat 4 notebook: no `cells` list")
    cells = []
    for index, cell in enumerate(raw_cells):
        source = cell.get("source") if isinstance(cell, dict) else None
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str) or not _is_source(source):
            raise NotebookError(f"not an nbformat 4 notebook: cell {index + 1} lacks a cell_type or a text source")
        if cell["cell_type"] == "code":
            cells.append(_Cell(index + 1, index, source if isinstance(source, str) else "".join(source)))
    return bom, text, cells


def _is_source(source: object) -> TypeGuard[str | list[str]]:
    return isinstance(source, str) or (isinstance(source, list) and all(isinstance(s, str) for s in source))


def _unique(tag: str, text: str) -> str:
    """``tag``, or a variant of it that the notebook does not contain."""
    candidate, number = tag, 0
    while candidate in text:
        number += 1
        candidate = f"{tag}-{number}"
    return candidate


# -- migrating -----------------------------------------------------------------------------


def _migrate_cells(
    bom: str, text: str, cells: list[_Cell], path: str, settings: Settings, report_fixes: bool, project: ProjectIndex | None
) -> FileResult:
    tags = _unique(_CELL_TAG, text), _unique(_MASK_TAG, text)
    findings: list[Diagnostic] = []
    python_cells, magic_cells = [], []
    for cell in cells:
        if ipython.is_cell_magic(cell.source):
            findings += _cell_magic_installs(cell, settings)
            if ipython.cell_magic_runs_python(cell.source):
                magic_cells.append(cell)
            continue
        cell.masked = ipython.mask(cell.source, tags[1])
        findings += _install_findings(cell, settings)
        python_cells.append(cell)
    program = _join(python_cells, tags[0]).encode("utf-8")
    involved = (
        could_involve_keras(program, settings)
        or any(could_involve_keras(cell.source.encode("utf-8"), settings) for cell in magic_cells)
        or (project is not None and project.involves_keras(path, program))
    )
    if not involved:
        return _without_migration(path, _sorted(findings))
    # A cell that is not Python 3 on its own (Jupyter runs each cell alone) is left out.
    parsing = []
    for cell in python_cells:
        problem = _does_not_compile(cell.masked_source.text)
        if problem is None:
            parsing.append(cell)
        elif could_involve_keras(cell.source.encode("utf-8"), settings) and settings.rule_enabled(CELL_LEFT_ALONE.id):
            findings.append(_left_alone(
                cell, f"this cell is not Python 3 that kmigrate can read ({problem}): left as it is; "
                "fix it and run kmigrate again",
            ))  # fmt: skip
    result = migrate_bytes(_join(parsing, tags[0]).encode("utf-8"), path, settings, report_fixes, project)
    diagnostics = findings + [_in_cell(d, parsing) for d in result.diagnostics]
    if result.status is Status.ERROR:
        error = _in_cell_message(result.error or "", parsing)
        return FileResult(path, Status.ERROR, diagnostics=_sorted(diagnostics), error=error)
    new_sources = _split(result.output or "", parsing, *tags) if result.status is Status.CHANGED else None
    if result.status is Status.CHANGED and new_sources is None:
        return FileResult(
            path, Status.ERROR, diagnostics=_sorted(diagnostics),
            error="internal error: the migrated cells could not be told apart again; file left unchanged",
        )  # fmt: skip
    # Last: this joins the cells again (their start lines change).
    diagnostics += _magic_cell_findings(parsing, magic_cells, tags, path, settings, project)
    diagnostics = _sorted(diagnostics)
    changed = {cell.index: new for cell, new in zip(parsing, new_sources or []) if new != cell.source}
    changed.update(_marked_left_alone_cells(cells, diagnostics))
    if not changed:
        return _without_migration(path, diagnostics, result.note)
    output = _write(text, changed)  # raises on a mismatch: an internal error, file untouched
    sections = [
        DiffSection(f"cell {cell.number}", cell.source, changed[cell.index]) for cell in cells if cell.index in changed
    ]
    return FileResult(
        path, Status.CHANGED, diagnostics=diagnostics, original=text, output=output,
        output_bytes=(bom + output).encode("utf-8"), sections=sections,
    )  # fmt: skip


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.cell or 0, d.line, d.column))


def _left_alone(cell: _Cell, message: str) -> Diagnostic:
    return Diagnostic(CELL_LEFT_ALONE.id, message, 1, 1, False, cell=cell.number)


# Marks standalone Keras imports in the cells kmigrate leaves alone, so none stays unmarked.
_STANDALONE_IMPORT = re.compile(r"[ \t]*(?:import|from)[ \t]+keras\b")
_LEFT_ALONE_MARKER = f"# kmigrate: {CELL_LEFT_ALONE.id} cell not migrated (cell magic or not Python 3): migrate it by hand"


def _marked_left_alone_cells(cells: list[_Cell], diagnostics: list[Diagnostic]) -> dict[int, str]:
    """New sources of the cells reported as left alone (KM721) whose standalone ``keras``
    imports get a marker; a cell magic's own line and the rest of the cell stay as they are."""
    left_alone = {d.cell for d in diagnostics if d.rule == CELL_LEFT_ALONE.id}
    marked = {}
    for cell in cells:
        if cell.number in left_alone:
            source = ipython.mark_statements(cell.source, _STANDALONE_IMPORT, _LEFT_ALONE_MARKER)
            if source != cell.source:
                marked[cell.index] = source
    return marked


def _magic_cell_findings(
    parsing: list[_Cell], magic_cells: list[_Cell], tags: tuple[str, str], path: str, settings: Settings,
    project: ProjectIndex | None,
) -> list[Diagnostic]:
    """Cells under a cell magic that runs Python (``%%time``) are never rewritten; migrating
    the notebook with them tells which ones hold code that needs migrating (KM721)."""
    if not magic_cells or not settings.rule_enabled(CELL_LEFT_ALONE.id):
        return []
    readable, findings = [], []
    for cell in magic_cells:
        cell.masked = ipython.mask(cell.source, tags[1])  # the %% line masks like a line magic
        problem = _does_not_compile(cell.masked.text)
        if problem is None:
            readable.append(cell)
        elif could_involve_keras(cell.source.encode("utf-8"), settings):
            findings.append(_left_alone(
                cell, f"this cell runs under {ipython.cell_magic_name(cell.source)} and is not Python 3 that "
                f"kmigrate can read ({problem}): left as it is; migrate it by hand",
            ))  # fmt: skip
    together = sorted(parsing + readable, key=lambda cell: cell.number)
    result = migrate_bytes(_join(together, tags[0]).encode("utf-8"), path, settings, False, project)
    if result.status is not Status.CHANGED:
        return findings
    sources = _split(result.output or "", together, *tags) or []
    return findings + [
        _left_alone(cell, f"this cell runs under {ipython.cell_magic_name(cell.source)}, which kmigrate does "
                          "not rewrite, but its code needs migrating: edit it by hand, or move the code into "
                          "a cell without the magic and run kmigrate again")
        for cell, new in zip(together, sources)
        if cell in readable and new != cell.source
    ]


def _without_migration(path: str, diagnostics: list[Diagnostic], note: str | None = None) -> FileResult:
    return FileResult(path, Status.UNCHANGED if diagnostics else Status.SKIPPED, diagnostics=diagnostics, note=note)


def _join(cells: list[_Cell], tag: str) -> str:
    """The cells' masked sources as one program, a separator line before each but the first.

    A separator is a statement of its own (``pass  # kmigrate-cell 7``), not a bare comment: a
    comment would belong to the next cell's first statement, and a rule that removes that
    statement would have to keep it (as a ``pass``, or moved elsewhere).  The separator after
    the first cell that imports something is a compound statement (``if True: pass``): it ends
    the program's leading block, so an import a rule adds goes into that cell, next to the
    notebook's imports, and never into a later cell that happens to import something too.
    """
    parts: list[str] = []
    line = 1
    first_importing = next((i for i, cell in enumerate(cells) if _imports(cell.masked_source.text)), None)
    for position, cell in enumerate(cells):
        if position:
            block_end = _BLOCK_END if position - 1 == first_importing else ""
            parts.append(block_end + _SEPARATOR.format(tag=tag, number=cell.number))
            line += 1
        source = cell.masked_source.text
        cell.newline_added = not source.endswith(("\n", "\r"))
        if cell.newline_added:
            source += "\n"
        cell.start_line = line
        line += len(ipython.physical_lines(source))
        parts.append(source)
    return "".join(parts)


def _imports(source: str) -> bool:
    """The cell has a top-level import statement (``from __future__`` ones are masked)."""
    if not _IMPORT_WORDS.search(source.encode("utf-8")):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return any(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)


def _split(output: str, cells: list[_Cell], cell_tag: str, mask_tag: str) -> list[str] | None:
    """Each cell's migrated source, unmasked; None unless the separators came back exactly
    (every one, once, in order) and each cell's placeholders came back in it, once each."""
    pattern = re.escape(_SEPARATOR.format(tag=cell_tag, number="NUMBER")).replace("NUMBER", r"(\d+)")
    separator = re.compile(rf"^(?:{re.escape(_BLOCK_END)})?{pattern}", re.MULTILINE)
    numbers = [int(n) for n in separator.findall(output)]
    if numbers != [cell.number for cell in cells[1:]]:
        return None
    sources = []
    for cell, chunk in zip(cells, separator.split(output)[::2]):
        piece = ipython.restore(chunk, mask_tag, cell.masked_source.originals)
        if piece is None:
            return None
        if cell.newline_added:
            if piece and not piece.endswith("\n"):  # empty: a rule removed the cell's only statement
                return None
            # The cell had no final line end: nor do blank lines a rule left at its end (after
            # a helper function added below the imports) stay there.
            piece = piece.rstrip("\r\n")
        sources.append(piece)
    return sources


def _in_cell(diagnostic: Diagnostic, cells: list[_Cell]) -> Diagnostic:
    """A diagnostic of the joined program, placed in its cell (line counted in the cell)."""
    cell = _cell_at(diagnostic.line, cells)
    if cell is None:
        return diagnostic
    return Diagnostic(
        diagnostic.rule, diagnostic.message, diagnostic.line - cell.start_line + 1, diagnostic.column,
        diagnostic.fixed, cell=cell.number,
    )  # fmt: skip


def _cell_at(line: int, cells: list[_Cell]) -> _Cell | None:
    found = None
    for cell in cells:
        if cell.start_line <= line:
            found = cell
    return found


def _in_cell_message(message: str, cells: list[_Cell]) -> str:
    """An error of the joined program, its ``line N`` told as ``cell C, line L``."""

    def place(match: re.Match[str]) -> str:
        line = int(match.group(1))
        cell = _cell_at(line, cells)
        return match.group(0) if cell is None else f"cell {cell.number}, line {line - cell.start_line + 1}"

    return re.sub(r"\bline (\d+)", place, message, count=1)


def _does_not_compile(source: str) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the notebook's own SyntaxWarnings are not ours to print
            compile(source, "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        what = getattr(exc, "msg", None) or str(exc)
        return f"line {line}: {what}" if line else what
    return None


# -- findings of the notebook's own ---------------------------------------------------------


def _install_findings(cell: _Cell, settings: Settings) -> list[Diagnostic]:
    found = []
    for line_number, original in cell.masked_source.escapes:
        for message in install_advice(original.replace("\\\n", " "), settings.target):
            column = len(original) - len(original.lstrip(" \t")) + 1
            found.append(Diagnostic(PIP_KERAS.id, message, line_number, column, False, cell=cell.number))
    for line_number, line in enumerate(ipython.physical_lines(cell.source), start=1):
        if "get_ipython()" in line:
            for message in install_advice(line, settings.target):
                found.append(Diagnostic(PIP_KERAS.id, message, line_number, 1, False, cell=cell.number))
    return [d for d in found if settings.rule_enabled(d.rule)]


def _cell_magic_installs(cell: _Cell, settings: Settings) -> list[Diagnostic]:
    """Install lines in a shell cell (``%%bash``) or a ``%%capture`` cell."""
    if ipython.cell_magic_name(cell.source) not in ("%%bash", "%%sh", "%%script", "%%system", "%%capture"):
        return []
    found = []
    for number, line in enumerate(ipython.physical_lines(cell.source), start=1):
        if line.lstrip().startswith("%%"):
            continue
        for message in install_advice(line, settings.target):
            column = len(line) - len(line.lstrip(" \t!%")) + 1
            found.append(Diagnostic(PIP_KERAS.id, message, number, column, False, cell=cell.number))
    return [d for d in found if settings.rule_enabled(d.rule)]


# -- writing -------------------------------------------------------------------------------


def _write(text: str, changed: dict[int, str]) -> str:
    """The file text with the changed cells' sources replaced, everything else as it was."""
    spans = layout.source_spans(text)
    ascii_only = layout.escapes_non_ascii(text)
    unit = layout.indent_unit(text)
    replacements = {
        index: layout.encode_source(text, spans[index], source, ascii_only, unit) for index, source in changed.items()
    }
    output = layout.splice(text, replacements, spans)
    _check_written(text, output, changed)
    return output


def _check_written(before: str, after: str, changed: dict[int, str]) -> None:
    """The new text is the old notebook with exactly the new sources (else an internal error)."""
    old, new = json.loads(before), json.loads(after)  # NaN: json returns one shared float, equal to itself
    for index, source in changed.items():
        cell = new["cells"][index]
        if (cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])) != source:
            raise RuntimeError(f"cell {index + 1} was not written as migrated")
        cell["source"] = old["cells"][index]["source"]
    if new != old:
        raise RuntimeError("a part of the notebook other than a code cell's source changed")
