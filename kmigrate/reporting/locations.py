"""Where a result is, as CI tools want it: paths relative to the repository root, and the line
of a notebook cell's source inside the .ipynb file."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from kmigrate.diagnostics import Diagnostic

# Cells are numbered from 1 in diagnostics and diffs ("cell 7"), over all the notebook's cells.
FIRST_CELL_NUMBER = 1


def repository_root(start: str | None = None) -> Path:
    """The git work tree around ``start`` (default: the current folder), else that folder:
    GitHub resolves annotation and SARIF paths against the checkout root."""
    folder = Path(start or os.getcwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def relative_path(path: str, root: Path) -> str | None:
    """``path`` relative to ``root`` with forward slashes, or None when it lies outside."""
    relative = os.path.relpath(os.path.abspath(path), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return Path(relative).as_posix()


def artifact_uri(path: str, root: Path) -> tuple[str, bool]:
    """A URI for ``path``: relative to ``root`` when it lies inside (second item True), else an
    absolute file URI."""
    relative = relative_path(path, root)
    if relative is not None:
        return quote(relative), True
    return Path(os.path.abspath(path)).as_uri(), False


def root_uri(root: Path) -> str:
    uri = root.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _notebook_text(path: str) -> str | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return _read_text(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=64)
def _read_text(path: str, mtime_ns: int, size: int) -> str | None:
    """One read per version of a file (the key changes when the file does)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def notebook_line(path: str, diagnostic: Diagnostic, text: str | None = None) -> int | None:
    """The line of the .ipynb file that holds the diagnostic's cell line, when the notebook
    stores its source one line per JSON string (as Jupyter writes it); else None.

    The answer is checked against the file's own text, so it is never a wrong line: at worst
    there is none and the caller names the cell instead.
    """
    if diagnostic.cell is None:
        return None
    if text is None:  # the notebook as it was read, when the caller has it; else the file now
        text = _notebook_text(path)
    if text is None:
        return None
    try:
        notebook = json.loads(text)
        cell = notebook["cells"][diagnostic.cell - FIRST_CELL_NUMBER]
        source = cell["source"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if not isinstance(source, list) or not 1 <= diagnostic.line <= len(source):
        return None
    file_lines = text.splitlines()
    # Runs of file lines spelling exactly this cell's source, right after a "source" key; cells
    # with the same source are told apart by their order, and any doubt gives no answer.
    starts = [
        index for index in range(1, len(file_lines) - len(source) + 1)
        if '"source"' in file_lines[index - 1]
        and all(_holds(file_lines[index + k], source[k]) for k in range(len(source)))
    ]
    twins = [i for i, other in enumerate(notebook["cells"]) if isinstance(other, dict) and other.get("source") == source]
    target = diagnostic.cell - FIRST_CELL_NUMBER
    if len(starts) != len(twins) or target not in twins:
        return None
    return starts[twins.index(target)] + diagnostic.line


def _holds(file_line: str, source_line: str) -> bool:
    """Whether a line of the JSON file is exactly the JSON string ``source_line`` (plus the
    indentation and a trailing comma)."""
    encoded_variants = {json.dumps(source_line), json.dumps(source_line, ensure_ascii=False)}
    stripped = file_line.strip()
    stripped = stripped.removesuffix(",")
    return stripped in encoded_variants
