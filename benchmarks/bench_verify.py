"""Time a full `kmigrate verify` run.

    python benchmarks/bench_verify.py [--cache-dir DIR] [--fresh] [--jobs N] [FIXTURE...]

Reports, separately: provisioning of the legacy runtime (0 when it is cached; --fresh provisions
into a new temporary cache to measure it), worker start-up, the verification of every fixture
(wall time, with the slowest fixtures per side), and the pass count.  Exit status 0 when every
fixture passed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmigrate.harness import provision, runner  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", nargs="*")
    parser.add_argument("--cache-dir", type=Path)
    parser.add_argument("--fresh", action="store_true", help="provision into a new temporary cache")
    parser.add_argument("--jobs", type=int, default=runner.default_jobs())
    args = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="kmigrate-bench-cache-")) if args.fresh else args.cache_dir
    started = time.perf_counter()
    runtime = provision.ensure_legacy_runtime(cache)
    provisioning = time.perf_counter() - started

    fixtures = runner.discover_fixtures(tuple(args.fixtures))
    with tempfile.TemporaryDirectory(prefix="kmigrate-bench-") as scratch:
        report = runner.run_verification(
            fixtures, runner.VerifyOptions(legacy_runtime=runtime, jobs=args.jobs, scratch_dir=Path(scratch)))

    passed = sum(result.passed for result in report.fixtures)
    print(f"fixtures:            {len(fixtures)} ({passed} passed, {len(fixtures) - passed} failed)")
    print(f"provisioning:        {provisioning:7.1f} s"
          + ("" if runtime.provisioned_now else "  (cached runtime reused)"))
    print(f"worker start-up:     legacy {report.runtimes['legacy'].get('startup_seconds', 0):.1f} s, "
          f"modern {report.runtimes['modern'].get('startup_seconds', 0):.1f} s (in parallel, once)")
    print(f"verification (wall): {report.seconds:7.1f} s  with --jobs {args.jobs}")
    legacy_total = sum(r.legacy_seconds for r in report.fixtures)
    modern_total = sum(r.modern_seconds for r in report.fixtures)
    print(f"work per side:       legacy {legacy_total:.1f} s, migrated {modern_total:.1f} s "
          f"(overlap: {legacy_total + modern_total - report.seconds:+.1f} s)")
    slowest = sorted(report.fixtures, key=lambda r: r.modern_seconds, reverse=True)[:5]
    print("slowest (migrated side): " + ", ".join(f"{r.name} {r.modern_seconds:.1f} s" for r in slowest))
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
