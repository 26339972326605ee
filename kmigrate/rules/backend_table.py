"""The backend family's data: what each legacy ``K.<name>`` missing from tf.keras becomes.

One entry per catalog rule ``C-K-<name>`` (section C.9).  Ids follow the catalog ids in
sorted order (``C-K-Function`` = KM511, ``C-K-asymmetric_spatial_2d_padding`` = KM512, ...,
``C-K-v1_variable_initialization`` = KM559); ``CK_IDS`` computes the mapping and a test checks
it against ``shared/reference/rule-catalog.json``.

``kind`` says how ``kmigrate.rules.backend`` treats a use:

* ``rename``   call/reference another ``K`` name (``target``), keywords renamed per ``keywords``
* ``tf``       call ``tf.<target>`` with the arguments bound to the legacy signature ``params``
* ``builtin``  call the Python builtin ``target``
* ``remove``   a statement that only calls it is deleted (as a decorator it is dropped)
* ``value``    the call/reference becomes the expression ``target`` (``{tf}`` = TensorFlow)
* ``special``  a dedicated rewrite in the fixer (needs context; falls back to a marker)
* ``flag``     never rewritten: a marker with the replacement in ``message``
"""

from __future__ import annotations

from dataclasses import dataclass, field

RENAME, TF, BUILTIN, REMOVE, VALUE, SPECIAL, FLAG = (
    "rename", "tf", "builtin", "remove", "value", "special", "flag",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    name: str  # the legacy backend name
    kind: str
    target: str = ""
    message: str = ""  # what to do (markers) / what was done (report)
    params: tuple[str, ...] = ()  # legacy positional parameter order (kinds tf/rename)
    keywords: dict[str, str] = field(default_factory=dict)  # legacy keyword -> new keyword
    before: str = ""
    after: str = ""
    note: str = ""  # why the rewrite is safe / what could differ
    tf_keras: bool = True  # the name is missing under --target tf_keras as well

    @property
    def catalog(self) -> str:
        return f"C-K-{self.name}"


_GROWTH = (
    "for gpu in tf.config.list_physical_devices('GPU'):\n"
    "    tf.config.experimental.set_memory_growth(gpu, True)"
)

ENTRIES: tuple[Entry, ...] = (
    Entry("Function", SPECIAL, "function",
          "`K.Function` is gone: build a sub-model, e.g. `k_function(inputs, outputs)` as kmigrate "
          "writes for `K.function`, or `tf.keras.Model(inputs, outputs)`",
          before=(
              "from keras import backend as K\n"
              "from keras.models import Sequential\n"
              "from keras.layers import Dense\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dense(1)])\n"
              "features = K.Function([model.input], [model.layers[0].output])"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.models import Sequential\n"
              "from tensorflow.keras.layers import Dense\n"
              "import tensorflow as tf\n"
              "\n"
              "\n"
              "def k_function(inputs, outputs, learning_phase_index=None):\n"
              '    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it\n'
              "    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`\n"
              '    (the `K.learning_phase()` input) is the `training` flag."""\n'
              "    model = tf.keras.Model(inputs, outputs)\n"
              "\n"
              "    def call(values):\n"
              "        values = list(values)\n"
              "        training = False\n"
              "        if learning_phase_index is not None:\n"
              "            training = bool(values.pop(learning_phase_index))\n"
              "        return [tensor.numpy() for tensor in tf.nest.flatten(model(values, training=training))]\n"
              "\n"
              "    return call\n"
              "\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dense(1)])\n"
              "features = k_function([model.inputs[0]], [model.layers[0].output])"
          ),
          note="Same contract as `K.function` (a list of arrays in, a list of arrays out)."),
    Entry("asymmetric_spatial_2d_padding", SPECIAL, "spatial_2d_padding",
          "use `K.spatial_2d_padding(x, padding=((top, bottom), (left, right)), data_format=...)`",
          params=("x", "top_pad", "bottom_pad", "left_pad", "right_pad", "dim_ordering"),
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(3, 8, 8))\n"
              "y = K.asymmetric_spatial_2d_padding(x, top_pad=1, bottom_pad=2, left_pad=0, right_pad=1, dim_ordering='th')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Input\n"
              "\n"
              "x = Input(shape=(3, 8, 8))\n"
              "y = K.spatial_2d_padding(x, padding=((1, 2), (0, 1)), data_format='channels_first')"
          ),
          note="Keras 2 merged the asymmetric form into spatial_2d_padding; the pad amounts are "
          "the same numbers (defaults 1), dim_ordering maps th/tf to channels_first/last."),
    Entry("asymmetric_temporal_padding", SPECIAL, "temporal_padding",
          "use `K.temporal_padding(x, padding=(left_pad, right_pad))`",
          params=("x", "left_pad", "right_pad"),
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(10, 4))\n"
              "y = K.asymmetric_temporal_padding(x, left_pad=1, right_pad=2)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Input\n"
              "\n"
              "x = Input(shape=(10, 4))\n"
              "y = K.temporal_padding(x, padding=(1, 2))"
          ),
          note="Keras 2 merged the asymmetric form into temporal_padding (defaults 1)."),
    Entry("atrous_conv2d", FLAG, "",
          "`K.atrous_conv2d` is gone: use `K.conv2d(x, kernel, padding=border_mode, "
          "dilation_rate=(rate, rate), data_format=...)`; Keras 1 'th' kernels are (out, in, rows, "
          "cols) and must be transposed to (rows, cols, in, out)",
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(8, 8, 3))\n"
              "kernel = K.ones((3, 3, 3, 16))\n"
              "y = K.atrous_conv2d(x, kernel, rate=2, border_mode='same')"
          ),
          after="K.conv2d(x, kernel, padding='same', dilation_rate=(2, 2))",
          note="The kernel layout depends on Keras 1's dim_ordering, which the code does not show."),
    Entry("control_dependencies", TF, "control_dependencies",
          "`K.control_dependencies` -> `tf.control_dependencies`",
          params=("control_inputs",),
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "update = K.update_add(K.variable(0.0), 1.0)\n"
              "with K.control_dependencies([update]):\n"
              "    y = K.identity(x)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "update = K.update_add(K.variable(0.0), 1.0)\n"
              "with tf.control_dependencies([update]):\n"
              "    y = tf.identity(x)"
          ),
          note="The same TensorFlow context manager Keras 2.3 wrapped (a no-op in eager code)."),
    Entry("conv3d_transpose", FLAG, "",
          "`K.conv3d_transpose` is gone: use `tf.nn.conv3d_transpose(x, kernel, output_shape, "
          "strides=(1,) + strides + (1,), padding=padding.upper())` on channels_last data (transpose "
          "channels_first input and output)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 4, 4, 4, 8))\n"
              "kernel = K.ones((3, 3, 3, 16, 8))\n"
              "y = K.conv3d_transpose(x, kernel, (1, 8, 8, 8, 16), strides=(2, 2, 2), padding='same')"
          ),
          after="tf.nn.conv3d_transpose(x, k, output_shape, strides=(1, 2, 2, 2, 1), padding='SAME')",
          note="Padding spelling and data layout differ and depend on the data format."),
    Entry("deconv2d", FLAG, "",
          "`K.deconv2d` is gone: use `K.conv2d_transpose(x, kernel, output_shape, strides, "
          "padding=border_mode, data_format=...)`; the Keras 1 kernel is transposed (0, 1, 3, 2) "
          "relative to Keras 2 and 'th' kernels need (2, 3, 1, 0) first",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 4, 4, 8))\n"
              "kernel = K.ones((3, 3, 16, 8))\n"
              "y = K.deconv2d(x, kernel, (1, 8, 8, 16), strides=(2, 2), border_mode='same', dim_ordering='tf')"
          ),
          after="K.conv2d_transpose(x, K.permute_dimensions(kernel, (0, 1, 3, 2)), output_shape, "
          "strides=(2, 2), padding='same', data_format='channels_last')",
          note="Keras 1 and Keras 2 expect different kernel layouts here."),
    Entry("eager", REMOVE, "",
          "removed `K.eager` (TF 2 code is eager already)",
          before=(
              "from keras import backend as K\n"
              "from keras.models import Sequential\n"
              "from keras.layers import Dense\n"
              "\n"
              "model = Sequential([Dense(1, input_dim=4)])\n"
              "\n"
              "\n"
              "@K.eager\n"
              "def predict_step(x):\n"
              "    return model(x)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.models import Sequential\n"
              "from tensorflow.keras.layers import Dense\n"
              "\n"
              "model = Sequential([Dense(1, input_dim=4)])\n"
              "\n"
              "\n"
              "def predict_step(x):\n"
              "    return model(x)"
          ),
          note="Keras 2.3's decorator only left the Keras graph; TF 2.21 code runs eagerly."),
    Entry("function", SPECIAL, "function",
          "`K.function` is gone: build a sub-model, e.g. `tf.keras.Model(model.inputs, "
          "[layer.output])(x, training=False)`",
          before=(
              "import numpy as np\n"
              "from keras import backend as K\n"
              "from keras.models import Sequential\n"
              "from keras.layers import Dense, Dropout\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dropout(0.5), Dense(1)])\n"
              "features = K.function([model.input, K.learning_phase()], [model.layers[-2].output])\n"
              "values = features([np.zeros((2, 4)), 0])[0]"
          ),
          after=(
              "import numpy as np\n"
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.models import Sequential\n"
              "from tensorflow.keras.layers import Dense, Dropout\n"
              "import tensorflow as tf\n"
              "\n"
              "\n"
              "def k_function(inputs, outputs, learning_phase_index=None):\n"
              '    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it\n'
              "    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`\n"
              '    (the `K.learning_phase()` input) is the `training` flag."""\n'
              "    model = tf.keras.Model(inputs, outputs)\n"
              "\n"
              "    def call(values):\n"
              "        values = list(values)\n"
              "        training = False\n"
              "        if learning_phase_index is not None:\n"
              "            training = bool(values.pop(learning_phase_index))\n"
              "        return [tensor.numpy() for tensor in tf.nest.flatten(model(values, training=training))]\n"
              "\n"
              "    return call\n"
              "\n"
              "\n"
              "model = Sequential([Dense(8, input_dim=4), Dropout(0.5), Dense(1)])\n"
              "features = k_function([model.inputs[0]], [model.layers[-2].output], learning_phase_index=-1)\n"
              "values = features([np.zeros((2, 4)), 0])[0]"
          ),
          note="`k_function` (added once per file) builds `tf.keras.Model(inputs, outputs)` and "
          "calls it with a list of arrays, returning a list of numpy arrays as `K.function` did; the "
          "`K.learning_phase()` input becomes `training=`. `model.input`/`model.output` become "
          "`model.inputs[0]`/`model.outputs[0]` because Sequential models have no `.input` in Keras 3. "
          "`updates=`, placeholders and gradients cannot be expressed this way and are marked. "
          "Also under --target tf_keras: its K.function exists but fails eagerly with "
          "`K.learning_phase()` among the inputs (measured on tf_keras 2.21).",
          tf_keras=True),
    Entry("get_graph", FLAG, "",
          "there is no global graph in TF 2: run the code eagerly or inside a `tf.function`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "graph = K.get_graph()"
          ),
          after="# eager code, or @tf.function for a graph",
          note="TF 2 has no default Keras graph."),
    Entry("get_session", SPECIAL, "",
          "there are no sessions in TF 2: evaluate tensors eagerly (`K.eval(x)`, `x.numpy()`) or "
          "inside a `tf.function`; `tf.compat.v1.keras.backend.get_session()` exists only with "
          "TF_USE_LEGACY_KERAS=1",
          before=(
              "import tensorflow as tf\n"
              "from keras import backend as K\n"
              "\n"
              "K.get_session().run(tf.global_variables_initializer())\n"
              "sess = K.get_session()"
          ),
          after=(
              "import tensorflow as tf\n"
              "from tensorflow.keras import backend as K\n"
              "\n"
              "sess = K.get_session()  # kmigrate: KM521 evaluate tensors eagerly or inside a `tf.function`"
          ),
          note="The variable-initialisation idiom is deleted (TF 2 initialises variables when "
          "they are created); any other use is marked."),
    Entry("get_variable_shape", RENAME, "int_shape", "`K.get_variable_shape` -> `K.int_shape`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "v = K.variable([[1.0, 2.0]])\n"
              "shape = K.get_variable_shape(v)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "v = K.variable([[1.0, 2.0]])\n"
              "shape = K.int_shape(v)"
          ),
          note="It was an alias of int_shape."),
    Entry("identity", TF, "identity", "`K.identity` -> `tf.identity`",
          params=("x", "name"), keywords={"x": "input"},
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "y = K.identity(x)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "y = tf.identity(x)"
          ),
          note="Keras 2 called tf.identity itself."),
    Entry("image_dim_ordering", SPECIAL, "image_data_format",
          "`K.image_dim_ordering()` -> `K.image_data_format()` with 'th'/'tf' mapped to "
          "'channels_first'/'channels_last'",
          before=(
              "from keras import backend as K\n"
              "\n"
              "if K.image_dim_ordering() == 'th':\n"
              "    input_shape = (3, 32, 32)\n"
              "else:\n"
              "    input_shape = (32, 32, 3)\n"
              "ordering = K.image_dim_ordering()"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "if K.image_data_format() == 'channels_first':\n"
              "    input_shape = (3, 32, 32)\n"
              "else:\n"
              "    input_shape = (32, 32, 3)\n"
              "ordering = ('th' if K.image_data_format() == 'channels_first' else 'tf')"
          ),
          note="Keras 2 computed image_dim_ordering from image_data_format exactly this way; "
          "compared literals are mapped, other uses keep their 'th'/'tf' value."),
    Entry("in_test_phase", SPECIAL, "",
          "the learning phase is gone: inside `call(self, inputs, training=None)` write "
          "`x if not training else alt`",
          params=("x", "alt", "training"),
          before=(
              "from keras import backend as K\n"
              "from keras.engine.topology import Layer\n"
              "\n"
              "\n"
              "class HalveAtTest(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return K.in_test_phase(inputs * 0.5, inputs, training=training)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Layer\n"
              "\n"
              "\n"
              "class HalveAtTest(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return (inputs if training else inputs * 0.5)"
          ),
          note="Keras 3 passes `training` to call() as a Python bool; without an explicit "
          "`training=` argument the call is marked.", tf_keras=False),
    Entry("in_train_phase", SPECIAL, "",
          "the learning phase is gone: inside `call(self, inputs, training=None)` write "
          "`x if training else alt`",
          params=("x", "alt", "training"),
          before=(
              "from keras import backend as K\n"
              "from keras.engine.topology import Layer\n"
              "\n"
              "\n"
              "class TrainingDropout(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return K.in_train_phase(K.dropout(inputs, 0.5), inputs, training=training)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Layer\n"
              "\n"
              "\n"
              "class TrainingDropout(Layer):\n"
              "    def call(self, inputs, training=None):\n"
              "        return (K.dropout(inputs, 0.5) if training else inputs)"
          ),
          note="Keras 3 passes `training` to call() as a Python bool; without an explicit "
          "`training=` argument the call is marked.", tf_keras=False),
    Entry("is_placeholder", FLAG, "",
          "placeholders do not exist in TF 2: test `K.is_keras_tensor(x)` (true for every "
          "symbolic Keras tensor) or drop the check",
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(4,))\n"
              "if K.is_placeholder(x):\n"
              "    print('symbolic input')"
          ), after="if K.is_keras_tensor(x): ...",
          note="No exact equivalent."),
    Entry("is_symbolic", FLAG, "",
          "use `K.is_keras_tensor(x)` for symbolic Keras tensors or `not tf.executing_eagerly()` "
          "for graph code",
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(4,))\n"
              "if K.is_symbolic(x):\n"
              "    print('symbolic input')"
          ), after="if K.is_keras_tensor(x): ...",
          note="Keras 2.3 mixed both meanings; which one the code needs is a judgement."),
    Entry("is_tensor", TF, "is_tensor", "`K.is_tensor` -> `tf.is_tensor`",
          params=("x",),
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "print(K.is_tensor(x))"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "print(tf.is_tensor(x))"
          ),
          note="The same test on TensorFlow tensors."),
    Entry("is_variable", SPECIAL, "",
          "`K.is_variable(x)` -> `isinstance(x, (tf.Variable, tf.keras.Variable))`",
          params=("x",),
          before=(
              "from keras import backend as K\n"
              "\n"
              "w = K.variable([1.0, 2.0])\n"
              "print(K.is_variable(w))"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "w = K.variable([1.0, 2.0])\n"
              "print(isinstance(w, (tf.Variable, tf.keras.Variable)))"
          ),
          note="Keras 3 layer weights are keras.Variable, not tf.Variable: both are accepted."),
    Entry("learning_phase", SPECIAL, "",
          "the learning phase is gone: pass `training=True/False` when calling the model or "
          "layer (`model(x, training=False)`), or use the `training` argument of `call()`",
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input, Lambda\n"
              "\n"
              "x = Input(shape=(4,))\n"
              "y = Lambda(lambda t: K.switch(K.learning_phase(), t * 0.5, t))(x)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Input, Lambda\n"
              "\n"
              "x = Input(shape=(4,))\n"
              "y = Lambda(lambda t: K.switch(K.learning_phase(), t * 0.5, t))(x)  # kmigrate: KM531 pass `training=True/False` when calling the model or layer"
          ),
          note="As a K.function input it becomes `training=` (see KM519); elsewhere it is "
          "marked.", tf_keras=False),
    Entry("legacy_weight_ordering", SPECIAL, "False",
          "`K.legacy_weight_ordering()` -> `False` (Keras 1 default)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "if K.legacy_weight_ordering():\n"
              "    print('Theano weight ordering')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "if False:\n"
              "    print('Theano weight ordering')"
          ),
          note="Only set_legacy_weight_ordering(True) made it true; that call is marked."),
    Entry("lesser", RENAME, "less", "`K.lesser` -> `K.less`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x, y = K.ones((2,)), K.zeros((2,))\n"
              "mask = K.lesser(x, y)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "x, y = K.ones((2,)), K.zeros((2,))\n"
              "mask = K.less(x, y)"
          ), note="Keras 1 name of the same op."),
    Entry("lesser_equal", RENAME, "less_equal", "`K.lesser_equal` -> `K.less_equal`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x, y = K.ones((2,)), K.zeros((2,))\n"
              "mask = K.lesser_equal(x, y)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "x, y = K.ones((2,)), K.zeros((2,))\n"
              "mask = K.less_equal(x, y)"
          ),
          note="Keras 1 name of the same op."),
    Entry("local_conv1d", FLAG, "",
          "`K.local_conv1d` is gone in Keras 3: copy a LocallyConnected1D implementation (e.g. "
          "from tf_keras) or use `--target tf_keras`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 6, 3))\n"
              "kernel = K.ones((4, 9, 8))\n"
              "y = K.local_conv1d(x, kernel, (3,), (1,))"
          ),
          after="# a local copy of tf_keras' local_conv1d", note="No Keras 3 equivalent.",
          tf_keras=False),
    Entry("local_conv2d", FLAG, "",
          "`K.local_conv2d` is gone in Keras 3: copy a LocallyConnected2D implementation (e.g. "
          "from tf_keras) or use `--target tf_keras`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 4, 4, 3))\n"
              "kernel = K.ones((4, 27, 8))\n"
              "y = K.local_conv2d(x, kernel, (3, 3), (1, 1), (2, 2))"
          ),
          after="# a local copy of tf_keras' local_conv2d", note="No Keras 3 equivalent.",
          tf_keras=False),
    Entry("logsumexp", TF, "reduce_logsumexp", "`K.logsumexp` -> `tf.reduce_logsumexp`",
          params=("x", "axis", "keepdims"), keywords={"x": "input_tensor"},
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "total = K.logsumexp(x, axis=1)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "total = tf.reduce_logsumexp(x, axis=1)"
          ),
          note="Keras 2 called tf.reduce_logsumexp with the same arguments."),
    Entry("manual_variable_initialization", REMOVE, "",
          "removed `K.manual_variable_initialization(...)` (TF 2 initialises variables on creation)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.manual_variable_initialization(True)\n"
              "print(K.image_data_format())"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "print(K.image_data_format())"
          ),
          note="A TF 1 session switch with no meaning in TF 2.", tf_keras=False),
    Entry("normalize_batch_in_training", FLAG, "",
          "`K.normalize_batch_in_training` is gone: `mean, var = tf.nn.moments(x, axes); "
          "normed = K.batch_normalization(x, mean, var, beta, gamma, epsilon=epsilon)` (it returned "
          "`(normed, mean, var)`)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((4, 3))\n"
              "gamma, beta = K.ones((3,)), K.zeros((3,))\n"
              "normed, mean, var = K.normalize_batch_in_training(x, gamma, beta, [0])"
          ),
          after="mean, var = tf.nn.moments(x, [0])\n"
          "normed = K.batch_normalization(x, mean, var, beta, gamma, epsilon=1e-3)",
          note="A multi-statement replacement that depends on the reduction axes.", tf_keras=False),
    Entry("normalize_data_format", SPECIAL, "",
          "`K.normalize_data_format(value)` is gone: use `(value or K.image_data_format()).lower()`",
          params=("value",),
          before=(
              "from keras import backend as K\n"
              "\n"
              "data_format = K.normalize_data_format(None)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "data_format = K.image_data_format()"
          ),
          note="Literal arguments are resolved (None -> K.image_data_format()); others are marked."),
    Entry("placeholder", FLAG, "",
          "placeholders do not exist in TF 2: use `tf.keras.Input(shape=...)` to build a model, or "
          "pass the value as an argument of a (tf.)function",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.placeholder(shape=(None, 3))"
          ), after="x = tf.keras.Input(shape=(3,))",
          note="What replaces a placeholder depends on how it is fed.", tf_keras=False),
    Entry("print_tensor", FLAG, "",
          "`K.print_tensor` is gone: `tf.print(message, x)` prints (and returns None): keep using `x` "
          "afterwards",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "x = K.print_tensor(x, message='x = ')"
          ), after="tf.print('x=', x)",
          note="Keras 2 returned the tensor; the print and the value flow must be split.",
          tf_keras=False),
    Entry("py_all", BUILTIN, "all", "`K.py_all` -> `all`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "ready = K.py_all([True, False])"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "ready = all([True, False])"
          ), note="It was the builtin."),
    Entry("py_any", BUILTIN, "any", "`K.py_any` -> `any`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "ready = K.py_any([True, False])"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "ready = any([True, False])"
          ), note="It was the builtin."),
    Entry("py_slice", BUILTIN, "slice", "`K.py_slice` -> `slice`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "first_two = K.py_slice(0, 2)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "first_two = slice(0, 2)"
          ), note="It was the builtin."),
    Entry("py_sum", BUILTIN, "sum", "`K.py_sum` -> `sum`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "total = K.py_sum([1, 2, 3])"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "total = sum([1, 2, 3])"
          ), note="It was the builtin."),
    Entry("random_binomial", RENAME, "random_bernoulli", "`K.random_binomial` -> `K.random_bernoulli`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "mask = K.random_binomial((2, 3), p=0.5)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "mask = K.random_bernoulli((2, 3), p=0.5)"
          ),
          note="Renamed with the same parameters (shape, p, dtype, seed).", tf_keras=False),
    Entry("reset_uids", FLAG, "",
          "`K.reset_uids` is gone: `K.clear_session()` also resets layer-name counters but drops "
          "all global Keras state; layer names differ in Keras 3 anyway (use explicit name=)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.reset_uids()"
          ), after="K.clear_session()",
          note="clear_session does more than reset_uids.", tf_keras=False),
    Entry("separable_conv1d", FLAG, "",
          "`K.separable_conv1d` is gone: apply `tf.nn.separable_conv2d` on `tf.expand_dims(x, 1)` "
          "and squeeze, or use a SeparableConv1D layer",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 10, 4))\n"
              "depthwise, pointwise = K.ones((3, 4, 1)), K.ones((1, 4, 8))\n"
              "y = K.separable_conv1d(x, depthwise, pointwise, strides=1, padding='valid')"
          ),
          after="tf.squeeze(tf.nn.separable_conv2d(tf.expand_dims(x, 1), ...), 1)",
          note="No one-call equivalent."),
    Entry("set_image_dim_ordering", SPECIAL, "set_image_data_format",
          "`K.set_image_dim_ordering(...)` -> `K.set_image_data_format(...)` with 'th'/'tf' mapped",
          params=("dim_ordering",),
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.set_image_dim_ordering('th')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "K.set_image_data_format('channels_first')"
          ),
          note="Keras 2 set image_data_format from the ordering exactly this way; a non-literal "
          "value is mapped through a dict (an unknown value still raises)."),
    Entry("set_learning_phase", SPECIAL, "",
          "the global learning phase is gone: call the model with `training=True/False` "
          "(`predict`/`evaluate` already run in inference mode, `fit` in training mode)",
          params=("value",),
          before=(
              "from keras import backend as K\n"
              "from keras.models import load_model\n"
              "\n"
              "K.set_learning_phase(0)\n"
              "model = load_model('model.h5')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.models import load_model\n"
              "\n"
              "model = load_model('model.h5')"
          ),
          note="`set_learning_phase(0)` is deleted when the file never trains (inference is "
          "the default); with training calls in the file, or a value of 1, it is marked: "
          "phase 0 during fit disabled Dropout and froze BatchNormalization.", tf_keras=False),
    Entry("set_legacy_weight_ordering", REMOVE, "",
          "removed `K.set_legacy_weight_ordering(...)` (Keras 1 pre-1.0 weight files only)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.set_legacy_weight_ordering(False)\n"
              "print(K.image_data_format())"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "print(K.image_data_format())"
          ),
          note="Only affected loading pre-Keras-1.0 weight files."),
    Entry("set_session", SPECIAL, "",
          "there are no sessions in TF 2: configure TF with `tf.config` (GPU memory growth: "
          "`for gpu in tf.config.list_physical_devices('GPU'): "
          "tf.config.experimental.set_memory_growth(gpu, True)`; threads: "
          "`tf.config.threading.set_intra_op_parallelism_threads(n)`)",
          before=(
              "import tensorflow as tf\n"
              "from keras import backend as K\n"
              "\n"
              "config = tf.ConfigProto()\n"
              "config.gpu_options.allow_growth = True\n"
              "K.set_session(tf.Session(config=config))"
          ),
          after=(
              "import tensorflow as tf\n"
              "from tensorflow.keras import backend as K\n"
              "\n"
              "for gpu in tf.config.list_physical_devices('GPU'):\n"
              "    tf.config.experimental.set_memory_growth(gpu, True)"
          ),
          note="The allow_growth idiom (ConfigProto, allow_growth = True, Session, set_session in "
          "one block, nothing else using them) is replaced by its TF 2 equivalent; any other "
          "session configuration is marked."),
    Entry("size", TF, "size", "`K.size` -> `tf.size`",
          params=("x", "name"), keywords={"x": "input"},
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "n = K.size(x)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "x = K.ones((2, 3))\n"
              "n = tf.size(x)"
          ),
          note="Keras 2.3 called tf.size; `name` is bound by keyword (tf.size's second "
          "parameter is out_type)."),
    Entry("slice", TF, "slice", "`K.slice` -> `tf.slice`",
          params=("x", "start", "size"), keywords={"x": "input_", "start": "begin"},
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((4, 4))\n"
              "y = K.slice(x, [0, 1], [-1, 2])"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "x = K.ones((4, 4))\n"
              "y = tf.slice(x, [0, 1], [-1, 2])"
          ),
          note="Keras 2.3 called tf.slice with the same arguments."),
    Entry("symbolic", REMOVE, "",
          "removed `K.symbolic` (TF 2 code is eager; Keras builds graphs itself)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "\n"
              "@K.symbolic\n"
              "def mean_prediction(y_true, y_pred):\n"
              "    return K.mean(y_pred)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "\n"
              "def mean_prediction(y_true, y_pred):\n"
              "    return K.mean(y_pred)"
          ),
          note="Keras 2.3's decorator only entered the Keras graph."),
    Entry("tf_major_version", VALUE, "int({tf}.__version__.split('.')[0])",
          "`K.tf_major_version` -> `int(tf.__version__.split('.')[0])`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "if K.tf_major_version >= 2:\n"
              "    print('TensorFlow 2')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "if int(tf.__version__.split('.')[0]) >= 2:\n"
              "    print('TensorFlow 2')"
          ),
          note="Keras 1 computed the constant this way."),
    Entry("tf_minor_version", VALUE, "int({tf}.__version__.split('.')[1])",
          "`K.tf_minor_version` -> `int(tf.__version__.split('.')[1])`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "if K.tf_minor_version >= 12:\n"
              "    print('TensorFlow 1.12 or later')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "if int(tf.__version__.split('.')[1]) >= 12:\n"
              "    print('TensorFlow 1.12 or later')"
          ),
          note="Keras 1 computed the constant this way."),
    Entry("v1_variable_initialization", REMOVE, "",
          "removed `K.v1_variable_initialization()` (TF 2 initialises variables on creation)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.v1_variable_initialization()\n"
              "print(K.image_data_format())"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "\n"
              "print(K.image_data_format())"
          ),
          note="A Keras 2.3 TF 1 session helper."),
)

# Rule ids: catalog ids in sorted (code point) order from KM511.
CK_IDS: dict[str, str] = {
    catalog: f"KM{511 + index}"
    for index, catalog in enumerate(sorted(e.catalog for e in ENTRIES))
}
TABLE: dict[str, Entry] = {e.name: e for e in ENTRIES}


def rule_id(name: str) -> str:
    return CK_IDS[f"C-K-{name}"]


# The 129 Keras 1/2 backend names that survive (C-K00); together with TABLE every public name of
# the legacy TensorFlow backend is known, so anything else (`K.tensorflow_backend`,
# `K._get_available_gpus`) gets KM500.
SEMANTIC_NAMES = {
    "gradients": "KM502",
    "variable": "KM503",
    "update": "KM503",
    "update_add": "KM503",
    "update_sub": "KM503",
    "moving_average_update": "KM503",
    "hard_sigmoid": "KM504",
    "set_value": "KM501",
    "batch_set_value": "KM501",
}
# Module objects Keras 2 leaked into keras.backend (C-K06).
MODULE_ATTRS = {"tf": "tensorflow", "np": "numpy"}
# Optimizer attributes whose set_value/get_value belong to the optimizer family (KM308/KM309).
OPTIMIZER_RATE_ATTRS = ("lr", "learning_rate")
