"""``kmigrate convert-model``: legacy Keras .h5 model files -> files TF 2.21 loads with plain load_model.

    kmigrate convert-model OLD.h5 [NEW.keras]          one file (default NEW: OLD.keras beside it)
    kmigrate convert-model models/ --out converted/    every .h5/.hdf5 under models/, same tree
    kmigrate convert-model OLD.h5 --check              report only, write nothing
    kmigrate convert-model --weights OLD.h5 NEW.weights.h5 --config CONVERTED.keras
    kmigrate convert-model WEIGHTS.h5 NEW.keras --config ARCHITECTURE.json   save_weights + to_json

Exit status: 0 every file converted (or, with --check, convertible); 1 some file could not be
converted (each problem is printed with the layer and what to do); 2 usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import click

from kmigrate.models import MISSING_DEPENDENCIES_HELP

EXIT_OK, EXIT_NOT_CONVERTED, EXIT_USAGE = 0, 1, 2
MODEL_SUFFIXES = (".h5", ".hdf5")


def _usage(message: str) -> None:
    click.echo(f"kmigrate convert-model: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _load_converter() -> ModuleType:
    try:
        from kmigrate.models import convert
    except ImportError as error:
        click.echo(f"kmigrate convert-model: error: {error}. {MISSING_DEPENDENCIES_HELP}", err=True)
        sys.exit(EXIT_USAGE)
    return convert


def _plan(source: Path, destination: str | None, out: str | None, output_format: str | None,
          weights: bool) -> list[tuple[Path, Path]]:
    """(source, destination) pairs, or a usage error."""
    suffix = ".weights.h5" if weights else (".h5" if output_format == "h5" else ".keras")
    if source.is_dir():
        if destination and out:
            _usage("give the output folder once (--out DIR)")
        target = Path(out or destination or "")
        if not str(target) or target == Path("."):
            _usage(f"{source} is a folder: give the output folder with --out DIR")
        if target.resolve() == source.resolve():
            _usage("--out must differ from the input folder (input files are never overwritten)")
        files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in MODEL_SUFFIXES
                       and target.resolve() not in p.resolve().parents)
        if not files:
            _usage(f"no .h5/.hdf5 file under {source}")
        return [(f, target / f.relative_to(source).with_suffix(suffix)) for f in files]
    if not source.exists():
        _usage(f"{source}: no such file or folder")
    if destination and out:
        _usage("give either NEW or --out DIR, not both")
    if destination:
        dest = Path(destination)
        if dest.is_dir():
            dest = dest / (source.stem + suffix)
    elif out:
        dest = Path(out) / (source.stem + suffix)
    else:
        dest = source.with_suffix(suffix)
    if weights:
        if not dest.name.endswith(".weights.h5"):
            _usage(f"{dest}: a weights file for Keras 3 must end in .weights.h5")
    else:
        name = dest.name.lower()
        if not name.endswith((".keras", ".h5", ".hdf5")):
            _usage(f"{dest}: the output must end in .keras (default) or .h5")
        if output_format == "keras" and not name.endswith(".keras"):
            _usage(f"--format keras but the output is {dest.name}")
        if output_format == "h5" and name.endswith(".keras"):
            _usage(f"--format h5 but the output is {dest.name}")
    if dest.resolve() == source.resolve():
        _usage("the output would overwrite the input file")
    return [(source, dest)]


@click.command("convert-model")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("destination", required=False)
@click.option("--out", "out", metavar="DIR", help="Output folder (required when SOURCE is a folder).")
@click.option("--check", is_flag=True, help="Report what would change and what cannot be converted; write nothing.")
@click.option("--format", "output_format", type=click.Choice(["keras", "h5"]), default=None,
              help="Output format: .keras (default) or Keras 3's legacy .h5.")
@click.option("--weights", "weights", is_flag=True,
              help="Convert weights only into Keras 3's .weights.h5 layout, for the architecture given by --config.")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None,
              help="The architecture of weights-only sources: a converted .keras, the legacy whole-model "
                   ".h5, or the legacy model.to_json() file.  With --weights it is required; without, "
                   "a save_weights SOURCE plus --config makes a whole .keras model.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
def convert_model(source: Path, destination: str | None, out: str | None, check: bool,
                  output_format: str | None, weights: bool, config: Path | None, quiet: bool) -> None:
    """Convert legacy Keras (2.x) .h5 model files so that TF 2.21 loads them with plain load_model.

    The input file is never modified; outputs are written atomically.  Exit status: 0 all
    converted, 1 some could not be converted, 2 usage error."""
    if weights and config is None:
        _usage("--weights needs --config CONVERTED.keras (the architecture the weights belong to)")
    if config is not None and not config.is_file():
        _usage(f"--config {config}: no such file")
    if weights and output_format == "h5":
        _usage("--weights writes Keras 3's .weights.h5 layout; --format does not apply")
    pairs = _plan(source, destination, out, output_format, weights)
    convert = _load_converter()
    failed = 0
    for src, dest in pairs:
        try:
            report = convert.convert_model_file(src, dest, weights_only=weights, check=check, config=config)
        except Exception as error:  # noqa: BLE001 - one bad file never stops a run
            failed += 1
            click.echo(f"{src}: cannot be converted: internal error {type(error).__name__}: {error}")
            continue
        if not report.ok:
            failed += 1
        click.echo(report.format(verbose=not quiet))
    done = len(pairs) - failed
    verb = "convertible" if check else "converted"
    click.echo(f"{done} of {len(pairs)} file(s) {verb}" + (f", {failed} could not be" if failed else ""))
    sys.exit(EXIT_NOT_CONVERTED if failed else EXIT_OK)
