"""Persistent fixture runner for `kmigrate verify`, one process per runtime.

Run as a plain file (it must not import kmigrate: the legacy interpreter does
not have it):

    LEGACY_PYTHON worker.py --side legacy --compat legacy_compat.py
    MODERN_PYTHON worker.py --side modern

TensorFlow is imported once, at start-up.  Then the worker answers one JSON
request per stdin line with one JSON line on the original stdout (the fixture's
own prints and progress bars go to stderr, i.e. the worker log):

    -> {"id": 3, "fixture": "/scratch/mlp/migrated/mlp.py", "workdir": "...",
        "initial_weights": "...npz" (modern only), "legacy_h5": "...h5" (modern only)}
    <- {"id": 3, "ok": true, "arrays": "<workdir>/results.npz",
        "steps": {"train": {"ok": true, "seconds": 0.4}, ...}, "info": {...}}

Arrays go to ``results.npz`` in the request's workdir under keys such as
``train/loss``, ``probe/0``, ``roundtrip_keras/after/0``; the harness compares
them.  A failing step is reported with its error and the steps that need it are
skipped; the worker itself keeps running.

With ``--script-runtime script_runtime.py`` the worker also runs ordinary
scripts (requests with ``"script"`` instead of ``"fixture"``, see
``script_runtime.run_script``):

    -> {"id": 4, "script": ".../mnist_mlp.py", "workdir": "...", "config": {...}}
    <- {"id": 4, "ok": true, "outcome": {"kind": "completed"}, "models": [...],
        "calls": [...], "arrays": "<workdir>/results.npz"}
"""

import argparse
import contextlib
import importlib.util
import json
import os
import random
import sys
import time
import traceback
from typing import Any

DEFAULT_SEED = 1234


# --------------------------------------------------------------------------
# Runtime start-up

def keras_settings_restorer(backend):
    """Put Keras's process-wide settings (image data format, floatx, epsilon) back as they were at
    start-up: a program that changes them at import time (``K.set_image_dim_ordering('th')``)
    must not change the programs run after it in the same worker, as it could not in a process
    of its own."""
    image_data_format, floatx, epsilon = backend.image_data_format(), backend.floatx(), backend.epsilon()

    def restore():
        backend.set_image_data_format(image_data_format)
        backend.set_floatx(floatx)
        backend.set_epsilon(epsilon)

    return restore


def start_legacy_runtime(compat_path):
    spec = importlib.util.spec_from_file_location("legacy_compat", compat_path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load %s" % compat_path)
    compat = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compat)
    tf = compat.install()  # must precede every TensorFlow/Keras import
    import keras  # noqa: F401  (imported once; fixtures reuse it)
    from keras import backend as K

    restore_settings = keras_settings_restorer(K)

    def reset_session():
        # One fresh graph per fixture; one thread each, so that the legacy and
        # modern workers can share two cores and reductions stay in one order.
        restore_settings()
        K.clear_session()
        config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
        K.set_session(tf.Session(config=config))

    versions = {"keras": keras.__version__, "tensorflow": tf.__dict__["_real_tf"].__version__}
    return reset_session, versions


def start_modern_runtime():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)

    restore_settings = keras_settings_restorer(tf.keras.backend)

    def reset_session():
        restore_settings()
        tf.keras.backend.clear_session()

    keras_version = getattr(tf.keras, "__version__", None)
    if keras_version is None:  # TF_USE_LEGACY_KERAS=1: tf.keras is tf_keras, which has no __version__
        import tf_keras

        keras_version = f"tf_keras {tf_keras.__version__}"
    versions = {"keras": keras_version, "tensorflow": tf.__version__}
    return reset_session, versions


# --------------------------------------------------------------------------
# Fixtures

@contextlib.contextmanager
def fixture_module(path, request_id):
    """Import a fixture by path; its folder is importable meanwhile (helper
    modules that a migration may add sit next to it), and forgotten afterwards."""
    folder = os.path.dirname(os.path.abspath(path))
    name = "kmigrate_fixture_%d_%s" % (request_id, os.path.splitext(os.path.basename(path))[0])
    sys.path.insert(0, folder)
    before = set(sys.modules)
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError("cannot load %s" % path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(folder)
        for added in set(sys.modules) - before:
            loaded_from = getattr(sys.modules[added], "__file__", None) or ""
            if added == name or os.path.abspath(loaded_from).startswith(folder + os.sep):
                del sys.modules[added]


def seed_everything(module):
    seed = getattr(module, "SEED", DEFAULT_SEED)
    random.seed(seed)
    import numpy as np

    np.random.seed(seed)


def probe(module, model, data):
    if hasattr(module, "probe"):
        return module.probe(model, data)
    return model.predict(data["x"])


def flatten(prefix, value, out):
    """Store nested dicts/lists of arrays and numbers under 'prefix/key' names."""
    import numpy as np

    if value is None:
        return
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            flatten("%s/%s" % (prefix, key), value[key], out)
        return
    if isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
        except ValueError:  # ragged: a list of differently shaped outputs
            array = None
        if array is None or array.dtype == object:
            for index, item in enumerate(value):
                flatten("%s/%d" % (prefix, index), item, out)
            return
        out[prefix] = array
        return
    if hasattr(value, "numpy"):  # eager tensors from the modern side
        value = value.numpy()
    out[prefix] = np.asarray(value)


class Steps:
    """Runs named steps; records time and the first error of each."""

    def __init__(self):
        self.report = {}

    def run(self, name, function, *needs):
        missing = [n for n in needs if not self.report.get(n, {}).get("ok")]
        if missing:
            self.report[name] = {"ok": False, "skipped": True, "error": "needs %s" % ", ".join(missing)}
            return None
        started = time.perf_counter()
        try:
            value = function()
        except BaseException as exc:  # noqa: BLE001 - a fixture may raise anything
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.report[name] = {
                "ok": False,
                "seconds": round(time.perf_counter() - started, 3),
                "error": "%s: %s" % (type(exc).__name__, str(exc).strip().splitlines()[0] if str(exc).strip() else ""),
                "traceback": traceback.format_exc(limit=12),
            }
            return None
        self.report[name] = {"ok": True, "seconds": round(time.perf_counter() - started, 3)}
        return value


# --------------------------------------------------------------------------
# The two sides

def run_original(request, module, steps, arrays):
    """Legacy side: the original program under genuine multi-backend Keras."""
    import numpy as np

    workdir = request["workdir"]
    seed_everything(module)
    data = steps.run("data", module.data)
    seed_everything(module)
    model = steps.run("build", module.build, "data")

    def save_initial_weights():
        weights = model.get_weights()
        np.savez(os.path.join(workdir, "initial_weights.npz"),
                 **{"w%04d" % i: w for i, w in enumerate(weights)})

    steps.run("initial_weights", save_initial_weights, "build")
    seed_everything(module)
    losses = steps.run("train", lambda: module.train(model, data), "build")
    flatten("train", losses, arrays)
    flatten("probe", steps.run("probe", lambda: probe(module, model, data), "train"), arrays)
    steps.run("legacy_save", lambda: model.save(os.path.join(workdir, "legacy_model.h5")), "train")
    if request.get("model_files") and steps.report.get("legacy_save", {}).get("ok"):
        save_model_file_probe(workdir, model, data)


def save_model_file_probe(workdir, model, data):
    """For `verify --models`: the inputs and legacy ``model.predict`` outputs of the
    saved model file, as .npy files listed in model_file_probe.json.  Never raises:
    a failure is written into that file (the fixture's own checks are unaffected)."""
    import numpy as np
    from keras import backend as K

    probe: dict[str, Any] = {}
    try:
        x = data["x"]
        inputs = list(x) if isinstance(x, (list, tuple)) else [x]
        batch_size = K.int_shape(model.inputs[0])[0]  # fixed for stateful models
        model.reset_states()
        outputs = model.predict(x if isinstance(x, (list, tuple)) else inputs[0], batch_size=batch_size or 32)
        model.reset_states()
        outputs = outputs if isinstance(outputs, list) else [outputs]
        probe["inputs"] = ["model_file.inputs.%d.npy" % i for i in range(len(inputs))]
        probe["predictions"] = ["model_file.predictions.%d.npy" % i for i in range(len(outputs))]
        for name, array in zip(probe["inputs"] + probe["predictions"], inputs + outputs):
            np.save(os.path.join(workdir, name), np.asarray(array))
        probe["batch_size"] = batch_size
    except Exception as exc:  # noqa: BLE001 - e.g. data() without 'x'
        probe = {"error": "%s: %s" % (type(exc).__name__, str(exc).strip().splitlines()[0] if str(exc).strip() else "")}
    with open(os.path.join(workdir, "model_file_probe.json"), "w") as handle:
        json.dump(probe, handle)


def run_migrated(request, module, steps, arrays):
    """Modern side: the migrated program on TF 2.21, from the legacy initial
    weights, then save/load round trips of the trained model."""
    import numpy as np
    import tensorflow as tf

    workdir = request["workdir"]
    custom_objects = dict(getattr(module, "CUSTOM_OBJECTS", {}) or {})

    def load(path):
        return tf.keras.models.load_model(path, custom_objects=custom_objects, safe_mode=False)

    seed_everything(module)
    data = steps.run("data", module.data)
    seed_everything(module)
    model = steps.run("build", module.build, "data")

    def set_initial_weights():
        with np.load(request["initial_weights"]) as stored:
            weights = [stored[key] for key in sorted(stored.files)]
        current = model.get_weights()
        if [w.shape for w in current] != [w.shape for w in weights]:
            raise ValueError("legacy initial weights do not fit the migrated model: legacy %s, migrated %s"
                             % ([w.shape for w in weights], [w.shape for w in current]))
        model.set_weights(weights)

    steps.run("initial_weights", set_initial_weights, "build")
    seed_everything(module)
    flatten("train", steps.run("train", lambda: module.train(model, data), "initial_weights"), arrays)
    flatten("probe", steps.run("probe", lambda: probe(module, model, data), "train"), arrays)

    def round_trip(name, suffix):
        """Save, load back, and record the probe of both (under name/before, name/after)."""
        path = os.path.join(workdir, "model" + suffix)
        before = probe(module, model, data)
        model.save(path)
        reloaded = load(path)
        flatten(name + "/before", before, arrays)
        flatten(name + "/after", probe(module, reloaded, data), arrays)
        return reloaded

    reloaded = steps.run("roundtrip_keras", lambda: round_trip("roundtrip_keras", ".keras"), "probe")

    def probe_with_legacy_weights():
        seed_everything(module)
        fresh = module.build()
        fresh.load_weights(request["legacy_h5"])
        return probe(module, fresh, data)

    if request.get("legacy_h5") and os.path.exists(request["legacy_h5"]):
        flatten("legacy_weights/probe", steps.run("legacy_weights", probe_with_legacy_weights, "build"), arrays)

    def continue_training(which, target):
        seed_everything(module)
        flatten("resume/%s/train" % which, module.train(target, data), arrays)
        flatten("resume/%s/probe" % which, probe(module, target, data), arrays)

    # The reloaded .keras copy and the original continue from the same state;
    # with the optimizer state kept they must train identically.
    steps.run("resume", lambda: (continue_training("uninterrupted", model),
                                 continue_training("reloaded", reloaded)), "roundtrip_keras")

    # After resume: saving .h5 drops the optimizer from the model's compile
    # config (Keras 3.15), which would change every later .keras save.
    steps.run("roundtrip_h5", lambda: round_trip("roundtrip_h5", ".h5"), "probe")

    # Last, because calling a stateful model changes its state.
    def serve_exported():
        export_path = os.path.join(workdir, "saved_model")
        try:
            model.export(export_path, verbose=False)
        except TypeError:  # tf_keras (the Keras 2 target) has no `verbose`
            model.export(export_path)
        served = tf.saved_model.load(export_path)
        for index, inputs in enumerate(input_batches(model, data["x"])):
            flatten("savedmodel/served/%d" % index, served.serve(inputs), arrays)
            flatten("savedmodel/direct/%d" % index, model(inputs, training=False), arrays)

    steps.run("savedmodel", serve_exported, "probe")


def input_batches(model, x):
    """``x`` as tensors of the model's input dtypes, cut to its batch size when it
    has a fixed one (stateful models)."""
    import numpy as np
    import tensorflow as tf

    arrays = [np.asarray(a) for a in x] if isinstance(x, (list, tuple)) else [np.asarray(x)]
    dtypes = [i.dtype for i in model.inputs]
    fixed = model.inputs[0].shape[0]
    size = fixed or len(arrays[0])
    for start in range(0, len(arrays[0]) - size + 1, size):
        batch = [tf.convert_to_tensor(a[start:start + size], dtype=d) for a, d in zip(arrays, dtypes)]
        yield batch if isinstance(x, (list, tuple)) else batch[0]


# --------------------------------------------------------------------------

def handle(request, side, reset_session):
    import numpy as np

    workdir = request["workdir"]
    os.makedirs(workdir, exist_ok=True)
    steps = Steps()
    arrays: dict[str, Any] = {}  # name -> array, saved to results.npz
    info = {}
    previous_cwd = os.getcwd()
    reset_session()
    os.chdir(workdir)  # callbacks such as ModelCheckpoint write relative paths
    try:
        with fixture_module(request["fixture"], request["id"]) as module:
            info["not_comparable"] = dict(getattr(module, "NOT_COMPARABLE", {}) or {})
            info["tolerances"] = dict(getattr(module, "TOLERANCES", {}) or {})
            run = run_original if side == "legacy" else run_migrated
            run(request, module, steps, arrays)
    except BaseException as exc:  # import errors of the fixture itself
        if isinstance(exc, KeyboardInterrupt):
            raise
        steps.report["import"] = {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc),
                                  "traceback": traceback.format_exc(limit=12)}
    finally:
        os.chdir(previous_cwd)
    arrays_path = os.path.join(workdir, "results.npz")
    np.savez(arrays_path, **arrays)
    return {"id": request["id"], "ok": True, "arrays": arrays_path, "steps": steps.report, "info": info}


def load_script_runtime(path, side):
    spec = importlib.util.spec_from_file_location("kmigrate_script_runtime", path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load %s" % path)
    runtime = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = runtime
    spec.loader.exec_module(runtime)
    if side == "modern" and os.environ.get("TF_USE_LEGACY_KERAS") == "1":
        side = "tf_keras"
    runtime.install(side)
    return runtime


def handle_script(request, script_runtime, reset_session):
    import numpy as np

    workdir = request["workdir"]
    os.makedirs(workdir, exist_ok=True)
    arrays: dict[str, Any] = {}  # name -> array, saved to results.npz
    config = dict(request["config"], arrays=arrays)
    previous_cwd = os.getcwd()
    reset_session()
    os.chdir(workdir)  # the script reads and writes relative to its own scratch folder
    try:
        result = script_runtime.run_script(request["script"], config)
    finally:
        os.chdir(previous_cwd)
    arrays_path = request["arrays"]  # outside the workdir: the script owns that folder
    np.savez(arrays_path, **arrays)
    return {"id": request["id"], "ok": True, "arrays": arrays_path, **result}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", choices=("legacy", "modern"), required=True)
    parser.add_argument("--compat", help="path of legacy_compat.py (legacy side)")
    parser.add_argument("--script-runtime", help="path of script_runtime.py (to run ordinary scripts)")
    args = parser.parse_args()

    # Keep the protocol channel clean: anything else written to stdout (Keras
    # progress bars, fixture prints) goes to stderr, the worker log.
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(message):
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    started = time.perf_counter()
    if args.side == "legacy":
        reset_session, versions = start_legacy_runtime(args.compat)
    else:
        reset_session, versions = start_modern_runtime()
    script_runtime = load_script_runtime(args.script_runtime, args.side) if args.script_runtime else None
    send({"ready": True, "side": args.side, "versions": versions,
          "startup_seconds": round(time.perf_counter() - started, 3)})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            if "script" in request:
                send(handle_script(request, script_runtime, reset_session))
            else:
                send(handle(request, args.side, reset_session))
        except Exception as exc:  # noqa: BLE001 - report, keep serving
            send({"id": request.get("id"), "ok": False, "error": "%s: %s" % (type(exc).__name__, exc),
                  "traceback": traceback.format_exc(limit=12)})


if __name__ == "__main__":
    main()
