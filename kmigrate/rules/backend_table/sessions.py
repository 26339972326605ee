"""Backend table entries: TF 1 sessions, graphs, placeholders and variable initialization, and the TF version.

What the fields and kinds mean: ``kmigrate.rules.backend_table.entry``.
"""

from __future__ import annotations

from kmigrate.rules.backend_table.entry import FLAG, REMOVE, SPECIAL, TF, VALUE, Entry

ENTRIES: tuple[Entry, ...] = (
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
    Entry("reset_uids", FLAG, "",
          "`K.reset_uids` is gone: `K.clear_session()` also resets layer-name counters but drops "
          "all global Keras state; layer names differ in Keras 3 anyway (use explicit name=)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "K.reset_uids()"
          ), after="K.clear_session()",
          note="clear_session does more than reset_uids.", tf_keras=False),
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
