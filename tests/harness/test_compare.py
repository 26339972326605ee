"""The comparison routine and the per-fixture checks built on it."""

from __future__ import annotations

import numpy as np
import pytest

from kmigrate.harness import compare
from kmigrate.harness.compare import ERROR, FAIL, PASS, SKIP, compare_arrays, evaluate, subtree

OK = {"ok": True, "seconds": 0.1}


def legacy_steps(**overrides):
    steps = {name: OK for name in ("data", "build", "initial_weights", "train", "probe", "legacy_save")}
    return {**steps, **overrides}


def modern_steps(**overrides):
    names = ("data", "build", "initial_weights", "train", "probe", "roundtrip_keras", "legacy_weights", "resume",
             "roundtrip_h5", "savedmodel")
    return {**{name: OK for name in names}, **overrides}


def modern_arrays(probe, train, **overrides):
    arrays = {
        "train": train, "probe": probe,
        "roundtrip_keras/before": probe, "roundtrip_keras/after": probe,
        "roundtrip_h5/before": probe, "roundtrip_h5/after": probe,
        "savedmodel/direct": probe, "savedmodel/served": probe,
        "resume/uninterrupted/train": train, "resume/reloaded/train": train,
        "legacy_weights/probe": probe,
    }
    return {**arrays, **overrides}


def by_name(checks):
    return {check.name: check for check in checks}


def test_float_within_tolerance_passes_and_reports_the_difference():
    diff = compare_arrays({"a": np.array([1.0, 2.0])}, {"a": np.array([1.0, 2.0 + 4e-6])}, 1e-5)
    assert diff.ok
    assert diff.max_abs_diff == pytest.approx(4e-6)


def test_float_over_tolerance_fails_and_names_the_position():
    diff = compare_arrays({"a": np.zeros((2, 3))}, {"a": np.array([[0, 0, 0], [0, 3e-5, 0]])}, 1e-5)
    assert not diff.ok
    assert "(1, 1)" in diff.problems[0] and "3e-05" in diff.problems[0]


def test_tolerance_is_relative_above_one():
    assert compare_arrays({"loss": np.array([200.0])}, {"loss": np.array([200.0015])}, 1e-5).ok
    assert not compare_arrays({"loss": np.array([0.5])}, {"loss": np.array([0.5015])}, 1e-5).ok


def test_exact_tolerance_rejects_any_change():
    assert compare_arrays({"p": np.float32([0.25])}, {"p": np.float32([0.25])}, 0.0).ok
    assert not compare_arrays({"p": np.float32([0.25])}, {"p": np.array([np.nextafter(np.float32(0.25), np.float32(1))])}, 0.0).ok


def test_integers_compare_exactly_across_int_widths():
    assert compare_arrays({"c": np.array([0, 2, 1], np.int64)}, {"c": np.array([0, 2, 1], np.int32)}, 1.0).ok
    diff = compare_arrays({"c": np.array([0, 2, 1])}, {"c": np.array([0, 1, 1])}, 1.0)
    assert diff.problems == ["c: 1 of 3 integer values differ"]


def test_missing_and_extra_keys_fail():
    # e.g. history 'acc' on the legacy side but 'accuracy' on the migrated side
    diff = compare_arrays({"acc": np.ones(2)}, {"accuracy": np.ones(2)}, 1e-5)
    assert diff.problems == ["acc: missing on the compared side", "accuracy: not recorded on the reference side"]


def test_shape_mismatch_and_nan_fail():
    assert "shape" in compare_arrays({"a": np.ones(3)}, {"a": np.ones(4)}, 1.0).problems[0]
    assert "NaN" in compare_arrays({"a": np.ones(2)}, {"a": np.array([1.0, np.nan])}, 1.0).problems[0]


def test_nothing_recorded_is_a_failure_not_a_vacuous_pass():
    assert not compare_arrays({}, {}, 1.0).ok


def test_subtree_strips_the_prefix_and_accepts_a_bare_array():
    arrays = {"probe/0": 1, "probe/1": 2, "probe2/0": 3, "train": 4}
    assert subtree(arrays, "probe") == {"0": 1, "1": 2}
    assert subtree(arrays, "train") == {"": 4}


def test_evaluate_all_checks_pass():
    probe, train = np.float32([[0.1, 0.9]]), np.array([0.7, 0.5])
    checks = by_name(evaluate(legacy_steps(), {"train": train + 1e-7, "probe": probe}, modern_steps(),
                              modern_arrays(probe, train)))
    assert {name: c.status for name, c in checks.items()} == {
        "legacy_run": PASS, "migrated_run": PASS, "train": PASS, "probe": PASS, "roundtrip_keras": PASS,
        "roundtrip_h5": PASS, "savedmodel": PASS, "resume": PASS, "legacy_weights": PASS}
    assert checks["train"].tolerance == compare.DEFAULT_TOLERANCES["train"]


def test_evaluate_loss_drift_fails_train_only():
    probe, train = np.float32([[0.1]]), np.array([0.7, 0.5])
    checks = by_name(evaluate(legacy_steps(), {"train": train + 2e-3, "probe": probe}, modern_steps(),
                              modern_arrays(probe, train)))
    assert checks["train"].status == FAIL and checks["probe"].status == PASS


def test_evaluate_round_trip_change_fails():
    probe, train = np.float32([[0.1]]), np.array([0.7])
    arrays = modern_arrays(probe, train, **{"roundtrip_h5/after": probe + np.float32(1e-2)})
    checks = by_name(evaluate(legacy_steps(), {"train": train, "probe": probe}, modern_steps(), arrays))
    assert checks["roundtrip_h5"].status == FAIL and checks["roundtrip_keras"].status == PASS


def test_failed_step_is_traced_back_to_its_cause():
    probe, train = np.float32([[0.1]]), np.array([0.7])
    steps = modern_steps(roundtrip_keras={"ok": False, "error": "ValueError: Could not deserialize"},
                         resume={"ok": False, "skipped": True, "error": "needs roundtrip_keras"})
    checks = by_name(evaluate(legacy_steps(), {"train": train, "probe": probe}, steps, modern_arrays(probe, train)))
    assert checks["resume"].status == FAIL
    assert checks["resume"].detail == "roundtrip_keras: ValueError: Could not deserialize"


def test_migrated_run_failure_fails_once_and_skips_the_rest():
    steps = {"data": OK, "build": {"ok": False, "error": "ValueError: Argument(s) not recognized: {'lr': 0.1}"}}
    checks = by_name(evaluate(legacy_steps(), {"train": np.ones(1), "probe": np.ones(1)}, steps, {}))
    assert checks["migrated_run"].status == FAIL and "lr" in checks["migrated_run"].detail
    assert {checks[n].status for n in ("train", "probe", "roundtrip_keras", "resume", "legacy_weights")} == {SKIP}


def test_legacy_failure_is_an_error_of_the_fixture():
    steps = legacy_steps(train={"ok": False, "error": "TypeError: bad"})
    checks = by_name(evaluate(steps, {}, modern_steps(), {}))
    assert checks["legacy_run"].status == ERROR and checks["legacy_run"].detail == "train: TypeError: bad"


def test_declared_not_comparable_is_skipped_with_its_reason_but_still_measured():
    probe, train = np.float32([[0.1]]), np.array([0.7])
    checks = by_name(evaluate(legacy_steps(), {"train": train + 1.0, "probe": probe}, modern_steps(),
                              modern_arrays(probe, train), not_comparable={"train": "Dropout masks"}))
    assert checks["train"].status == SKIP
    assert checks["train"].detail == "not comparable: Dropout masks"
    assert checks["train"].max_abs_diff == pytest.approx(1.0)


def test_fixture_tolerance_override():
    probe, train = np.float32([[0.1]]), np.array([0.7])
    checks = by_name(evaluate(legacy_steps(), {"train": train + 5e-4, "probe": probe}, modern_steps(),
                              modern_arrays(probe, train), tolerances={"train": 1e-3}))
    assert checks["train"].status == PASS and checks["train"].tolerance == 1e-3
