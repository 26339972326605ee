"""KM609 assigned weight lists in Keras 1 custom layers; KM610 removed Model/optimizer internals."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run
from tests.test_rule_examples import assert_documented_example

LAYER = "from keras.engine.topology import Layer\n"
NEW_LAYER = "from tensorflow.keras.layers import Layer\n"
BUILD = (
    "\n\nclass Scale(Layer):\n    def build(self, input_shape):\n"
    "        self.gamma = self.add_weight(shape=(3,), initializer='ones', name='gamma')\n"
    "        self.beta = self.add_weight(shape=(3,), initializer='zeros', name='beta')\n"
)


def test_km609_not_outside_keras_layers():
    assert_unchanged(
        "class Scale(object):\n    def build(self):\n        self.trainable_weights = [self.gamma]\n"
    )


def test_km610_not_on_project_objects():
    result = run(
        "from tensorflow import keras\n\n\nclass Server(object):\n    def _make_predict_function(self):\n        pass\n"
        "    def metrics_tensors(self):\n        pass\n\n\n"
        "server = Server()\nserver._make_predict_function()\nserver.metrics_tensors()\n"
    )
    assert "KM610" not in {d.rule for d in result.diagnostics}
    assert "server._make_predict_function()" in (result.output or "")


def test_km609_exact_list_dropped():
    assert_migrates(
        LAYER + BUILD + "        self.trainable_weights = [self.gamma, self.beta]\n",
        NEW_LAYER + BUILD,
    )


def test_km609_only_statement_becomes_pass():
    before = LAYER + "\n\nclass Scale(Layer):\n    def build(self, input_shape):\n" \
        "        self.g = self.add_weight(shape=(3,), initializer='ones', name='g')\n" \
        "        if True:\n            self.trainable_weights = [self.g]\n"
    after = NEW_LAYER + "\n\nclass Scale(Layer):\n    def build(self, input_shape):\n" \
        "        self.g = self.add_weight(shape=(3,), initializer='ones', name='g')\n" \
        "        if True:\n            pass\n"
    assert_migrates(before, after)


def test_km609_other_order_or_missing_weight_marked():
    assert_flags(LAYER + BUILD + "        self.trainable_weights = [self.beta, self.gamma]\n", "KM609")
    assert_flags(LAYER + BUILD + "        self.trainable_weights = [self.gamma]\n", "KM609")
    assert_flags(LAYER + BUILD + "        self.non_trainable_weights = [self.gamma, self.beta]\n", "KM609")


def test_km609_extend_and_append_marked():
    assert_flags(LAYER + BUILD + "        self.trainable_weights += [self.gamma]\n", "KM609")
    assert_flags(LAYER + BUILD + "        self.trainable_weights.append(self.gamma)\n", "KM609")


def test_km609_not_marked_by_km253_too():
    result = run(LAYER + BUILD + "        self.trainable_weights = [self.beta]\n")
    assert {d.rule for d in result.diagnostics if d.rule.startswith(("KM2", "KM6"))} == {"KM609"}


def test_km610_warmup_dropped():
    assert_migrates(
        "from keras.models import load_model\n\nmodel = load_model('m.keras')\nmodel._make_predict_function()\n"
        "y = model.predict(x)\n",
        "from tensorflow.keras.models import load_model\n\nmodel = load_model('m.keras')\ny = model.predict(x)\n",
    )
    result = run("from keras.models import load_model\n\nmodel = load_model('m.keras')\nmodel._make_predict_function()\n")
    assert "KM919" not in {d.rule for d in result.diagnostics}


def test_km610_warmup_in_function_keeps_a_body():
    assert_migrates(
        "from keras.models import Sequential\nmodel = Sequential()\n\n\ndef warm():\n    model._make_train_function()\n",
        "from tensorflow.keras.models import Sequential\nmodel = Sequential()\n\n\ndef warm():\n    pass\n",
    )


def test_km610_internal_shapes_rewritten():
    assert_migrates(
        "from keras.models import Sequential\nmodel = Sequential()\nshapes = model.internal_input_shapes\n",
        "from tensorflow.keras.models import Sequential\nmodel = Sequential()\n"
        "shapes = [tensor.shape for tensor in model.inputs]\n",
    )


def test_km610_gone_internals_marked():
    head = "from keras.models import Sequential\nmodel = Sequential()\n"
    assert_flags(head + "print(model.metrics_tensors)\n", "KM610")
    assert_flags(head + "print(model.loss_functions)\n", "KM610")
    assert_flags(head + "u = model.optimizer.get_updates(loss=l, params=p)\n", "KM610")


def test_km609_km610_documented_examples():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM609")
    assert_documented_example("KM610")


def test_km610_add_metric_marked_on_keras_objects_only():
    # Keras 2.3 Mask R-CNN: keras_model.add_metric(loss, name); a layer's self.add_metric in call()
    model = (
        "from keras.layers import Input, Dense, Layer\nfrom keras.models import Model\n"
        "inp = Input((4,))\nmodel = Model(inp, Dense(2)(inp))\nmodel.add_metric(loss, 'rpn')\n"
    )
    assert_flags(model, "KM610")
    layer = (
        "from keras.layers import Layer\n\n\nclass Probe(Layer):\n    def call(self, x):\n"
        "        self.add_metric(x, name='probe')\n        return x\n"
    )
    assert_flags(layer, "KM610")
    assert_unchanged("import tensorflow as tf\n\n\nclass Board(object):\n    def add_metric(self, v):\n"
                     "        pass\n\n\nBoard().add_metric(1)\n")
