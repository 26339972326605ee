"""The documented rules of kmigrate.rules.integer_arguments: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import FixSafety, Rule

RULES = (
    Rule(
        id="KM601",
        name="float-step-counts",
        summary="Step counts computed with `/` are rounded up as Keras 2 ran them: Keras 3 demands ints.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __init__(self, x, y):\n"
            "        self.x, self.y = x, y\n"
            "\n"
            "    def __len__(self):\n"
            "        return len(self.x) // 32\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return self.x[index * 32:(index + 1) * 32], self.y[index * 32:(index + 1) * 32]\n"
            "\n"
            "\n"
            "x, y = np.zeros((100, 4)), np.zeros((100, 1))\n"
            "model = Sequential([Dense(1, input_shape=(4,))])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit_generator(Batches(x, y), steps_per_epoch=len(x) / 32, epochs=2)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __init__(self, x, y):\n"
            "        self.x, self.y = x, y\n"
            "\n"
            "    def __len__(self):\n"
            "        return len(self.x) // 32\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return self.x[index * 32:(index + 1) * 32], self.y[index * 32:(index + 1) * 32]\n"
            "\n"
            "\n"
            "x, y = np.zeros((100, 4)), np.zeros((100, 1))\n"
            "model = Sequential([Dense(1, input_shape=(4,))])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(Batches(x, y), steps_per_epoch=-(-len(x) // 32), epochs=2)"
        ),
        safety=FixSafety.SAFE,
        safety_note=(
            "Keras 2.2.4 looped `while steps_done < steps`, running ceil(steps) batches for a float; "
            "math.ceil of the same value gives that count as an int. Applies to steps_per_epoch, "
            "validation_steps and steps of fit/evaluate/predict(_generator) on Keras receivers."
        ),
        catalog=(),
        details=(
            "`int / int` becomes `-(-a // b)` (the ceiling division KM223 writes); other values become "
            "`math.ceil(value)`, an int whatever the operand types. Values rewritten: arithmetic containing "
            "`/` (`len(x) / bs`, `n / bs + 1`), a name every assignment of which is such arithmetic, and "
            "numpy rounding calls (`np.ceil(n / bs)` -> `int(np.ceil(n / bs))`, a float64 Keras 3 rejects "
            "too). Keras 3 raises TypeError (`'float' object cannot be interpreted as an integer`) for all "
            "of them."
        ),
    ),
    Rule(
        id="KM602",
        name="numpy-int-layer-sizes",
        summary="Layer sizes that may be numpy integers are wrapped in `int(...)`.",
        before=(
            "import numpy as np\n"
            "from keras.layers import Dense\n"
            "\n"
            "y_train = np.array([0, 2, 1])\n"
            "num_classes = np.max(y_train) + 1\n"
            "output = Dense(num_classes, activation='softmax')"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "y_train = np.array([0, 2, 1])\n"
            "num_classes = np.max(y_train) + 1\n"
            "output = Dense(int(num_classes), activation='softmax')"
        ),
        safety=FixSafety.SAFE,
        safety_note=(
            "Keras 3 rejects numpy integers for Dense/RNN units, Embedding input_dim/output_dim and "
            "RepeatVector n (ValueError/TypeError on TF 2.21); int() of an int is the same int, and Keras "
            "2.2.4 itself failed for floats there. Literals, len(), int(), x.shape[i] and arithmetic of "
            "those are left alone."
        ),
        catalog=(),
    ),
)
