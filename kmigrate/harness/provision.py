"""Provision the legacy runtime: genuine multi-backend Keras on TF 2.15.1 in a venv
under the cache directory, installed with ``pip --no-deps`` from pinned lists.

The venv for the pinned set lives in ``<cache>/legacy-<hash>/``; its name carries
a hash of the pin list, so a changed list provisions a fresh runtime and an old
one is never half-upgraded.  Other Keras 2.x versions are ``--target``
directories (a few MB each) put first on PYTHONPATH by the worker.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kmigrate.index_cache import cache_home

HARNESS_DIR = Path(__file__).resolve().parent
PINNED_REQUIREMENTS = HARNESS_DIR / "legacy-requirements.txt"
COMPAT_LAYER = HARNESS_DIR / "legacy_compat.py"
DEFAULT_KERAS_VERSION = "2.2.4"  # the version in the pinned list
SUPPORTED_KERAS_VERSIONS = ("2.1.6", "2.2.4", "2.3.1")
# TF 2.15.1 ships cp39-cp311 wheels; Keras 2.2/2.3 import distutils (gone in 3.12).
SUPPORTED_PYTHONS = ((3, 9), (3, 10), (3, 11))
READY_MARKER = "ready.json"

# pip messages that mean "the package index could not be reached".
_OFFLINE_SIGNS = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "ConnectTimeoutError",
    "Read timed out",
    "No matching distribution found",
    "Could not find a version that satisfies",
)


class ProvisionError(RuntimeError):
    """The legacy runtime could not be installed or does not work."""


@dataclass(frozen=True)
class LegacyRuntime:
    python: Path
    keras_version: str
    # Directories put first on PYTHONPATH (another Keras version), may be empty.
    extra_paths: tuple[Path, ...] = field(default=())
    provisioned_now: bool = False
    provision_seconds: float = 0.0

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.extra_paths:
            env["PYTHONPATH"] = os.pathsep.join(
                [str(p) for p in self.extra_paths] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
            )
        return env


def default_cache_dir() -> Path:
    return cache_home()  # the codemod's cache folder (its project indexes live there too)


def pins_digest() -> str:
    return hashlib.sha256(PINNED_REQUIREMENTS.read_bytes()).hexdigest()[:12]


def runtime_dir(cache_dir: Path) -> Path:
    return cache_dir / f"legacy-{pins_digest()}"


def ensure_legacy_runtime(
    cache_dir: Path | None = None,
    keras_version: str = DEFAULT_KERAS_VERSION,
    log=lambda message: print(message, file=sys.stderr),
) -> LegacyRuntime:
    """Return a working legacy runtime, installing it first if it is not cached."""
    if keras_version not in SUPPORTED_KERAS_VERSIONS:
        raise ProvisionError(
            f"legacy Keras {keras_version} is not supported; choose one of {', '.join(SUPPORTED_KERAS_VERSIONS)}"
        )
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    target = runtime_dir(cache_dir)
    started = time.perf_counter()
    provisioned_now = False
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(cache_dir / "legacy.lock"):
        if not (target / READY_MARKER).is_file():
            log(f"kmigrate verify: provisioning the legacy runtime in {target} (one-off, ~300 MB download)")
            _install_venv(target)
            provisioned_now = True
        extra_paths: tuple[Path, ...] = ()
        if keras_version != DEFAULT_KERAS_VERSION:
            keras_dir = cache_dir / f"keras-{keras_version}"
            if not (keras_dir / READY_MARKER).is_file():
                log(f"kmigrate verify: installing Keras {keras_version} into {keras_dir}")
                _install_keras_target(target / "venv" / "bin" / "python", keras_dir, keras_version)
                provisioned_now = True
            extra_paths = (keras_dir,)
    runtime = LegacyRuntime(
        python=target / "venv" / "bin" / "python",
        keras_version=keras_version,
        extra_paths=extra_paths,
        provisioned_now=provisioned_now,
        provision_seconds=time.perf_counter() - started if provisioned_now else 0.0,
    )
    if provisioned_now:
        check_legacy_runtime(runtime)
    return runtime


def runtime_from_interpreter(python: Path, keras_version: str | None = None) -> LegacyRuntime:
    """Use an existing interpreter (``--legacy-python``) that has legacy Keras installed."""
    python = Path(python)
    if not python.exists():
        raise ProvisionError(f"--legacy-python {python}: no such file")
    runtime = LegacyRuntime(python=python, keras_version=keras_version or "?")
    found = check_legacy_runtime(runtime)
    return LegacyRuntime(python=python, keras_version=found)


def check_legacy_runtime(runtime: LegacyRuntime) -> str:
    """Import legacy Keras through the compatibility layer; return its version."""
    snippet = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('legacy_compat', {str(COMPAT_LAYER)!r})\n"
        "compat = importlib.util.module_from_spec(spec); spec.loader.exec_module(compat)\n"
        "compat.install()\n"
        "import keras, tensorflow\n"
        "print('KERAS_VERSION=' + keras.__version__)\n"
    )
    try:
        done = subprocess.run(
            [str(runtime.python), "-c", snippet],
            capture_output=True, text=True, timeout=300, env=runtime.environment(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProvisionError(f"legacy interpreter {runtime.python} could not start: {exc}") from exc
    for line in done.stdout.splitlines():
        if line.startswith("KERAS_VERSION="):
            version = line.split("=", 1)[1]
            if version.startswith("2.") and version < "2.4":
                return version
            raise ProvisionError(
                f"{runtime.python} imports Keras {version}, not a multi-backend Keras 2.0-2.3"
            )
    tail = "\n".join(done.stderr.strip().splitlines()[-8:])
    raise ProvisionError(f"legacy Keras does not import in {runtime.python}:\n{tail}")


# --------------------------------------------------------------------------
def _install_venv(target: Path) -> None:
    if sys.version_info[:2] not in SUPPORTED_PYTHONS:
        raise ProvisionError(
            f"the legacy runtime needs Python 3.9-3.11 (TF 2.15.1 wheels, distutils), but kmigrate runs on "
            f"{sys.version.split()[0]}; pass --legacy-python PATH to an interpreter with Keras 2.x installed"
        )
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    base_python = getattr(sys, "_base_executable", None) or sys.executable
    _run_or_raise([base_python, "-m", "venv", str(partial / "venv")], "create the legacy venv")
    _pip(partial / "venv" / "bin" / "python", ["-r", str(PINNED_REQUIREMENTS)], "install the legacy runtime")
    shutil.copy2(PINNED_REQUIREMENTS, partial / "legacy-requirements.txt")
    (partial / READY_MARKER).write_text(json.dumps({"pins": pins_digest(), "created": time.time()}))
    shutil.rmtree(target, ignore_errors=True)
    # A venv's interpreter finds its site-packages through pyvenv.cfg next to
    # bin/, so the finished directory can be moved into place atomically.
    partial.rename(target)


def _install_keras_target(python: Path, keras_dir: Path, version: str) -> None:
    partial = keras_dir.with_name(keras_dir.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    _pip(python, ["--target", str(partial), f"Keras=={version}"], f"install Keras {version}")
    (partial / READY_MARKER).write_text(json.dumps({"keras": version, "created": time.time()}))
    shutil.rmtree(keras_dir, ignore_errors=True)
    partial.rename(keras_dir)


def _pip(python: Path, args: list[str], what: str) -> None:
    _run_or_raise(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-input", "--disable-pip-version-check",
         "--progress-bar", "off", *args],
        what,
    )


def _run_or_raise(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProvisionError(f"could not {what}: {exc}") from exc
    if done.returncode == 0:
        return
    output = (done.stdout + "\n" + done.stderr).strip()
    tail = "\n".join(output.splitlines()[-6:])
    if any(sign in output for sign in _OFFLINE_SIGNS):
        raise ProvisionError(
            f"could not {what}: the package index is unreachable (offline?). The legacy runtime "
            f"needs about 300 MB from PyPI once; or pass --legacy-python PATH to an interpreter "
            f"that already has Keras 2.x on TF 2.15.\npip said:\n{tail}"
        )
    raise ProvisionError(f"could not {what} (exit {done.returncode}):\n{tail}")


class _exclusive_lock:
    """Serialise provisioning between concurrent verify runs (CI + tests)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.handle = open(self.path, "w")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
