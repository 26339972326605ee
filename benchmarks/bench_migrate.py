"""Migration speed and memory, side by side with what users compare it to.

    python benchmarks/bench_migrate.py [--files 300] [--keras-share 0.67] [--jobs 2] [--no-upgrader]
    python benchmarks/bench_migrate.py --files 10000 --keras-share 0.1      # the scale check
    python benchmarks/bench_migrate.py --tree path/to/repo --no-upgrader  # a real repository, read only

Builds a synthetic legacy repository (Keras files in several styles plus plain Python that never
mentions Keras), then measures, on the same files, each as its own process:
  * read:          reading every file (the floor);
  * parse+codegen: libcst.parse_module + .code on every file, one process (the yardstick);
  * index:         the project index kmigrate builds first (ast, whole tree);
  * kmigrate:      `kmigrate --check` with 1 and with N worker processes, the project index
                   built afresh (a first run), then with N again over the index the first run left
                   in the cache (as every later run);
  * tf_upgrade_v2: TensorFlow's own upgrader over the same files, imported once, file by file
                   (needs TensorFlow: the test extra installs it);
and prints seconds, ratios to parse+codegen, and the peak memory of each command summed over all
its processes (workers included; proportional set size, so memory shared after fork counts once),
sampled from /proc.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KERAS_FILE = '''"""Model {index}."""
import numpy as np
import keras
from keras.models import Sequential, Model
from keras.layers.core import Dense, Dropout, Activation, Flatten
from keras.layers import Convolution2D, MaxPooling2D, Input, LSTM, Embedding
from keras.optimizers import SGD, Adam
from keras.utils import np_utils
from keras import backend as K


def build_{index}(nb_classes=10):
    model = Sequential()
    model.add(Convolution2D(32, 3, 3, border_mode="same", input_shape=(1, 28, 28)))
    model.add(Activation("relu"))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Flatten())
    model.add(Dense(output_dim=128, init="he_normal"))
    model.add(Dropout(p=0.5))
    model.add(Dense(nb_classes, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer=SGD(lr=0.01, decay=1e-6), metrics=["accuracy"])
    return model


def train_{index}(model, x, y):
    y = np_utils.to_categorical(y, 10)
    history = model.fit(x, y, nb_epoch=2, batch_size=32, verbose=0)
    return history.history["acc"]
''' + "\n".join(
    f"def helper_{{index}}_{n}(values):\n    total = 0\n    for v in values:\n        total += v * {n}\n    return total\n"
    for n in range(30)
)

PLAIN_FILE = '"""Utilities {index}."""\nimport os\n\n' + "\n".join(
    f"def util_{{index}}_{n}(path):\n    return os.path.join(path, 'x{n}')\n" for n in range(40)
)


def make_corpus(folder: Path, files: int, keras_share: float) -> list[Path]:
    paths = []
    every = max(1, round(1 / keras_share)) if keras_share > 0 else 0
    for index in range(files):
        keras = every and (index % every == 0 if keras_share < 0.5 else index % 3 != 0)
        template = KERAS_FILE if keras else PLAIN_FILE
        sub = folder / f"pkg_{index // 200}"  # real trees are folders of modest size
        sub.mkdir(exist_ok=True)
        path = sub / f"module_{index}.py"
        path.write_text(template.format(index=index))
        paths.append(path)
    return paths


def _tree_rss_kb(root_pid: int) -> int:
    """Memory of a process and all its descendants, in KiB (Linux /proc): the proportional set
    size (Pss), so that pages the workers share with the parent after fork count once, not once
    per process as summed VmRSS would; VmRSS where smaps_rollup is not available."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            kb = _memory_kb(entry)
        except (OSError, ValueError, IndexError):
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = kb
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def _memory_kb(pid: str) -> int:
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as handle:
                return next((int(line.split()[1]) for line in handle if line.startswith(key)), 0)
        except OSError:
            continue
    return 0


def measure(
    command: list[str], accept: tuple[int, ...] = (0, 1), env: dict[str, str] | None = None,
) -> tuple[float, float, str]:  # fmt: skip
    """(wall seconds, peak MB of the process tree, stdout) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **env} if env else None)  # fmt: skip
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in accept:
        raise SystemExit(f"{' '.join(command[:4])} failed ({process.returncode}):\n{stderr[-2000:]}")
    return elapsed, peak / 1024, stdout


_PYTHON = [sys.executable, "-c"]
_READ = "import sys\nfor p in open(sys.argv[1]).read().split('\\n'):\n    open(p, 'rb').read()\n"
_PARSE = (
    "import sys, libcst as cst\n"
    "for p in open(sys.argv[1]).read().split('\\n'):\n"
    "    try:\n        cst.parse_module(open(p, 'rb').read()).code\n"
    "    except cst.ParserSyntaxError:\n        pass\n"  # a real tree's Python 2 files
)
_INDEX = "import sys\nfrom pathlib import Path\nfrom kmigrate.project import ProjectIndex\nProjectIndex.build(Path(sys.argv[1]))\n"
# The upgrader is imported once (its import is reported apart), then run file by file.
_UPGRADE = (
    "import sys, time, tempfile, os\n"
    "start = time.perf_counter()\n"
    "from tensorflow.tools.compatibility import ast_edits, tf_upgrade_v2\n"
    "print(f'import {time.perf_counter() - start:.3f}')\n"
    "upgrader = ast_edits.ASTCodeUpgrader(tf_upgrade_v2.TFAPIChangeSpec())\n"
    "out = tempfile.mkdtemp()\n"
    "start = time.perf_counter()\n"
    "for i, p in enumerate(open(sys.argv[1]).read().split('\\n')):\n"
    "    upgrader.process_file(p, os.path.join(out, f'{i}.py'))\n"
    "print(f'files {time.perf_counter() - start:.3f}')\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--keras-share", type=float, default=2 / 3, help="share of files that use Keras")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-upgrader", action="store_true", help="skip tf_upgrade_v2")
    parser.add_argument("--tree", type=Path, help="measure this existing tree (read only) instead of a synthetic one")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kmigrate-bench-"))
    try:
        if args.tree is not None:
            folder = args.tree.resolve()
            paths = sorted(p for p in folder.rglob("*.py") if p.is_file() and not any(
                part.startswith(".") or part in ("__pycache__", "node_modules") for part in p.relative_to(folder).parts))
        else:
            folder = scratch / "tree"
            folder.mkdir()
            paths = make_corpus(folder, args.files, args.keras_share)
        listing = scratch / "files.txt"
        listing.write_text("\n".join(str(p) for p in paths))
        keras_files = sum(b"keras" in p.read_bytes() for p in paths)
        lines = sum(p.read_bytes().count(b"\n") for p in paths)
        kmigrate = [sys.executable, "-m", "kmigrate", "--check"]
        # A real tree may hold files that do not parse (Python 2): reported, exit status 2.
        accept = (0, 1, 2) if args.tree is not None else (0, 1)
        # First runs (the index built and written to an empty cache), then a later run; in the
        # scratch folder, not the user's cache.
        cache_serial, cache = ({"KMIGRATE_CACHE_DIR": str(scratch / name)} for name in ("cache-1", "cache-n"))
        rows = [
            ("read", measure([*_PYTHON, _READ, str(listing)])),
            ("libcst parse+codegen", measure([*_PYTHON, _PARSE, str(listing)])),
            ("project index (ast)", measure([*_PYTHON, _INDEX, str(folder)])),
            ("kmigrate --check -j 1", measure([*kmigrate, "-j", "1", str(folder)], accept, env=cache_serial)),
            (f"kmigrate --check -j {args.jobs}",
             measure([*kmigrate, "-j", str(args.jobs), str(folder)], accept, env=cache)),  # fills the cache
            ("  again, index cached", measure([*kmigrate, "-j", str(args.jobs), str(folder)], accept, env=cache)),
        ]
        upgrader = None
        if not args.no_upgrader:
            seconds, peak, out = measure([*_PYTHON, _UPGRADE, str(listing)])
            timings = dict(line.split() for line in out.splitlines() if line.split()[:1] in (["import"], ["files"]))
            upgrader = (seconds, peak, float(timings["import"]), float(timings["files"]))
        parse = rows[1][1][0]
        print(f"corpus: {len(paths)} files, {lines} lines, {keras_files} use Keras; jobs={args.jobs}, "
              f"{len(os.sched_getaffinity(0))} CPUs")
        print(f"{'':28} {'seconds':>8} {'x parse':>8} {'peak MB':>8}")
        for name, (seconds, peak, _) in rows:
            print(f"{name:28} {seconds:8.2f} {seconds / parse:8.2f} {peak:8.0f}")
        if upgrader is not None:
            seconds, peak, imported, files = upgrader
            print(f"{'tf_upgrade_v2 (whole)':28} {seconds:8.2f} {seconds / parse:8.2f} {peak:8.0f}")
            print(f"{'tf_upgrade_v2 (files only)':28} {files:8.2f} {files / parse:8.2f}"
                  f"      (its import: {imported:.1f} s)")
        serial, parallel = rows[3][1][0], rows[4][1][0]
        print(f"pool speed-up 1 -> {args.jobs} jobs: {serial / parallel:.2f}x")
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
