"""Run `kmigrate verify` on every example script of the Keras 2.2.4 sdist and
print how many reach each level, before migration (the original alone under
genuine Keras 2.2.4) and after (the kmigrate-migrated copy under TF 2.21).

    python benchmarks/verify_examples.py [--timeout 180] [--keep-scratch DIR] [--json out.json] [NAME ...]

The examples are downloaded once from PyPI into the kmigrate cache; the legacy
runtime is provisioned on first use.  Takes 15-25 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from kmigrate.harness import examples, provision, runner, script_report, scripts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these examples (file stems)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per script and side")
    parser.add_argument("--keep-scratch", type=Path)
    parser.add_argument("--json", type=Path, help="write the full report here")
    args = parser.parse_args()

    folder = examples.keras_examples()
    paths = [p for p in examples.example_scripts(folder) if not args.names or p.stem in args.names]
    runtime = provision.ensure_legacy_runtime()
    options = scripts.ScriptOptions(legacy_runtime=runtime, timeout=args.timeout, scratch_dir=args.keep_scratch,
                                    progress=lambda message: print(message, file=sys.stderr, flush=True))
    report = scripts.run_script_verification([runner.Fixture(p.stem, p.resolve()) for p in paths], options)
    print(script_report.render_text(report))

    before = Counter(r.legacy.get("kind", "not run") for r in report.scripts)
    runs = before["completed"] + before["capped"]
    after = script_report.level_counts(report.scripts)
    differs = [r.name for r in report.scripts if r.status == scripts.DIFFERS]
    print()
    print(f"before migration ({len(report.scripts)} examples under Keras 2.2.4): {runs} run (to the end or to the "
          f"training cap), {before['needs-network']} need data from the network, {before['needs-file']} need a "
          f"file, {before['exception']} raise an error")
    print(f"after migration: level 1 {after[1]}, level 2 {after[2]}, level 3 {after[3]}; "
          f"behave differently: {len(differs)} ({', '.join(differs) or 'none'})")
    runnable = [r for r in report.scripts if r.legacy.get("kind") in ("completed", "capped")]
    print(f"of the {len(runnable)} that run: level 2 {sum(r.level >= 2 for r in runnable)}, "
          f"level 3 {sum(r.level >= 3 for r in runnable)}")
    if args.json:
        args.json.write_text(json.dumps(script_report.script_report_json(report), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
