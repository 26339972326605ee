"""Build hook, nothing else (the package is described in pyproject.toml).

A wheel carries a copy of the repository's fixtures/programs as package data,
kmigrate/harness/fixture_programs, so that `kmigrate verify` installed from a
wheel finds the bundled fixtures (kmigrate/harness/discovery.py).  The
repository keeps one copy only: new fixtures go to fixtures/programs.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FIXTURE_SOURCE = Path(__file__).resolve().parent / "fixtures" / "programs"
BUNDLED_FIXTURES = Path("kmigrate", "harness", "fixture_programs")


class BuildPyWithFixtures(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's fixtures/programs itself
        sources = sorted(FIXTURE_SOURCE.glob("*.py"))
        if not sources:  # never ship a wheel whose `kmigrate verify` has nothing to run
            raise SystemExit(f"{FIXTURE_SOURCE} holds no fixtures: build from a checkout or a complete sdist")
        target = Path(self.build_lib) / BUNDLED_FIXTURES
        shutil.rmtree(target, ignore_errors=True)  # a fixture removed since the last build must not linger
        target.mkdir(parents=True)
        for source in sources:
            shutil.copyfile(source, target / source.name)


setup(cmdclass={"build_py": BuildPyWithFixtures})
