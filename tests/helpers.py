"""Shared assertions for rule tests: before/after, no-op, markers, and the second run."""

from __future__ import annotations

import textwrap

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
