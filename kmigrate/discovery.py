"""Which files a run looks at: Python sources and other documents under the given paths, minus
what is skipped."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Iterator

from kmigrate.documents import is_document

SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", "site-packages", "build", "dist", ".tox", ".nox",
     ".mypy_cache", ".pytest_cache", ".ipynb_checkpoints", "node_modules", ".eggs"}
)  # fmt: skip


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir()


def _excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, pattern)
        or fnmatch.fnmatch(path.name, pattern)
        or fnmatch.fnmatch(text, f"*/{pattern}")
        or fnmatch.fnmatch(text, f"{pattern.rstrip('/')}/*")
        or fnmatch.fnmatch(text, f"*/{pattern.rstrip('/')}/*")
        for pattern in patterns
    )


def discover(paths: Iterable[str], exclude: tuple[str, ...] = ()) -> Iterator[str]:
    """Yield source files under ``paths`` in a stable order, each once.

    A file named explicitly is always taken (unless excluded), whatever its suffix; folders
    are walked for ``*.py`` and the documents of ``kmigrate.documents``, skipping version control, caches, virtual environments and
    build output.  Missing paths raise FileNotFoundError for the caller to report.
    """
    seen: set[str] = set()
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise FileNotFoundError(given)
        if root.is_file():
            if not _excluded(root, exclude) and str(root) not in seen:
                seen.add(str(root))
                yield str(root)
            continue
        for folder, subfolders, files in os.walk(root):
            here = Path(folder)
            subfolders[:] = sorted(
                name
                for name in subfolders
                if name not in SKIPPED_DIRS
                and not name.endswith(".egg-info")
                and not _is_virtualenv(here / name)
                and not _excluded(here / name, exclude)
            )
            for name in sorted(files):
                path = here / name
                if is_document(str(path)) and not _excluded(path, exclude):
                    key = str(path)
                    if key not in seen:
                        seen.add(key)
                        yield key
