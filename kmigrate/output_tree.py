"""``--output-dir``: the migrated project written beside the original, for review.

Where files go: with one folder, DIR mirrors that folder (``kmigrate --output-dir out src``
writes ``src/a/b.py`` to ``out/a/b.py``); otherwise (one file, several paths) DIR mirrors the
paths relative to their nearest common folder (``kmigrate --output-dir out app lib`` writes
``out/app/...`` and ``out/lib/...``; ``kmigrate --output-dir out src/train.py`` writes
``out/train.py``).  Every other file under the given folders is copied as it is, so the copy is
a whole project; the folders discovery never walks (``.git``, virtual environments, caches,
``build``, ``dist``) are left out.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kmigrate.discovery import SKIPPED_DIRS, _is_virtualenv


class OutputDirError(ValueError):
    """The output folder cannot be used with these paths."""


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class OutputPlan:
    output_dir: str  # absolute, real path
    base: str  # absolute folder the given paths are taken relative to
    given: tuple[str, ...]

    @classmethod
    def make(cls, paths: Sequence[str], output_dir: str) -> OutputPlan:
        out = os.path.realpath(output_dir)
        if os.path.exists(out) and not os.path.isdir(out):
            raise OutputDirError(f"--output-dir {output_dir} exists and is not a folder")
        for given in paths:
            real = os.path.realpath(given)
            if os.path.isdir(real) and _inside(out, real):
                raise OutputDirError(
                    f"--output-dir {output_dir} is {'the folder' if out == real else 'inside'} {given}, "
                    "which is being migrated: choose a folder outside it"
                )  # fmt: skip
            if _inside(real, out):
                raise OutputDirError(f"--output-dir {output_dir} contains {given}: choose a folder outside the sources")
        absolute = [os.path.abspath(p) for p in paths]
        if len(absolute) == 1 and os.path.isdir(absolute[0]):
            base = absolute[0]
        else:
            base = os.path.commonpath([os.path.dirname(p) for p in absolute])
        return cls(out, base, tuple(paths))

    def destination(self, path: str) -> str:
        return os.path.join(self.output_dir, os.path.relpath(os.path.abspath(path), self.base))


def write_new_atomically(path: str, data: bytes, mode: int | None = None) -> None:
    """Create or replace ``path`` with ``data`` through a temporary file in its folder: a
    reader sees no file, the old one, or the whole new one."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".kmigrate-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename makes it visible
        if mode is not None:
            os.chmod(temporary, mode)
        if os.path.islink(path):  # never write through a link that sits in the copy
            os.unlink(path)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def copy_file(source: str, destination: str) -> None:
    """Copy one file (a symbolic link stays a link) atomically, keeping its permission bits."""
    if os.path.islink(source):
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if os.path.lexists(destination):
            os.unlink(destination)
        os.symlink(os.readlink(source), destination)
        return
    with open(source, "rb") as handle:
        data = handle.read()
    write_new_atomically(destination, data, stat.S_IMODE(os.stat(source).st_mode))


def untouched_files(plan: OutputPlan, migrated: Iterable[str]) -> list[str]:
    """Files under the given folders that the run does not migrate, in a stable order."""
    taken = {os.path.abspath(p) for p in migrated}
    found: list[str] = []
    for given in plan.given:
        if not os.path.isdir(given):
            continue
        for folder, subfolders, files in os.walk(given):
            here = folder
            kept = []
            for name in sorted(subfolders):
                full = os.path.join(here, name)
                if name in SKIPPED_DIRS or name.endswith(".egg-info") or _is_virtualenv(Path(full)):
                    continue
                if os.path.islink(full):
                    found.append(full)  # a linked folder is copied as the link
                    continue
                kept.append(name)
            subfolders[:] = kept
            for name in sorted(files):
                full = os.path.join(here, name)
                if os.path.abspath(full) not in taken:
                    found.append(full)
    unique: dict[str, None] = dict.fromkeys(found)
    return list(unique)


def copy_untouched(plan: OutputPlan, migrated: Iterable[str]) -> list[tuple[str, str]]:
    """Copy every untouched file into the output folder; (path, error) for each that failed."""
    failures = []
    for path in untouched_files(plan, migrated):
        try:
            copy_file(path, plan.destination(path))
        except OSError as exc:
            failures.append((path, f"cannot copy: {exc.strerror or exc}"))
    return failures
