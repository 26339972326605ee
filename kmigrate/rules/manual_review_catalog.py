"""The documented rules of kmigrate.rules.manual_review: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import FLAG, SAFE, FixSafety, Rule

RULES = (
    Rule(
        id="KM902",
        name="theano-code",
        summary="Theano code has to be ported to TensorFlow by hand.",
        before=(
            "import theano.tensor as T\n"
            "from keras.layers import Input, Lambda\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = Lambda(lambda t: T.nnet.sigmoid(t))(x)"
        ),
        after="y = tf.sigmoid(x)",
        safety=FLAG,
        safety_note="tf.keras runs only on TensorFlow.",
        catalog=("D02",),
        details=(
            "Marked: `import theano` in a Keras file, and Theano tensor methods called on what may be a "
            "tensor (`weights.dimshuffle(0, 'x')`, found by review in Keras 1 attention layers), unless "
            "another library's object or a class of the project has that method."
        ),
    ),
    Rule(
        id="KM903",
        name="theano-kernels",
        summary="Theano kernel conversions have no tf.keras form.",
        before=(
            "from keras.models import load_model\n"
            "from keras.utils.layer_utils import convert_all_kernels_in_model\n"
            "\n"
            "model = load_model('theano_model.h5')\n"
            "convert_all_kernels_in_model(model)"
        ),
        after="# convert the weights once (flip kernels) and save them; drop this call",
        safety=FLAG,
        safety_note=(
            "Theano convolution kernels are flipped relative to TensorFlow's; the weights must be converted "
            "once, not at every run."
        ),
        catalog=("D03",),
    ),
    Rule(
        id="KM904",
        name="tf1-session-graph",
        summary="TF1 sessions, placeholders and graphs do not exist in TF 2 eager code.",
        before=(
            "import tensorflow as tf\n"
            "\n"
            "x = tf.placeholder(tf.float32, (None, 3))\n"
            "with tf.Session() as sess:\n"
            "    print(sess.run(x * 2, feed_dict={x: [[1.0, 2.0, 3.0]]}))"
        ),
        after="# eager tensors / tf.function; tf.compat.v1 only with v2 behaviour disabled",
        safety=FLAG,
        safety_note=(
            "No mechanical mapping except root-level names TF 2 kept elsewhere with the same arguments: "
            "tf.set_random_seed, tf.log, tf.space_to_depth and tf.depth_to_space become tf.random.set_seed, "
            "tf.math.log, tf.nn.space_to_depth and tf.nn.depth_to_space. Sessions, placeholders, graphs, "
            "variable scopes and tf.image.resize_images/resize_bilinear (whose align_corners tf.image.resize "
            "lacks) are marked."
        ),
        catalog=("D04",),
    ),
    Rule(
        id="KM914",
        name="python2-except",
        summary="Python 2 `except E, e:` becomes `except E as e:`.",
        before=(
            "from keras.models import load_model\n"
            "\n"
            "try:\n"
            "    model = load_model('model.h5')\n"
            "except IOError, error:\n"
            "    print(error)"
        ),
        after=(
            "from tensorflow.keras.models import load_model\n"
            "\n"
            "try:\n"
            "    model = load_model('model.h5')\n"
            "except IOError as error:\n"
            "    print(error)"
        ),
        safety=SAFE,
        safety_note="Python 3 cannot compile the Python 2 form; `as` is what it meant.",
        catalog=("D14",),
    ),
    Rule(
        id="KM915",
        name="python2-leftovers",
        summary=(
            "Python 2 idioms that parse but fail or differ on Python 3 in Keras code: `xrange`, "
            "`dict.iteritems()`, `next()` on generator classes, `cPickle`, `izip`."
        ),
        before=(
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Report(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        for key, value in logs.iteritems():\n"
            "            print(key, value)\n"
            "        for i in xrange(3):\n"
            "            print(i)"
        ),
        after=(
            "from tensorflow.keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class Report(Callback):\n"
            "    def on_epoch_end(self, epoch, logs=None):\n"
            "        for key, value in logs.items():\n"
            "            print(key, value)\n"
            "        for i in range(3):\n"
            "            print(i)"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "range/items/values/keys are the Python 3 spellings of the same iteration; a Keras 1 generator "
            "class gets `__next__ = next` so Python 3's next() finds it. Imports of cPickle/izip are marked "
            "(pickle, zip)."
        ),
        catalog=("D15",),
    ),
    Rule(
        id="KM918",
        name="third-party-keras-extensions",
        summary="Libraries built on standalone Keras import `keras` themselves.",
        before=(
            "from keras.models import Sequential\n"
            "from keras_contrib.layers import CRF\n"
            "\n"
            "model = Sequential([CRF(10, input_shape=(20, 8))])"
        ),
        after="# upgrade or replace keras_contrib (its objects do not mix with tf.keras models)",
        safety=FLAG,
        safety_note=(
            "Under TF 2.21 they import Keras 3 or fail; their layers cannot be mixed with tf_keras models "
            "either."
        ),
        catalog=("D18",),
        details=(
            "Marked: every import of a top-level package named `keras_*` (except keras_preprocessing and "
            "keras_applications, which the import rules move, and the Keras 3 packages keras_tuner, "
            "keras_cv, keras_nlp, keras_hub), and of the listed libraries built on standalone Keras "
            "(recurrentshop, seq2seq, kerastuner, capsulelayers, mrcnn, hyperas, keras-rl, keras-vis, "
            "segmentation_models, ...; generic names only in files that import standalone Keras), and "
            "calls of gensim's `get_keras_embedding()` (gensim < 4 builds the layer from standalone Keras). "
            "Never "
            "marked: a package of the project itself (a folder or module of that name in the project index, "
            "or beside the file or in a folder above it up to the project root)."
        ),
    ),
    Rule(
        id="KM919",
        name="private-internals",
        summary=(
            "Private Keras internals (`_keras_history`, `_feed_inputs`, `_make_predict_function`, ...) are "
            "gone."
        ),
        before=(
            "from keras.models import load_model\n"
            "\n"
            "model = load_model('model.h5')\n"
            "model._make_predict_function()"
        ),
        after="# drop it: Keras 3 builds its predict function on first use",
        safety=FLAG,
        safety_note="Anything starting with _ was never API.",
        catalog=("D19",),
    ),
    Rule(
        id="KM920",
        name="keras0-constructs",
        summary="Keras 0.x `show_accuracy=`/`class_mode=` arguments.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "x, y = np.zeros((64, 4)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])\n"
            "model.compile(loss='binary_crossentropy', optimizer='sgd')\n"
            "model.fit(x, y, nb_epoch=2, show_accuracy=True)"
        ),
        after="model.compile(..., metrics=['accuracy']); model.fit(X, y)",
        safety=FLAG,
        safety_note="Removed in Keras 1.",
        catalog=("D20",),
    ),
)
