"""The one comparison routine of `kmigrate verify`, and the checks built on it.

Pure NumPy: the workers only record arrays (``results.npz``); every verdict is
made here.  A fixture gets these checks, in this order:

==================  =========================================================  ==========
check               compares                                                   tolerance
==================  =========================================================  ==========
migrate             kmigrate's CLI ran on the copy (exit 0/1, not 2)           -
legacy_run          the original ran under genuine legacy Keras                -
migrated_run        the migrated copy ran under TF 2.21 from the legacy        -
                    initial weights
train               losses: original vs migrated                               1e-5
probe               probe outputs: original vs migrated                        1e-6
roundtrip_keras     migrated model vs itself after .keras save/load            exact
roundtrip_h5        migrated model vs itself after .h5 save/load               exact
savedmodel          ``tf.saved_model.load(export).serve(x)`` vs ``model(x)``    1e-6
resume              training continued after .keras reload vs uninterrupted    exact
legacy_weights      legacy-saved .h5 loaded into the migrated model vs the     1e-6
                    original's probe outputs
==================  =========================================================  ==========

Why: round trips of one model in one process run the same kernels on the same
bits, so anything but equality is a real change.  Original vs migrated cross
two TensorFlow versions (TF1 graph kernels vs TF 2.21), where float32 rounding
differs at the 1e-7 level and grows a little per training step.  The exported
SavedModel is a separately optimised graph (grappler may fuse ops).  A
tolerance is ``tol * max(1, |expected|)``: absolute for values up to 1,
relative above (losses of a regression can be large).  Integer and boolean
arrays (``predict_classes``) are always compared exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

PASS, FAIL, SKIP, ERROR = "pass", "fail", "skip", "error"

DEFAULT_TOLERANCES = {
    "train": 1e-5,
    "probe": 1e-6,
    "roundtrip_keras": 0.0,
    "roundtrip_h5": 0.0,
    "savedmodel": 1e-6,
    "resume": 0.0,
    "legacy_weights": 1e-6,
}
COMPARISONS = tuple(DEFAULT_TOLERANCES)

# Which worker steps must have succeeded for each phase.
LEGACY_STEPS = ("data", "build", "initial_weights", "train", "probe")
MIGRATED_STEPS = ("data", "build", "initial_weights", "train", "probe")


@dataclass
class Check:
    name: str
    status: str
    max_abs_diff: float | None = None
    tolerance: float | None = None
    detail: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ArrayDiff:
    max_abs_diff: float
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def subtree(arrays: dict, prefix: str) -> dict:
    """Arrays stored under ``prefix/``, keyed by the rest of their name."""
    if prefix in arrays:  # a single array stored directly under the prefix
        return {"": arrays[prefix]}
    head = prefix + "/"
    return {key[len(head):]: value for key, value in arrays.items() if key.startswith(head)}


def compare_arrays(expected: dict, actual: dict, tolerance: float) -> ArrayDiff:
    """Compare two name->array mappings; every difference is listed."""
    problems = []
    worst = 0.0
    if not expected and not actual:
        return ArrayDiff(0.0, ["nothing was recorded on either side"])
    for key in sorted(set(expected) - set(actual)):
        problems.append(f"{key or 'value'}: missing on the compared side")
    for key in sorted(set(actual) - set(expected)):
        problems.append(f"{key or 'value'}: not recorded on the reference side")
    for key in sorted(set(expected) & set(actual)):
        label = key or "value"
        a = np.asarray(expected[key])
        b = np.asarray(actual[key])
        if a.shape != b.shape:
            problems.append(f"{label}: shape {a.shape} vs {b.shape}")
            continue
        if a.size == 0:
            continue
        exact = a.dtype.kind in "biu" and b.dtype.kind in "biu"
        if a.dtype.kind not in "biuf" or b.dtype.kind not in "biuf":
            if not np.array_equal(a, b):
                problems.append(f"{label}: values differ")
            continue
        a64 = a.astype(np.float64)
        b64 = b.astype(np.float64)
        nan_a, nan_b = np.isnan(a64), np.isnan(b64)
        if nan_a.any() or nan_b.any():
            problems.append(f"{label}: NaN on the {'reference' if nan_a.any() else 'compared'} side")
            continue
        diff = np.abs(a64 - b64)
        worst = max(worst, float(diff.max()))
        if exact:
            if diff.max() != 0:
                problems.append(f"{label}: {int((diff != 0).sum())} of {a.size} integer values differ")
            continue
        allowed = tolerance * np.maximum(1.0, np.abs(a64))
        over = diff > allowed
        if over.any():
            index = np.unravel_index(int(np.argmax(diff - allowed)), diff.shape)
            problems.append(
                f"{label}: max |diff| {diff.max():.3g} > {tolerance:g} "
                f"(at {tuple(int(i) for i in index)}: {a64[index]:.9g} vs {b64[index]:.9g})"
            )
    return ArrayDiff(worst, problems)


def comparison_check(name, expected, actual, tolerance, not_comparable_reason=None) -> Check:
    diff = compare_arrays(expected, actual, tolerance)
    if not_comparable_reason:
        return Check(name, SKIP, diff.max_abs_diff, tolerance, f"not comparable: {not_comparable_reason}")
    if diff.ok:
        return Check(name, PASS, diff.max_abs_diff, tolerance)
    return Check(name, FAIL, diff.max_abs_diff, tolerance, "; ".join(diff.problems[:4]))


def step_failure(steps: dict, required) -> str | None:
    """The first failed step among ``required``, as 'step: error'."""
    for name in ("import", *required):
        report = steps.get(name)
        if name == "import" and report is None:
            continue
        if report is None:
            return f"{name}: did not run"
        if not report.get("ok"):
            return f"{name}: {report.get('error', 'failed')}"
    return None


def root_failure(steps: dict, step: str) -> tuple[str, str]:
    """Follow 'needs X' back to the step that actually failed."""
    seen = set()
    while step not in seen:
        seen.add(step)
        report = steps.get(step)
        if report is None:
            return step, "did not run"
        if not report.get("skipped"):
            return step, report.get("error", "failed")
        step = report["error"].removeprefix("needs ").split(",")[0].strip()
    return step, "failed"


def evaluate(
    legacy_steps: dict,
    legacy_arrays: dict,
    modern_steps: dict,
    modern_arrays: dict,
    not_comparable: dict | None = None,
    tolerances: dict | None = None,
) -> list[Check]:
    """All comparison checks of one fixture, from what the two workers recorded."""
    not_comparable = not_comparable or {}
    tol = {**DEFAULT_TOLERANCES, **(tolerances or {})}
    checks = []

    legacy_problem = step_failure(legacy_steps, LEGACY_STEPS)
    checks.append(Check("legacy_run", ERROR if legacy_problem else PASS, detail=legacy_problem or ""))
    modern_problem = step_failure(modern_steps, MIGRATED_STEPS)
    checks.append(Check("migrated_run", FAIL if modern_problem else PASS, detail=modern_problem or ""))

    def pair(name, expected, actual, step=None):
        reason = not_comparable.get(name)
        if step is not None and modern_problem is not None:
            checks.append(Check(name, SKIP, None, tol[name], "needs the migrated run"))
            return
        if step is not None and not modern_steps.get(step, {}).get("ok"):
            failed, error = root_failure(modern_steps, step)
            if reason:
                status, detail = SKIP, f"not comparable: {reason}"
            else:
                status, detail = FAIL, f"{failed}: {error}"
            checks.append(Check(name, status, None, tol[name], detail))
            return
        checks.append(comparison_check(name, expected, actual, tol[name], reason))

    if legacy_problem is None and modern_problem is None:
        pair("train", subtree(legacy_arrays, "train"), subtree(modern_arrays, "train"))
        pair("probe", subtree(legacy_arrays, "probe"), subtree(modern_arrays, "probe"))
    else:
        for name in ("train", "probe"):
            checks.append(Check(name, SKIP, None, tol[name], "needs both runs"))

    for name in ("roundtrip_keras", "roundtrip_h5"):
        pair(name, subtree(modern_arrays, f"{name}/before"), subtree(modern_arrays, f"{name}/after"), step=name)
    pair("savedmodel", subtree(modern_arrays, "savedmodel/direct"),
         subtree(modern_arrays, "savedmodel/served"), step="savedmodel")
    pair("resume", subtree(modern_arrays, "resume/uninterrupted"),
         subtree(modern_arrays, "resume/reloaded"), step="resume")
    if legacy_problem is None and legacy_steps.get("legacy_save", {}).get("ok"):
        pair("legacy_weights", subtree(legacy_arrays, "probe"),
             subtree(modern_arrays, "legacy_weights/probe"), step="legacy_weights")
    else:
        error = legacy_steps.get("legacy_save", {}).get("error", "legacy run failed")
        checks.append(Check("legacy_weights", SKIP if legacy_problem else ERROR, None,
                            tol["legacy_weights"], f"no legacy .h5: {error}"))
    return checks
