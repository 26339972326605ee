"""KM614: workers / use_multiprocessing / max_queue_size move to the PyDataset constructor."""


from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run
from tests.test_rule_examples import assert_documented_example

SEQ = (
    "from keras.models import Sequential\nfrom keras.utils import Sequence\n\n\n"
    "class Batches(Sequence):\n    def __init__(self, x):\n        self.x = x\n\n"
    "    def __len__(self):\n        return 1\n\n    def __getitem__(self, i):\n        return self.x\n\n\n"
    "model = Sequential()\n"
)
SEQ_NEW = (
    "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.utils import Sequence\n\n\n"
    "class Batches(Sequence):\n    def __init__(self, x, **kwargs):\n        super().__init__(**kwargs)\n        self.x = x\n\n"
    "    def __len__(self):\n        return 1\n\n    def __getitem__(self, i):\n        return self.x\n\n\n"
    "model = Sequential()\n"
)


# -- no-op cases -------------------------------------------------------------------------------
def test_km614_project_class_fit_unchanged():
    assert_unchanged(
        "import tensorflow as tf\n\nclass Pool:\n    def fit(self, data, workers=1):\n        pass\n\n"
        "Pool().fit(data, workers=4)\n"
    )


def test_km614_migrated_code_unchanged():
    assert_unchanged(SEQ_NEW + "model.fit(Batches(x, workers=4), epochs=1)\n")


# -- rewrites ----------------------------------------------------------------------------------
def test_km614_rule_example_exact():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM614")


def test_km614_defaults_dropped():
    assert_migrates(
        "from keras.models import Sequential\nmodel = Sequential()\n"
        "model.fit_generator(gen, steps_per_epoch=2, workers=1, use_multiprocessing=False, max_queue_size=10)\n",
        "from tensorflow.keras.models import Sequential\nmodel = Sequential()\n"
        "model.fit(gen, steps_per_epoch=2)\n",
    )


def test_km614_moved_to_sequence_instantiation_via_name():
    assert_migrates(
        SEQ + "seq = Batches(x)\nmodel.fit_generator(seq, 2, workers=4, use_multiprocessing=True)\n",
        SEQ_NEW + "seq = Batches(x, workers=4, use_multiprocessing=True)\nmodel.fit(seq, steps_per_epoch=2)\n",
    )


def test_km614_keras1_names_moved_under_keras2_names():
    assert_migrates(
        SEQ + "model.predict_generator(Batches(x), 1, nb_worker=2, pickle_safe=True, max_q_size=4)\n",
        SEQ_NEW + "model.predict(Batches(x, workers=2, use_multiprocessing=True, max_queue_size=4), steps=1)\n",
    )


def test_km614_class_already_taking_kwargs_not_edited():
    code = (
        "from keras.models import Sequential\nfrom keras.utils import Sequence\n\n\n"
        "class Batches(Sequence):\n    def __init__(self, x, **kw):\n        super().__init__(**kw)\n        self.x = x\n\n\n"
        "model = Sequential()\nmodel.fit(Batches(x), workers=3)\n"
    )
    out = run(code).output
    assert "def __init__(self, x, **kw):\n        super().__init__(**kw)\n" in out
    assert "model.fit(Batches(x, workers=3))" in out


# -- markers -----------------------------------------------------------------------------------
def test_km614_plain_generator_args_dropped_and_multiprocessing_marked():
    out = assert_flags(
        "from keras.models import Sequential\nmodel = Sequential()\n"
        "model.fit(gen(), epochs=2, workers=4, use_multiprocessing=True)\n", "KM614",
    )
    assert "model.fit(gen(), epochs=2)" in out  # Keras 3 fit() would raise TypeError on them


def test_km614_threads_only_dropped_without_a_marker():
    assert_migrates(
        "from keras.models import Sequential\nmodel = Sequential()\n"
        "model.fit_generator(flow, 4, 2, nb_worker=2, max_q_size=3)\n",
        "from tensorflow.keras.models import Sequential\nmodel = Sequential()\n"
        "model.fit(flow, steps_per_epoch=4, epochs=2)\n",
    )


def test_km614_shared_instance_keeps_its_constructor_and_drops_the_arguments():
    out = run(SEQ + "seq = Batches(x)\nmodel.fit(seq, workers=4)\nmodel.evaluate(seq)\n").output
    assert "seq = Batches(x)\n" in out
    assert "model.fit(seq)\n" in out


# -- one report per argument -------------------------------------------------------------------
FLOW_KERAS1 = (
    "from keras.preprocessing.image import ImageDataGenerator\nfrom keras.models import Sequential\n\n"
    "model = Sequential()\nflow = ImageDataGenerator().flow(x, y, batch_size=10)\n"
    "model.fit_generator(flow, samples_per_epoch=40, nb_epoch=2, nb_worker=2, max_q_size=4)\n"
)


def test_km614_keras1_worker_keywords_reported_once():
    # KM223 used to rename nb_worker= to workers= in the same pass; the next pass then reported
    # the argument a second time under its Keras 2 name (two findings on one line).
    for version in ("1.2.2", "2.2.4"):
        result = run(FLOW_KERAS1, from_version=version)
        assert "model.fit(flow, steps_per_epoch=4, epochs=2)\n" in result.output
        reports = [d for d in result.diagnostics if d.rule == "KM614"]
        assert len(reports) == 1 and "nb_worker=2, max_q_size=4 dropped" in reports[0].message
        assert not any(d.rule == "KM223" and "nb_worker" in d.message for d in result.diagnostics)


def test_km614_ignored_leaves_keras1_worker_keywords_to_km223():
    # Without KM614 (its `# kmigrate: ignore` or tf_keras, which still takes workers=), KM223
    # spells them the Keras 2 way.
    result = run(FLOW_KERAS1, target="tf_keras")
    assert "workers=2, max_queue_size=4" in result.output
    assert not any(d.rule == "KM614" for d in result.diagnostics)


def test_km614_message_of_arguments_over_several_lines_has_no_line_breaks():
    # review corpus 4 (Mask R-CNN train()): one argument a line, trailing comma
    code = (
        "from keras.models import Sequential\nfrom keras.layers import Dense\n"
        "model = Sequential([Dense(1, input_dim=2)])\nmodel.fit_generator(gen,\n    steps_per_epoch=2,\n"
        "    max_queue_size=100,\n    workers=4,\n    use_multiprocessing=True,)\n"
    )
    messages = [d.message for d in run(code).diagnostics if d.rule == "KM614"]
    assert "max_queue_size=100, workers=4, use_multiprocessing=True dropped" in messages[0]
    assert all("\n" not in message for message in messages)
