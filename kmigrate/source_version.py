"""Which legacy Keras the project was written for, read from its own files.

Several rules depend on it (recurrent activation defaults and ``acc`` metric names changed in
2.3, optimizer epsilon in 2.1.3, ...).  The first pin found wins, looking in the folder of the
given path and then upwards until the project root (a folder with ``.git`` or ``pyproject.toml``).

Dependency files are read with the parsers of ``kmigrate.dependencies`` (requirements files
with their ``-r`` includes, setup.py lists, setup.cfg, PEP 621 and Poetry tables, Pipfile,
environment.yml), so a comment or an unrelated string never counts; a Dockerfile, a notebook's
``!pip install`` lines and a setup.py that is not Python 3 are searched as text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kmigrate.dependencies import FormatError, file_format, read_requirements
from kmigrate.dependencies.requirement import legacy_keras_version

# `keras==2.2.4`, `Keras>=2.1.0,<2.3`, `keras~=2.2`, `"keras==2.0.8"`; not keras-applications etc.
_PIN = re.compile(
    r"""(?<![\w.-])[Kk]eras\s*(?:\[[^\]]*\])?\s*(?P<op>==|===|~=|>=|<=|<|>|=)\s*(?P<version>\d+(?:\.\d+){0,2})"""
)
_FILES = (
    "requirements.txt", "requirements-dev.txt", "requirements_dev.txt", "setup.py", "setup.cfg",
    "pyproject.toml", "environment.yml", "environment.yaml", "Pipfile", "Dockerfile",
)  # fmt: skip
_GLOBS = ("requirements*.txt", "requirements/*.txt", "*.ipynb")


def version_in_text(text: str) -> str | None:
    """The pinned (or lower-bound) legacy Keras 1.x/2.x version in free text (a Dockerfile's
    ``pip install``, a notebook's ``!pip`` lines, a conda ``keras=2.1.6``)."""
    for match in _PIN.finditer(text):
        version = match.group("version")
        if match.group("op") in ("<", "<=") or not version.startswith(("1.", "2.")):
            continue
        return version
    return None


def _notebook_text(path: Path) -> str:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return ""
    lines = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        for line in source if isinstance(source, list) else source.splitlines():
            if line.lstrip().startswith(("!pip", "%pip", "!conda", "%conda")):
                lines.append(line)
    return "\n".join(lines)


def version_in_file(path: Path) -> str | None:
    """The legacy Keras version one file pins, if any."""
    if path.suffix == ".ipynb":
        return version_in_text(_notebook_text(path))
    if file_format(str(path)) is not None:
        try:
            return next(filter(None, map(legacy_keras_version, read_requirements(str(path)))), None)
        except FormatError:
            pass  # e.g. a Python 2 setup.py: its text still says which Keras it wanted
        except OSError:
            return None
    try:
        return version_in_text(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def _candidates(folder: Path) -> list[Path]:
    found = [folder / name for name in _FILES if (folder / name).is_file()]
    for pattern in _GLOBS:
        found += sorted(p for p in folder.glob(pattern) if p not in found and p.is_file())
    return found


def detect(start: Path) -> tuple[str, Path] | None:
    """(version, file it came from) for the project containing ``start``, if pinned."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for current in (folder, *folder.parents):
        for candidate in _candidates(current):
            version = version_in_file(candidate)
            if version:
                return version, candidate
        if (current / ".git").exists() or (current / "pyproject.toml").is_file():
            break
    return None
