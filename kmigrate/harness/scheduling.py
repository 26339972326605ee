"""Scheduling shared by fixture and script verification: the scratch folder,
the worker pools, and the pipeline in which migration, legacy runs and
migrated runs overlap.

    migrator (1 thread)  : kmigrate CLI over every copy ───────────────┐
    legacy pool          : original 1, original 2, ...  ──┐            │
    modern pool          :            migrated 1 (needs legacy 1 and the migration), migrated 2, ...

Results come back in the order of the programs, whatever order they finish in.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from kmigrate.harness.discovery import Fixture
from kmigrate.harness.errors import HarnessError
from kmigrate.harness.migration import Migration, migrate_all, unmigrated
from kmigrate.harness.provision import LegacyRuntime
from kmigrate.harness.workers import Worker, WorkerPool, legacy_worker_command, modern_environment, \
    modern_worker_command

SCRATCH_MARKER = ".kmigrate-verify-scratch"
Result = TypeVar("Result")


def default_jobs() -> int:
    """Modern workers: one per core, at most two (each is a TF process of ~1 GB)."""
    return max(1, min(2, len(os.sched_getaffinity(0))))


@dataclass
class RunOptions:
    """What fixture and script verification share (runner.VerifyOptions, scripts.ScriptOptions)."""

    legacy_runtime: LegacyRuntime
    modern_python: str = sys.executable
    jobs: int = field(default_factory=default_jobs)  # modern workers
    scratch_dir: Path | None = None  # kept when given, else a temporary folder
    timeout: float = 600.0  # seconds one program may take on one side
    kmigrate_args: tuple[str, ...] = ()
    # What the programs are migrated to; tf_keras runs them with TF_USE_LEGACY_KERAS=1.
    target: str = "tf.keras"
    # Only run the originals under legacy Keras (nothing is migrated).
    legacy_only: bool = False
    # Test hook: edit each migrated file after the CLI (e.g. undo one rewrite).
    post_migrate: Callable[[Path], None] | None = None
    progress: Callable[[str], None] = lambda message: None


def migrations_for(programs: Sequence[Fixture], scratch: Path, options: RunOptions) -> dict[str, Migration]:
    if options.legacy_only:
        return unmigrated(programs)
    return migrate_all(programs, scratch, options.legacy_runtime.keras_version, options.kmigrate_args,
                       options.post_migrate, options.target)


def prepare_scratch(scratch_dir: Path | None) -> Path:
    """The given folder, emptied (only if an earlier run made it), or a new temporary one."""
    if scratch_dir:
        scratch = Path(scratch_dir).resolve()
        if scratch.exists() and any(scratch.iterdir()):
            if not (scratch / SCRATCH_MARKER).exists():
                raise HarnessError(f"refusing to empty {scratch}: not a folder of an earlier `kmigrate verify`")
            shutil.rmtree(scratch)
        scratch.mkdir(parents=True, exist_ok=True)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="kmigrate-verify-"))
    (scratch / SCRATCH_MARKER).write_text("scratch folder of kmigrate verify; emptied by the next run\n")
    (scratch / "logs").mkdir(exist_ok=True)
    return scratch


def scratch_to_report(scratch: Path, asked_for: bool, passed: bool) -> str:
    """A temporary scratch folder is removed when everything passed and kept (to inspect) otherwise;
    one the user asked for is always kept.  Returns the folder to report, "" when removed."""
    if not asked_for and passed:
        shutil.rmtree(scratch, ignore_errors=True)
        return ""
    return str(scratch)


@dataclass
class Pools:
    legacy: WorkerPool
    modern: WorkerPool

    def runtimes(self) -> dict:
        return {"legacy": self.legacy.versions(), "modern": self.modern.versions()}


def make_pools(logs: Path, runtime: LegacyRuntime, modern_python: str, target: str, modern_jobs: int,
               modern_per_legacy: int, script_runtime: Path | None = None, log_prefix: str = "") -> Pools:
    """``modern_jobs`` modern workers and one legacy worker per ``modern_per_legacy`` of them (the legacy
    side, TF1 graphs without round trips, is the faster one)."""
    modern_jobs = max(1, modern_jobs)
    legacy_jobs = max(1, modern_jobs // modern_per_legacy)
    legacy_command = legacy_worker_command(runtime, script_runtime)
    modern_command = modern_worker_command(modern_python, script_runtime)
    legacy_env, modern_env = runtime.environment(), modern_environment(target)
    return Pools(
        WorkerPool([Worker(f"legacy-{i}", legacy_command, legacy_env, logs / f"{log_prefix}legacy-{i}.log")
                    for i in range(legacy_jobs)]),
        WorkerPool([Worker(f"modern-{i}", modern_command, modern_env, logs / f"{log_prefix}modern-{i}.log")
                    for i in range(modern_jobs)]),
    )


def run_pipelined(programs: Sequence[Fixture], pools: Pools,
                  migrate: Callable[[], dict[str, Migration]],
                  run_legacy: Callable[[Fixture], dict],
                  run_migrated: Callable[[Fixture, Migration, dict], dict] | None,
                  conclude: Callable[[Fixture, Migration, dict, dict | None], Result]) -> tuple[list[Result], dict]:
    """Run every program on both sides and ``conclude`` each (in the programs' order).

    ``run_migrated`` gets the program's migration and its legacy answer (the migrated copy starts from
    the original's initial weights); None means legacy only: no modern worker is started.  Returns the
    results and the runtimes the workers reported.  Workers are stopped whatever happens.
    """
    legacy_only = run_migrated is None
    pools.legacy.start_all()
    if not legacy_only:
        pools.modern.start_all()
    try:
        with ThreadPoolExecutor(1) as migrator, \
                ThreadPoolExecutor(len(pools.legacy.workers)) as legacy_runs, \
                ThreadPoolExecutor(len(pools.modern.workers)) as modern_runs:
            migrations: Future[dict[str, Migration]] = migrator.submit(migrate)
            legacy_futures = {p.name: legacy_runs.submit(run_legacy, p) for p in programs}

            def migrated_run(program: Fixture) -> dict:
                assert run_migrated is not None
                return run_migrated(program, migrations.result()[program.name], legacy_futures[program.name].result())

            modern_futures = {} if legacy_only else {p.name: modern_runs.submit(migrated_run, p) for p in programs}
            results = []
            for program in programs:
                legacy = legacy_futures[program.name].result()
                modern = None if legacy_only else modern_futures[program.name].result()
                results.append(conclude(program, migrations.result()[program.name], legacy, modern))
            return results, pools.runtimes()
    finally:
        pools.legacy.stop_all()
        pools.modern.stop_all()
