"""The package type-checks: mypy, pinned in the ``test`` extra, configured in pyproject.toml
([tool.mypy]: what is checked and how strictly).

Cold (no .mypy_cache, as on a fresh clone) this takes 15-20 s on a shared 2-core machine (about
7 s of CPU); with mypy's cache in .mypy_cache, 2-3 s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_errors() -> None:
    # Run from the repository root so that mypy reads pyproject.toml and keeps its cache there.
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    assert "No module named mypy" not in output, "mypy is missing: pip install -e '.[test]'"
    assert result.returncode == 0, f"mypy found type errors:\n{output}"
    assert "Success: no issues found" in result.stdout, output
