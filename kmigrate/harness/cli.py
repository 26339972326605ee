"""`kmigrate verify`: run legacy programs under genuine multi-backend Keras and
their kmigrate-migrated copies under TF 2.21, and compare.

Importing this module must stay cheap: no TensorFlow, NumPy only when the
command runs (the main CLI registers it lazily).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import click

# What `pip install kmigrate[verify]` brings and the harness needs.
VERIFY_EXTRAS = ("numpy", "tensorflow")

EXIT_PASSED, EXIT_FAILED, EXIT_HARNESS_ERROR = 0, 1, 2


@click.command("verify")
@click.argument("fixtures", nargs=-1, metavar="[PROGRAM]...")
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
              help="Seconds one fixture or script may take on one side.")
@click.option("--kmigrate-arg", "kmigrate_args", multiple=True,
              help="Extra argument for the migration CLI, e.g. --kmigrate-arg=--ignore=KM302 (repeatable).")
@click.option("--target", type=click.Choice(["tf.keras", "tf_keras"]), default="tf.keras", show_default=True,
              help="Migrate to this target; tf_keras runs the migrated programs under TF_USE_LEGACY_KERAS=1.")
@click.option("--legacy-only", is_flag=True,
              help="Only run the originals under legacy Keras (check that programs follow the contract).")
@click.option("--mode", type=click.Choice(["auto", "fixture", "script"]), default="auto", show_default=True,
              help="auto: a file defining data(), build() and train() is a contract fixture, any other file "
                   "an ordinary script.")
@click.option("--fixture-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of contract fixtures for names and for the default selection "
                   "[default: fixtures/programs of the kmigrate checkout, else the fixtures bundled with "
                   "the installed package].")
@click.option("--epochs", type=click.IntRange(1), default=1, show_default=True,
              help="Scripts: epochs each fit() runs at most (both sides).")
@click.option("--samples", type=click.IntRange(1), default=256, show_default=True,
              help="Scripts: samples each fit()/evaluate() uses at most (both sides).")
@click.option("--steps", type=click.IntRange(1), default=8, show_default=True,
              help="Scripts: steps per epoch of generators at most (both sides).")
@click.option("--data-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Scripts: folder whose files are linked into each run's working folder (real data).")
@click.option("--models", "model_files", is_flag=True,
              help="Fixtures: also convert each legacy model file with convert-model and compare its predictions "
                   "in TF 2.21 (plain load_model in a fresh process, before and after a re-save).")
@click.option("--list", "list_only", is_flag=True,
              help="Print the programs that would run (name, kind, path) and exit; needs no runtime.")
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of failing steps.")
def verify(fixtures, output_format, legacy_python, legacy_keras, cache_dir, jobs, keep_scratch, timeout,
           kmigrate_args, target, legacy_only, mode, fixture_dir, epochs, samples, steps, data_dir, model_files,
           list_only, verbose):
    """Verify that kmigrate's output behaves like the original.

    Each PROGRAM is a .py file, a folder of them, or a fixture name (default:
    every fixture of the fixture folder).  Contract fixtures (docs/verification.md)
    are compared check by check; ordinary scripts are run offline with capped
    training and reported by the level they reach (1 same ending, 2 same
    architecture, 3 same numerics).  Exit status: 0 nothing differed, 1 a check
    failed or a script behaved differently, 2 the harness could not run.
    """
    missing = missing_extras()
    if missing and not list_only:  # said first: whatever else is wrong, the harness cannot run without them
        click.echo(f"kmigrate verify: {missing_extras_message(missing)}", err=True)
        sys.exit(EXIT_HARNESS_ERROR)
    # Discovery needs neither NumPy nor TensorFlow: --list works without the extras.
    from kmigrate.harness import discovery
    from kmigrate.harness.errors import HarnessError

    try:
        selected = discovery.discover_fixtures(tuple(fixtures), fixture_dir)
    except HarnessError as exc:
        click.echo(f"kmigrate verify: {exc}", err=True)
        sys.exit(EXIT_HARNESS_ERROR)
    if mode == "auto":
        contract = [p for p in selected if discovery.is_contract_fixture(p.path)]
        ordinary = [p for p in selected if not discovery.is_contract_fixture(p.path)]
    else:
        contract, ordinary = (selected, []) if mode == "fixture" else ([], selected)
    if list_only:
        _list_programs(contract, ordinary, output_format)
        sys.exit(EXIT_PASSED)
    from kmigrate.harness import provision, report, runner, script_report, scripts

    def say(message: str) -> None:
        if output_format == "text":
            click.echo(message, err=True)

    try:
        if legacy_python:
            runtime = provision.runtime_from_interpreter(legacy_python, legacy_keras)
        else:
            runtime = provision.ensure_legacy_runtime(
                cache_dir, legacy_keras or provision.DEFAULT_KERAS_VERSION, log=lambda m: click.echo(m, err=True))
        fixture_result = script_result = model_result = None

        def scratch_for(kind: str) -> Path | None:  # one subfolder per kind when there are both
            if not keep_scratch:
                return None
            return keep_scratch / kind if contract and ordinary else keep_scratch

        check_models = model_files and contract and not legacy_only
        if contract:
            fixture_options = runner.VerifyOptions(
                legacy_runtime=runtime, jobs=jobs or runner.default_jobs(),
                scratch_dir=scratch_for("fixtures") or (_models_scratch() if check_models else None),
                timeout=timeout, kmigrate_args=tuple(kmigrate_args), progress=say, legacy_only=legacy_only,
                target=target, model_files=bool(check_models),
            )
            fixture_result = runner.run_verification(contract, fixture_options)
            if check_models:
                model_result = _check_model_files(fixture_result, contract, keep_scratch is not None, say)
        if ordinary:
            script_options = scripts.ScriptOptions(
                legacy_runtime=runtime, jobs=jobs or runner.default_jobs(),
                scratch_dir=scratch_for("scripts"), timeout=timeout,
                kmigrate_args=tuple(kmigrate_args), progress=say, legacy_only=legacy_only, target=target,
                caps=scripts.Caps(epochs=epochs, samples=samples, steps=steps), data_dir=data_dir,
            )
            script_result = scripts.run_script_verification(ordinary, script_options)
    except (provision.ProvisionError, HarnessError) as exc:
        click.echo(f"kmigrate verify: {exc}", err=True)
        sys.exit(EXIT_HARNESS_ERROR)
    if output_format == "json":
        click.echo(_with_model_files(script_report.render_json(fixture_result, script_result), model_result))
    else:
        parts = []
        if fixture_result:
            parts.append(report.render_text(fixture_result, verbose))
        if model_result:
            parts.append(model_result.render_text())
        if script_result:
            parts.append(script_report.render_text(script_result, verbose))
        click.echo("\n\n".join(parts))
    passed = all(r.passed for r in (fixture_result, script_result, model_result) if r is not None)
    sys.exit(EXIT_PASSED if passed else EXIT_FAILED)


def missing_extras() -> list[str]:
    return [name for name in VERIFY_EXTRAS if importlib.util.find_spec(name) is None]


def missing_extras_message(missing: list[str]) -> str:
    return (f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed: the verification "
            f"harness runs the migrated programs on TensorFlow 2.21. Install the extra: "
            f"pip install 'kmigrate[verify]'")


def _list_programs(contract, ordinary, output_format: str) -> None:
    """What a run with the same arguments would verify (for an installed kmigrate: the bundled fixtures)."""
    rows = [(p, "fixture") for p in contract] + [(p, "script") for p in ordinary]  # the order they run in
    if output_format == "json":
        import json

        click.echo(json.dumps([{"name": p.name, "kind": kind, "path": str(p.path)} for p, kind in rows], indent=2))
        return
    width = max(len(p.name) for p, _ in rows)
    for program, kind in rows:
        click.echo(f"{program.name:<{width}}  {kind:<7}  {program.path}")
    folders = sorted({str(p.path.parent) for p, _ in rows})
    click.echo(f"{len(contract)} contract fixtures, {len(ordinary)} scripts, from {', '.join(folders)}", err=True)


# --------------------------------------------------------------------------
# --models: model files (kmigrate/harness/model_files.py)

def _models_scratch() -> Path:
    """The model-file checks read the legacy runs' files after the verification,
    so the scratch folder must outlive it; removed afterwards unless kept."""
    from kmigrate.harness import model_files

    return model_files.scratch_for_models()


def _check_model_files(fixture_result, contract, keep_scratch: bool, say):
    import shutil

    from kmigrate.harness import model_files

    scratch = Path(fixture_result.scratch or "")
    say("checking model files (convert-model, then TF 2.21 in fresh processes)")
    result = model_files.verify_fixture_model_files(scratch, [f.name for f in contract])
    if not keep_scratch and fixture_result.passed and result.passed:
        shutil.rmtree(scratch, ignore_errors=True)
        fixture_result.scratch = ""
    else:
        fixture_result.scratch = str(scratch)
    return result


def _with_model_files(rendered_json: str, model_result) -> str:
    if model_result is None:
        return rendered_json
    import json

    document = json.loads(rendered_json)
    document["model_files"] = model_result.to_json()
    document["passed"] = bool(document.get("passed", True)) and model_result.passed
    return json.dumps(document, indent=2)


def main() -> None:  # `python -m kmigrate.harness`, usable before the main CLI registers `verify`
    verify()
