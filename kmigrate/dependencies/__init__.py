"""Dependency files: a legacy `keras` requirement becomes the target's TensorFlow.

A document kind (see ``kmigrate.documents``): ``handles`` says by file name which files are
dependency files, ``migrate`` rewrites one, ``RULES`` are its rule ids (KM701-KM706).  One
module per format; they share the requirement logic (``requirement``) and the package table
(``packages``).  ``advice_for_requirement`` answers for a single requirement string (a
notebook's ``!pip install keras==2.1.2``).
"""

from __future__ import annotations

import configparser
import fnmatch
import os
import tomllib
from collections.abc import Callable
from typing import TYPE_CHECKING

import yaml

from kmigrate.dependencies import (
    conda,
    pipfile,
    pyproject,
    requirements_txt,
    setup_cfg,
    setup_py,
)
from kmigrate.dependencies.document import (
    Changes,
    FormatError,
    build_result,
    decode,
    error_result,
)
from kmigrate.dependencies.requirement import (
    Advice,
    ParsedRequirement,
    advice_for_requirement,
)
from kmigrate.dependencies.rules import RULES
from kmigrate.diagnostics import FileResult, Status
from kmigrate.settings import Settings

if TYPE_CHECKING:
    from kmigrate.project import ProjectIndex

__all__ = ["RULES", "Advice", "advice_for_requirement", "handles", "migrate", "read_requirements"]

# File-name patterns of each format, matched case-insensitively on the file name.
_REQUIREMENTS_NAMES = ("*requirements*.txt", "*requirements*.in", "*constraints*.txt", "*constraints*.in")
_FORMATS: tuple[tuple[tuple[str, ...], str], ...] = (
    (_REQUIREMENTS_NAMES, "requirements"),
    (("setup.py",), "setup.py"),
    (("setup.cfg",), "setup.cfg"),
    (("pyproject.toml",), "pyproject"),
    (("pipfile",), "pipfile"),
    (("environment*.yml", "environment*.yaml"), "conda"),
)


def file_format(path: str) -> str | None:
    """Which dependency-file format ``path`` is, by its name; None when it is none."""
    name = os.path.basename(path).lower()
    for patterns, kind in _FORMATS:
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
            return kind
    # requirements/base.txt, requirements/dev.in: a folder of requirement files.
    folder = os.path.basename(os.path.dirname(os.path.abspath(path))).lower()
    if folder == "requirements" and name.endswith((".txt", ".in")):
        return "requirements"
    return None


def handles(path: str) -> bool:
    return file_format(path) is not None


_MIGRATORS: dict[str, Callable[[Changes, str], None]] = {
    "requirements": lambda changes, path: requirements_txt.migrate(changes, path, handles),
    "setup.cfg": lambda changes, path: setup_cfg.migrate(changes),
    "pyproject": lambda changes, path: pyproject.migrate(changes),
    "pipfile": lambda changes, path: pipfile.migrate(changes),
    "conda": lambda changes, path: conda.migrate(changes),
}


def migrate(
    data: bytes, path: str, settings: Settings, report_fixes: bool = True, project: ProjectIndex | None = None,
) -> FileResult:  # fmt: skip
    """Migrate one dependency file; a file that cannot be parsed is an error, left untouched."""
    kind = file_format(path) or "requirements"  # stdin named like none of them: a requirements text
    if kind == "setup.py":
        return setup_py.migrate(data, path, settings, report_fixes, project)
    if not any(settings.rule_enabled(rule.id) for rule in RULES):  # `--select KM1`: not asked for
        return FileResult(path, Status.SKIPPED, note="no dependency-file rule (KM7xx) selected")
    try:
        text, encoding = decode(data)
        changes = Changes(text, settings)
        _MIGRATORS[kind](changes, path)
        result = build_result(path, changes, encoding, report_fixes)
    except FormatError as exc:
        return error_result(path, f"cannot parse as {kind}: {exc}")
    except Exception as exc:  # a bug here must not stop the run or touch the file
        return FileResult(
            path, Status.ERROR,
            error=f"internal error while migrating dependencies ({type(exc).__name__}: {exc}); file left unchanged",
        )  # fmt: skip
    problem = _does_not_parse(kind, result.output) if result.output is not None else None
    if problem:  # checked, not assumed: a rewritten file must read as its format still does
        return FileResult(
            path, Status.ERROR, diagnostics=result.diagnostics,
            error=f"internal error: the rewritten {kind} file does not parse ({problem}); file left unchanged",
        )  # fmt: skip
    return result


def _does_not_parse(kind: str, text: str) -> str | None:
    try:
        if kind in ("pyproject", "pipfile"):
            tomllib.loads(text)
        elif kind == "conda":
            yaml.safe_load(text)
        elif kind == "setup.cfg":
            configparser.RawConfigParser(strict=False).read_string(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, configparser.Error) as exc:
        return str(exc).splitlines()[0]
    return None


_READERS: dict[str, Callable[[str], list[ParsedRequirement]]] = {
    "setup.cfg": setup_cfg.requirements,
    "pyproject": pyproject.requirements,
    "pipfile": pipfile.requirements,
    "conda": conda.requirements,
}


def read_requirements(path: str) -> list[ParsedRequirement]:
    """Every requirement a dependency file declares (a requirements file with the files it
    includes), in file order; for reading, e.g. the legacy Keras version.  Raises OSError when
    the file cannot be read and FormatError when it cannot be parsed."""
    kind = file_format(path)
    if kind == "requirements":
        if not os.path.isfile(path):
            raise FileNotFoundError(path)
        return requirements_txt.read_with_includes(path)
    with open(path, "rb") as handle:
        data = handle.read()
    if kind == "setup.py":
        return setup_py.requirements(data)
    if kind is None:
        raise FormatError(f"{path} is not a dependency file kmigrate reads")
    text, _ = decode(data)
    return _READERS[kind](text)
