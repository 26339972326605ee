"""Run by a fresh TF 2.21 interpreter: load converted models with plain load_model and predict.

    python tf_worker.py JOBS.json  ->  prints one JSON result per line

JOBS.json: [{"model": path, "inputs": path of NAME.inputs.npy, "expected": path or null,
             "resave": path or null}].  Nothing is imported before load_model but TensorFlow.
"""

import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main():
    import numpy as np
    import tensorflow as tf

    jobs = json.load(open(sys.argv[1]))
    for job in jobs:
        result = {"model": job["model"]}
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model = tf.keras.models.load_model(job["model"])
            result["warnings"] = [str(w.message)[:300] for w in caught
                                  if "optimizer" in str(w.message).lower() or "skipping" in str(w.message).lower()]
            inputs = list(np.load(job["inputs"], allow_pickle=True))
            inputs = [np.asarray(x) for x in inputs]
            predictions = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
            result["compiled"] = model.optimizer is not None
            if job.get("expected"):
                expected = np.load(job["expected"])
                result["max_diff"] = float(np.max(np.abs(np.asarray(predictions) - expected)))
            np.save(job["model"] + ".predictions.npy", np.asarray(predictions))
            if job.get("resave"):
                model.save(job["resave"])
            result["ok"] = True
        except Exception as error:  # report every model, one failing must not hide the others
            result["ok"] = False
            result["error"] = f"{type(error).__name__}: {str(error)[:1500]}"
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
