"""Backend table entries: math and tensor functions, Python builtins and random numbers.

What the fields and kinds mean: ``kmigrate.rules.backend_table.entry``.
"""

from __future__ import annotations

from kmigrate.rules.backend_table.entry import BUILTIN, RENAME, TF, Entry

ENTRIES: tuple[Entry, ...] = (
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
)
