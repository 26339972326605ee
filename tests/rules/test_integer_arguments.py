"""KM601-KM602: float step counts and numpy-integer layer sizes."""

import subprocess
import sys

from tests.helpers import assert_migrates, assert_unchanged, rules_fired, run
from tests.test_rule_examples import assert_documented_example

MODEL = "from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential([Dense(1, input_shape=(4,))])\n"
NEW_MODEL = (
    "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Dense\n"
    "model = Sequential([Dense(1, input_shape=(4,))])\n"
)


def _select(code: str, rule_id: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kmigrate", "--select", rule_id, "-"], input=code,
                          capture_output=True, text=True, check=False)  # fmt: skip
    return done.stdout


# -- no-op cases ---------------------------------------------------------------------------------
def test_km601_receiver_not_keras_unchanged():
    assert_unchanged(
        "from tensorflow.keras.layers import Dense\n"
        "class Trainer:\n    def fit(self, x, steps_per_epoch=1):\n        return x\n"
        "trainer = Trainer()\ntrainer.fit(x, steps_per_epoch=len(x) / 32)\n"
    )


def test_km601_integer_steps_unchanged():
    assert_unchanged(
        "from tensorflow.keras.models import Sequential\nmodel = Sequential()\n"
        "model.fit(gen, steps_per_epoch=len(x) // 32, validation_steps=10)\n"
        "model.evaluate(gen, steps=int(n / bs))\nmodel.predict(gen, steps=math.ceil(n / bs))\n"
    )


def test_km601_keras1_positional_sample_count_is_not_a_step_count():
    # Keras 1's second positional was samples_per_epoch: KM223's business, not a step count.
    result = run(MODEL + "model.fit_generator(gen, len(x) / 2, 3)\n", from_version="1.2.2")
    assert "KM601" not in rules_fired(result)


def test_km602_not_keras_dense_unchanged():
    assert_unchanged("import numpy as np\nfrom mylib import Dense\nlayer = Dense(np.max(y) + 1)\n")


def test_km602_visible_ints_unchanged():
    assert_unchanged(
        "from tensorflow.keras.layers import Dense, Embedding, LSTM, Conv2D, Reshape\n"
        "HIDDEN = 64\nn = HIDDEN * 2 + 1\n"
        "for width in range(3):\n    Dense(width)\n"
        "def f(units: int):\n    return LSTM(units)\n"
        "layers = [Dense(10), Dense(HIDDEN), Dense(n // 2), Dense(len(classes)), Dense(int(k)),\n"
        "          Embedding(vocab.shape[0], max(8, HIDDEN)), Conv2D(filters, 3), Reshape((h, w))]\n"
    )


def test_km602_sizes_unpacked_from_a_literal_tuple_unchanged():
    # review finding (wikistat/High-Dimensional-Deep-Learning): `a, b = 64, 2` made int(a) noise
    assert_unchanged(
        "from tensorflow.keras.layers import Dense\n"
        "intermediate_dim, latent_dim = 64, 2\n"
        "layers = [Dense(intermediate_dim), Dense(latent_dim)]\n"
    )


def test_km602_other_unpacking_still_wraps():
    out = run(
        "import numpy as np\nfrom keras.layers import Dense\n"
        "units, other = np.max(y) + 1, 3\nwidth, depth = shape\n"
        "a = Dense(units)\nb = Dense(width)\nc = Dense(other)\n"
    ).output
    assert "a = Dense(int(units))" in out and "b = Dense(int(width))" in out
    assert "c = Dense(other)" in out


# -- KM601 -------------------------------------------------------------------------------------
def test_km601_documented_example():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM601")


def test_km601_fit_generator_composes_with_the_rename():
    assert_migrates(
        MODEL + "bs = 32\nmodel.fit_generator(gen, len(x) / bs, 2, validation_data=vgen, validation_steps=9 / bs)\n",
        NEW_MODEL + "bs = 32\nmodel.fit(gen, steps_per_epoch=-(-len(x) // bs), epochs=2, validation_data=vgen, "
        "validation_steps=-(-9 // bs))\n",
    )


def test_km601_operands_of_unknown_type_use_math_ceil():
    assert_migrates(
        "import math\n" + MODEL + "model.fit_generator(gen, 2, validation_data=vgen, validation_steps=n_val / bs)\n",
        "import math\n" + NEW_MODEL + "model.fit(gen, steps_per_epoch=2, validation_data=vgen, "
        "validation_steps=math.ceil(n_val / bs))\n",
    )


def test_km601_math_import_added_when_missing():
    head, _, model_line = NEW_MODEL.rpartition("model = ")
    assert_migrates(
        MODEL + "model.fit_generator(gen, n / bs)\n",
        head + "import math\nmodel = " + model_line + "model.fit(gen, steps_per_epoch=math.ceil(n / bs))\n",
    )


def test_km601_keyword_steps_on_fit_evaluate_predict():
    assert_migrates(
        MODEL + "model.fit(gen, steps_per_epoch=(len(x) + 1) / 8)\nmodel.evaluate(gen, steps=len(x) / 8)\n"
        "model.predict_generator(gen, len(x) / 8)\n",
        NEW_MODEL + "model.fit(gen, steps_per_epoch=-(-(len(x) + 1) // 8))\n"
        "model.evaluate(gen, steps=-(-len(x) // 8))\nmodel.predict(gen, steps=-(-len(x) // 8))\n",
    )


def test_km601_name_bound_to_a_division_and_numpy_rounding():
    assert_migrates(
        "import math\nimport numpy as np\n" + MODEL
        + "steps = n_train / batch\nmodel.fit_generator(gen, steps_per_epoch=steps)\n"
        "model.evaluate_generator(gen, np.ceil(n_val / batch))\n",
        "import math\nimport numpy as np\n" + NEW_MODEL
        + "steps = n_train / batch\nmodel.fit(gen, steps_per_epoch=math.ceil(steps))\n"
        "model.evaluate(gen, steps=int(np.ceil(n_val / batch)))\n",
    )


def test_km601_numpy_round_with_decimals_is_left():
    result = run("import numpy as np\n" + MODEL + "model.predict_generator(gen, np.round(n / b, 1))\n")
    assert "KM601" not in rules_fired(result)


# -- KM602 -------------------------------------------------------------------------------------
def test_km602_documented_example():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM602")


def test_km602_numpy_class_count_and_vocabulary():
    assert_migrates(
        "import numpy as np\nfrom tensorflow.keras.models import Sequential\n"
        "from tensorflow.keras.layers import Input, Dense, Embedding, GRU\n"
        "num_classes = np.max(y) + 1\nvocab = np.unique(words).size\n"
        "model = Sequential([Input((5,)), Embedding(input_dim=vocab, output_dim=dims[0]), GRU(units=cfg['units']),\n"
        "                    Dense(num_classes)])\n",
        "import numpy as np\nfrom tensorflow.keras.models import Sequential\n"
        "from tensorflow.keras.layers import Input, Dense, Embedding, GRU\n"
        "num_classes = np.max(y) + 1\nvocab = np.unique(words).size\n"
        "model = Sequential([Input((5,)), Embedding(input_dim=int(vocab), output_dim=int(dims[0])), "
        "GRU(units=int(cfg['units'])),\n"
        "                    Dense(int(num_classes))])\n",
    )


def test_km602_keras1_output_dim_keyword_composes_with_the_rename():
    assert_migrates(
        "import numpy as np\nfrom keras.layers import Dense, RepeatVector\n"
        "d = Dense(output_dim=np.max(y) + 1)\nr = RepeatVector(n_steps)\n",
        "import numpy as np\nfrom tensorflow.keras.layers import Dense, RepeatVector\n"
        "d = Dense(units=int(np.max(y) + 1))\nr = RepeatVector(int(n_steps))\n",
    )


def test_km602_parameter_of_unknown_type_is_wrapped():
    assert_migrates(
        "from keras.layers import Dense\ndef head(n_classes=10):\n    return Dense(n_classes, activation='softmax')\n",
        "from tensorflow.keras.layers import Dense\ndef head(n_classes=10):\n"
        "    return Dense(int(n_classes), activation='softmax')\n",
    )
