"""Keras's own example scripts, the test corpus of script verification.

The ``keras`` 2.2.4 source distribution on PyPI contains ``examples/``.  It is
downloaded once with pip (``pip download --no-deps --no-binary :all:``) and
unpacked under the kmigrate cache directory, next to the legacy runtime.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from kmigrate.harness.provision import ProvisionError, _exclusive_lock, default_cache_dir

KERAS_EXAMPLES_VERSION = "2.2.4"


def keras_examples(cache_dir: Path | None = None, version: str = KERAS_EXAMPLES_VERSION) -> Path:
    """The ``examples/`` folder of the Keras ``version`` sdist, downloaded on first use."""
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    target = cache_dir / f"keras-{version}-examples"
    if (target / "examples").is_dir():
        return target / "examples"
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(cache_dir / "examples.lock"):
        if (target / "examples").is_dir():
            return target / "examples"
        with tempfile.TemporaryDirectory(dir=cache_dir) as download:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                 "--disable-pip-version-check", "-d", download, f"keras=={version}"],
                capture_output=True, text=True, timeout=600,
            )
            archives = list(Path(download).glob("*.tar.gz"))
            if done.returncode != 0 or not archives:
                tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-4:])
                raise ProvisionError(f"could not download the keras {version} sdist from PyPI:\n{tail}")
            partial = Path(download) / "unpacked"
            with tarfile.open(archives[0]) as archive:
                members = [m for m in archive.getmembers() if "/examples/" in m.name and m.isfile()]
                for member in members:
                    member.name = "examples/" + member.name.split("/examples/", 1)[1]
                archive.extractall(partial, members=members, filter="data")
            partial.rename(target)
    return target / "examples"


def example_scripts(examples: Path) -> list[Path]:
    return sorted(p for p in examples.glob("*.py") if not p.name.startswith("_"))
