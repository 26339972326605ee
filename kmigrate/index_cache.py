"""The project index kept between runs.

A pre-commit hook passes the one or two files of a commit, but the answers for them come from
the whole project (``kmigrate.project``): summarizing a 10,000-file repository with ``ast``
took 15 s on every commit. The summaries are therefore kept per project root in the user's
cache folder (never in the project itself), and a run summarizes again only the files whose
size or modification time changed since; files that went away are dropped.

* Where: ``$KMIGRATE_CACHE_DIR``, else ``$XDG_CACHE_HOME/kmigrate``, else ``~/.cache/kmigrate``,
  in ``project-index/``. ``--no-cache`` or ``KMIGRATE_NO_CACHE=1`` turns it off.
* A cache written by another kmigrate (another version, or other code that shapes the
  summaries) or another Python is ignored: its key is a hash of both.
* A file modified in the last two seconds before the cache is written is not cached (it could
  change again within the same timestamp, as git's "racily clean" entries can).
* The cache is only ever a shortcut: one that cannot be read is rebuilt, one that cannot be
  written is skipped, without a word.
* Indexes of projects no run has touched for 30 days are deleted when another is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

from kmigrate import __version__

# (size, mtime in ns) of a file when it was summarized, and its summary (a project.ModuleSummary;
# None: it did not parse). The summaries are pickled as they are: this module needs not know them.
Entry = tuple[int, int, Any]

# Files changed this recently are summarized again next time instead of being trusted.
_RACY_NS = 2_000_000_000
# An index no run has read or written for this long belongs to a project that is gone or done.
_UNUSED_SECONDS = 30 * 24 * 3600


def cache_home() -> Path:
    """kmigrate's cache folder, shared with the verification harness (its legacy runtimes):
    ``$KMIGRATE_CACHE_DIR``, else ``$XDG_CACHE_HOME/kmigrate``, else ``~/.cache/kmigrate``."""
    if os.environ.get("KMIGRATE_CACHE_DIR"):
        return Path(os.environ["KMIGRATE_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "kmigrate"
    return Path.home() / ".cache" / "kmigrate"


def cache_folder() -> Path | None:
    """Where project indexes are kept; None when caching is off."""
    if os.environ.get("KMIGRATE_NO_CACHE", "").strip() not in ("", "0"):
        return None
    return cache_home() / "project-index"


@cache
def format_key() -> str:
    """What the summaries depend on: kmigrate's version and code, and the Python reading it."""
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted((*package.glob("*.py"), *package.glob("data/*.json"))):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class IndexCache:
    """The summaries of one project root from the last run, and what this run adds."""

    def __init__(self, root: Path, file: Path | None, entries: dict[str, Entry]) -> None:
        self.root = root
        self.file = file
        self.entries = entries  # absolute path -> Entry, as read

    @classmethod
    def load(cls, root: Path) -> IndexCache:
        folder = cache_folder()
        if folder is None:
            return cls(root, None, {})
        file = folder / (hashlib.sha256(str(root).encode()).hexdigest()[:24] + ".pickle")
        try:
            with open(file, "rb") as handle:
                stored = pickle.load(handle)
            if stored["format"] != format_key() or stored["root"] != str(root):
                stored = None
        except Exception:  # missing, truncated, from an older kmigrate: start afresh
            stored = None
        if stored:
            with contextlib.suppress(OSError):
                os.utime(file)  # in use (see _forget_unused), even when nothing changes
        return cls(root, file, stored["entries"] if stored else {})

    def summary(self, path: str, size: int, mtime_ns: int) -> tuple[bool, Any]:
        """(found, summary): the cached summary of ``path`` if the file is as it was then."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != size or entry[1] != mtime_ns:
            return False, None
        return True, entry[2]

    def save(self, summaries: dict[str, Entry], summarized: int) -> None:
        """Keep ``summaries`` (this run's, every file of the project) for the next run;
        ``summarized``: how many of them were not taken from this cache."""
        if self.file is None or (not summarized and summaries.keys() == self.entries.keys()):
            return  # nothing new, nothing gone
        settled = time.time_ns() - _RACY_NS
        entries = {path: entry for path, entry in summaries.items() if entry[1] < settled}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump({"format": format_key(), "root": str(self.root), "entries": entries}, stream,
                                protocol=pickle.HIGHEST_PROTOCOL)  # fmt: skip
                os.replace(temporary, self.file)  # two runs at once: the last one's stays, whole
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return  # a read-only home, a full disk: the next run summarizes again
        _forget_unused(self.file.parent)


def _forget_unused(folder: Path) -> None:
    """Delete the indexes of projects no run has used for ``_UNUSED_SECONDS``."""
    oldest = time.time() - _UNUSED_SECONDS
    for file in folder.glob("*.pickle"):
        try:
            status = file.stat()
            if max(status.st_mtime, status.st_atime) < oldest:
                file.unlink()
        except OSError:
            continue
