"""KM441-KM450: keras.utils and preprocessing helpers, Keras 2 -> Keras 3 (catalog C-U01..C-U10)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, Rule, legacy_import_moves
from kmigrate.rules.utils_catalog import RULES
from kmigrate.walk import find_all

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
                if find_all(statement, cst.Call, m.Call(func=m.Attribute(attr=m.Name("__init__")))):
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
