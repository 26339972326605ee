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


# -- KM625: get_shape() of Keras symbolic tensors ---------------------------------------------
GS_HEAD = "import tensorflow as tf\nfrom keras.layers import Dense, Input, Lambda, concatenate\nfrom keras.models import Model\nimport keras.backend as K\n"
GS_NEW = ("import tensorflow as tf\nfrom tensorflow.keras.layers import Dense, Input, Lambda, concatenate\n"
          "from tensorflow.keras.models import Model\nfrom tensorflow.keras import backend as K\n")
GS_BUILD = "inp = Input(shape=(4,))\nx = Dense(3)(inp)\nx = Dense(5)(x)\nm = Model(inp, x)\n"


def test_km625_tf_tensors_and_project_objects_unchanged():
    # get_shape() of a TF tensor, of a Lambda function's parameter, of a project object: still works
    assert_unchanged(
        GS_NEW.replace("from tensorflow.keras.layers import Dense, Input, Lambda, concatenate\n",
                       "from tensorflow.keras.layers import Dense, Input, Lambda\n")
        + "c = tf.zeros((2, 3))\nprint(c.get_shape().as_list(), c.get_shape()[1], len(c.get_shape()))\n"
        "def f(t):\n    return K.reshape(t, (-1, t.get_shape().as_list()[1]))\n"
        "inp = Input(shape=(4,))\nw = Lambda(f)(Dense(3)(inp))\n"
        "class Box(object):\n    def get_shape(self):\n        return (1, 2)\n\nprint(Box().get_shape())\n"
    )


def test_km625_dimension_value_of_any_tensor():
    # TF 2 TensorShape dimensions are ints: .value fails on TF tensors too (measured on TF 2.21)
    assert_migrates(
        GS_HEAD + "c = tf.zeros((2, 3))\nprint(c.get_shape()[1].value, c.shape[0].value)\n"
        "def f(t):\n    return K.reshape(t, (-1, t.get_shape()[1].value))\n"
        "w = Lambda(f)(Dense(3)(Input(shape=(4,))))\n",
        GS_NEW + "c = tf.zeros((2, 3))\nprint(c.shape[1], c.shape[0])\n"
        "def f(t):\n    return K.reshape(t, (-1, t.shape[1]))\n"
        "w = Lambda(f)(Dense(3)(Input(shape=(4,))))\n",
    )


def test_km625_dimension_value_through_a_shape_name():
    # shape = t.get_shape(); shape[1].value: a TF 2 dimension is the int itself
    assert_migrates(
        GS_HEAD + "def f(t):\n    shape = t.get_shape()\n    return K.reshape(t, (-1, shape[1].value))\n"
        "dims = {'a': 1}\nprint(dims['a'])\n",
        GS_NEW + "def f(t):\n    shape = t.get_shape()\n    return K.reshape(t, (-1, shape[1]))\n"
        "dims = {'a': 1}\nprint(dims['a'])\n",
    )


def test_km625_not_inside_a_layers_call():
    code = GS_HEAD + (
        "from keras.engine.topology import Layer\n\nclass Scale(Layer):\n"
        "    def call(self, inputs):\n        return inputs * int(inputs.get_shape()[1])\n"
    )
    assert "KM625" not in {d.rule for d in run(code).diagnostics}


def test_km625_exact_forms_rewritten():
    assert_migrates(
        GS_HEAD + GS_BUILD + "print(x.get_shape().as_list(), x.get_shape()[1].value, len(x.get_shape()))\n"
        "print(x.get_shape().ndims, int(x.get_shape()[-1]), concatenate([x, inp]).get_shape()[-1].value)\n",
        GS_NEW + GS_BUILD + "print(list(x.shape), x.shape[1], len(x.shape))\n"
        "print(len(x.shape), int(x.shape[-1]), concatenate([x, inp]).shape[-1])\n",
    )


def test_km625_model_inputs_loops_and_helper_parameters():
    assert_migrates(
        GS_HEAD + GS_BUILD + "shapes = [o.get_shape().as_list() for o in m.outputs]\n"
        "for t in m.inputs:\n    print(t.get_shape()[0].value)\n"
        "def block(y):\n    return Dense(int(y.get_shape()[1]))(y)\nz = block(x)\n"
        "print(m.output.get_shape().as_list())\n",
        GS_NEW + GS_BUILD + "shapes = [list(o.shape) for o in m.outputs]\n"
        "for t in m.inputs:\n    print(t.shape[0])\n"
        "def block(y):\n    return Dense(int(y.shape[1]))(y)\nz = block(x)\n"
        "print(list(m.output.shape))\n",
    )


def test_km625_other_uses_marked():
    out = assert_flags(GS_HEAD + GS_BUILD + "for t in m.inputs:\n    print(t.get_shape())\nd = x.get_shape()[1]\n", "KM625")
    assert out.count("# kmigrate: KM625") == 2
    assert "t.get_shape()" in out  # marked, not rewritten


def test_km625_tf_keras_target_keeps_get_shape_but_rewrites_value():
    # tf_keras KerasTensors have get_shape(), but its dimensions are ints (no .value)
    result = run(GS_HEAD + GS_BUILD + "d = x.get_shape()\nprint(x.get_shape()[1].value)\n", target="tf_keras")
    assert "x.shape[1]" in result.output and "d = x.get_shape()\n" in result.output
    assert "# kmigrate: KM625" not in result.output


def test_km625_documented_example():
    assert_documented_example("KM625")


def test_km625_shape_as_list_of_a_keras_tensor_only():
    assert_migrates(
        GS_HEAD + GS_BUILD + "c = tf.zeros((2, 3))\nprint(x.shape.as_list(), c.shape.as_list())\n",
        GS_NEW + GS_BUILD + "c = tf.zeros((2, 3))\nprint(list(x.shape), c.shape.as_list())\n",
    )
