"""Which programs `kmigrate verify` runs, and where the bundled fixtures are.

Imports nothing beyond the standard library: `kmigrate verify --list` and the
"install the verify extra" message must work without NumPy or TensorFlow.

The contract fixtures live in the repository's ``fixtures/programs`` (new
fixtures go there).  A wheel carries a copy of that folder as package data,
``kmigrate/harness/fixture_programs`` (copied by setup.py at build time), so an
installed kmigrate finds them too.  The checkout's folder wins when both exist:
in an editable install the checkout is what the developer is editing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from kmigrate.harness.errors import HarnessError

# The folder holding the kmigrate package: a source checkout, or site-packages.
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
CHECKOUT_FIXTURE_DIR = PACKAGE_PARENT / "fixtures" / "programs"
# Where setup.py puts the copy of fixtures/programs inside a built wheel.
BUNDLED_FIXTURE_DIR = Path(__file__).resolve().parent / "fixture_programs"
CONTRACT_FUNCTIONS = {"data", "build", "train"}


@dataclass(frozen=True)
class Fixture:
    """One program to verify: a contract fixture or an ordinary script."""

    name: str
    path: Path


def default_fixture_dir() -> Path | None:
    """The checkout's ``fixtures/programs``, else the copy bundled in the wheel, else None."""
    for folder in (CHECKOUT_FIXTURE_DIR, BUNDLED_FIXTURE_DIR):
        if folder.is_dir() and any(folder.glob("*.py")):
            return folder
    return None


def programs_in(folder: Path) -> list[Fixture]:
    """The .py files of ``folder`` (not recursive; ``_helpers.py`` are not programs)."""
    return [Fixture(p.stem, p.resolve()) for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]


def discover_fixtures(selectors: tuple[str, ...] = (), fixture_dir: Path | None = None) -> list[Fixture]:
    """Programs named by ``selectors`` (names from the fixture folder, .py files
    or folders of them); all of the fixture folder when none are given.  The
    fixture folder defaults to :func:`default_fixture_dir`."""
    fixture_dir = Path(fixture_dir) if fixture_dir else default_fixture_dir()
    if not selectors:
        if fixture_dir is None or not fixture_dir.is_dir():
            raise HarnessError("no programs given and no fixture folder: name scripts or folders to verify, "
                               "or pass --fixture-dir (the fixtures/programs folder of a kmigrate checkout)")
        found = programs_in(fixture_dir)
        if not found:
            raise HarnessError(f"no programs in {fixture_dir} (.py files; names starting with _ are helpers)")
        return found
    found = []
    for selector in selectors:
        path = Path(selector)
        if path.is_dir():
            found.extend(programs_in(path))
        elif path.suffix == ".py" and path.is_file():
            found.append(Fixture(path.stem, path.resolve()))
        elif fixture_dir is not None and (fixture_dir / f"{selector}.py").is_file():
            found.append(Fixture(selector, (fixture_dir / f"{selector}.py").resolve()))
        else:
            where = f"a name in {fixture_dir}" if fixture_dir else "a fixture name (no fixture folder: --fixture-dir)"
            raise HarnessError(f"no program {selector!r}: not a .py file, a folder, or {where}")
    names = [f.name for f in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise HarnessError(f"fixture names must be unique: {', '.join(duplicates)}")
    return found


def is_contract_fixture(path: Path) -> bool:
    """A fixture defines ``data``, ``build`` and ``train`` at module level; anything else is a script."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        return False
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return CONTRACT_FUNCTIONS <= defined
