"""`kmigrate verify` on ordinary scripts (not written to the fixture contract).

Each script runs as ``__main__`` twice, each time in a scratch folder of its
own: the original in the legacy worker (genuine Keras 2.x on TF 2.15), the copy
migrated by kmigrate's CLI in a modern worker (TF 2.21).  Both workers load
``script_runtime.py``, which makes the runs offline, short and comparable (see
its docstring).  The verdict is the level the script reached:

1. both sides ended the same way: ran to the end, stopped at the same training
   cap, or raised the same exception type at the same line of the original;
2. every model built has the same architecture on both sides;
3. from the same initial weights, the losses (1e-5) and predictions (1e-6) of
   every training, evaluation and prediction call agree.

``status`` says whether anything differed: ``verified`` (nothing differed up to
its level), ``differs`` (the migrated copy behaved differently: a migration
broke or changed something), ``not run`` (the original itself cannot run here,
or a side timed out: nothing can be proved).
"""

from __future__ import annotations

import difflib
import json
import re
import time
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from kmigrate.harness import compare
from kmigrate.harness.discovery import Fixture
from kmigrate.harness.migration import Migration
from kmigrate.harness.scheduling import (
    RunOptions,
    make_pools,
    migrations_for,
    prepare_scratch,
    run_pipelined,
    scratch_to_report,
)
from kmigrate.harness.workers import WorkerPool, load_arrays, modern_worker_command

SCRIPT_RUNTIME = Path(__file__).resolve().parent / "script_runtime.py"
VERIFIED, DIFFERS, NOT_RUN = "verified", "differs", "not run"
LOSS_TOLERANCE, OUTPUT_TOLERANCE = 1e-5, 1e-6
LOSS_KINDS = ("fit", "evaluate", "train_on_batch", "test_on_batch")


# --------------------------------------------------------------------------
# Options and results

@dataclass
class Caps:
    """How much of each script runs; identical on both sides."""
    epochs: int = 1
    samples: int = 256  # rows of x/y per fit/evaluate call
    steps: int = 8  # steps per epoch of generators, steps of predict/evaluate generators
    fit_calls: int = 3  # a loop calling fit more often ends the run ("capped")
    batch_calls: int = 20  # train_on_batch / test_on_batch calls
    predict_calls: int = 30
    evaluate_calls: int = 10

    def budgets(self) -> dict:
        return {"fit": self.fit_calls, "train_on_batch": self.batch_calls, "test_on_batch": self.batch_calls,
                "predict": self.predict_calls, "evaluate": self.evaluate_calls}


@dataclass
class ScriptOptions(RunOptions):
    timeout: float = 300.0
    caps: Caps = field(default_factory=Caps)
    data_dir: Path | None = None  # its entries are linked into each side's working folder


@dataclass
class ScriptResult:
    name: str
    path: str
    level: int
    status: str
    reason: str
    legacy: dict
    migrated: dict
    migration: Migration
    models: int = 0
    loss_diff: float | None = None
    output_diff: float | None = None
    compared_calls: int = 0
    seconds: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status != DIFFERS

    def to_json(self) -> dict:
        data = asdict(self)
        data["migration"] = {"exit_code": self.migration.exit_code, "changed": self.migration.changed,
                             "migrated_path": str(self.migration.path), "error": self.migration.error,
                             "kmigrate_output": self.migration.output}
        return data


@dataclass
class ScriptReport:
    scripts: list[ScriptResult]
    seconds: float
    runtimes: dict
    scratch: str
    caps: Caps

    @property
    def passed(self) -> bool:
        return all(s.passed for s in self.scripts)


# --------------------------------------------------------------------------
# The verdict (pure: unit-tested without any runtime)

def line_map(original: str, migrated: str) -> dict[int, int]:
    """Line of the migrated copy -> line of the original (1-based); lines that
    kmigrate rewrote map to the first line of the original block they replace."""
    mapping = {}
    matcher = difflib.SequenceMatcher(None, original.splitlines(), migrated.splitlines(), autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        for offset, line in enumerate(range(b0, b1)):
            mapping[line + 1] = (a0 + offset + 1) if tag == "equal" else a0 + min(offset, max(a1 - a0 - 1, 0)) + 1
    return mapping


def describe_outcome(outcome: dict) -> str:
    kind = outcome.get("kind")
    at = f" at line {outcome['line']}" if outcome.get("line") else ""
    if kind == "completed":
        return "ran to the end"
    if kind == "capped":
        return f"stopped at the training cap ({outcome.get('detail')}){at}"
    if kind == "needs-network":
        return f"needs data from the network ({outcome.get('detail')}){at}"
    if kind == "needs-file":
        return f"needs `{outcome.get('detail')}`{at}"
    if kind == "exception":
        return f"raised {outcome.get('type')}: {outcome.get('detail')}{at}"
    return outcome.get("detail") or str(kind)


# An ImportError or AttributeError that names a Keras module: the original uses an API the legacy
# runtime's Keras no longer has (`Merge`, `keras.initializations`, `slice_X` of a Keras 1 script
# under Keras 2.2.4).  It does not run there, so a migrated copy failing the same way proves nothing.
REMOVED_KERAS_API = re.compile(r"(from|named|module) '(keras|keras_preprocessing|keras_applications)[.']")
REMOVED_API_ERRORS = ("ImportError", "ModuleNotFoundError", "AttributeError")


def uses_removed_keras_api(outcome: dict) -> bool:
    return (outcome.get("kind") == "exception" and outcome.get("type") in REMOVED_API_ERRORS
            and bool(REMOVED_KERAS_API.search(outcome.get("detail") or "")))


def same_outcome(legacy: dict, migrated: dict, lines: dict[int, int]) -> bool:
    if legacy.get("kind") != migrated.get("kind"):
        return False
    kind = legacy["kind"]
    if kind == "completed":
        return True
    line = migrated.get("line")
    mapped = lines.get(line, line) if line else None
    if kind == "exception":
        return legacy.get("type") == migrated.get("type") and legacy.get("line") == mapped
    if kind == "needs-network":  # the same download may have moved (Keras 3 hosts weights elsewhere)
        return legacy.get("line") == mapped
    return legacy.get("detail") == migrated.get("detail") and legacy.get("line") == mapped


def compare_architectures(legacy_models: list[dict], migrated_models: list[dict]) -> list[str]:
    problems = []
    if len(legacy_models) != len(migrated_models):
        problems.append(f"{len(legacy_models)} models built by the original, {len(migrated_models)} by the "
                        f"migrated copy")
    for index, (old, new) in enumerate(zip(legacy_models, migrated_models)):
        where = f"model {index}"
        if old.get("class") != new.get("class"):
            problems.append(f"{where}: {old.get('class')} vs {new.get('class')}")
        old_layers, new_layers = old.get("layers", []), new.get("layers", [])
        if len(old_layers) != len(new_layers):
            problems.append(f"{where}: {len(old_layers)} layers vs {len(new_layers)} "
                            f"({[l['class'] for l in old_layers]} vs {[l['class'] for l in new_layers]})")
            continue
        for position, (a, b) in enumerate(zip(old_layers, new_layers)):
            layer = f"{where} layer {position} ({a['class']} {a.get('name', '')})"
            for key in ("class", "params", "trainable", "random"):
                if a.get(key) != b.get(key):
                    problems.append(f"{layer}: {key} {a.get(key)} vs {b.get(key)}")
            if a.get("output_shape") is not None and b.get("output_shape") is not None \
                    and a["output_shape"] != b["output_shape"]:
                problems.append(f"{layer}: output shape {a['output_shape']} vs {b['output_shape']}")
    return problems


@dataclass
class Numerics:
    problems: list[str]
    loss_diff: float | None
    output_diff: float | None
    compared: int


def compare_numerics(legacy: dict, legacy_arrays: dict, migrated: dict, migrated_arrays: dict) -> Numerics:
    problems: list[str] = []
    not_loaded = [f"model {m['index']}: {m.get('weights')}" for m in migrated.get("models", [])
                  if m.get("weights") != "loaded"]
    if not_loaded:
        return Numerics([f"initial weights not transferred ({'; '.join(not_loaded)})"], None, None, 0)
    old_calls, new_calls = legacy.get("calls", []), migrated.get("calls", [])
    signature = [(c["model"], c["kind"]) for c in old_calls]
    if signature != [(c["model"], c["kind"]) for c in new_calls]:
        first = next((i for i, (a, b) in enumerate(zip(old_calls, new_calls))
                      if (a["model"], a["kind"]) != (b["model"], b["kind"])), min(len(old_calls), len(new_calls)))
        problems.append(f"the calls differ from call {first}: original "
                        f"{[(c['method'], c['model']) for c in old_calls[first:first + 3]]}, migrated "
                        f"{[(c['method'], c['model']) for c in new_calls[first:first + 3]]}")
        return Numerics(problems, None, None, 0)
    loss_diff = output_diff = None
    for call in old_calls:
        prefix = "call%04d" % call["call"]
        expected = compare.subtree(legacy_arrays, prefix)
        actual = compare.subtree(migrated_arrays, prefix)
        is_loss = call["kind"] in LOSS_KINDS
        if is_loss and "values" in expected and "values" in actual \
                and expected["values"].shape != actual["values"].shape:
            # [loss, metrics...] with a different set of metrics: compare the loss.
            expected, actual = {"loss": expected["values"][:1]}, {"loss": actual["values"][:1]}
        tolerance = LOSS_TOLERANCE if is_loss else OUTPUT_TOLERANCE
        diff = compare.compare_arrays(expected, actual, tolerance)
        if diff.problems == ["nothing was recorded on either side"]:
            continue
        if is_loss:
            loss_diff = max(loss_diff or 0.0, diff.max_abs_diff)
        else:
            output_diff = max(output_diff or 0.0, diff.max_abs_diff)
        for problem in diff.problems:
            problems.append(f"call {call['call']} ({call['method']} of model {call['model']}): {problem}")
    return Numerics(problems, loss_diff, output_diff, len(old_calls))


def evaluate(name: str, path: str, migration: Migration, legacy: dict, migrated: dict,
             legacy_arrays: dict, migrated_arrays: dict, lines: dict[int, int]) -> ScriptResult:
    def result(level: int, status: str, reason: str, **extra) -> ScriptResult:
        return ScriptResult(name, path, level, status, reason, legacy.get("outcome", {}),
                            migrated.get("outcome", {}), migration, models=len(legacy.get("models", [])),
                            seconds={"legacy": round(legacy.get("seconds", 0.0), 3),
                                     "migrated": round(migrated.get("seconds", 0.0), 3)}, **extra)

    if migration.error:
        return result(0, DIFFERS, f"kmigrate failed on this script: {migration.error}")
    if not legacy.get("ok"):
        return result(0, NOT_RUN, f"the original could not be run: {legacy.get('error')}")
    old = legacy["outcome"]
    if migrated.get("legacy_only"):
        return result(0, NOT_RUN, f"legacy only: the original {describe_outcome(old)}")
    if not migrated.get("ok"):
        return result(0, NOT_RUN, f"the migrated copy could not be run: {migrated.get('error')}")
    new = migrated["outcome"]
    if not same_outcome(old, new, lines):
        if old.get("kind") == "exception":
            return result(0, NOT_RUN, f"the original {describe_outcome(old)} under legacy Keras; "
                                      f"the migrated copy {describe_outcome(new)}")
        new_line = lines.get(new.get("line")) if new.get("line") else None
        where = f" (line {new_line} of the original)" if new_line and new_line != new.get("line") else ""
        return result(0, DIFFERS, f"the original {describe_outcome(old)}; the migrated copy "
                                  f"{describe_outcome(new)}{where}")
    if uses_removed_keras_api(old):
        return result(0, NOT_RUN, f"the original {describe_outcome(old)} under legacy Keras (an API this Keras "
                                  f"no longer has) and the migrated copy fails the same way: nothing to compare")
    ending = describe_outcome(old)
    if old.get("kind") == "exception":
        ending = f"both raise {old.get('type')} at line {old.get('line')}"
    if not legacy.get("models"):
        return result(1, VERIFIED, f"{ending}; no model was built before the run ended")
    problems = compare_architectures(legacy["models"], migrated.get("models", []))
    if problems:
        return result(1, DIFFERS, "architecture differs: " + "; ".join(problems[:4]))
    numerics = compare_numerics(legacy, legacy_arrays, migrated, migrated_arrays)
    measured = {"loss_diff": numerics.loss_diff, "output_diff": numerics.output_diff,
                "compared_calls": numerics.compared}
    if numerics.problems:
        status = NOT_RUN if numerics.problems[0].startswith("initial weights") else DIFFERS
        return result(2, status, "numerics: " + "; ".join(numerics.problems[:3]), **measured)
    if not numerics.compared:
        return result(2, VERIFIED, f"{ending}; same architecture; nothing was trained, evaluated or predicted",
                      **measured)
    return result(3, VERIFIED, f"{ending}; same architecture; {numerics.compared} training/prediction calls "
                               f"agree", **measured)


# --------------------------------------------------------------------------
# Running

# A real script spends most of its time in TensorFlow on both sides, unlike fixtures.
MODERN_PER_LEGACY = 2


def modern_script_worker(python: str) -> list[str]:
    return modern_worker_command(python, SCRIPT_RUNTIME)


def _prepare_workdir(workdir: Path, data_dir: Path | None) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    if data_dir:
        for entry in Path(data_dir).iterdir():
            link = workdir / entry.name
            if not link.exists():
                link.symlink_to(entry.resolve())


def _run(pool: WorkerPool, script: Path, folder: Path, side: str, options: ScriptOptions) -> dict:
    workdir = folder / side
    _prepare_workdir(workdir, options.data_dir)
    config = {"side": "legacy" if side == "legacy" else "modern", "weights_dir": str(folder / "weights"),
              "epochs": options.caps.epochs, "samples": options.caps.samples, "steps": options.caps.steps,
              "budgets": options.caps.budgets()}
    (folder / "weights").mkdir(exist_ok=True)
    answer = pool.ask({"script": str(script), "workdir": str(workdir), "config": config,
                       "arrays": str(folder / f"{side}-results.npz")}, options.timeout)
    # Kept with the scratch folder: outcome, models and calls of this side, to inspect.
    (folder / f"{side}-answer.json").write_text(json.dumps(answer, indent=1, default=str))
    return answer


def run_script_verification(scripts: list[Fixture], options: ScriptOptions) -> ScriptReport:
    started = time.perf_counter()
    scratch = prepare_scratch(options.scratch_dir)
    pools = make_pools(scratch / "logs", options.legacy_runtime, options.modern_python, options.target,
                       options.jobs, MODERN_PER_LEGACY, SCRIPT_RUNTIME, log_prefix="script-")
    folders = {s.name: scratch / "runs" / s.name for s in scripts}

    def run_legacy(script: Fixture) -> dict:
        return _run(pools.legacy, script.path, folders[script.name], "legacy", options)

    def run_migrated(script: Fixture, migration: Migration, legacy: dict) -> dict:
        # The migrated copy loads the weights the original saved.
        if migration.error or not legacy.get("ok"):
            return {"ok": False, "error": "not run", "seconds": 0.0}
        return _run(pools.modern, migration.path, folders[script.name], "migrated", options)

    def conclude(script: Fixture, migration: Migration, legacy: dict, migrated: dict | None) -> ScriptResult:
        migrated = migrated if migrated is not None else {"legacy_only": True}
        lines = line_map(script.path.read_text(errors="replace"), migration.path.read_text(errors="replace")) \
            if migration.path.exists() else {}
        result = evaluate(script.name, str(script.path), migration, legacy, migrated,
                          load_arrays(legacy.get("arrays")), load_arrays(migrated.get("arrays")), lines)
        for side, answer in (("legacy", legacy), ("migrated", migrated)):
            trace = answer.get("outcome", {}).get("traceback") or answer.get("traceback")
            if trace:
                result.errors[side] = trace
        options.progress(f"{script.name}: level {result.level} ({result.status})")
        return result

    migrate = partial(migrations_for, scripts, scratch, options)
    results, runtimes = run_pipelined(scripts, pools, migrate, run_legacy,
                                      None if options.legacy_only else run_migrated, conclude)
    report = ScriptReport(results, time.perf_counter() - started, runtimes, str(scratch), options.caps)
    report.scratch = scratch_to_report(scratch, options.scratch_dir is not None, report.passed)
    return report
