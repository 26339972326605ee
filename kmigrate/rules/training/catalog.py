"""The documented rules of kmigrate.rules.training.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import FixSafety, Rule

CONTEXT = FixSafety.CONTEXT
FLAG = FixSafety.FLAG
SAFE = FixSafety.SAFE


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
    Rule(
        id="KM325",
        name="predict-classes",
        summary="`predict_classes` becomes `predict` plus argmax or a 0.5 threshold.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "labels = model.predict_classes(x)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "labels = (model.predict(x, verbose=0) > 0.5).astype('int32')"
        ),
        safety=SAFE,
        safety_note=(
            "The Keras 2 body: argmax when the output has more than one unit, (p > 0.5) as int32 otherwise. "
            "kmigrate decides from the model's last layer when the file shows it, and otherwise writes the "
            "same test evaluated at run time."
        ),
        catalog=("C-T05",),
    ),
    Rule(
        id="KM326",
        name="predict-proba",
        summary="`predict_proba` becomes `predict`.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "probabilities = model.predict_proba(x)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "probabilities = model.predict(x, verbose=0)"
        ),
        safety=SAFE,
        safety_note="predict_proba was predict plus a range warning.",
        catalog=("C-T06",),
    ),
    Rule(
        id="KM327",
        name="batch-methods-metrics-names",
        summary="`reset_metrics=` is gone; `metrics_names` no longer lines up with returned lists.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "loss = model.train_on_batch(x, y, reset_metrics=True)"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "loss = model.train_on_batch(x, y)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 always resets metrics per batch call (the old default). metrics_names is ['loss', "
            "'compile_metrics'] on Keras 3: uses are marked (use return_dict=True)."
        ),
        catalog=("C-T07",),
    ),
    Rule(
        id="KM328",
        name="compile-arguments",
        summary=(
            "compile: `sample_weight_mode=` is dropped and positional arguments after `loss` become "
            "keywords."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile('sgd', 'mean_squared_error', ['mae'], sample_weight_mode='temporal')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile('sgd', 'mean_squared_error', metrics=['mae'])"
        ),
        safety=SAFE,
        safety_note="Keras 3 fit accepts 2-D sample weights without it; its compile has loss_weights third.",
        catalog=("C-T08",),
        tf_keras=False,
    ),
    Rule(
        id="KM329",
        name="compile-target-tensors",
        summary="`target_tensors=` has no Keras 3 equivalent.",
        before=(
            "import tensorflow as tf\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "targets = tf.zeros((8, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd', target_tensors=[targets])"
        ),
        after="feed targets through fit(y=...) or tf.data",
        safety=FLAG,
        safety_note="A structural change of the input pipeline.",
        catalog=("C-T09",),
        tf_keras=False,
    ),
    Rule(
        id="KM330",
        name="accuracy-metric-names",
        summary="History/log keys and `monitor=` follow the metric's tf.keras name (`acc` -> `accuracy`).",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
            "history = model.fit(x, y, validation_split=0.2, epochs=2)\n"
            "print(history.history['val_acc'])"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
            "history = model.fit(x, y, validation_split=0.2, epochs=2)\n"
            "print(history.history['val_accuracy'])"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras <= 2.2 logged metrics=['accuracy'] as 'acc' and 'mae' as 'mean_absolute_error'; tf.keras "
            "logs the spelling given to compile. Applied when the file's compile calls show the spelling, "
            "marked otherwise."
        ),
        catalog=("C-T10",),
    ),
    Rule(
        id="KM331",
        name="history-lr-key",
        summary="`history['lr']` becomes `history['learning_rate']`.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.callbacks import ReduceLROnPlateau\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "history = model.fit(x, y, epochs=5, callbacks=[ReduceLROnPlateau(monitor='loss')])\n"
            "print(history.history['lr'])"
        ),
        after=(
            "import numpy as np\n"
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.callbacks import ReduceLROnPlateau\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "history = model.fit(x, y, epochs=5, callbacks=[ReduceLROnPlateau(monitor='loss')])\n"
            "print(history.history['learning_rate'])"
        ),
        safety=SAFE,
        safety_note="Keras 3 callbacks log the rate as 'learning_rate'.",
        catalog=("C-T11",),
        tf_keras=False,
    ),
)
