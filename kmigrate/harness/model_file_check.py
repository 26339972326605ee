"""Modern side of the model-file checks: load converted model files in a fresh
TF 2.21 process with plain ``tf.keras.models.load_model`` (no custom_objects,
nothing of kmigrate imported), predict, compare with the legacy predictions,
and save again for the next fresh process.

Run as a plain file (it must not import kmigrate):

    MODERN_PYTHON model_file_check.py JOBS.json

JOBS.json is a list of jobs:

    {"name": "2.2.4/gru", "model": "converted/gru.keras",
     "inputs": ["gru.inputs.npy"], "predictions": ["gru.predictions.npy"],
     "batch_size": null, "resave": "resaved/gru.keras"}

and, for a converted weight-only file, ``"weights": "converted.weights.h5"``
(loaded into the model after ``load_model``).

Each job's result is one JSON line on stdout: ``loaded`` (or ``error``), the
largest absolute difference from the legacy predictions (``max_diff``) and
whether the re-saved file was written (``resaved``).
"""

import json
import os
import sys
import traceback


def reset_stateful_layers(model):
    for layer in model.layers:
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
            layer.reset_states()


def predict(model, inputs, batch_size):
    reset_stateful_layers(model)
    x = inputs[0] if len(inputs) == 1 else inputs
    outputs = model.predict(x, batch_size=batch_size or len(inputs[0]), verbose=0)
    reset_stateful_layers(model)
    return outputs if isinstance(outputs, (list, tuple)) else [outputs]


def run_job(tf, np, job):
    result = {"name": job["name"], "loaded": False}
    try:
        model = tf.keras.models.load_model(job["model"])
    except Exception as exc:  # noqa: BLE001 - the point is to report it
        result["error"] = "load_model: %s: %s" % (type(exc).__name__, first_line(exc))
        return result
    if job.get("weights"):  # a converted save_weights file, for the model just loaded
        try:
            model.load_weights(job["weights"])
        except Exception as exc:  # noqa: BLE001
            result["error"] = "load_weights: %s: %s" % (type(exc).__name__, first_line(exc))
            return result
    result["loaded"] = True
    inputs = [np.load(path) for path in job["inputs"]]
    expected = [np.load(path) for path in job["predictions"]]
    try:
        outputs = predict(model, inputs, job.get("batch_size"))
    except Exception as exc:  # noqa: BLE001
        result["error"] = "predict: %s: %s" % (type(exc).__name__, first_line(exc))
        return result
    if len(outputs) != len(expected) or any(np.shape(o) != e.shape for o, e in zip(outputs, expected)):
        result["error"] = "predictions have shapes %s, the legacy ones %s" % (
            [list(np.shape(o)) for o in outputs], [list(e.shape) for e in expected])
        return result
    result["max_diff"] = max(float(np.max(np.abs(np.asarray(o, dtype="float64") - e))) if e.size else 0.0
                             for o, e in zip(outputs, expected))
    if job.get("resave"):
        try:
            os.makedirs(os.path.dirname(job["resave"]) or ".", exist_ok=True)
            model.save(job["resave"])
            result["resaved"] = True
        except Exception as exc:  # noqa: BLE001
            result["resave_error"] = "%s: %s" % (type(exc).__name__, first_line(exc))
    tf.keras.backend.clear_session()
    return result


def first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else ""


def main():
    with open(sys.argv[1]) as handle:
        jobs = json.load(handle)
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # Keras output goes to stderr
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    versions = {"tensorflow": tf.__version__, "keras": getattr(tf.keras, "__version__", "?")}
    protocol.write(json.dumps({"ready": True, "versions": versions}) + "\n")
    for job in jobs:
        try:
            result = run_job(tf, np, job)
        except Exception as exc:  # noqa: BLE001 - one job never stops the others
            result = {"name": job.get("name"), "loaded": False, "error": "%s: %s" % (type(exc).__name__, exc),
                      "traceback": traceback.format_exc(limit=6)}
        protocol.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
