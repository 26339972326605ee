"""KM441-KM450: keras.utils and preprocessing helpers, Keras 2 -> Keras 3 (catalog C-U01..C-U10)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst
import libcst.matchers as m

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule, legacy_import_moves

SAFE, CTX, FLAG = FixSafety.SAFE, FixSafety.CONTEXT, FixSafety.FLAG

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
        safety=CTX,
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
        safety=CTX,
        safety_note=(
            "DepthwiseConv2D is the same layer in tf.keras.layers; relu6 was a function and is marked "
            "(ReLU(6.0) is a layer: fine as an activation object, check other uses)."
        ),
        catalog=("C-U10",),
    ),
)

_TO_CATEGORICAL = ("x", "num_classes", "dtype")
_LOAD_IMG = ("path", "grayscale")
_LOAD_IMG_PATHS = frozenset({"utils.load_img", "preprocessing.image.load_img"})
_IMAGE_GENERATOR = "preprocessing.image.ImageDataGenerator"


@dataclass
class UtilsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)
    handles: ClassVar[frozenset[str]] = frozenset({"applications.mobilenet.DepthwiseConv2D"})

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "flow_from_directory"
            and self.ctx.keras_receiver(func.value, "flow_from_directory", original)
            and self.ctx.allows("KM449")
        ):
            self.ctx.flag("KM449", original, "optional: tf.keras.utils.image_dataset_from_directory(directory, "
                          "image_size=..., batch_size=..., label_mode=...) with Rescaling/Random* layers "
                          "replaces the deprecated generator (ordering and augmentation change)",
                          marker="optional: use tf.keras.utils.image_dataset_from_directory (order changes)")
            return updated
        api = self.ctx.api(original.func)
        if api is None:
            return self._progbar_update(original, updated)
        path = api.path
        if path == "utils.to_categorical":
            return self._to_categorical(original, updated)
        if path in _LOAD_IMG_PATHS:
            return self._load_img(original, updated)
        if path == _IMAGE_GENERATOR:
            return self._shear_range(original, updated)
        if path == "utils.multi_gpu_model" and self.ctx.allows("KM442"):
            self.ctx.flag("KM442", original, "multi_gpu_model is gone: build and compile the model "
                          "inside `with tf.distribute.MirroredStrategy().scope():` and train it directly",
                          marker="build and compile the model in a tf.distribute.MirroredStrategy().scope()")
        elif path == "utils.HDF5Matrix" and self.ctx.allows("KM443"):
            self.ctx.flag("KM443", original, "HDF5Matrix is gone: read the dataset with h5py "
                          "(h5py.File(path, 'r')[name][start:end]) or stream it with tf.data")
        elif path in ("utils.OrderedEnqueuer", "utils.GeneratorEnqueuer", "utils.SequenceEnqueuer") \
                and self.ctx.target != "tf_keras" and self.ctx.allows("KM445"):
            self.ctx.flag("KM445", original, f"{api.leaf} is gone in Keras 3: iterate the Sequence "
                          "(a PyDataset, which has workers=/use_multiprocessing=) or a tf.data.Dataset")
        return updated

    # -- C-U01 --------------------------------------------------------------------------------
    def _to_categorical(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        if self.ctx.target == "tf_keras" or callargs.has_star_args(call):
            return call
        bound = callargs.bind_positionals(call, _TO_CATEGORICAL, keep=2)
        dtype = callargs.keyword(bound, "dtype")
        if dtype is None or not self.ctx.allows("KM441"):
            return call
        stripped = callargs.remove_keyword(bound, "dtype")
        self.ctx.fixed("KM441", original, "to_categorical(dtype=) -> .astype(dtype)")
        return cst.Call(
            func=cst.Attribute(value=stripped.with_changes(lpar=(), rpar=()), attr=cst.Name("astype")),
            args=[cst.Arg(dtype.value)], lpar=call.lpar, rpar=call.rpar,
        )

    # -- C-U07 --------------------------------------------------------------------------------
    def _load_img(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if self.ctx.target == "tf_keras" or callargs.has_star_args(call):
            return call
        positional = callargs.positionals(call)
        names: tuple[str, ...]
        if len(positional) > 2:
            third = positional[2].value
            if isinstance(third, cst.SimpleString):
                names = ("path", "grayscale", "color_mode", "target_size", "interpolation")
            elif isinstance(third, (cst.Tuple, cst.List)):
                names = ("path", "grayscale", "target_size")  # Keras 1
            else:
                if self.ctx.allows("KM447"):
                    self.ctx.flag("KM447", original, "bind these positional arguments by keyword: the "
                                  "second is `grayscale` (now color_mode='grayscale'/'rgb')")
                return call
        else:
            names = _LOAD_IMG
        bound = callargs.bind_positionals(call, names, keep=1)
        grayscale = callargs.keyword(bound, "grayscale")
        if grayscale is None or not self.ctx.allows("KM447"):
            return call
        value = grayscale.value
        if m.matches(value, m.Name("True")):
            mode: cst.BaseExpression | None = cst.SimpleString("'grayscale'")
        elif m.matches(value, m.Name("False")):
            mode = None
        else:
            mode = cst.parse_expression(f"'grayscale' if {code(value)} else 'rgb'")
        if mode is None or callargs.keyword(bound, "color_mode") is not None:
            result = callargs.remove_keyword(bound, "grayscale")
        else:
            result = callargs.rename_keyword(callargs.replace_value(bound, "grayscale", mode), "grayscale", "color_mode")
        self.ctx.fixed("KM447", original, "grayscale= -> color_mode=")
        return result

    # -- C-U08 --------------------------------------------------------------------------------
    def _shear_range(self, original: cst.Call, call: cst.Call) -> cst.Call:
        shear = callargs.keyword(call, "shear_range")
        version, assumed = self.ctx.settings.legacy_version
        if shear is None or assumed or version >= (2, 1, 3):
            return call
        api = self.ctx.api(original.func)
        if api is None or not api.legacy or not self.ctx.allows("KM448"):
            return call
        try:
            radians = callargs.literal(shear.value)
        except ValueError:
            self.ctx.flag("KM448", original, "shear_range was in radians before Keras 2.1.3 and is "
                          "in degrees now: multiply it by 180 / math.pi")
            return call
        if not isinstance(radians, (int, float)) or isinstance(radians, bool) or radians == 0:
            return call
        if not legacy_import_moves(self.ctx, original.func):
            # Converted again by the next pass while the import stays legacy: say it instead.
            self.ctx.flag("KM448", original, "shear_range was in radians before Keras 2.1.3 and is in degrees "
                          f"now: write {math.degrees(radians)!r} once ImageDataGenerator comes from tf.keras",
                          marker="shear_range is in degrees now: multiply by 180 / math.pi")
            return call
        degrees = math.degrees(radians)
        self.ctx.fixed("KM448", original, f"shear_range {radians} rad -> {degrees!r} degrees")
        return callargs.replace_value(call, "shear_range", cst.Float(repr(degrees)))

    # -- C-U06 --------------------------------------------------------------------------------
    def _progbar_update(self, original: cst.Call, call: cst.Call) -> cst.Call:
        func = original.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "update"):
            return call
        if callargs.keyword(call, "force") is None or not self._has_progbar():
            return call
        if not self.ctx.allows("KM446"):
            return call
        self.ctx.fixed("KM446", original, "dropped Progbar.update(force=)")
        return callargs.remove_keyword(call, "force")

    def _has_progbar(self) -> bool:
        for bindings in self.ctx.resolver.bindings.values():
            name = bindings[0].qualified
            if name.endswith(".Progbar") and ("keras" in name):
                return True
        return False

    # -- C-U04, C-U10 ---------------------------------------------------------------------------
    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        if self.ctx.target == "tf_keras":
            return updated
        if not any(self._is_sequence(base.value) for base in original.bases):
            return updated
        if not isinstance(updated.body, cst.IndentedBlock):
            return updated
        body = list(updated.body.body)
        for index, statement in enumerate(body):
            if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
                if m.findall(statement, m.Call(func=m.Attribute(attr=m.Name("__init__")))):
                    return updated
                if not isinstance(statement.body, cst.IndentedBlock) or not self.ctx.allows("KM444"):
                    return updated
                inner = list(statement.body.body)
                at = 1 if inner and m.matches(
                    inner[0], m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString() | m.ConcatenatedString())])
                ) else 0
                inner.insert(at, cst.parse_statement("super().__init__()"))
                body[index] = statement.with_changes(body=statement.body.with_changes(body=inner))
                self.ctx.fixed("KM444", original, "added super().__init__() (Sequence is PyDataset in Keras 3)")
                return updated.with_changes(body=updated.body.with_changes(body=body))
        return updated

    def _is_sequence(self, node: cst.BaseExpression) -> bool:
        api = self.ctx.api(node)
        return api is not None and api.path == "utils.Sequence"

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if original.attr.value not in ("relu6", "DepthwiseConv2D"):
            return updated
        return self._mobilenet(original, updated)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if original.value not in ("relu6", "DepthwiseConv2D"):
            return updated
        return self._mobilenet(original, updated)

    def _mobilenet(self, original: cst.Name | cst.Attribute, updated: cst.BaseExpression) -> cst.BaseExpression:
        api = self.ctx.api(original)
        if api is None or not api.path.startswith("applications.mobilenet."):
            return updated
        if not self.ctx.allows("KM450"):
            return updated
        if api.leaf == "DepthwiseConv2D":
            self.ctx.fixed("KM450", original, "mobilenet.DepthwiseConv2D -> layers.DepthwiseConv2D")
            return self.ctx.imports.reference("layers.DepthwiseConv2D")
        self.ctx.flag("KM450", original, "mobilenet.relu6 is gone: use tf.keras.layers.ReLU(6.0) "
                      "(e.g. custom_objects={'relu6': tf.keras.layers.ReLU(6.0)}) or "
                      "lambda x: tf.keras.activations.relu(x, max_value=6.0)")
        return updated




FIXER = UtilsFixer
