"""The documented rules of kmigrate.rules.utils: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE, Rule

RULES = (
    Rule(
        id="KM441",
        name="to-categorical-dtype",
        summary="`to_categorical(..., dtype=)` becomes `.astype(dtype)`.",
        before=(
            "from keras.utils import to_categorical\n"
            "\n"
            "labels = to_categorical([0, 2, 1], 3, dtype='int32')"
        ),
        after=(
            "from tensorflow.keras.utils import to_categorical\n"
            "\n"
            "labels = to_categorical([0, 2, 1], 3).astype('int32')"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 to_categorical has no dtype parameter; the one-hot values are exact in any dtype."
        ),
        catalog=("C-U01",),
        tf_keras=False,
    ),
    Rule(
        id="KM442",
        name="multi-gpu-model",
        summary="`multi_gpu_model` is gone.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "from keras.utils import multi_gpu_model\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "parallel = multi_gpu_model(model, gpus=2)"
        ),
        after=(
            "strategy = tf.distribute.MirroredStrategy()\n"
            "with strategy.scope():\n"
            "    model = build()"
        ),
        safety=FLAG,
        safety_note="The model must be built inside the strategy scope.",
        catalog=("C-U02", "D10"),
    ),
    Rule(
        id="KM443",
        name="hdf5matrix",
        summary="`HDF5Matrix` is gone.",
        before=(
            "from keras.utils.io_utils import HDF5Matrix\n"
            "\n"
            "x = HDF5Matrix('data.h5', 'x')"
        ),
        after="X = h5py.File('data.h5', 'r')['x']  # or a tf.data.Dataset / PyDataset",
        safety=FLAG,
        safety_note="No tf.keras equivalent.",
        catalog=("C-U03", "D11"),
    ),
    Rule(
        id="KM444",
        name="sequence-super-init",
        summary="`Sequence` subclasses call `super().__init__()`.",
        before=(
            "from keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __init__(self, x):\n"
            "        self.x = x\n"
            "\n"
            "    def __len__(self):\n"
            "        return len(self.x)\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return self.x[index]"
        ),
        after=(
            "from tensorflow.keras.utils import Sequence\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __init__(self, x):\n"
            "        super().__init__()\n"
            "        self.x = x\n"
            "\n"
            "    def __len__(self):\n"
            "        return len(self.x)\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return self.x[index]"
        ),
        safety=SAFE,
        safety_note=(
            "tf.keras.utils.Sequence is Keras 3's PyDataset, which expects its __init__ to run (the "
            "defaults: one worker, no multiprocessing)."
        ),
        catalog=("C-U04",),
        tf_keras=False,
    ),
    Rule(
        id="KM445",
        name="enqueuers",
        summary="`OrderedEnqueuer`/`GeneratorEnqueuer` are gone in Keras 3.",
        before=(
            "from keras.utils import Sequence, OrderedEnqueuer\n"
            "\n"
            "\n"
            "class Batches(Sequence):\n"
            "    def __len__(self):\n"
            "        return 10\n"
            "\n"
            "    def __getitem__(self, index):\n"
            "        return index\n"
            "\n"
            "\n"
            "enqueuer = OrderedEnqueuer(Batches(), use_multiprocessing=True)"
        ),
        after="# iterate the Sequence (a PyDataset) or a tf.data.Dataset directly",
        safety=FLAG,
        safety_note="Not exported by tf.keras 3.",
        catalog=("C-U05", "D11"),
        tf_keras=False,
    ),
    Rule(
        id="KM446",
        name="progbar-force",
        summary="`Progbar.update(force=)` is gone.",
        before=(
            "from keras.utils.generic_utils import Progbar\n"
            "\n"
            "bar = Progbar(10)\n"
            "for i in range(10):\n"
            "    bar.update(i + 1, values=[('loss', 0.1)], force=True)"
        ),
        after=(
            "from tensorflow.keras.utils import Progbar\n"
            "\n"
            "bar = Progbar(10)\n"
            "for i in range(10):\n"
            "    bar.update(i + 1, values=[('loss', 0.1)])"
        ),
        safety=SAFE,
        safety_note="force only forced a redraw of the bar; Keras 3 and tf_keras have no such parameter.",
        catalog=("C-U06",),
    ),
    Rule(
        id="KM447",
        name="load-img-grayscale",
        summary="`load_img(grayscale=True)` becomes `color_mode='grayscale'`.",
        before=(
            "from keras.preprocessing.image import load_img\n"
            "\n"
            "image = load_img('digit.png', grayscale=True, target_size=(28, 28))"
        ),
        after=(
            "from tensorflow.keras.preprocessing.image import load_img\n"
            "\n"
            "image = load_img('digit.png', color_mode='grayscale', target_size=(28, 28))"
        ),
        safety=SAFE,
        safety_note=(
            "Same image; the second positional parameter was grayscale and is now color_mode, so positionals "
            "are bound first."
        ),
        catalog=("C-U07",),
        tf_keras=False,
    ),
    Rule(
        id="KM448",
        name="shear-range-units",
        summary="`shear_range` was in radians before Keras 2.1.3.",
        before=(
            "from keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "datagen = ImageDataGenerator(shear_range=0.2)"
        ),
        after=(
            "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "datagen = ImageDataGenerator(shear_range=11.459155902616466)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Applied only when --from-version says the code is older than 2.1.3; the degrees value is "
            "computed from the literal."
        ),
        catalog=("C-U08", "D17"),
    ),
    Rule(
        id="KM449",
        name="image-dataset-from-directory",
        summary=(
            "Opt-in: `ImageDataGenerator.flow_from_directory` has a tf.data replacement, "
            "`image_dataset_from_directory`."
        ),
        before=(
            "from keras.preprocessing.image import ImageDataGenerator\n"
            "\n"
            "train = ImageDataGenerator(rescale=1 / 255.).flow_from_directory('data/train', target_size=(150, 150))"
        ),
        after=(
            "train = tf.keras.utils.image_dataset_from_directory(d, image_size=(150, 150))  # + Rescaling(1/255.) and Random* layers in the model"
        ),
        safety=FLAG,
        safety_note=(
            "Not needed: ImageDataGenerator is deprecated but works in TF 2.21. Converting changes ordering, "
            "shuffling and augmentation semantics, so it is only suggested on request."
        ),
        catalog=("C-U09",),
        opt_in=True,
    ),
    Rule(
        id="KM450",
        name="mobilenet-custom-objects",
        summary="`mobilenet.DepthwiseConv2D`/`relu6` left keras.applications.mobilenet.",
        before=(
            "from keras.applications import mobilenet\n"
            "from keras.models import load_model\n"
            "\n"
            "model = load_model('mobilenet.h5', custom_objects={\n"
            "    'relu6': mobilenet.relu6, 'DepthwiseConv2D': mobilenet.DepthwiseConv2D})"
        ),
        after=(
            "from keras.applications import mobilenet  # kmigrate: KM109 `mobilenet.relu6` have no tf.keras equivalent\n"
            "from tensorflow.keras.models import load_model\n"
            "from tensorflow.keras.layers import DepthwiseConv2D\n"
            "\n"
            "# kmigrate: KM450 use tf.keras.layers.ReLU(6.0) or lambda x: tf.keras.activations.relu(...)\n"
            "# kmigrate: KM109 `mobilenet.relu6`: `relu6` has no tf.keras equivalent\n"
            "model = load_model('mobilenet.h5', custom_objects={\n"
            "    'relu6': mobilenet.relu6, 'DepthwiseConv2D': DepthwiseConv2D})"
        ),
        safety=CONTEXT,
        safety_note=(
            "DepthwiseConv2D is the same layer in tf.keras.layers; relu6 was a function and is marked "
            "(ReLU(6.0) is a layer: fine as an activation object, check other uses)."
        ),
        catalog=("C-U10",),
    ),
)
