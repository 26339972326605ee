"""`kmigrate verify`: run legacy programs under genuine multi-backend Keras and
their kmigrate-migrated copies under TF 2.21, and compare.

Importing this module must stay cheap: no TensorFlow, NumPy only when the
command runs (the main CLI registers it lazily).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_PASSED, EXIT_FAILED, EXIT_HARNESS_ERROR = 0, 1, 2


@click.command("verify")
@click.argument("fixtures", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--legacy-python", type=click.Path(dir_okay=False, path_type=Path),
              help="Interpreter that already has legacy Keras 2.x on TF 2.15 (skips provisioning).")
@click.option("--legacy-keras", default=None,
              help="Legacy Keras version to run the originals with (2.1.6, 2.2.4, 2.3.1; default 2.2.4).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the legacy runtime is provisioned [default: $KMIGRATE_CACHE_DIR, "
                   "$XDG_CACHE_HOME/kmigrate or ~/.cache/kmigrate].")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=None,
              help="Workers running migrated programs [default: one per core, at most 2]; "
                   "one legacy worker serves up to three of them.")
@click.option("--keep-scratch", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for migrated copies, arrays and logs, kept after the run (emptied first).")
@click.option("--timeout", type=float, default=600.0, show_default=True,
              help="Seconds one fixture may take on one side.")
@click.option("--kmigrate-arg", "kmigrate_args", multiple=True,
              help="Extra argument for the migration CLI, e.g. --kmigrate-arg=--ignore=KM302 (repeatable).")
@click.option("--target", type=click.Choice(["tf.keras", "tf_keras"]), default="tf.keras", show_default=True,
              help="Migrate to this target; tf_keras runs the migrated programs under TF_USE_LEGACY_KERAS=1.")
@click.option("--legacy-only", is_flag=True,
              help="Only run the originals under legacy Keras (check that programs follow the contract).")
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of failing steps.")
def verify(fixtures, output_format, legacy_python, legacy_keras, cache_dir, jobs, keep_scratch, timeout,
           kmigrate_args, target, legacy_only, verbose):
    """Verify that kmigrate's output behaves like the original.

    Each FIXTURE (a name from fixtures/programs, a .py file or a folder of them;
    default: every program in fixtures/programs) follows the contract in
    docs/verification.md.  Exit status: 0 all passed, 1 a check failed, 2 the
    harness could not run (e.g. the legacy runtime cannot be installed).
    """
    from kmigrate.harness import provision, report, runner

    def say(message: str) -> None:
        if output_format == "text":
            click.echo(message, err=True)

    try:
        selected = runner.discover_fixtures(tuple(fixtures))
        if not selected:
            raise runner.HarnessError("no fixtures to verify")
        if legacy_python:
            runtime = provision.runtime_from_interpreter(legacy_python, legacy_keras)
        else:
            runtime = provision.ensure_legacy_runtime(
                cache_dir, legacy_keras or provision.DEFAULT_KERAS_VERSION, log=lambda m: click.echo(m, err=True))
        options = runner.VerifyOptions(
            legacy_runtime=runtime, jobs=jobs or runner.default_jobs(), scratch_dir=keep_scratch, timeout=timeout,
            kmigrate_args=tuple(kmigrate_args), progress=say, legacy_only=legacy_only, target=target,
        )
        result = runner.run_verification(selected, options)
    except (provision.ProvisionError, runner.HarnessError) as exc:
        click.echo(f"kmigrate verify: {exc}", err=True)
        sys.exit(EXIT_HARNESS_ERROR)
    click.echo(report.render_json(result) if output_format == "json" else report.render_text(result, verbose))
    sys.exit(EXIT_PASSED if result.passed else EXIT_FAILED)


def main() -> None:  # `python -m kmigrate.harness`, usable before the main CLI registers `verify`
    verify()
