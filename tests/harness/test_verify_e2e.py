"""End to end: every fixture under genuine Keras 2.2.4 (provisioned on first use) against its
kmigrate migration under TF 2.21, and proof that a broken rewrite is caught.

Slow (a few minutes; the first run also installs the ~300 MB legacy runtime): marked `verify`.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from kmigrate.harness import provision, report, runner

pytestmark = pytest.mark.verify


@pytest.fixture(scope="module")
def legacy_runtime():
    return provision.ensure_legacy_runtime()


def verify(fixtures, runtime, scratch, **options):
    return runner.run_verification(fixtures, runner.VerifyOptions(legacy_runtime=runtime, scratch_dir=scratch,
                                                                  **options))


def test_every_fixture_behaves_the_same_after_migration(legacy_runtime, tmp_path):
    fixtures = runner.discover_fixtures()
    result = verify(fixtures, legacy_runtime, tmp_path / "scratch")
    # The originals really ran under multi-backend Keras on TF 2.15, the migrations under TF 2.21.
    assert result.runtimes["legacy"]["keras"] == "2.2.4"
    assert result.runtimes["legacy"]["tensorflow"] == "2.15.1"
    assert result.runtimes["modern"]["tensorflow"] == "2.21.0"
    assert len(result.fixtures) == len(fixtures) >= 30
    for fixture in fixtures:
        assert (tmp_path / "scratch" / "runs" / fixture.name / "legacy" / "initial_weights.npz").is_file()
    assert result.passed, report.render_text(result)


def drop_decay_conversion(path: Path) -> None:
    """Replace whatever kmigrate made of `SGD(lr=0.1, decay=0.05, momentum=0.9, nesterov=True)`
    by the same optimizer without the decay: the rewrite a rule would produce if it only
    renamed lr= and forgot decay=."""
    source = path.read_text()
    tree = ast.parse(source)
    assignment = next(node for node in ast.walk(tree) if isinstance(node, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id == "sgd" for t in node.targets))
    lines = source.splitlines(keepends=True)
    start, end = assignment.value.lineno - 1, assignment.value.end_lineno - 1
    head = lines[start][:assignment.value.col_offset]
    tail = lines[end][assignment.value.end_col_offset:]
    lines[start:end + 1] = [head + "SGD(learning_rate=0.1, momentum=0.9, nesterov=True)" + tail]
    path.write_text("".join(lines))


def test_a_broken_rewrite_fails_verification(legacy_runtime, tmp_path):
    original = runner.CHECKOUT_FIXTURE_DIR / "optimizer_sgd_decay_nesterov.py"
    intact, broken = tmp_path / "decay_intact.py", tmp_path / "decay_broken.py"
    shutil.copy(original, intact)
    shutil.copy(original, broken)

    def break_one(path: Path) -> None:
        if path.name == broken.name:
            drop_decay_conversion(path)

    result = verify(runner.discover_fixtures((str(intact), str(broken))), legacy_runtime, tmp_path / "scratch",
                    post_migrate=break_one)
    outcome = {f.name: f for f in result.fixtures}
    assert outcome["decay_intact"].passed, report.render_text(result)
    assert not outcome["decay_broken"].passed
    # It still runs: the failure is the silent training difference, caught by the comparison.
    assert outcome["decay_broken"].check("migrated_run").status == "pass"
    assert outcome["decay_broken"].check("train").status == "fail"
    assert outcome["decay_broken"].check("train").max_abs_diff > 1e-4
