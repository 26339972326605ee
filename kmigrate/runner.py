"""Run the pipeline over many files, in a process pool when it pays."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from kmigrate.diagnostics import FileResult, Status
from kmigrate.output_tree import OutputPlan, copy_file, write_new_atomically
from kmigrate.pipeline import migrate_path
from kmigrate.project import ProjectIndex, find_project_root
from kmigrate.settings import Settings

# Below this many files a pool costs more (process start-up, imports) than it saves.
POOL_THRESHOLD = 8


class Mode(str, Enum):
    WRITE = "write"  # rewrite files in place
    DIFF = "diff"  # print a unified diff, write nothing
    CHECK = "check"  # list files that would change, write nothing
    COPY = "copy"  # write the migrated tree into --output-dir, leave the sources alone


# The project indexes of this run, by root; set once per worker process (see _init_worker).
_PROJECTS: dict[str, ProjectIndex] = {}


@dataclass(frozen=True)
class _Job:
    path: str
    settings: Settings
    mode: Mode
    report_fixes: bool
    root: str | None = None  # key of the file's project index in _PROJECTS
    keep_texts: bool = False  # ship the original and migrated texts back (SARIF fixes)
    destination: str | None = None  # where the copy goes (Mode.COPY)

    def __call__(self) -> FileResult:
        project = _PROJECTS.get(self.root) if self.root is not None else None
        return run_one(
            self.path, self.settings, self.mode, self.report_fixes, project, self.keep_texts, self.destination
        )


def _init_worker(projects: dict[str, ProjectIndex]) -> None:
    _PROJECTS.clear()
    _PROJECTS.update(projects)


def index_projects(paths: Sequence[str], jobs: int = 1, cached: bool = False) -> dict[str, str]:
    """Index the project each file belongs to, once per project; file -> project root.

    The index is built from the project root, not from the paths given, so a pre-commit
    hook that passes three files gets the same answers as a run over the whole tree;
    ``cached``: from the summaries of the last run where files are unchanged, so that it
    does not pay for the whole tree each time either.
    """
    _PROJECTS.clear()  # files may have changed since an earlier run in this process
    roots: dict[str, str] = {}
    by_folder: dict[str, str] = {}
    for path in paths:
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in by_folder:
            by_folder[folder] = str(find_project_root(Path(folder)))
        root = by_folder[folder]
        roots[path] = root
        if root not in _PROJECTS:
            _PROJECTS[root] = ProjectIndex.build(Path(root), jobs=jobs, cached=cached)
    return roots


def project_for(path: str, jobs: int = 1, cached: bool = False) -> ProjectIndex | None:
    """The index of the project that contains ``path`` (stdin: its --stdin-filename or cwd)."""
    roots = index_projects([path], jobs, cached)
    return _PROJECTS.get(roots[path])


def run_one(
    path: str, settings: Settings, mode: Mode, report_fixes: bool = True, project: ProjectIndex | None = None,
    keep_texts: bool = False, destination: str | None = None,
) -> FileResult:  # fmt: skip
    result = migrate_path(path, settings, write=mode is Mode.WRITE, report_fixes=report_fixes, project=project)
    if destination is not None:
        _write_copy(result, destination)
    if mode is not Mode.DIFF:
        # Only a diff needs the texts (and SARIF fixes the two texts); do not ship them back
        # from a worker for nothing.
        if not keep_texts:
            result.original = result.output = None
        result.output_bytes = None
        result.sections = None
    return result


def _write_copy(result: FileResult, destination: str) -> None:
    """The migrated file into the output folder; anything not migrated (unchanged, skipped, an
    error) is copied with its original bytes, so the copy is always a whole project."""
    try:
        if result.status is Status.CHANGED:
            write_new_atomically(destination, result.output_bytes or b"", stat.S_IMODE(os.stat(result.path).st_mode))
            result.written = True
        else:
            copy_file(result.path, destination)
    except OSError as exc:
        if result.status is not Status.ERROR:  # an unreadable source is already reported
            result.status = Status.ERROR
            result.error = f"cannot write the copy {destination}: {exc.strerror or exc}"


def _call_batch(batch: list[_Job]) -> list[FileResult]:
    return [job() for job in batch]


def _batches(order: list[int], sizes: list[int], workers: int) -> list[list[int]]:
    """``order`` (largest file first) cut into batches of about equal bytes, some two dozen per
    worker: few enough that handing them out costs nothing, small enough that the last ones
    end together (a fixed number of files per batch left one worker on a batch of large files
    while the other idled). The smallest files, at the end, go many to a batch."""
    budget = max(1, sum(sizes) // (workers * 24))
    batches: list[list[int]] = []
    current: list[int] = []
    filled = 0
    for index in order:
        current.append(index)
        filled += sizes[index]
        if filled >= budget or len(current) >= 256:
            batches.append(current)
            current, filled = [], 0
    if current:
        batches.append(current)
    return batches


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def run_all(
    paths: Sequence[str],
    settings: Settings,
    mode: Mode,
    jobs: int,
    on_result: Callable[[FileResult], None] = lambda result: None,
    report_fixes: bool = True,
    keep_texts: bool = False,
    plan: OutputPlan | None = None,
    cached_index: bool = False,
) -> Iterator[FileResult]:
    """Yield one result per path, in the order of ``paths``."""
    # The whole project is indexed even for one file (a pre-commit hook): with every core.
    roots = index_projects(paths, jobs, cached_index)
    jobs_list = [
        _Job(path, settings, mode, report_fixes, roots.get(path), keep_texts,
             plan.destination(path) if plan is not None else None)
        for path in paths
    ]  # fmt: skip
    if jobs <= 1 or len(jobs_list) < POOL_THRESHOLD:
        for job in jobs_list:
            result = job()
            on_result(result)
            yield result
        return
    workers = min(jobs, len(jobs_list))
    projects = {root: _PROJECTS[root] for root in set(roots.values())}
    for project in projects.values():
        project.settle_involvement()
    # Largest files first: a big file handed out last would keep one core busy while the others
    # idle. Results come back in that order and are yielded in the order of ``paths``.
    sizes = [_size(path) for path in paths]
    order = sorted(range(len(jobs_list)), key=lambda index: -sizes[index])
    batches = _batches(order, sizes, workers)
    arrived: dict[int, FileResult] = {}
    following = 0  # the next index of ``paths`` to yield
    # The workers are forked with the project indexes already built: they read them from pages
    # shared with this process instead of receiving a pickled copy each. Frozen objects are left
    # alone by the garbage collector, whose passes would otherwise write to every page holding
    # an index object and so make each worker copy the whole index (a 10,000-module index is
    # about 100 MB).
    gc.collect()
    gc.freeze()
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_init_worker,
                             initargs=(projects,)) as pool:  # fmt: skip
        try:
            batch_results = pool.map(_call_batch, [[jobs_list[index] for index in batch] for batch in batches])
            for batch, results in zip(batches, batch_results):
                for index, result in zip(batch, results):
                    on_result(result)
                    arrived[index] = result
                while following in arrived:
                    yield arrived.pop(following)
                    following += 1
        except BaseException:
            # Ctrl-C or a crash: stop handing out files; files written so far are whole.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            gc.unfreeze()


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork on Linux: the workers inherit the indexes instead of unpickling a copy each. Other
    platforms keep their default start method (macOS and Windows spawn: forking is unsafe
    there), which pickles the indexes once per worker through ``initargs``."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reported by the worker that reads it


def count(results: Sequence[FileResult]) -> dict[str, int]:
    return {
        "scanned": len(results),
        "changed": sum(r.status is Status.CHANGED for r in results),
        "unchanged": sum(r.status is Status.UNCHANGED for r in results),
        "skipped": sum(r.status is Status.SKIPPED for r in results),
        "findings": sum(len(r.findings) for r in results),
        "errors": sum(r.status is Status.ERROR for r in results),
    }
