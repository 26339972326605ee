"""Model files in the verification: legacy ``.h5`` files converted with
`kmigrate convert-model` must load in TF 2.21 with plain ``load_model`` and
predict what the legacy model predicted, also after a re-save and reload.

Used by ``kmigrate verify --models`` (each fixture's legacy ``legacy_model.h5``,
saved by the legacy worker with the inputs and predictions of ``model.predict``)
and by the tests over ``tests/data/legacy_models``.  Every TF 2.21 load runs in
a fresh process (``model_file_check.py``) that imports nothing but TensorFlow:
the converted file must stand on its own.  Two processes per check, whatever
the number of files: one loads the converted files and saves them again as
``.keras``, the next loads those.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHECK_SCRIPT = Path(__file__).resolve().parent / "model_file_check.py"
PREDICTION_TOLERANCE = 1e-6  # absolute, as the issue asks for model files
CHECK_TIMEOUT = 900

# Outcomes of one model file.
EQUAL = "equal"  # converted, loads, same predictions before and after a re-save
NOT_CONVERTED = "not converted"  # the converter reported why (a Lambda, a custom layer, ...)
DIFFERS = "differs"  # converted, but does not load or predicts something else


@dataclass
class ModelFileJob:
    """A legacy file with its inputs and legacy predictions (lists of .npy files)."""
    name: str
    legacy_file: Path
    inputs: list[Path]
    predictions: list[Path]
    batch_size: int | None = None
    # ".keras" (default) or ".h5": the format the converter writes.
    suffix: str = ".keras"
    # For a weight-only (save_weights) file: a legacy whole-model file of the same
    # architecture; it is converted too and the weights are loaded into it.
    architecture: Path | None = None


@dataclass
class ModelFileResult:
    name: str
    converted: bool = False
    problems: list[str] = field(default_factory=list)  # what the converter could not convert
    changes: int = 0
    loaded: bool = False
    max_diff: float | None = None
    reloaded: bool = False
    reload_max_diff: float | None = None
    error: str = ""

    @property
    def outcome(self) -> str:
        if not self.converted:
            return NOT_CONVERTED if self.problems and not self.error else DIFFERS
        if (self.loaded and self.reloaded and self.max_diff is not None and self.reload_max_diff is not None
                and self.max_diff <= PREDICTION_TOLERANCE and self.reload_max_diff <= PREDICTION_TOLERANCE):
            return EQUAL
        return DIFFERS

    def describe(self) -> str:
        if self.outcome == EQUAL:
            return (f"model file: converted, predictions equal (max diff {self.max_diff:.1e}; "
                    f"after re-save {self.reload_max_diff:.1e})")
        if self.outcome == NOT_CONVERTED:
            return "model file: not converted: " + "; ".join(self.problems)
        if not self.converted:
            return "model file: conversion failed: " + (self.error or "; ".join(self.problems))
        if not self.loaded:
            return "model file: converted, but load_model fails: " + self.error
        if self.max_diff is None:
            return "model file: converted and loads, but " + self.error
        after = f"{self.reload_max_diff:.1e}" if self.reload_max_diff is not None else "n/a"
        detail = f" ({self.error})" if self.error else ""
        return (f"model file: converted, predictions DIFFER (max diff {self.max_diff:.1e}; after re-save "
                f"{after}; tolerance {PREDICTION_TOLERANCE:.0e}){detail}")

    def to_json(self) -> dict:
        return {"name": self.name, "outcome": self.outcome, "converted": self.converted, "problems": self.problems,
                "loaded": self.loaded, "max_diff": self.max_diff, "reloaded": self.reloaded,
                "reload_max_diff": self.reload_max_diff, "error": self.error, "summary": self.describe()}


# --------------------------------------------------------------------------

def convert(source: Path, destination: Path, result: ModelFileResult, **options) -> bool:
    """Convert with the converter's API (no TensorFlow in this process)."""
    from kmigrate.models.convert import convert_model_file

    try:
        report = convert_model_file(source, destination, **options)
    except Exception as exc:  # noqa: BLE001 - a converter crash is a result, not the end of the run
        result.error = f"convert_model_file({source.name}) raised {type(exc).__name__}: {exc}"
        return False
    result.problems += [describe_problem(problem) for problem in getattr(report, "problems", []) or []]
    result.changes += len(getattr(report, "changes", []) or [])
    if report.ok and not destination.is_file():
        result.error = f"the converter reported success but wrote no {destination.name}"
    return bool(report.ok) and destination.is_file()


def describe_problem(problem) -> str:
    if hasattr(problem, "layer") and hasattr(problem, "what"):
        return f"{problem.layer}: {problem.what}"
    return str(problem)


def convert_job(job: ModelFileJob, slot: Path, result: ModelFileResult) -> dict | None:
    """Convert the job's files into ``slot``; the first check job, or None."""
    converted = slot / f"converted{job.suffix}"
    check = {"name": job.name, "inputs": [str(p) for p in job.inputs],
             "predictions": [str(p) for p in job.predictions], "batch_size": job.batch_size,
             "model": str(converted), "resave": str(slot / "resaved.keras")}
    if job.architecture is None:
        result.converted = convert(job.legacy_file, converted, result)
    else:
        weights = slot / "converted.weights.h5"
        result.converted = (convert(job.architecture, converted, result)
                            and convert(job.legacy_file, weights, result, weights_only=True, config=converted))
        check["weights"] = str(weights)
    return check if result.converted else None


def require_converter() -> None:
    from kmigrate.harness.runner import HarnessError

    try:
        from kmigrate.models.convert import convert_model_file  # noqa: F401
    except ImportError as exc:
        raise HarnessError(f"the model-file checks need the converter (kmigrate.models.convert), which does not "
                           f"import: {exc}") from exc


def fresh_process_environment() -> dict:
    """Nothing of kmigrate on the path, no tf_keras switch: a user's plain TF 2.21."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "TF_USE_LEGACY_KERAS")}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def run_fresh_check(jobs: list[dict], workdir: Path, modern_python: str = sys.executable,
                    timeout: float = CHECK_TIMEOUT) -> dict[str, dict]:
    """Run ``model_file_check.py`` over ``jobs`` in a new process; results by job name."""
    if not jobs:
        return {}
    workdir.mkdir(parents=True, exist_ok=True)
    jobs_file = workdir / f"jobs-{len(list(workdir.glob('jobs-*.json')))}.json"
    jobs_file.write_text(json.dumps(jobs, indent=1))
    try:
        done = subprocess.run([modern_python, str(CHECK_SCRIPT), str(jobs_file)], capture_output=True, text=True,
                              timeout=timeout, env=fresh_process_environment(), cwd=workdir)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {job["name"]: {"loaded": False, "error": f"the TF 2.21 check process failed: {exc}"} for job in jobs}
    results = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            answer = json.loads(line)
            if "name" in answer:
                results[answer["name"]] = answer
    tail = "\n".join(done.stderr.strip().splitlines()[-3:])
    for job in jobs:
        results.setdefault(job["name"], {"loaded": False, "error": f"the TF 2.21 check process exited with "
                                                                   f"status {done.returncode}: {tail}"})
    return results


def check_model_files(jobs: list[ModelFileJob], workdir: Path, modern_python: str = sys.executable,
                      timeout: float = CHECK_TIMEOUT) -> list[ModelFileResult]:
    """Convert each legacy file to ``.keras``, load it in a fresh TF 2.21 process,
    compare predictions, re-save, and load the re-saved file in another one."""
    require_converter()
    workdir = Path(workdir)
    results = {job.name: ModelFileResult(job.name) for job in jobs}
    first, second = [], []
    for index, job in enumerate(jobs):
        slot = workdir / f"{index:03d}"  # names may contain '/', slots never clash
        slot.mkdir(parents=True, exist_ok=True)
        check = convert_job(job, slot, results[job.name])
        if check is None:
            continue
        first.append(check)
        second.append({key: value for key, value in check.items() if key not in ("resave", "weights")}
                      | {"model": check["resave"]})
    loaded = run_fresh_check(first, workdir, modern_python, timeout)
    for name, answer in loaded.items():
        result = results[name]
        result.loaded = answer.get("loaded", False)
        result.max_diff = answer.get("max_diff")
        result.error = answer.get("error") or answer.get("resave_error", "")
    reloadable = [job for job in second if loaded.get(job["name"], {}).get("resaved")]
    for name, answer in run_fresh_check(reloadable, workdir, modern_python, timeout).items():
        result = results[name]
        result.reloaded = answer.get("loaded", False)
        result.reload_max_diff = answer.get("max_diff")
        if answer.get("error"):
            result.error = "after re-save: " + answer["error"]
    return [results[job.name] for job in jobs]


# --------------------------------------------------------------------------
# `kmigrate verify --models`

LEGACY_MODEL_FILE = "legacy_model.h5"
MODEL_FILE_PROBE = "model_file_probe.json"  # written by the legacy worker next to the .h5


def fixture_jobs(scratch: Path, fixture_names: list[str]) -> tuple[list[ModelFileJob], dict[str, str]]:
    """Jobs for the fixtures whose legacy run saved a model and its predictions;
    for the others, why not."""
    jobs, skipped = [], {}
    for name in fixture_names:
        legacy_dir = scratch / "runs" / name / "legacy"
        probe_file = legacy_dir / MODEL_FILE_PROBE
        if not (legacy_dir / LEGACY_MODEL_FILE).is_file():
            skipped[name] = "the legacy run saved no model file"
            continue
        if not probe_file.is_file():
            skipped[name] = "the legacy run recorded no predictions for the model file"
            continue
        probe = json.loads(probe_file.read_text())
        if probe.get("error"):
            skipped[name] = "legacy predictions failed: " + probe["error"]
            continue
        jobs.append(ModelFileJob(name, legacy_dir / LEGACY_MODEL_FILE, [legacy_dir / p for p in probe["inputs"]],
                                 [legacy_dir / p for p in probe["predictions"]], probe.get("batch_size")))
    return jobs, skipped


@dataclass
class ModelFilesReport:
    results: list[ModelFileResult]
    skipped: dict[str, str]
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(result.outcome != DIFFERS for result in self.results)

    def render_text(self) -> str:
        lines = ["Model files (legacy .h5 -> kmigrate convert-model -> plain load_model in TF 2.21, "
                 f"atol {PREDICTION_TOLERANCE:.0e}, again after a .keras re-save; {self.seconds:.0f} s):"]
        width = max([len(r.name) for r in self.results] + [len(n) for n in self.skipped] + [7])
        for result in self.results:
            lines.append(f"  {result.name:<{width}}  {result.describe()}")
        for name, reason in self.skipped.items():
            lines.append(f"  {name:<{width}}  model file: not checked: {reason}")
        counts = {outcome: sum(r.outcome == outcome for r in self.results) for outcome in (EQUAL, NOT_CONVERTED,
                                                                                           DIFFERS)}
        lines.append(f"  {counts[EQUAL]} equal, {counts[NOT_CONVERTED]} not converted (reported by the converter), "
                     f"{counts[DIFFERS]} differ, {len(self.skipped)} not checked")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"passed": self.passed, "seconds": round(self.seconds, 1),
                "results": [r.to_json() for r in self.results], "not_checked": self.skipped}


def verify_fixture_model_files(scratch: str | Path, fixture_names: list[str],
                               modern_python: str = sys.executable) -> ModelFilesReport:
    """After a verify run: check the model file of every fixture (scratch kept)."""
    import time

    started = time.perf_counter()
    scratch = Path(scratch)
    jobs, skipped = fixture_jobs(scratch, fixture_names)
    workdir = scratch / "model_files"
    results = check_model_files(jobs, workdir, modern_python)
    return ModelFilesReport(results, skipped, time.perf_counter() - started)


def scratch_for_models() -> Path:
    return Path(tempfile.mkdtemp(prefix="kmigrate-verify-models-"))
