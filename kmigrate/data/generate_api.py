"""Regenerate ``tf_keras_api.json``: the public names of ``tensorflow.keras`` per module.

A maintainer tool, run under TensorFlow 2.21 (``python -m kmigrate.data.generate_api``).
The codemod never imports TensorFlow: it reads the JSON this writes, so that every
``tensorflow.keras`` name it emits is known to exist in the target release.
``tests/test_api_data.py`` regenerates it and fails when the committed file drifts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

OUTPUT = Path(__file__).with_name("tf_keras_api.json")

# Run in a child process per target: the choice of Keras is fixed at `import tensorflow`.
_DUMP = r"""
import importlib, json, sys, types
import tensorflow as tf
root = tf.keras
modules = {}
def walk(module, dotted, depth):
    names = sorted(n for n in dir(module) if not n.startswith("_"))
    modules[dotted] = names
    for name in names:
        try:
            value = getattr(module, name)
        except Exception:
            continue
        if isinstance(value, types.ModuleType) and depth < 3:
            child = dotted + "." + name
            try:
                importlib.import_module(child)   # `from tensorflow.keras.x import y` must work
            except Exception:
                continue
            walk(value, child, depth + 1)
walk(root, "tensorflow.keras", 0)
version = getattr(root, "__version__", None)
print(json.dumps({"tensorflow": tf.__version__, "keras": version, "modules": modules}))
"""


def dump(target: str) -> dict:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_USE_LEGACY_KERAS", None)
    if target == "tf_keras":
        env["TF_USE_LEGACY_KERAS"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _DUMP], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def generate() -> dict:
    return {"tf.keras": dump("tf.keras"), "tf_keras": dump("tf_keras")}


def main() -> None:
    OUTPUT.write_text(json.dumps(generate(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
