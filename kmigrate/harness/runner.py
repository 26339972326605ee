"""Orchestration of `kmigrate verify`.

For every fixture: the original runs in a persistent legacy worker (genuine
Keras 2.x on TF 2.15), a copy is migrated by kmigrate's own CLI, and the
migrated copy runs in a persistent modern worker (TF 2.21) from the legacy
initial weights.  Legacy runs and modern runs are pipelined, so the two
runtimes work in parallel on consecutive fixtures.
"""

from __future__ import annotations

import difflib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from kmigrate.harness import compare
from kmigrate.harness.provision import COMPAT_LAYER, LegacyRuntime

WORKER_SCRIPT = Path(__file__).resolve().parent / "worker.py"
# The folder holding the kmigrate package (a checkout or site-packages): put on
# PYTHONPATH so that the migration CLI is this kmigrate.
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
# The fixtures exist only in a source checkout; an installed kmigrate has none.
CHECKOUT_FIXTURE_DIR = PACKAGE_PARENT / "fixtures" / "programs"
MIGRATION_TARGETS = ("tf.keras", "tf_keras")
STARTUP_TIMEOUT = 180.0
SCRATCH_MARKER = ".kmigrate-verify-scratch"


class HarnessError(RuntimeError):
    """The harness itself could not run (as opposed to a fixture failing)."""


# --------------------------------------------------------------------------
# Fixtures

@dataclass(frozen=True)
class Fixture:
    name: str
    path: Path


def default_fixture_dir() -> Path | None:
    return CHECKOUT_FIXTURE_DIR if CHECKOUT_FIXTURE_DIR.is_dir() else None


def discover_fixtures(selectors: tuple[str, ...] = (), fixture_dir: Path | None = None) -> list[Fixture]:
    """Programs named by ``selectors`` (names from the fixture folder, .py files
    or folders of them); all of the fixture folder when none are given.  The
    fixture folder defaults to the source checkout's ``fixtures/programs``."""
    fixture_dir = Path(fixture_dir) if fixture_dir else default_fixture_dir()

    def in_folder(folder: Path) -> list[Fixture]:
        return [Fixture(p.stem, p.resolve()) for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]

    if not selectors:
        if fixture_dir is None or not fixture_dir.is_dir():
            raise HarnessError("no programs given and no fixture folder: name scripts or folders to verify, "
                               "or pass --fixture-dir (the fixtures/programs folder of a kmigrate checkout)")
        return in_folder(fixture_dir)
    found: list[Fixture] = []
    for selector in selectors:
        path = Path(selector)
        if path.is_dir():
            found.extend(in_folder(path))
        elif path.suffix == ".py" and path.is_file():
            found.append(Fixture(path.stem, path.resolve()))
        elif fixture_dir is not None and (fixture_dir / f"{selector}.py").is_file():
            found.append(Fixture(selector, (fixture_dir / f"{selector}.py").resolve()))
        else:
            where = f"a name in {fixture_dir}" if fixture_dir else "a fixture name (no fixture folder: --fixture-dir)"
            raise HarnessError(f"no program {selector!r}: not a .py file, a folder, or {where}")
    names = [f.name for f in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise HarnessError(f"fixture names must be unique: {', '.join(duplicates)}")
    return found


# --------------------------------------------------------------------------
# Workers

class Worker:
    """One persistent worker process, driven over JSON lines."""

    def __init__(self, label: str, command: list[str], env: dict, log_path: Path):
        self.label = label
        self.command = command
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()
        self.versions: dict = {}
        self.startup_seconds = 0.0
        self._next_id = 0

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            env=self.env, text=True, bufsize=1, start_new_session=True,
        )
        log.close()
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self.process, self.lines), daemon=True).start()

    @staticmethod
    def _pump(process: subprocess.Popen, lines: queue.Queue) -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)  # end of stream: the process exited

    def _read(self, timeout: float) -> dict:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise HarnessError(f"{self.label} worker did not answer within {timeout:.0f} s (see {self.log_path})")
        if line is None:
            code = self.process.wait()
            self.process = None
            raise HarnessError(f"{self.label} worker exited with status {code} (see {self.log_path})")
        return json.loads(line)

    def ensure_ready(self) -> None:
        if self.process is not None and self.versions:
            return
        if self.process is None:
            self.start()
        hello = self._read(STARTUP_TIMEOUT)
        if not hello.get("ready"):
            raise HarnessError(f"{self.label} worker did not start: {hello}")
        self.versions = hello.get("versions", {})
        self.startup_seconds = hello.get("startup_seconds", 0.0)

    def request(self, payload: dict, timeout: float) -> dict:
        try:
            self.ensure_ready()
            self._next_id += 1
            payload = {**payload, "id": self._next_id}
            self.process.stdin.write(json.dumps(payload) + "\n")
            self.process.stdin.flush()
            return self._read(timeout)
        except (BrokenPipeError, OSError) as exc:
            self.stop()
            raise HarnessError(f"{self.label} worker crashed: {exc} (see {self.log_path})") from exc
        except HarnessError:
            self.versions = {}  # restart on next use
            raise

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
        self.versions = {}


class WorkerPool:
    """Idle workers of one runtime; a task borrows one for one fixture."""

    def __init__(self, workers: list[Worker]):
        self.workers = workers
        self.idle: queue.Queue = queue.Queue()
        for worker in workers:
            self.idle.put(worker)

    def start_all(self) -> None:
        for worker in self.workers:
            worker.start()  # start-up (TensorFlow import) overlaps with other work

    def run(self, payload: dict, timeout: float) -> dict:
        worker = self.idle.get()
        try:
            return worker.request(payload, timeout)
        finally:
            self.idle.put(worker)

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()


def legacy_worker_command(runtime: LegacyRuntime) -> list[str]:
    return [str(runtime.python), str(WORKER_SCRIPT), "--side", "legacy", "--compat", str(COMPAT_LAYER)]


def modern_worker_command(modern_python: str) -> list[str]:
    return [modern_python, str(WORKER_SCRIPT), "--side", "modern"]


# --------------------------------------------------------------------------
# Migration with kmigrate's own CLI

@dataclass
class Migration:
    path: Path  # the migrated copy
    exit_code: int | None = None
    changed: bool = False
    diff: str = ""
    output: str = ""
    error: str = ""


def migrate_all(fixtures: list[Fixture], scratch: Path, legacy_version: str, extra_args: tuple[str, ...],
                post_migrate: Callable[[Path], None] | None, target: str = "tf.keras") -> dict[str, Migration]:
    """Copy every fixture to ``scratch/migrated/<name>/`` and run the real CLI
    over that folder once (one LibCST start-up instead of one per fixture)."""
    root = scratch / "migrated"
    migrations = {}
    for fixture in fixtures:
        folder = root / fixture.name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(fixture.path, folder / fixture.path.name)
        migrations[fixture.name] = Migration(folder / fixture.path.name)
    # Tell kmigrate which legacy Keras the originals run on, the way a project
    # would: version-dependent rules (hard_sigmoid gates, 'acc' keys) read it.
    (root / "pyproject.toml").write_text(f'[tool.kmigrate]\nfrom-version = "{legacy_version}"\n')
    command = [sys.executable, "-m", "kmigrate", "--target", target, *extra_args, str(root)]
    done = _run_cli(command)
    if _crashed(done) and len(fixtures) > 1:
        # A tool error: migrate one by one to pin it on the fixture(s) that cause it.
        for fixture in fixtures:
            one = migrations[fixture.name]
            shutil.copy2(fixture.path, one.path)
            single = _run_cli([*command[:-1], str(one.path.parent)])
            _record(one, fixture, single, post_migrate)
    else:
        for fixture in fixtures:
            _record(migrations[fixture.name], fixture, done, post_migrate)
    (scratch / "kmigrate-output.txt").write_text(done.stdout + done.stderr)
    return migrations


def _crashed(done: subprocess.CompletedProcess) -> bool:
    return done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr


def _run_cli(command: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_PARENT), *filter(None, [env.get("PYTHONPATH")])])
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=900, env=env,
                              cwd=Path(command[-1]).parent)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(command, 2, "", f"kmigrate timed out: {exc}")


def _record(migration: Migration, fixture: Fixture, done: subprocess.CompletedProcess,
            post_migrate: Callable[[Path], None] | None) -> None:
    migration.exit_code = done.returncode
    text = done.stdout + done.stderr
    # Keep the CLI's lines about this file (findings are reported per file).
    mine = [line for line in text.splitlines() if fixture.path.name in line or f"/{fixture.name}/" in line]
    migration.output = "\n".join(mine) if mine else ""
    # Exit 1 means "rewritten"; an uncaught exception also exits 1, so look for it.
    if _crashed(done):
        migration.error = "\n".join(text.strip().splitlines()[-5:]) or f"kmigrate exited with status {done.returncode}"
    if post_migrate is not None:
        post_migrate(migration.path)
    original = fixture.path.read_text().splitlines(keepends=True)
    migrated = migration.path.read_text().splitlines(keepends=True)
    migration.changed = original != migrated
    migration.diff = "".join(difflib.unified_diff(original, migrated, f"original/{fixture.path.name}",
                                                  f"migrated/{fixture.path.name}"))


# --------------------------------------------------------------------------
# Results

@dataclass
class FixtureResult:
    name: str
    path: str
    checks: list[compare.Check]
    migration: Migration
    legacy_seconds: float = 0.0
    modern_seconds: float = 0.0
    errors: dict = field(default_factory=dict)  # step -> traceback, for the report

    @property
    def passed(self) -> bool:
        return all(check.status in (compare.PASS, compare.SKIP) for check in self.checks)

    def check(self, name: str) -> compare.Check | None:
        return next((c for c in self.checks if c.name == name), None)


@dataclass
class VerifyReport:
    fixtures: list[FixtureResult]
    seconds: float
    provision_seconds: float
    runtimes: dict
    scratch: str

    @property
    def passed(self) -> bool:
        return bool(self.fixtures) and all(f.passed for f in self.fixtures)


def default_jobs() -> int:
    """Modern workers: one per core, at most two (each is a TF process of ~1 GB)."""
    return max(1, min(2, len(os.sched_getaffinity(0))))


@dataclass
class VerifyOptions:
    legacy_runtime: LegacyRuntime
    modern_python: str = sys.executable
    jobs: int = field(default_factory=lambda: default_jobs())
    scratch_dir: Path | None = None  # kept when given, else a temporary folder
    timeout: float = 600.0
    kmigrate_args: tuple[str, ...] = ()
    # Test hook: edit each migrated file after the CLI (e.g. undo one rewrite).
    post_migrate: Callable[[Path], None] | None = None
    progress: Callable[[str], None] = lambda message: None
    # Only run the originals under legacy Keras (to check a program follows the contract).
    legacy_only: bool = False
    # What the programs are migrated to; tf_keras runs them with TF_USE_LEGACY_KERAS=1.
    target: str = "tf.keras"
    # Also save each legacy model's predictions for the model-file checks (verify --models).
    model_files: bool = False


def load_arrays(path: str | None) -> dict:
    if not path or not os.path.exists(path):
        return {}
    with np.load(path, allow_pickle=False) as stored:
        return {key: stored[key] for key in stored.files}


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
    return scratch


def modern_environment(target: str) -> dict:
    env = dict(os.environ)
    env.pop("TF_USE_LEGACY_KERAS", None)
    if target == "tf_keras":
        env["TF_USE_LEGACY_KERAS"] = "1"  # before the worker imports TensorFlow
    return env


def run_verification(fixtures: list[Fixture], options: VerifyOptions) -> VerifyReport:
    started = time.perf_counter()
    scratch = prepare_scratch(options.scratch_dir)
    logs = scratch / "logs"
    logs.mkdir()
    modern_jobs = max(1, options.jobs)
    # The legacy side (TF1 graphs, no round trips) is several times faster than the
    # migrated side, so one legacy worker keeps up with up to three modern ones.
    legacy_jobs = max(1, modern_jobs // 3)
    legacy_env = options.legacy_runtime.environment()
    modern_env = modern_environment(options.target)
    legacy_pool = WorkerPool([Worker(f"legacy-{i}", legacy_worker_command(options.legacy_runtime), legacy_env,
                                     logs / f"legacy-{i}.log") for i in range(legacy_jobs)])
    modern_pool = WorkerPool([Worker(f"modern-{i}", modern_worker_command(options.modern_python), modern_env,
                                     logs / f"modern-{i}.log") for i in range(modern_jobs)])
    legacy_pool.start_all()
    if not options.legacy_only:
        modern_pool.start_all()
    try:
        with ThreadPoolExecutor(1) as migrator, ThreadPoolExecutor(legacy_jobs) as legacy_runs, \
                ThreadPoolExecutor(modern_jobs) as modern_runs:
            if options.legacy_only:
                migrations: Future = migrator.submit(lambda: {f.name: Migration(f.path) for f in fixtures})
            else:
                migrations = migrator.submit(migrate_all, fixtures, scratch,
                                             options.legacy_runtime.keras_version, options.kmigrate_args,
                                             options.post_migrate, options.target)
            legacy_futures = {
                f.name: legacy_runs.submit(_run_side, legacy_pool, f.path, scratch / "runs" / f.name / "legacy",
                                           {"model_files": True} if options.model_files else {}, options.timeout)
                for f in fixtures
            }
            modern_futures = {
                f.name: modern_runs.submit(_run_migrated, modern_pool, f, scratch, migrations,
                                           legacy_futures[f.name], options)
                for f in fixtures if not options.legacy_only
            }
            results = []
            for fixture in fixtures:
                legacy = legacy_futures[fixture.name].result()
                if options.legacy_only:
                    result = _evaluate_legacy_only(fixture, migrations.result()[fixture.name], legacy)
                else:
                    result = _evaluate(fixture, migrations.result()[fixture.name], legacy,
                                       modern_futures[fixture.name].result())
                options.progress(f"{fixture.name}: {'pass' if result.passed else 'FAIL'}")
                results.append(result)
            runtimes = {"legacy": _versions(legacy_pool), "modern": _versions(modern_pool)}
    finally:
        legacy_pool.stop_all()
        modern_pool.stop_all()
    report = VerifyReport(results, time.perf_counter() - started, options.legacy_runtime.provision_seconds,
                          runtimes, str(scratch))
    if options.scratch_dir is None and report.passed:
        shutil.rmtree(scratch, ignore_errors=True)  # kept only when something failed, to inspect
        report.scratch = ""
    return report


def _versions(pool: WorkerPool) -> dict:
    worker = pool.workers[0]
    return {**worker.versions, "startup_seconds": worker.startup_seconds}


def _run_side(pool: WorkerPool, program: Path, workdir: Path, extra: dict, timeout: float) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        answer = pool.run({"fixture": str(program), "workdir": str(workdir), **extra}, timeout)
    except HarnessError as exc:
        answer = {"ok": False, "error": str(exc)}
    answer["seconds"] = time.perf_counter() - started
    return answer


def _run_migrated(pool: WorkerPool, fixture: Fixture, scratch: Path, migrations: Future,
                  legacy: Future, options: VerifyOptions) -> dict:
    migration = migrations.result()[fixture.name]
    legacy_answer = legacy.result()
    legacy_dir = scratch / "runs" / fixture.name / "legacy"
    if migration.error or not legacy_answer.get("ok") \
            or not legacy_answer["steps"].get("initial_weights", {}).get("ok"):
        return {"ok": False, "error": "not run: " + ("migration failed" if migration.error else
                                                     "the original did not run under legacy Keras"),
                "not_run": True, "seconds": 0.0}
    return _run_side(pool, migration.path, scratch / "runs" / fixture.name / "modern",
                     {"initial_weights": str(legacy_dir / "initial_weights.npz"),
                      "legacy_h5": str(legacy_dir / "legacy_model.h5")}, options.timeout)


def _evaluate_legacy_only(fixture: Fixture, migration: Migration, legacy: dict) -> FixtureResult:
    problem = legacy.get("error") if not legacy.get("ok") else \
        compare.step_failure(legacy["steps"], (*compare.LEGACY_STEPS, "legacy_save"))
    errors = {f"legacy:{step}": report["traceback"]
              for step, report in legacy.get("steps", {}).items() if report.get("traceback")}
    check = compare.Check("legacy_run", compare.ERROR if problem else compare.PASS, detail=problem or "")
    return FixtureResult(fixture.name, str(fixture.path), [check], migration, legacy.get("seconds", 0.0),
                         errors=errors)


def _evaluate(fixture: Fixture, migration: Migration, legacy: dict, modern: dict) -> FixtureResult:
    checks = [compare.Check("migrate", compare.ERROR if migration.error else compare.PASS,
                            detail=migration.error or ("rewritten" if migration.changed else "unchanged"))]
    errors = {}
    if not legacy.get("ok"):
        checks.append(compare.Check("legacy_run", compare.ERROR, detail=legacy.get("error", "")))
    elif not modern.get("ok") and not modern.get("not_run"):
        checks.append(compare.Check("migrated_run", compare.FAIL, detail=modern.get("error", "")))
    if legacy.get("ok") and (modern.get("ok") or modern.get("not_run")):
        info = legacy.get("info", {})
        # A migrated copy that was never started fails at its first step.
        modern_steps = modern.get("steps") or {"data": {"ok": False, "error": modern.get("error", "")}}
        checks.extend(compare.evaluate(
            legacy["steps"], load_arrays(legacy.get("arrays")),
            modern_steps, load_arrays(modern.get("arrays")),
            info.get("not_comparable"), info.get("tolerances"),
        ))
    for side, answer in (("legacy", legacy), ("migrated", modern)):
        for step, report in answer.get("steps", {}).items():
            if report.get("traceback"):
                errors[f"{side}:{step}"] = report["traceback"]
    return FixtureResult(fixture.name, str(fixture.path), checks, migration,
                         legacy.get("seconds", 0.0), modern.get("seconds", 0.0), errors)
