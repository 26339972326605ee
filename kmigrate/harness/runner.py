"""Orchestration of `kmigrate verify` for contract fixtures.

For every fixture: the original runs in a persistent legacy worker (genuine
Keras 2.x on TF 2.15), a copy is migrated by kmigrate's own CLI, and the
migrated copy runs in a persistent modern worker (TF 2.21) from the legacy
initial weights; then the two runs are compared check by check.

The parts live in their own modules: which programs run (discovery.py), the
worker processes (workers.py), the migration (migration.py) and the pipeline
that overlaps them (scheduling.py).  The names other code used from here are
re-exported below.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial

from kmigrate.harness import compare
from kmigrate.harness.discovery import (
    CHECKOUT_FIXTURE_DIR,
    PACKAGE_PARENT,
    Fixture,
    default_fixture_dir,
    discover_fixtures,
)
from kmigrate.harness.errors import HarnessError
from kmigrate.harness.migration import MIGRATION_TARGETS, Migration, migrate_all
from kmigrate.harness.scheduling import (
    RunOptions,
    default_jobs,
    make_pools,
    migrations_for,
    prepare_scratch,
    run_pipelined,
    scratch_to_report,
)
from kmigrate.harness.workers import WORKER_SCRIPT, Worker, WorkerPool, load_arrays

__all__ = [
    "FixtureResult", "VerifyOptions", "VerifyReport", "run_verification",
    # re-exported: where they used to be defined
    "CHECKOUT_FIXTURE_DIR", "MIGRATION_TARGETS", "PACKAGE_PARENT", "WORKER_SCRIPT", "Fixture", "HarnessError",
    "Migration", "Worker", "WorkerPool", "default_fixture_dir", "default_jobs", "discover_fixtures",
    "load_arrays", "migrate_all",
]

# The legacy side (TF1 graphs, no round trips) is several times faster than the
# migrated side, so one legacy worker keeps up with up to three modern ones.
MODERN_PER_LEGACY = 3


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


@dataclass
class VerifyOptions(RunOptions):
    # Also save each legacy model's predictions for the model-file checks (verify --models).
    model_files: bool = False


def run_verification(fixtures: list[Fixture], options: VerifyOptions) -> VerifyReport:
    started = time.perf_counter()
    scratch = prepare_scratch(options.scratch_dir)
    pools = make_pools(scratch / "logs", options.legacy_runtime, options.modern_python, options.target,
                       options.jobs, MODERN_PER_LEGACY)

    def run_legacy(fixture: Fixture) -> dict:
        workdir = scratch / "runs" / fixture.name / "legacy"
        workdir.mkdir(parents=True, exist_ok=True)
        extra = {"model_files": True} if options.model_files else {}
        return pools.legacy.ask({"fixture": str(fixture.path), "workdir": str(workdir), **extra}, options.timeout)

    def run_migrated(fixture: Fixture, migration: Migration, legacy: dict) -> dict:
        if migration.error or not legacy.get("ok") or not legacy["steps"].get("initial_weights", {}).get("ok"):
            return {"ok": False, "not_run": True, "seconds": 0.0,
                    "error": "not run: " + ("migration failed" if migration.error else
                                            "the original did not run under legacy Keras")}
        legacy_dir = scratch / "runs" / fixture.name / "legacy"
        workdir = scratch / "runs" / fixture.name / "modern"
        workdir.mkdir(parents=True, exist_ok=True)
        return pools.modern.ask({"fixture": str(migration.path), "workdir": str(workdir),
                                 "initial_weights": str(legacy_dir / "initial_weights.npz"),
                                 "legacy_h5": str(legacy_dir / "legacy_model.h5")}, options.timeout)

    def conclude(fixture: Fixture, migration: Migration, legacy: dict, modern: dict | None) -> FixtureResult:
        result = _evaluate_legacy_only(fixture, migration, legacy) if modern is None \
            else _evaluate(fixture, migration, legacy, modern)
        options.progress(f"{fixture.name}: {'pass' if result.passed else 'FAIL'}")
        return result

    migrate = partial(migrations_for, fixtures, scratch, options)
    results, runtimes = run_pipelined(fixtures, pools, migrate, run_legacy,
                                      None if options.legacy_only else run_migrated, conclude)
    report = VerifyReport(results, time.perf_counter() - started, options.legacy_runtime.provision_seconds,
                          runtimes, str(scratch))
    report.scratch = scratch_to_report(scratch, options.scratch_dir is not None, report.passed)
    return report


def _step_tracebacks(side: str, answer: dict) -> dict:
    return {f"{side}:{step}": report["traceback"]
            for step, report in answer.get("steps", {}).items() if report.get("traceback")}


def _evaluate_legacy_only(fixture: Fixture, migration: Migration, legacy: dict) -> FixtureResult:
    problem = legacy.get("error") if not legacy.get("ok") else \
        compare.step_failure(legacy["steps"], (*compare.LEGACY_STEPS, "legacy_save"))
    check = compare.Check("legacy_run", compare.ERROR if problem else compare.PASS, detail=problem or "")
    return FixtureResult(fixture.name, str(fixture.path), [check], migration, legacy.get("seconds", 0.0),
                         errors=_step_tracebacks("legacy", legacy))


def _evaluate(fixture: Fixture, migration: Migration, legacy: dict, modern: dict) -> FixtureResult:
    checks = [compare.Check("migrate", compare.ERROR if migration.error else compare.PASS,
                            detail=migration.error or ("rewritten" if migration.changed else "unchanged"))]
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
    errors = {**_step_tracebacks("legacy", legacy), **_step_tracebacks("migrated", modern)}
    return FixtureResult(fixture.name, str(fixture.path), checks, migration,
                         legacy.get("seconds", 0.0), modern.get("seconds", 0.0), errors)
