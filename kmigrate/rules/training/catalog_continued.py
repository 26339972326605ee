"""training family rules KM325-KM331 (the catalog continued: catalog.py has the first ones)."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE, Rule

MORE_RULES = (
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
            "model.compile('sgd', 'mean_squared_error', metrics=['mae'])  # kmigrate: KM328 zero sample "
            "weights no longer scale the loss up: mask padding instead"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 fit accepts 2-D sample weights without it; its compile has loss_weights third. A "
            "dropped `sample_weight_mode` is also marked: legacy Keras divided each batch's loss by the "
            "fraction of non-zero weights and Keras 3 does not, so zero weights (padded timesteps) "
            "change the loss (measured under genuine Keras 2.2.4: 1.103 vs 0.784); with non-zero "
            "weights both agree (fixture temporal_sample_weight_tagger)."
        ),
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
        safety_note=(
            "A structural change of the input pipeline. Only `target_tensors=None`, the default, is "
            "dropped: Keras 3 compile() rejects the argument."
        ),
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
