"""Shared assertions for rule tests: before/after, no-op, markers, and the second run."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

from kmigrate.diagnostics import Diagnostic, FileResult, Status
from kmigrate.pipeline import migrate_bytes
from kmigrate.settings import Settings


def run(code: str, **settings: object) -> FileResult:
    return migrate_bytes(textwrap.dedent(code).encode(), "example.py", Settings(**settings))  # type: ignore[arg-type]


def migrated(code: str, **settings: object) -> str:
    result = run(code, **settings)
    assert result.status is not Status.ERROR, result.error
    return result.output if result.status is Status.CHANGED else textwrap.dedent(code)  # type: ignore[return-value]


def assert_second_run_is_noop(code: str, **settings: object) -> None:
    again = run(code, **settings)
    assert again.status is not Status.ERROR, again.error
    assert again.status is not Status.CHANGED, f"a second run changed the output:\n{again.output}"


def assert_migrates(before: str, after: str, **settings: object) -> list[Diagnostic]:
    """``before`` becomes exactly ``after``, which parses, and a second run changes nothing."""
    expected = textwrap.dedent(after)
    compile(expected, "<expected>", "exec")
    result = run(before, **settings)
    assert result.status is Status.CHANGED, (result.status, result.error)
    assert result.output == expected, f"got:\n{result.output}"
    assert_second_run_is_noop(expected, **settings)
    return result.diagnostics


def assert_unchanged(code: str, **settings: object) -> FileResult:
    """Code that must stay byte-identical (not Keras, or already on tf.keras)."""
    result = run(code, **settings)
    assert result.status in (Status.UNCHANGED, Status.SKIPPED), (result.status, result.output, result.error)
    assert not result.fixes
    return result


def assert_flags(code: str, rule_id: str, **settings: object) -> str:
    """The rule leaves a ``# kmigrate: <rule_id>`` marker and a finding; a re-run adds none."""
    result = run(code, **settings)
    assert result.status is not Status.ERROR, result.error
    output = result.output if result.status is Status.CHANGED else textwrap.dedent(code)
    assert f"# kmigrate: {rule_id}" in output, f"no {rule_id} marker in:\n{output}"
    assert any(d.rule == rule_id and not d.fixed for d in result.diagnostics)
    compile(output, "<flagged>", "exec")
    assert_second_run_is_noop(output, **settings)
    return output


def rules_fired(result_or_diagnostics: FileResult | list[Diagnostic]) -> set[str]:
    diagnostics = (
        result_or_diagnostics.diagnostics
        if isinstance(result_or_diagnostics, FileResult)
        else result_or_diagnostics
    )
    return {d.rule for d in diagnostics}


# The start of a probe run by ``run_legacy_probe``: genuine legacy Keras with the harness's
# compatibility layer installed, NumPy and the backend imported.
_LEGACY_PROBE_HEAD = """\
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("legacy_compat", sys.argv[1])
compat = importlib.util.module_from_spec(spec); spec.loader.exec_module(compat); compat.install()
import numpy as np
from keras import backend as K
"""


def run_legacy_probe(body: str, cases: object, folder: Path) -> tuple[Any, str]:
    """Run ``body`` under genuine legacy Keras 2.2.4 (provisioned on first use): it reads the
    JSON ``cases`` from ``sys.argv[3]`` and saves its arrays with ``np.savez(sys.argv[2], ...)``.
    Returns the loaded arrays and what the probe printed."""
    from kmigrate.harness.provision import COMPAT_LAYER, ensure_legacy_runtime

    runtime = ensure_legacy_runtime()
    results = folder / "legacy.npz"
    done = subprocess.run([str(runtime.python), "-c", _LEGACY_PROBE_HEAD + body, str(COMPAT_LAYER), str(results),
                           json.dumps(cases)], env=runtime.environment(), capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    import numpy as np

    return np.load(results), done.stdout
