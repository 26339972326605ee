"""KM608: generators fed to fit/evaluate yield tuples, not [x, y] lists."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run
from tests.test_rule_examples import assert_documented_example

HEAD = "import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Dense\n"
NEW = "import numpy as np\nfrom tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Dense\n"
GEN = "\n\ndef gen():\n    while True:\n        yield {}\n\n\n"
MODEL = "model = Sequential([Dense(1, input_dim=4)])\n"


def test_km608_not_for_other_libraries():
    assert_unchanged(
        "import numpy as np\nfrom sklearn.linear_model import SGDRegressor\n"
        + GEN.format("[np.zeros(3), np.zeros(1)]") + "model = SGDRegressor()\nmodel.fit(gen(), 3)\n"
    )


def test_km608_tuples_unchanged():
    assert_unchanged(NEW + GEN.format("(np.zeros((8, 4)), np.zeros((8, 1)))") + MODEL
                     + "model.fit(gen(), steps_per_epoch=2)\n")


def test_km608_generator_with_other_uses_unchanged():
    result = run(HEAD + GEN.format("[np.zeros((8, 4)), np.zeros((8, 1))]") + MODEL
                 + "model.fit_generator(gen(), 2)\nbatch = next(gen())\n")
    assert "yield [" in result.output


def test_km608_fit_generator_lists():
    assert_migrates(
        HEAD + GEN.format("[np.zeros((8, 4)), np.zeros((8, 1))]") + MODEL
        + "g = gen()\nmodel.fit_generator(g, 2, validation_data=gen(), validation_steps=1)\n",
        NEW + GEN.format("(np.zeros((8, 4)), np.zeros((8, 1)))") + MODEL
        + "g = gen()\nmodel.fit(g, steps_per_epoch=2, validation_data=gen(), validation_steps=1)\n",
    )


def test_km608_evaluate_with_weights():
    assert_migrates(
        HEAD + GEN.format("[np.zeros((8, 4)), np.zeros((8, 1)), np.ones(8)]") + MODEL
        + "model.evaluate_generator(gen(), 2)\n",
        NEW + GEN.format("(np.zeros((8, 4)), np.zeros((8, 1)), np.ones(8))") + MODEL
        + "model.evaluate(gen(), steps=2)\n",
    )


def test_km608_predict_and_odd_lengths_marked():
    assert_flags(HEAD + GEN.format("[np.zeros((8, 4)), np.zeros((8, 1))]") + MODEL
                 + "model.predict_generator(gen(), 2)\n", "KM608")
    assert_flags(HEAD + GEN.format("[np.zeros((8, 4))]") + MODEL + "model.fit_generator(gen(), 2)\n", "KM608")
    output = assert_flags(HEAD + GEN.format("[np.zeros((8, 4)), np.zeros((8, 1))]") + MODEL
                          + "model.fit_generator(gen(), 2)\nmodel.predict_generator(gen(), 2)\n", "KM608")
    assert "yield [" in output


def test_km608_documented_example():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM608")


def test_km608_only_the_generators_own_yields_become_tuples():
    # A yield in a def nested in the generator belongs to another generator: its list stays.
    body = ("[np.zeros((8, 4)), np.zeros((8, 1))]\n"
            "        def pairs():\n            yield [1, 2]\n")  # fmt: skip
    assert_migrates(
        HEAD + GEN.format(body) + MODEL + "model.fit_generator(gen(), 2)\n",
        NEW + GEN.format(body.replace("[np.zeros((8, 4)), np.zeros((8, 1))]", "(np.zeros((8, 4)), np.zeros((8, 1)))"))
        + MODEL + "model.fit(gen(), steps_per_epoch=2)\n",
    )
