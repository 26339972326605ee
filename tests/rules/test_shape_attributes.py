"""KM606 layer output_shape/input_shape; KM607 Sequential .input/.output."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run
from tests.test_rule_examples import assert_documented_example

HEAD = "from keras.models import Sequential, Model\nfrom keras.layers import Dense, Input, LSTM\n"
NEW = "from tensorflow.keras.models import Sequential, Model\nfrom tensorflow.keras.layers import Dense, Input, LSTM\n"


def test_km606_not_on_project_objects():
    assert_unchanged(
        "from tensorflow import keras\n\n\nclass Image(object):\n    output_shape = (3,)\n\n\n"
        "img = Image()\nprint(img.output_shape)\n"
    )


def test_km606_models_keep_output_shape():
    assert_unchanged(NEW + "model = Sequential([Dense(2, input_shape=(3,))])\nprint(model.output_shape, model.input_shape)\n")


def test_km606_not_on_tf_keras_target():
    result = run(HEAD + "d = Dense(3)\nprint(d.output_shape)\n", target="tf_keras")
    assert "KM606" not in {x.rule for x in result.diagnostics}


def test_km606_layer_built_in_view():
    assert_migrates(
        HEAD + "d = Dense(3)\ny = d(Input((4,)))\nprint(d.output_shape, d.input_shape)\n",
        NEW + "d = Dense(3)\ny = d(Input((4,)))\nprint(d.output.shape, d.input.shape)\n",
    )


def test_km606_layers_of_unknown_class_or_several_outputs_marked():
    assert_flags(HEAD + "model = Sequential([Dense(2, input_shape=(3,))])\nprint(model.layers[0].output_shape)\n", "KM606")
    assert_flags(HEAD + "r = LSTM(3, return_state=True)\nprint(r.output_shape)\n", "KM606")


def test_km607_functional_input_unchanged():
    assert_unchanged(NEW + "x = Input((3,))\nmodel = Model(x, Dense(2)(x))\nf = Model(model.input, model.output)\n")


def test_km607_sequential_with_input_shape():
    assert_migrates(
        HEAD + "model = Sequential()\nmodel.add(Dense(4, input_dim=3))\nf = Model(model.input, model.output)\n",
        NEW + "model = Sequential()\nmodel.add(Dense(4, input_dim=3))\nf = Model(model.inputs[0], model.outputs[0])\n",
    )


def test_km607_sequential_without_input_shape_marked():
    assert_flags(HEAD + "model = Sequential([Dense(4)])\nx = model.input\n", "KM607")


def test_km607_model_parameter_in_a_file_of_functional_models_unchanged():
    # A functional model's .input works in Keras 3 (a list for several inputs): nothing to mark
    # when the file builds no Sequential and loads no model.
    code = NEW + (
        "def build():\n    x = Input((3,))\n    model = Model(x, Dense(2)(x))\n    return model\n\n\n"
        "def probe(model, data):\n    model.fit(data, data, epochs=1)\n    return Model(model.input, model.output)\n"
    )
    assert "KM607" not in {d.rule for d in run(code).diagnostics}


def test_km607_model_parameter_where_the_file_builds_a_sequential_marked():
    # The contract-program shape: build() returns a Sequential given input_dim, probe() gets it
    # as a parameter; Keras 3 raises "never been called" on .input, so it is marked (inputs[0]
    # would be wrong for a multi-input functional model, which the parameter may also be).
    code = HEAD + (
        "def build():\n    model = Sequential()\n    model.add(Dense(4, input_dim=3))\n    return model\n\n\n"
        "def probe(model, data):\n    extractor = Model(input=model.input, output=model.get_layer('d').output)\n"
        "    return extractor.predict(data)\n"
    )
    output = assert_flags(code, "KM607")
    assert "# kmigrate: KM607 if this is a Sequential, use .inputs[0] (no .input until called)" in output
    assert [d.line for d in run(code).diagnostics if d.rule == "KM607"] == [10]


def test_km607_loaded_model_of_unknown_class_marked():
    code = HEAD + "from keras.models import load_model\n\nmodel = load_model('m.h5')\nmodel = load_model('n.h5')\nx = model.output\n"
    output = assert_flags(code, "KM607")
    assert "use .outputs[0] (no .output until called)" in output


def test_km607_indexed_input_of_a_loaded_model_unchanged():
    # lstm_seq2seq_restore.py (Keras 2.2.4 examples): `model.input[0]` shows several inputs, so
    # the loaded model is functional and its .input works in Keras 3.
    code = HEAD + "from keras.models import load_model\n\nmodel = load_model('s2s.h5')\nencoder_inputs = model.input[0]\n"
    assert "KM607" not in {d.rule for d in run(code).diagnostics}


def test_km607_application_models_in_a_file_with_a_sequential_unchanged():
    code = HEAD + (
        "from keras.applications import VGG16\n\nbase = VGG16(include_top=False)\n"
        "top = Sequential([Dense(2, input_dim=4)])\nfeatures = Model(base.input, base.output)\n"
    )
    assert "KM607" not in {d.rule for d in run(code).diagnostics}


def test_km606_km607_documented_examples():
    # the documented example, run as tests/test_rule_examples.py runs every rule's
    assert_documented_example("KM606")
    assert_documented_example("KM607")
