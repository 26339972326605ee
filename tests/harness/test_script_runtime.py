"""The start-up module of script verification: synthetic datasets, no network, caps, outcomes
(in this interpreter, without TensorFlow), and a real TF 2.21 worker running a script under caps."""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import pytest

from kmigrate.harness import script_runtime as rt
from kmigrate.harness.runner import Worker, load_arrays
from kmigrate.harness.scripts import SCRIPT_RUNTIME, Caps, modern_script_worker


@pytest.mark.parametrize("name, train_shape, test_shape, classes, label_shape", [
    ("mnist", (60000, 28, 28), (10000, 28, 28), 10, (60000,)),
    ("fashion_mnist", (60000, 28, 28), (10000, 28, 28), 10, (60000,)),
    ("cifar10", (50000, 32, 32, 3), (10000, 32, 32, 3), 10, (50000, 1)),
])
def test_image_datasets_have_the_real_shapes_dtypes_and_label_ranges(name, train_shape, test_shape, classes,
                                                                     label_shape):
    (x_train, y_train), (x_test, y_test) = rt.SYNTHETIC[name]["load_data"]()
    assert x_train.shape == train_shape and x_test.shape == test_shape
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert y_train.shape == label_shape
    assert sorted(np.unique(y_train)) == list(range(classes))  # every class occurs: max + 1 == classes
    assert x_train.max() > 200 and x_train.min() < 50  # pixel values, not zeros


def test_cifar100_label_modes():
    (_, fine), _ = rt.SYNTHETIC["cifar100"]["load_data"]()
    (_, coarse), _ = rt.SYNTHETIC["cifar100"]["load_data"](label_mode="coarse")
    assert fine.max() == 99 and coarse.max() == 19 and fine.shape == (50000, 1)


def test_text_datasets_honour_num_words_maxlen_and_the_keras1_spelling():
    (x_train, y_train), (x_test, _) = rt.SYNTHETIC["imdb"]["load_data"](num_words=200)
    assert len(x_train) == 25000 and len(x_test) == 25000 and x_train.dtype == object
    assert y_train.dtype == np.int64 and set(np.unique(y_train)) == {0, 1}
    assert all(seq[0] == 1 and max(seq) < 200 for seq in x_train[:50])
    assert 2 in x_train[0]  # out-of-vocabulary words became oov_char
    (short, labels), _ = rt.SYNTHETIC["imdb"]["load_data"](nb_words=200, maxlen=80)
    assert 0 < len(short) < 25000 and len(short) == len(labels) and max(len(s) for s in short) < 80
    (_, reuters_labels), _ = rt.SYNTHETIC["reuters"]["load_data"]()
    assert reuters_labels.max() + 1 == 46
    assert rt.SYNTHETIC["imdb"]["get_word_index"]()["word5"] == 5


def test_boston_housing_shapes():
    (x_train, y_train), (x_test, y_test) = rt.SYNTHETIC["boston_housing"]["load_data"]()
    assert x_train.shape == (404, 13) and x_test.shape == (102, 13) and y_train.dtype == np.float64


def digest(arrays) -> str:
    return hashlib.sha256(b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)).hexdigest()


def test_datasets_are_deterministic_and_handed_out_as_copies():
    (first, _), _ = rt.SYNTHETIC["mnist"]["load_data"]()
    first[:] = 0  # a script scaling in place must not change the next script's data
    (again, _), _ = rt.SYNTHETIC["mnist"]["load_data"]()
    fresh = rt._images("mnist", (60000, 28, 28), (10000, 28, 28), 10)[0][0]
    assert again.any() and digest([again]) == digest([fresh])
    (sequences, _), _ = rt.SYNTHETIC["imdb"]["load_data"]()
    sequences[0].append(-1)
    (sequences_again, _), _ = rt.SYNTHETIC["imdb"]["load_data"]()
    assert sequences_again[0][-1] != -1


def test_downloads_end_the_run_with_needs_network():
    with pytest.raises(rt.NeedsNetwork, match="https://example.org/data.tgz"):
        rt._refuse_download("data.tgz", origin="https://example.org/data.tgz")
    assert not issubclass(rt.NeedsNetwork, Exception)  # a script's `except Exception` cannot swallow it


def fit_arguments(**given):
    arguments = {"x": np.zeros((1000, 3)), "y": np.zeros(1000), "epochs": 20, "shuffle": True, **given}
    extra = {}
    rt._cap_arguments("fit", arguments, extra, {"samples": 256, "steps": 8, "epochs": 1})
    return arguments


def test_fit_is_capped_in_epochs_samples_and_shuffling():
    arguments = fit_arguments(validation_data=([np.zeros((500, 3)), np.zeros((500, 2))], np.zeros(500)))
    assert arguments["epochs"] == 1 and arguments["shuffle"] is False and arguments["verbose"] == 0
    assert len(arguments["x"]) == 256 and len(arguments["y"]) == 256
    inputs, targets = arguments["validation_data"]
    assert [len(a) for a in inputs] == [256, 256] and len(targets) == 256
    assert "validation_steps" not in arguments  # array validation data takes no steps
    assert fit_arguments(initial_epoch=5, epochs=20)["epochs"] == 6


def test_generators_are_capped_in_steps():
    class Batches:  # a keras.utils.Sequence-like object
        def __len__(self):
            return 100

        def __getitem__(self, index):
            return np.zeros((4, 3)), np.zeros(4)

    arguments = {"generator": Batches(), "steps_per_epoch": None, "validation_data": Batches(), "workers": 4}
    extra = {"nb_epoch": 50}
    rt._cap_arguments("fit", arguments, extra, {"samples": 256, "steps": 8, "epochs": 2})
    assert arguments["steps_per_epoch"] == 8 and arguments["validation_steps"] == 8
    assert extra["nb_epoch"] == 2 and arguments["workers"] == 1


def test_keras1_generator_keywords_are_capped_under_their_old_names():
    """Legacy Keras converts samples_per_epoch // generator.batch_size into steps itself (Keras 1.2.2
    cifar10_cnn passed samples_per_epoch=50000: 1562 uncapped steps on the legacy side only)."""
    class Flow:  # ImageDataGenerator.flow(): a Sequence with a batch_size
        batch_size = 32

        def __len__(self):
            return 1563

        def __getitem__(self, index):
            return np.zeros((32, 3)), np.zeros(32)

    arguments = {"generator": Flow()}
    extra = {"samples_per_epoch": 50000, "nb_val_samples": 10000, "nb_worker": 4, "pickle_safe": True}
    rt._cap_arguments("fit", arguments, extra, {"samples": 256, "steps": 8, "epochs": 1})
    assert extra["samples_per_epoch"] // Flow.batch_size == 8  # what legacy Keras turns into steps
    assert extra["nb_val_samples"] == 8 and extra["nb_worker"] == 1 and extra["pickle_safe"] is False

    def plain_generator():
        while True:
            yield np.zeros((4, 3)), np.zeros(4)

    arguments, extra = {"generator": plain_generator()}, {"samples_per_epoch": 1000}
    rt._cap_arguments("fit", arguments, extra, {"samples": 256, "steps": 8, "epochs": 1})
    assert extra["samples_per_epoch"] == 8  # no batch_size: legacy Keras takes samples as steps

    arguments, extra = {"generator": plain_generator()}, {"val_samples": 640}
    rt._cap_arguments("evaluate", arguments, extra, {"samples": 256, "steps": 8, "epochs": 1})
    assert extra["val_samples"] == 8


class FakeFlow:
    """The shape of an ImageDataGenerator iterator: draws from the global np.random."""
    n = 50

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n)

    def _get_batches_of_transformed_samples(self, index_array):
        return np.random.uniform(size=len(index_array))  # the random transforms of the batch


def test_augmentation_draws_depend_on_the_batch_not_on_when_it_is_fetched(monkeypatch):
    """Keras 3 fetches a first batch to learn shapes and reshuffles at the start of each epoch:
    the same batch must still get the same transforms, and every order the same permutation."""
    monkeypatch.setattr(rt, "SESSION", rt.Session({"side": "modern"}))
    batches = rt._seeded_batches(FakeFlow._get_batches_of_transformed_samples)
    orders = rt._seeded_permutations(FakeFlow._set_index_array)
    flow = FakeFlow()
    np.random.seed(1)
    first = batches(flow, np.array([3, 7, 9]))
    script_draw = np.random.uniform()
    np.random.seed(1)
    np.random.uniform(size=100)  # another moment, another global state
    assert np.array_equal(batches(flow, np.array([3, 7, 9])), first)
    assert not np.array_equal(batches(flow, np.array([3, 7, 8])), first)
    np.random.seed(1)
    batches(flow, np.array([3, 7, 9]))
    assert np.random.uniform() == script_draw  # the script's own stream is untouched
    orders(flow)
    order = flow.index_array.copy()
    np.random.uniform(size=10)
    orders(flow)  # a reshuffle later, after other draws: the same order
    assert np.array_equal(flow.index_array, order) and sorted(order) == list(range(50))
    assert not np.array_equal(order, np.arange(50))  # still shuffled


def test_call_budget_ends_a_training_loop():
    session = rt.Session({"side": "legacy", "budgets": {"train_on_batch": 2}})
    session.spend("train_on_batch")
    session.spend("train_on_batch")
    with pytest.raises(rt.BudgetReached, match="call 3 of train_on_batch"):
        session.spend("train_on_batch")


def test_outcomes(tmp_path):
    script = str(tmp_path / "script.py")

    def raised(exc):
        try:
            raise exc
        except BaseException as caught:  # noqa: BLE001
            return rt._outcome(caught, script, str(tmp_path))

    assert rt._outcome(None, script, str(tmp_path)) == {"kind": "completed"}
    missing = raised(FileNotFoundError(2, "No such file", str(tmp_path / "data" / "train.csv")))
    assert missing["kind"] == "needs-file" and missing["detail"] == "data/train.csv"
    assert raised(SystemExit(0))["kind"] == "completed"
    assert raised(SystemExit(2)) | {"line": None} == {"kind": "exception", "type": "SystemExit",
                                                      "detail": "exit status 2", "line": None}
    assert raised(ValueError("bad shape"))["type"] == "ValueError"


SCRIPT = '''
import numpy as np
from tensorflow import keras
from tensorflow.keras.datasets import mnist

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255
model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dropout(0.5), keras.layers.Dense(10, activation="softmax")])
model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
history = model.fit(x_train, y_train, epochs=30, batch_size=64)
assert len(history.history["loss"]) == 1, history.history
for step in range(100):
    model.train_on_batch(x_train[:8], y_train[:8])
'''


def test_a_modern_worker_runs_a_script_offline_with_capped_training(tmp_path):
    (tmp_path / "weights").mkdir()
    (tmp_path / "script.py").write_text(SCRIPT)
    worker = Worker("modern", modern_script_worker(sys.executable), None, tmp_path / "worker.log")
    caps = Caps(batch_calls=5)
    config = {"side": "modern", "weights_dir": str(tmp_path / "weights"), "epochs": 1, "samples": 256,
              "steps": 8, "budgets": caps.budgets()}
    try:
        answer = worker.request({"script": str(tmp_path / "script.py"), "workdir": str(tmp_path / "run"),
                                 "config": config, "arrays": str(tmp_path / "results.npz")}, timeout=300)
    finally:
        worker.stop()
    assert SCRIPT_RUNTIME.is_file()
    assert answer["outcome"]["kind"] == "capped", answer["outcome"]
    assert answer["outcome"]["detail"] == "call 6 of train_on_batch (cap 5)" and answer["outcome"]["line"] == 14
    [model] = answer["models"]
    assert [layer["class"] for layer in model["layers"]] == ["Dense", "Dropout", "Dense"]
    assert model["layers"][1]["random"] == {"rate": 0.5}  # recorded, then switched off
    assert model["layers"][0]["params"] == 784 * 8 + 8 and model["layers"][0]["output_shape"] == [None, 8]
    assert model["weights"] == "no legacy weights for this model"
    assert [call["kind"] for call in answer["calls"]] == ["fit"] + ["train_on_batch"] * 5
    arrays = load_arrays(answer["arrays"])
    assert arrays["call0000/loss"].shape == (1,)


def test_plotting_stub_stands_in_for_a_missing_matplotlib(tmp_path):
    """Scripts that plot (the VAE and SELU examples) run on both sides although neither runtime
    has matplotlib: every pyplot call is a no-op stand-in, and nothing is drawn."""
    import subprocess

    code = (
        "from kmigrate.harness import script_runtime as rt\n"
        "rt._stub_plotting(); rt._stub_plotting()\n"
        "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nfrom matplotlib import cm\n"
        "fig, (left, right) = plt.subplots(1, 2)\nleft.imshow([[0]], cmap=cm.gray)\n"
        f"plt.savefig({str(tmp_path / 'figure.png')!r})\nplt.show()\n"
        "import sys\nprint(matplotlib.KMIGRATE_PLOT_STUB, sum(type(f).__name__ == '_PlottingStubFinder' for f in sys.meta_path))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "1"]  # installed once, however often asked
    assert not (tmp_path / "figure.png").exists()


def test_plotting_stub_never_hides_an_installed_package(tmp_path):
    # The finder comes after the real ones: a module that exists is imported as it is.
    import subprocess

    (tmp_path / "matplotlib").mkdir()
    (tmp_path / "matplotlib" / "__init__.py").write_text("REAL = True\n")
    code = ("from kmigrate.harness import script_runtime as rt\nrt._stub_plotting()\n"
            "import matplotlib\nprint(matplotlib.REAL, hasattr(matplotlib, 'KMIGRATE_PLOT_STUB'))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            env={**__import__("os").environ, "PYTHONPATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]
