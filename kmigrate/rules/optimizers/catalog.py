"""The documented rules of kmigrate.rules.optimizers.common: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE, Rule

RULES = (
    Rule(
        id="KM301",
        name="optimizer-lr-kwarg",
        summary="Optimizer `lr=` becomes `learning_rate=`.",
        before=(
            "from keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(lr=0.01, momentum=0.9)"
        ),
        after=(
            "from tensorflow.keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(learning_rate=0.01, momentum=0.9)"
        ),
        safety=SAFE,
        safety_note="Keras 3 rejects `lr` (ValueError); the parameter is the same.",
        catalog=("C-O01",),
    ),
    Rule(
        id="KM302",
        name="optimizer-decay",
        summary="Optimizer `decay=` becomes an `InverseTimeDecay` schedule with the same numbers.",
        before=(
            "from keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(lr=0.01, decay=1e-6, momentum=0.9)"
        ),
        after=(
            "from tensorflow.keras.optimizers import SGD\n"
            "from tensorflow.keras.optimizers.schedules import InverseTimeDecay\n"
            "\n"
            "optimizer = SGD(learning_rate=InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6), momentum=0.9)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 2 used lr / (1 + decay * iterations) with the iteration count before the update, which is "
            "what InverseTimeDecay(lr, 1, decay) computes on Keras 3 (measured against Keras 2.2.4: 6e-8). "
            "Keras 3 ignores `decay` with only a warning. A schedule cannot be changed by "
            "LearningRateScheduler, ReduceLROnPlateau or set_value: files that do that are marked."
        ),
        catalog=("C-O02",),
    ),
    Rule(
        id="KM303",
        name="optimizer-positional",
        summary="Positional optimizer arguments become keywords of the legacy signature.",
        before=(
            "from keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(0.01, 0.9, 0.0, True)"
        ),
        after=(
            "from tensorflow.keras.optimizers import SGD\n"
            "\n"
            "optimizer = SGD(0.01, momentum=0.9, nesterov=True)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 orders parameters differently (SGD(0.01, 0.9, 1e-6, True) sets nesterov=1e-6 and "
            "weight_decay=True). The legacy order depends on the release (2.3 dropped decay/epsilon from the "
            "signatures)."
        ),
        catalog=("C-O03",),
    ),
    Rule(
        id="KM304",
        name="optimizer-epsilon-none",
        summary="`epsilon=None` is dropped.",
        before=(
            "from keras.optimizers import Adam\n"
            "\n"
            "optimizer = Adam(lr=1e-3, epsilon=None)"
        ),
        after=(
            "from tensorflow.keras.optimizers import Adam\n"
            "\n"
            "optimizer = Adam(learning_rate=1e-3)"
        ),
        safety=SAFE,
        safety_note=(
            "None meant K.epsilon() (1e-7), the Keras 3 default; Keras 3 fails on None at the first step."
        ),
        catalog=("C-O04",),
    ),
    Rule(
        id="KM305",
        name="optimizer-defaults",
        summary=(
            "Default learning rates (and Adagrad's initial accumulator) that Keras 3 changed are written "
            "out."
        ),
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.optimizers import Adadelta\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(optimizer='adagrad', loss='mse')\n"
            "optimizer = Adadelta()"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "from tensorflow.keras.optimizers import Adadelta, Adagrad\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(optimizer=Adagrad(learning_rate=0.01, initial_accumulator_value=0.0, epsilon=1e-14), loss='mse')\n"
            "optimizer = Adadelta(learning_rate=1.0)"
        ),
        safety=SAFE,
        safety_note=(
            "Legacy defaults: Adadelta 1.0, Adagrad 0.01 with zero accumulators, Adamax and Nadam 0.002; "
            "Keras 3 uses 0.001 and starts Adagrad's accumulators at 0.1."
        ),
        catalog=("C-O05",),
    ),
    Rule(
        id="KM306",
        name="nadam-schedule-decay",
        summary="Nadam's `schedule_decay` is gone and its momentum schedule changed.",
        before=(
            "from keras.optimizers import Nadam\n"
            "\n"
            "optimizer = Nadam(lr=0.002, schedule_decay=0.004)"
        ),
        after="Nadam(learning_rate=0.002)  # kmigrate: KM306 ...",
        safety=FLAG,
        safety_note=(
            "Keras 3 Nadam uses 0.96**t where legacy Keras used 0.96**(t * schedule_decay): training differs "
            "(measured 1e-2 on a small model). Accept the drift or keep a custom optimizer."
        ),
        catalog=("C-O06",),
    ),
    Rule(
        id="KM307",
        name="optimizer-lowercase-aliases",
        summary="Lower-case optimizer aliases (`adam`, `sgd`, ...) become the classes.",
        before=(
            "from keras.optimizers import adam\n"
            "\n"
            "optimizer = adam(lr=1e-3)"
        ),
        after=(
            "from tensorflow.keras.optimizers import Adam as adam\n"
            "\n"
            "optimizer = adam(learning_rate=1e-3)"
        ),
        safety=SAFE,
        safety_note="The aliases were the same classes.",
        catalog=("C-O07",),
    ),
    Rule(
        id="KM308",
        name="optimizer-lr-attribute",
        summary="`optimizer.lr` becomes `optimizer.learning_rate`.",
        before=(
            "from keras import backend as K\n"
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class ShowRate(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.lr)\n"
            "        print(epoch, rate)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class ShowRate(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.learning_rate)\n"
            "        print(epoch, rate)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 optimizers have no `lr` attribute. Matched on `.optimizer.lr` chains and names bound to "
            "optimizer constructors in the file. They have no `decay` either (AttributeError): a read of "
            "`optimizer.decay` (the `lr / (1 + decay * iterations)` idiom) is marked, since the decay became "
            "a learning-rate schedule and `optimizer.learning_rate` already reads the decayed rate (measured)."
        ),
        catalog=("C-O08",),
    ),
    Rule(
        id="KM309",
        name="set-value-learning-rate",
        summary="`K.set_value(optimizer.lr, v)` becomes `optimizer.learning_rate.assign(v)`.",
        before=(
            "from keras import backend as K\n"
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Halve(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.learning_rate)\n"
            "        K.set_value(self.model.optimizer.lr, rate * 0.5)"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "from tensorflow.keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Halve(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        rate = K.get_value(self.model.optimizer.learning_rate)\n"
            "        self.model.optimizer.learning_rate.assign(rate * 0.5)"
        ),
        safety=CONTEXT,
        safety_note=(
            "The legacy set_value fails on Keras 3 variables (dtype is a string); assign stores the same "
            "value. K.get_value keeps working on the renamed attribute."
        ),
        catalog=("C-O09",),
        tf_keras=False,
    ),
    Rule(
        id="KM310",
        name="tfoptimizer",
        summary="`TFOptimizer(tf.train.X)` has no tf.keras equivalent.",
        before=(
            "import tensorflow as tf\n"
            "from keras.optimizers import TFOptimizer\n"
            "\n"
            "optimizer = TFOptimizer(tf.train.AdamOptimizer(1e-3))"
        ),
        after="tf.keras.optimizers.Adam(learning_rate=1e-3)  # check epsilon (tf.train used 1e-8)",
        safety=FLAG,
        safety_note="The tf.train optimizers differ in defaults and update details.",
        catalog=("C-O10",),
    ),
    Rule(
        id="KM311",
        name="custom-optimizer-api",
        summary="Custom optimizers written against `get_updates` must be ported.",
        before=(
            "from keras.optimizers import Optimizer\n"
            "\n"
            "\n"
            "class PlainSGD(Optimizer):\n"
            "    def get_updates(self, loss, params):\n"
            "        grads = self.get_gradients(loss, params)\n"
            "        return [(p, p - 0.01 * g) for p, g in zip(params, grads)]"
        ),
        after=(
            "class MyOpt(Optimizer):\n"
            "    def build(self, var_list): ...\n"
            "    def update_step(self, gradient, variable, learning_rate): ..."
        ),
        safety=FLAG,
        safety_note="Keras 3 optimizers have no graph-mode update lists.",
        catalog=("C-O11",),
    ),
    Rule(
        id="KM312",
        name="optimizers-legacy-namespace",
        summary="`tf.keras.optimizers.legacy.X` becomes `tf.keras.optimizers.X`.",
        before=(
            "import tensorflow as tf\n"
            "\n"
            "optimizer = tf.keras.optimizers.legacy.Adam(learning_rate=1e-3)"
        ),
        after=(
            "import tensorflow as tf\n"
            "\n"
            "optimizer = tf.keras.optimizers.Adam(learning_rate=1e-3)"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 raises ImportError for the legacy namespace; arguments are converted like other Keras 2 "
            "optimizers."
        ),
        catalog=("C-O12",),
        tf_keras=False,
    ),
    Rule(
        id="KM313",
        name="optimizer-epsilon",
        summary="Epsilon is written out where Keras 3 uses it differently, and the line is marked: no equal update exists.",
        before=(
            "from keras.optimizers import RMSprop\n"
            "\n"
            "optimizer = RMSprop(lr=0.001)"
        ),
        after=(
            "from tensorflow.keras.optimizers import RMSprop\n"
            "\n"
            "optimizer = RMSprop(learning_rate=0.001, epsilon=1e-14)  "
            "# kmigrate: KM313 RMSprop: Keras 3 adds epsilon inside sqrt(v): tiny-gradient steps differ"
        ),
        safety=CONTEXT,
        safety_note=(
            "Legacy RMSprop and Adagrad divided by sqrt(v) + epsilon, Keras 3 by sqrt(v + epsilon). No "
            "constant gives the same update: epsilon squared is the closest (on a 784-512-512-10 MLP from the "
            "same weights the loss after one step is 2e-3 apart, against 0.4 with the Keras 3 default), so it "
            "is written out and the line is marked; training differs where gradients are near epsilon. Keras "
            "<= 2.1.2 defaulted to epsilon=1e-8, written out when that version is known."
        ),
        catalog=("C-O13",),
    ),
    Rule(
        id="KM227",
        name="optimizer-get-updates-signature",
        summary="Keras 1 `get_updates(self, params, constraints, loss)` must be ported.",
        before=(
            "from keras.optimizers import Optimizer\n"
            "\n"
            "\n"
            "class PlainSGD(Optimizer):\n"
            "    def get_updates(self, params, constraints, loss):\n"
            "        grads = self.get_gradients(loss, params)\n"
            "        return [(p, p - 0.01 * g) for p, g in zip(params, grads)]"
        ),
        after=(
            "def build(self, var_list): ...\n"
            "def update_step(self, gradient, variable, learning_rate): ..."
        ),
        safety=FLAG,
        safety_note="No mechanical path to the Keras 3 optimizer API.",
        catalog=("B27",),
    ),
)
