"""KM615: ``ImageDataGenerator`` shifts along the other axes in Keras 3 and tf_keras.

Measured (an 8x8 image with one bright pixel; ``get_random_transform`` then ``apply_transform``):
legacy Keras 2.2.4 (keras_preprocessing 1.1.2) and Keras 1.2.2 move the columns for
``width_shift_range`` and the rows for ``height_shift_range``; TF 2.21's ``tf.keras`` (Keras 3.15,
``keras/src/legacy/preprocessing/image.py``) and ``tf_keras`` 2.21 move the rows for
``width_shift_range`` and the columns for ``height_shift_range`` (keras-team/keras#17398).
``get_random_transform`` returns the same numbers in both (the width draw is ``ty``, the height
draw ``tx``); what changed is ``apply_affine_transform``, which now swaps the x and y axes of the
matrix before applying it.  So:

* the two ranges of an ``ImageDataGenerator`` call are exchanged (the keywords are renamed, so
  each value keeps its comment and the arguments are evaluated in the same order).  The images are
  identical when one range is given and it is in pixels (ints, lists, values >= 1) or the image is
  square; with both ranges the two draws land on the other axes (the same distribution), and on a
  non-square image a fractional range is now multiplied by the other side's length;
* calls whose ranges cannot be seen (``**kwargs``, ``*args``, positional arguments reaching the
  ranges) are marked, and so are hand-made shifts: ``apply_affine_transform(tx=, ty=)``,
  ``apply_transform(x, {'tx': ...})`` with a dict literal and ``random_shift`` (``tx`` moved the
  rows before, the columns now);
* ``random_transform``/``get_random_transform`` + ``apply_transform`` of the same generator follow
  the generator: the renamed ranges fix them too.

The exchange is undone by running it again, so it is only made when the same pass also moves the
``keras`` imports to ``tensorflow.keras`` (the import rules are on): the next pass, or a second run,
sees a tf.keras ``ImageDataGenerator`` and leaves it alone.  Otherwise the call is marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule, legacy_import_moves

RULES = (
    Rule(
        id="KM615",
        name="image-shift-axes",
        summary="`ImageDataGenerator(width_shift_range=, height_shift_range=)` exchange their "
        "values: Keras 3 and tf_keras shift along the other axis.",
        before="from keras.preprocessing.image import ImageDataGenerator\n\n"
        "datagen = ImageDataGenerator(width_shift_range=0.2, horizontal_flip=True)",
        after="from tensorflow.keras.preprocessing.image import ImageDataGenerator\n\n"
        "datagen = ImageDataGenerator(height_shift_range=0.2, horizontal_flip=True)",
        safety=FixSafety.CONTEXT,
        safety_note="Measured with both runtimes: legacy Keras shifted the columns for "
        "width_shift_range, TF 2.21's tf.keras and tf_keras shift the rows (keras-team/keras#17398). "
        "The ranges are exchanged, which gives identical images when one range is given and it is "
        "in pixels or the image is square; with both ranges the two random draws land on the other "
        "axes (same distribution), and on non-square images a fraction is multiplied by the other "
        "side's length. Calls whose ranges are hidden (**kwargs, positional) and hand-made shifts "
        "(apply_affine_transform(tx=, ty=), apply_transform with a literal dict, random_shift) "
        "are marked.",
        catalog=(),
        details="Only standalone Keras code (keras, keras_preprocessing, tensorflow.python.keras) "
        "is rewritten; code already on tf.keras is left alone. The exchange is made only when the "
        "import rules move the file to tensorflow.keras in the same run, so that running "
        "kmigrate again does not exchange the ranges back.",
    ),
)

_GENERATOR = "preprocessing.image.ImageDataGenerator"
_WIDTH, _HEIGHT = "width_shift_range", "height_shift_range"
# Positional parameters before the ranges: Keras 1 had five flags and rotation_range before
# width_shift_range, Keras 2 also zca_epsilon; six positionals may already reach it.
_POSITIONALS_BEFORE_RANGES = 6
# Module functions whose hand-given shifts moved axis, and the arguments that carry them.
_SHIFT_FUNCTIONS = {
    "preprocessing.image.apply_affine_transform": ("tx", "ty", "zx", "zy"),
    "preprocessing.image.random_shift": ("wrg", "hrg"),
}
_TRANSFORM_KEYS = frozenset({"tx", "ty", "zx", "zy"})


@dataclass
class ImageShiftAxesFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"shift_range", b"apply_affine_transform", b"apply_transform",
                                             b"random_shift")  # fmt: skip

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if isinstance(func, cst.Attribute) and func.attr.value == "apply_transform":
            self._hand_made_transform(original)
            return updated
        api = self.ctx.api(func)
        if api is None or not api.legacy or not self.ctx.allows("KM615"):
            return updated
        if api.path == _GENERATOR:
            return self._exchange_ranges(original, updated)
        shifts = _SHIFT_FUNCTIONS.get(api.path)
        if shifts is not None and (api.path.endswith("random_shift") or any(callargs.keyword(original, k) for k in shifts)
                                   or len(callargs.positionals(original)) > 1 or callargs.has_star_args(original)):
            self.ctx.flag("KM615", original, f"{api.leaf} shifts along the other axes in tf.keras: what "
                          "moved the rows (tx, hrg, zx) now moves the columns; exchange tx/ty, zx/zy "
                          "(random_shift: wrg/hrg)", marker="rows and columns are exchanged in tf.keras: "
                          "exchange tx/ty, zx/zy (wrg/hrg)")
        return updated

    def _exchange_ranges(self, original: cst.Call, call: cst.Call) -> cst.Call:
        width, height = callargs.keyword(call, _WIDTH), callargs.keyword(call, _HEIGHT)
        hidden = (
            callargs.has_star_args(call)
            or len(callargs.positionals(call)) > _POSITIONALS_BEFORE_RANGES
            or (any(a.star == "**" for a in call.args) and (width is None or height is None))
        )
        if hidden:
            self.ctx.flag("KM615", original, "tf.keras shifts the rows for width_shift_range and the columns "
                          "for height_shift_range: pass them by keyword with their values exchanged",
                          marker="exchange the values of width_shift_range and height_shift_range")
            return call
        if width is None and height is None or _same_literal(width, height):
            return call
        if not legacy_import_moves(self.ctx, original.func):
            # The name would stay legacy Keras (import rules off or ignored, a project module's
            # re-export), and the next pass would exchange the ranges back: say what to do instead.
            self.ctx.flag("KM615", original, "exchange the values of width_shift_range and height_shift_range "
                          "once ImageDataGenerator comes from tf.keras (it shifts along the other axis); not "
                          "done here because its import stays as it is",
                          marker="exchange width_shift_range and height_shift_range for tf.keras")
            return call
        renamed = {_WIDTH: _HEIGHT, _HEIGHT: _WIDTH}
        args = [
            arg.with_changes(keyword=cst.Name(renamed[arg.keyword.value]))
            if arg.keyword is not None and arg.keyword.value in renamed else arg
            for arg in call.args
        ]
        spelled = ", ".join(f"{arg.keyword.value}={code(arg.value)}" for arg in (width, height)
                            if arg is not None and arg.keyword is not None)  # fmt: skip
        self.ctx.fixed("KM615", original, f"{spelled}: values exchanged (tf.keras shifts the rows for "
                       "width_shift_range and the columns for height_shift_range)")
        return call.with_changes(args=args)

    def _hand_made_transform(self, original: cst.Call) -> None:
        """``datagen.apply_transform(x, {'tx': 3})``: a shift given by hand moved the rows."""
        params = callargs.argument(original, "transform_parameters", 1)
        if not isinstance(params, cst.Dict) or not self.ctx.file_is_legacy:
            return  # code written for tf.keras meant tf.keras's axes
        keys = {e.key.evaluated_value for e in params.elements
                if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)}  # fmt: skip
        if not keys & _TRANSFORM_KEYS:
            return
        receiver = cst.ensure_type(original.func, cst.Attribute).value  # checked in leave_Call
        if not self.ctx.keras_receiver(receiver, "apply_transform", original) or not self.ctx.allows("KM615"):
            return
        self.ctx.flag("KM615", original, "apply_transform moves the columns for 'tx' and the rows for 'ty' "
                      "in tf.keras (legacy: the other way round): exchange 'tx'/'ty' and 'zx'/'zy'",
                      marker="tf.keras exchanges rows and columns: exchange 'tx'/'ty' and 'zx'/'zy'")


def _same_literal(width: cst.Arg | None, height: cst.Arg | None) -> bool:
    """Both ranges given as the same literal: exchanging them changes nothing."""
    if width is None or height is None:
        return False
    try:
        return callargs.literal(width.value) == callargs.literal(height.value)
    except ValueError:
        return False


FIXER = ImageShiftAxesFixer
