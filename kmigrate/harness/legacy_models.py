"""Genuine legacy model files: small models built and saved by real multi-backend
Keras 2.1.6 / 2.2.4 / 2.3.1, with an input batch and the legacy predictions, for
testing `kmigrate convert-model`.

    python -m kmigrate.harness.legacy_models --keras 2.2.4 --out DIR
    generate_legacy_models("2.2.4", Path("DIR"))

The legacy side is ``legacy_model_builders.py``, run by the provisioned legacy
interpreter with the compatibility layer (like the verify worker).  The folder
gets ``NAME.h5``, ``NAME.inputs.npy`` (``NAME.inputs.0.npy``, ... for several
inputs), ``NAME.predictions.npy`` per model and a ``manifest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from kmigrate.harness.provision import (
    COMPAT_LAYER,
    SUPPORTED_KERAS_VERSIONS,
    LegacyRuntime,
    ProvisionError,
    ensure_legacy_runtime,
)

BUILDERS_SCRIPT = Path(__file__).resolve().parent / "legacy_model_builders.py"
MANIFEST = "manifest.json"
GENERATION_TIMEOUT = 900


class GenerationError(RuntimeError):
    """The legacy side could not generate the model files."""


def generate_legacy_models(keras_version: str, out_dir: Path, cache_dir: Path | None = None, *,
                           only: list[str] | None = None, runtime: LegacyRuntime | None = None,
                           log=lambda message: print(message, file=sys.stderr)) -> list[Path]:
    """Build and save the legacy models of ``keras_version`` into ``out_dir``;
    return the paths of the ``.h5`` files written.  Provisions the legacy runtime
    on first use.  Raises GenerationError when a model fails to build or save."""
    provision_started = time.perf_counter()
    runtime = runtime or ensure_legacy_runtime(cache_dir, keras_version, log=log)
    provision_seconds = time.perf_counter() - provision_started
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir.parent / f".{out_dir.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    try:
        entries = _run_builders(runtime, partial, only)
        generation_seconds = time.perf_counter() - started
        failed = [e for e in entries if "error" in e]
        if failed:
            details = "\n".join(f"  {e['name']}: {e['error']}" for e in failed)
            raise GenerationError(f"legacy Keras {runtime.keras_version} could not generate:\n{details}")
        # Move the finished files in, manifest last: a reader never sees a manifest
        # naming files that are not there yet.
        for produced in sorted(partial.iterdir()):
            os.replace(produced, out_dir / produced.name)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    models = [e for e in entries if "file" in e]
    manifest = {
        "generator": "python -m kmigrate.harness.legacy_models",
        "keras_version": runtime.keras_version,
        "provision_seconds": round(provision_seconds, 1),
        "provisioned_now": runtime.provisioned_now,
        "generation_seconds": round(generation_seconds, 1),
        "models": models,
        "skipped": [e for e in entries if "skipped" in e],
    }
    temporary = out_dir / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    os.replace(temporary, out_dir / MANIFEST)
    return [out_dir / e["file"] for e in models]


def _run_builders(runtime: LegacyRuntime, out_dir: Path, only: list[str] | None) -> list[dict]:
    command = [str(runtime.python), str(BUILDERS_SCRIPT), "--compat", str(COMPAT_LAYER), "--out", str(out_dir)]
    if only:
        command += ["--only", *only]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=GENERATION_TIMEOUT,
                              env=runtime.environment())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GenerationError(f"the legacy model builder could not run: {exc}") from exc
    entries = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not entries:
        tail = "\n".join(done.stderr.strip().splitlines()[-10:])
        raise GenerationError(f"the legacy model builder exited with status {done.returncode}:\n{tail}")
    return entries


def read_manifest(folder: Path) -> dict:
    return json.loads((Path(folder) / MANIFEST).read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kmigrate.harness.legacy_models",
        description="Save small models with genuine legacy Keras (whole-model and weight-only .h5 files, "
                    "inputs and legacy predictions) for testing model-file conversion.")
    parser.add_argument("--keras", action="append", choices=SUPPORTED_KERAS_VERSIONS,
                        help="legacy Keras version (repeatable; default: all)")
    parser.add_argument("--out", required=True, type=Path,
                        help="output folder; with several --keras, one subfolder per version")
    parser.add_argument("--cache-dir", type=Path, help="where the legacy runtime is provisioned")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these models")
    args = parser.parse_args(argv)
    versions = args.keras or list(SUPPORTED_KERAS_VERSIONS)
    status = 0
    for version in versions:
        out_dir = args.out / version if len(versions) > 1 else args.out
        try:
            written = generate_legacy_models(version, out_dir, args.cache_dir, only=args.only)
        except (ProvisionError, GenerationError) as exc:
            print(f"legacy_models: Keras {version}: {exc}", file=sys.stderr)
            status = 2
            continue
        manifest = read_manifest(out_dir)
        print(f"Keras {version}: {len(written)} files in {out_dir} (provisioning {manifest['provision_seconds']} s, "
              f"generation {manifest['generation_seconds']} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
