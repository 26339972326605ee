"""Migration with kmigrate's own command line, as a user would run it.

Every program is copied to ``scratch/migrated/<name>/`` and the CLI runs once
over that folder (one LibCST start-up instead of one per program).
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from kmigrate.harness.discovery import PACKAGE_PARENT, Fixture

MIGRATION_TARGETS = ("tf.keras", "tf_keras")
CLI_TIMEOUT = 900


@dataclass
class Migration:
    path: Path  # the migrated copy (the original itself when nothing was migrated)
    exit_code: int | None = None
    changed: bool = False
    diff: str = ""
    output: str = ""
    error: str = ""


def unmigrated(programs: Sequence[Fixture]) -> dict[str, Migration]:
    """Stand-ins for `--legacy-only`, which runs the originals and migrates nothing."""
    return {program.name: Migration(program.path) for program in programs}


def migrate_all(fixtures: Sequence[Fixture], scratch: Path, legacy_version: str, extra_args: tuple[str, ...],
                post_migrate: Callable[[Path], None] | None, target: str = "tf.keras") -> dict[str, Migration]:
    """Copy every program to ``scratch/migrated/<name>/`` and run the real CLI over that folder."""
    root = scratch / "migrated"
    migrations = {}
    for fixture in fixtures:
        folder = root / fixture.name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(fixture.path, folder / fixture.path.name)
        migrations[fixture.name] = Migration(folder / fixture.path.name)
    # Tell kmigrate which legacy Keras the originals run on, the way a project
    # would: version-dependent rules (hard_sigmoid gates, 'acc' keys) read it.
    (root / "pyproject.toml").write_text(f'[tool.kmigrate]\nfrom-version = "{legacy_version}"\n')
    command = [sys.executable, "-m", "kmigrate", "--target", target, *extra_args, str(root)]
    done = run_cli(command)
    if crashed(done) and len(fixtures) > 1:
        # A tool error: migrate one by one to pin it on the program(s) that cause it.
        for fixture in fixtures:
            one = migrations[fixture.name]
            shutil.copy2(fixture.path, one.path)
            single = run_cli([*command[:-1], str(one.path.parent)])
            _record(one, fixture, single, post_migrate)
    else:
        for fixture in fixtures:
            _record(migrations[fixture.name], fixture, done, post_migrate)
    (scratch / "kmigrate-output.txt").write_text(done.stdout + done.stderr)
    return migrations


def crashed(done: subprocess.CompletedProcess) -> bool:
    """Exit 1 means "rewritten"; an uncaught exception also exits 1, so look for the traceback."""
    return done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr


def run_cli(command: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # This kmigrate (a checkout or site-packages) is the one that migrates.
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_PARENT), *filter(None, [env.get("PYTHONPATH")])])
    env["KMIGRATE_NO_CACHE"] = "1"  # a scratch folder: keeping its project index would only fill the cache
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=CLI_TIMEOUT, env=env,
                              cwd=Path(command[-1]).parent)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(command, 2, "", f"kmigrate timed out: {exc}")


def _record(migration: Migration, fixture: Fixture, done: subprocess.CompletedProcess,
            post_migrate: Callable[[Path], None] | None) -> None:
    migration.exit_code = done.returncode
    text = done.stdout + done.stderr
    # Keep the CLI's lines about this file (findings are reported per file).
    mine = [line for line in text.splitlines() if fixture.path.name in line or f"/{fixture.name}/" in line]
    migration.output = "\n".join(mine) if mine else ""
    if crashed(done):
        migration.error = "\n".join(text.strip().splitlines()[-5:]) or f"kmigrate exited with status {done.returncode}"
    if post_migrate is not None:
        post_migrate(migration.path)
    original = fixture.path.read_text().splitlines(keepends=True)
    migrated = migration.path.read_text().splitlines(keepends=True)
    migration.changed = original != migrated
    migration.diff = "".join(difflib.unified_diff(original, migrated, f"original/{fixture.path.name}",
                                                  f"migrated/{fixture.path.name}"))
