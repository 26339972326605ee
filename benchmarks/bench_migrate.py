"""Migration speed and memory against LibCST's own parse of the same files.

    python benchmarks/bench_migrate.py [--files 300] [--jobs 2]

Builds a synthetic legacy repository (Keras files in several styles plus plain Python that
never mentions Keras), then measures, on the same files:
  * parse:   libcst.parse_module on every file, one process (the yardstick);
  * index:   the project index kmigrate builds first (ast, whole tree);
  * migrate: kmigrate's pipeline without writing (--check), with 1 and with N processes;
and prints seconds, the migrate/parse ratio and the peak memory of the serial run.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst

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


def make_corpus(folder: Path, files: int) -> list[Path]:
    paths = []
    for index in range(files):
        template = KERAS_FILE if index % 3 else PLAIN_FILE
        path = folder / f"module_{index}.py"
        path.write_text(template.format(index=index))
        paths.append(path)
    return paths


def time_parse(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        cst.parse_module(path.read_bytes())
    return time.perf_counter() - start


def time_migrate(folder: Path, jobs: int) -> float:
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "kmigrate", "--check", "-j", str(jobs), str(folder)],
        capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if completed.returncode == 2:
        raise SystemExit(completed.stderr)
    return elapsed


def time_index(folder: Path) -> float:
    """The project index (the whole-tree ast pass every run starts with)."""
    from kmigrate.project import ProjectIndex

    start = time.perf_counter()
    ProjectIndex.build(folder)
    return time.perf_counter() - start


def peak_memory_mb_of_serial_run(paths: list[Path]) -> float:
    from kmigrate.pipeline import migrate_path
    from kmigrate.settings import Settings

    for path in paths:
        migrate_path(str(path), Settings(), write=False)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kmigrate-bench-"))
    try:
        paths = make_corpus(folder, args.files)
        lines = sum(p.read_text().count("\n") for p in paths)
        parse = time_parse(paths)
        index = time_index(folder)
        serial = time_migrate(folder, 1)
        parallel = time_migrate(folder, args.jobs)
        memory = peak_memory_mb_of_serial_run(paths)
        print(f"corpus: {len(paths)} files, {lines} lines ({sum(1 for i in range(args.files) if i % 3)} mention keras)")
        print(f"libcst parse, 1 process:      {parse:7.2f} s")
        print(f"project index (ast), 1 proc:  {index:7.2f} s  ({index / parse:.2f}x parse)")
        print(f"kmigrate --check -j 1:        {serial:7.2f} s  ({serial / parse:.2f}x parse)")
        print(f"kmigrate --check -j {args.jobs}:        {parallel:7.2f} s  ({parallel / parse:.2f}x parse)")
        print(f"peak memory, in-process run:  {memory:7.1f} MB")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
