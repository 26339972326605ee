"""Run by a fresh TF 2.21 interpreter: load converted models with plain load_model and predict.

    python tf_worker.py JOBS.json  ->  prints one JSON result per line

Each job: {"model": path, "inputs": NAME.inputs.npy, "expected": NAME.predictions.npy or null,
"resave": path or null, "weights": a Keras 3 .weights.h5 to load after the model or null,
"legacy_weights": a legacy weights .h5 for kmigrate.models.weights.load_legacy_weights or null,
"trained": NAME.trained.npy (predictions after two more legacy training steps) or null}.
Nothing but TensorFlow is imported before load_model (kmigrate only for "legacy_weights").
"""

import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _targets(np, predictions):
    y = np.random.RandomState(0).rand(*predictions.shape)
    if predictions.shape[-1] > 1:
        y = np.eye(predictions.shape[-1])[np.argmax(y, -1)]
    return y


def run(job, np, tf):
    result = {"model": job["model"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = tf.keras.models.load_model(job["model"])
    result["warnings"] = [str(w.message)[:300] for w in caught if "optimizer" in str(w.message).lower()
                          or "skipping" in str(w.message).lower()]
    if job.get("weights"):
        model.load_weights(job["weights"])
    if job.get("legacy_weights"):
        from kmigrate.models.weights import load_legacy_weights

        for layer in model.layers:  # prove the weights come from the legacy file
            for variable in layer.weights:
                variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
        result["notes"] = load_legacy_weights(model, job["legacy_weights"])
    if isinstance(job["inputs"], list):  # one .npy per model input (the harness's files)
        inputs = [np.load(path) for path in job["inputs"]]
    else:  # one pickled list of inputs (tests/models/legacy_generate.py)
        inputs = [np.asarray(x) for x in np.load(job["inputs"], allow_pickle=True)]
    x = inputs if len(inputs) > 1 else inputs[0]
    predictions = model.predict(x, verbose=0)
    if isinstance(predictions, (list, tuple)):
        predictions = np.stack(predictions)
    result["compiled"] = getattr(model, "optimizer", None) is not None
    if job.get("expected"):
        expected = np.load(job["expected"])
        result["max_diff"] = float(np.max(np.abs(np.asarray(predictions) - expected)))
    if job.get("resave"):
        model.save(job["resave"])
    if job.get("trained"):
        for _ in range(2):
            model.train_on_batch(x, _targets(np, np.asarray(predictions)))
        trained = model.predict(x, verbose=0)
        result["trained_diff"] = float(np.max(np.abs(trained - np.load(job["trained"]))))
    result["ok"] = True
    return result


def main():
    import numpy as np
    import tensorflow as tf

    with open(sys.argv[1]) as handle:
        jobs = json.load(handle)
    for job in jobs:
        try:
            result = run(job, np, tf)
        except Exception as error:  # noqa: BLE001 - report every model; one failing must not hide the others
            result = {"model": job["model"], "ok": False, "error": f"{type(error).__name__}: {str(error)[:1500]}"}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
