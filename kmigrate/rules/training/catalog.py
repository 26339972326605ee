"""The documented rules of kmigrate.rules.training.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, SAFE, Rule
from kmigrate.rules.training.catalog_continued import MORE_RULES

RULES = (
    Rule(
        id="KM223",
        name="generator-method-args",
        summary="Keras 1 generator arguments become Keras 2 ones; sample counts become step counts.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "x, y = np.zeros((640, 8, 8, 3)), np.zeros((640, 1))\n"
            "model = Sequential([Dense(1, input_shape=(8, 8, 3))])\n"
            "model.compile(loss='mse', optimizer='sgd')\n"
            "batches = ImageDataGenerator().flow(x, y, batch_size=32)\n"
            "model.fit_generator(batches, samples_per_epoch=640, nb_epoch=10)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "x, y = np.zeros((640, 8, 8, 3)), np.zeros((640, 1))\n"
            "model = Sequential([Dense(1, input_shape=(8, 8, 3))])\n"
            "model.compile(loss='mse', optimizer='sgd')\n"
            "batches = ImageDataGenerator().flow(x, y, batch_size=32)\n"
            "model.fit(batches, steps_per_epoch=20, epochs=10)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 2.2's shim divided samples_per_epoch by the generator's batch_size when it had one and "
            "passed nb_val_samples/val_samples through as step counts; kmigrate writes the same numbers when "
            "the batch size is visible (a literal, ImageDataGenerator.flow(batch_size=...) in the same "
            "scope) and marks the call otherwise."
        ),
        catalog=("B23",),
    ),
    Rule(
        id="KM230",
        name="fit-nb-epoch",
        summary="`nb_epoch=` becomes `epochs=`.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mse', optimizer='sgd')\n"
            "model.fit(x, y, batch_size=32, nb_epoch=10)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mse', optimizer='sgd')\n"
            "model.fit(x, y, batch_size=32, epochs=10)"
        ),
        safety=SAFE,
        safety_note="Same parameter, renamed in Keras 2; Keras 3 rejects nb_epoch.",
        catalog=("B30",),
    ),
    Rule(
        id="KM231",
        name="sequential-fit-default-epochs",
        summary="Keras 1 / 2.0 `fit` without epochs trained 10 epochs.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mse', optimizer='sgd')\n"
            "model.fit(x, y)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mse', optimizer='sgd')\n"
            "model.fit(x, y, epochs=10)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 1 fit and Keras 2.0 Sequential.fit defaulted to 10 epochs, later releases to 1. Applied "
            "only when --from-version says the code is that old."
        ),
        catalog=("B31",),
    ),
    Rule(
        id="KM321",
        name="fit-generator",
        summary="`fit_generator` becomes `fit` with keyword arguments.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit_generator(batches(), 100, 10, validation_data=batches(), validation_steps=5)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(batches(), steps_per_epoch=100, epochs=10, validation_data=batches(), validation_steps=5)"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 fit accepts generators and Sequences; positionals are bound to the legacy signature "
            "first (fit's second parameter is y)."
        ),
        catalog=("C-T01",),
    ),
    Rule(
        id="KM322",
        name="evaluate-generator",
        summary="`evaluate_generator` becomes `evaluate`.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "loss = model.evaluate_generator(batches(), 50)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "loss = model.evaluate(batches(), steps=50)"
        ),
        safety=SAFE,
        safety_note="evaluate's second parameter is y: steps is passed by keyword.",
        catalog=("C-T02",),
    ),
    Rule(
        id="KM323",
        name="predict-generator",
        summary="`predict_generator` becomes `predict`.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "predictions = model.predict_generator(batches(), 50, verbose=1)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "\n"
            "def batches():\n"
            "    while True:\n"
            "        yield np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "predictions = model.predict(batches(), steps=50, verbose=1)"
        ),
        safety=SAFE,
        safety_note="predict's second parameter is batch_size: steps is passed by keyword.",
        catalog=("C-T03",),
    ),
    Rule(
        id="KM324",
        name="worker-args",
        summary=(
            "`workers`, `use_multiprocessing` and `max_queue_size` are dropped from fit/evaluate/predict."
        ),
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __len__(self):\n"
            "        return 10\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(Batches(), epochs=3, workers=4, use_multiprocessing=True)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __len__(self):\n"
            "        return 10\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return np.zeros((8, 4)), np.zeros((8, 1))\n"
            "\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(Batches(), epochs=3)"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 rejects them (TypeError); they only tuned data loading. A PyDataset takes them in its "
            "constructor."
        ),
        catalog=("C-T04",),
        tf_keras=False,
    ),
    *MORE_RULES,
)
