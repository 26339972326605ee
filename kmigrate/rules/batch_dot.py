"""KM611: `K.batch_dot` whose result changed between Keras 2.2.4 and Keras 3.

Keras <= 2.2.4 (TensorFlow backend) computed ``batch_dot`` as ``tf.matmul(x, y, adjoint_a=,
adjoint_b=)`` on the last two axes, the input of lower rank padded with trailing 1s, with
``reduce_sum`` for two 2-D inputs; Keras 2.2.5 replaced it with the implementation tf_keras and
Keras 3 (``tf.keras.backend.batch_dot``) still have, which moves the summed axes into place and
takes the outer product over the other ones.  Measured on both runtimes (genuine Keras 2.2.4 on
TF 2.15, and TF 2.21 with Keras 3.15 or tf_keras 2.21), the results agree for inputs of rank 2 or
3 with positive axes (``None``, an int or a pair), except two 2-D inputs without ``axes``.  They
differ for:

* inputs of rank 4 or more (legacy: a batched matmul over the middle axes and the *last two* axes
  only, e.g. ``(b, 2, 4, 5) x (b, 2, 5, 6) -> (b, 2, 4, 6)``; Keras 3: ``(b, 2, 4, 2, 6)``);
* negative or zero axes (legacy compared them with ``ndim - 1`` without normalising them, so
  ``axes=-1`` on 3-D inputs contracted axis 1, or failed);
* two 2-D inputs without ``axes`` (legacy used ``[1, 0]`` and summed a transposed product).

What is written, per call:

* ranks visible (``Input(shape=...)``, ``K.placeholder``), both at most 3, positive axes (and not
  two 2-D inputs without axes): left alone, both compute the same;
* ranks visible and equal (3 or more), literal axes: the legacy computation written out,
  ``tf.linalg.matmul`` with the legacy adjoint flags;
* anything else (ranks not visible, as in a layer's ``call``; mixed ranks; axes that are not a
  literal; ``*args``): a call of ``kmigrate_batch_dot``, a copy of Keras 2.2.4's function
  emitted once into the module.  It has the legacy signature and reads the ranks when it runs,
  so it is exact for any call, including ones whose arguments the code does not show; uses of
  ``K.batch_dot`` as a value (``f = K.batch_dot``) become the helper too.

Keras 1.x (TensorFlow backend) had the same function without the padding (mixed ranks failed)
and failed on two 2-D inputs without axes: wherever it ran, Keras 2.2.4 computed the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate.callargs import bind_positionals, has_star_args, literal
from kmigrate.context import FileContext
from kmigrate.rules.base import FixSafety, Rule, ValueReferences

HELPER = "kmigrate_batch_dot"

# Keras 2.2.4's tensorflow_backend.batch_dot, with `ndim(x)` as `len(x.shape)` (the static rank,
# known for eager tensors and for the symbolic ones a layer's call() sees) and `tf.matmul`'s
# None/True adjoint flags as booleans.  `{tf}` is the module's name for TensorFlow.
HELPER_SOURCE = '''def {name}(x, y, axes=None):
    """K.batch_dot as Keras <= 2.2.4 computed it (TensorFlow backend): Keras 2.2.5+ computes
    another result for rank > 3 inputs, negative axes and 2-D inputs without axes (kmigrate KM611)."""
    if isinstance(axes, int):
        axes = (axes, axes)
    x_ndim, y_ndim = len(x.shape), len(y.shape)
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 2]
    if any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError("Multiple target dimensions are not supported. "
                         "Expected: None, int, (int, int), Provided: " + str(axes))
    # The input of lower rank gets trailing 1s; matmul then contracts the last two axes only.
    diff = abs(x_ndim - y_ndim)
    if x_ndim > y_ndim:
        y = {tf}.reshape(y, {tf}.concat([{tf}.shape(y), [1] * diff], axis=0))
    elif y_ndim > x_ndim:
        x = {tf}.reshape(x, {tf}.concat([{tf}.shape(x), [1] * diff], axis=0))
    ndim = max(x_ndim, y_ndim)
    if ndim == 2:
        if axes[0] == axes[1]:
            out = {tf}.reduce_sum({tf}.multiply(x, y), axes[0])
        else:
            out = {tf}.reduce_sum({tf}.multiply({tf}.transpose(x, [1, 0]), y), axes[1])
    else:
        out = {tf}.linalg.matmul(x, y, adjoint_a=axes[0] != ndim - 1, adjoint_b=axes[1] == ndim - 1)
    if diff:
        start = x_ndim + y_ndim - 3 if x_ndim > y_ndim else x_ndim - 1
        out = {tf}.squeeze(out, list(range(start, start + diff)))
    if len(out.shape) == 1:
        out = {tf}.expand_dims(out, 1)
    return out
'''

RULES = (
    Rule(
        id="KM611",
        name="batch-dot-axes",
        summary=(
            "`K.batch_dot` whose result changed in Keras 2.2.5 (rank > 3 inputs, negative axes, 2-D inputs "
            "without axes) is rewritten to the legacy computation."
        ),
        before=(
            "from keras import backend as K\n"
            "\n"
            "\n"
            "def agreement(outputs, predictions):\n"
            "    return K.batch_dot(outputs, predictions, [2, 3])"
        ),
        after=(
            "from tensorflow.keras import backend as K\n"
            "import tensorflow as tf\n"
            "\n"
            "\n"
            + HELPER_SOURCE.format(name=HELPER, tf="tf")
            + "\n"
            "\n"
            "def agreement(outputs, predictions):\n"
            f"    return {HELPER}(outputs, predictions, [2, 3])"
        ),
        safety=FixSafety.SAFE,
        safety_note=(
            "Keras <= 2.2.4 contracted the last two axes with tf.matmul(adjoint_a=, adjoint_b=), the input of "
            "lower rank padded with trailing 1s. Calls whose visible ranks (at most 3) and positive axes compute "
            "the same on both are left alone; equal visible ranks become that tf.linalg.matmul call; every other "
            "call becomes kmigrate_batch_dot, a copy of the 2.2.4 function emitted into the module, which reads "
            "the ranks when it runs."
        ),
        catalog=(),
        details=(
            "Measured on genuine Keras 2.2.4 and TF 2.21: (b,2,4,5) x (b,2,5,6) with axes (3, 2) gives "
            "(b,2,4,6) on 2.2.4 and (b,2,4,2,6) on Keras 3 and tf_keras 2.21; (b,10,7) x (b,10,7,16) with axes "
            "(2, 2) (the CapsNet routing idiom of Keras's cifar10_cnn_capsule example) gives (b,10,16) vs "
            "(b,10,10,16); axes=-1 on 3-D inputs contracted axis 1 of x on 2.2.4. kmigrate_batch_dot gives the "
            "2.2.4 values bit for bit for ranks 2 to 5, mixed ranks, negative and zero axes, eagerly and inside "
            "tf.function or a layer's call(); like the original it needs tensors of known rank (not Keras 3 "
            "KerasTensors at the top level of a functional model, where K.batch_dot fails as well). Also "
            "applied with --target tf_keras (tf_keras 2.21 has the Keras 2.2.5 function); not applied with "
            "--from-version 2.2.5 or later."
        ),
    ),
)

_SIGNATURE = ("x", "y", "axes")
# Rank-making calls: API path -> keyword (or position) that holds the shape, and the rank offset.
_SHAPED = {"layers.Input": (("shape", 0, 1), ("batch_shape", None, 0)),
           "Input": (("shape", 0, 1), ("batch_shape", None, 0)),
           "backend.placeholder": (("shape", 0, 0),)}  # fmt: skip


@dataclass
class _Ranks(cst.CSTVisitor):
    """Names assigned exactly once in the file, from a call that shows their rank."""

    ctx: FileContext
    ranks: dict[str, int | None] = field(default_factory=dict)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                name = target.target.value
                self.ranks[name] = None if name in self.ranks else self._rank(node.value)
            else:
                for inner in _names_in(target.target):
                    self.ranks[inner] = None

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for inner in _names_in(node.target):
            self.ranks[inner] = None

    def visit_For(self, node: cst.For) -> None:
        for inner in _names_in(node.target):
            self.ranks[inner] = None

    def visit_Param(self, node: cst.Param) -> None:
        self.ranks[node.name.value] = None

    def _rank(self, value: cst.BaseExpression) -> int | None:
        if not isinstance(value, cst.Call) or has_star_args(value):
            return None
        api = self.ctx.api(value.func)
        if api is None or api.path not in _SHAPED:
            return None
        if api.path.startswith("backend."):
            ndim = _keyword_literal(value, "ndim")
            if isinstance(ndim, int) and not isinstance(ndim, bool):
                return ndim
        for keyword, position, offset in _SHAPED[api.path]:
            arg = next((a for a in value.args if a.keyword is not None and a.keyword.value == keyword), None)
            if arg is None and position is not None and len(value.args) > position and value.args[position].keyword is None:
                arg = value.args[position]
            if arg is None:
                continue
            try:
                shape = literal(arg.value)
            except ValueError:
                return None
            return len(shape) + offset if isinstance(shape, (tuple, list)) else None
        return None


def _names_in(node: cst.CSTNode) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for e in node.elements for n in _names_in(e.value)]
    if isinstance(node, cst.StarredElement):
        return _names_in(node.value)
    return []


def _keyword_literal(call: cst.Call, name: str) -> object:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            try:
                return literal(arg.value)
            except ValueError:
                return None
    return None


def _axes(value: object) -> tuple[int, int] | None | str:
    """(a, b) for an int or a pair of ints, None for None, "bad" otherwise."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(a, int) and not isinstance(a, bool) for a in value
    ):
        return (value[0], value[1])
    return "bad"


@dataclass
class BatchDotFixer(ValueReferences):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"batch_dot",)

    _scan: _Ranks | None = None
    _helper_name: str | None = None

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Ranks(self.ctx)
        return (self._scan,)

    def _rank(self, node: cst.BaseExpression | None) -> int | None:
        if self._scan is None or not isinstance(node, cst.Name):
            return None
        return self._scan.ranks.get(node.value)

    def _applies(self, node: cst.BaseExpression) -> bool:
        api = self.ctx.api(node)
        if api is None or not api.legacy or api.path != "backend.batch_dot":
            return False
        version, assumed = self.ctx.settings.legacy_version
        return (assumed or version < (2, 2, 5)) and self.ctx.allows("KM611")

    # -- calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.not_references.add(id(node.func))  # a call of K.batch_dot: leave_Call rewrites it

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self._applies(original.func):
            return updated
        if has_star_args(updated) or any(a.star for a in updated.args) or len(updated.args) > 3:
            return self._call_helper(original, updated, "arguments not visible")
        bound = bind_positionals(updated, _SIGNATURE)
        args = {a.keyword.value: a.value for a in bound.args if a.keyword is not None}
        if "x" not in args or "y" not in args or set(args) - set(_SIGNATURE):
            return self._call_helper(original, updated, "arguments not visible")
        try:
            axes = _axes(literal(args["axes"])) if "axes" in args else None
        except ValueError:
            axes = "bad"
        if isinstance(axes, str):  # "bad": not a literal int or pair
            return self._call_helper(original, updated, "axes not a literal")
        rx, ry = self._rank(original_arg(original, 0, "x")), self._rank(original_arg(original, 1, "y"))
        if rx is None or ry is None:
            return self._call_helper(original, updated, "ranks not visible")
        quirky = axes is not None and any(a <= 0 for a in axes)
        if rx == ry == 2:
            if axes is None or (quirky and (axes[0] != axes[1] or axes[0] == 0)):
                return self._call_helper(original, updated, "2-D inputs: 2.2.4 summed another product")
            return updated  # measured: same result on both
        if not quirky and max(rx, ry) <= 3:
            return updated  # measured: same result on both
        if rx == ry >= 3:
            return self._legacy_matmul(original, args, axes, rx)
        return self._call_helper(original, updated, f"ranks {rx} and {ry}")

    def _legacy_matmul(self, original: cst.Call, args: dict[str, cst.BaseExpression], axes: tuple[int, int] | None,
                       rank: int) -> cst.Call:  # fmt: skip
        """What Keras <= 2.2.4 computed for two inputs of the same rank >= 3."""
        adjoint_a = axes is not None and axes[0] != rank - 1
        adjoint_b = axes is not None and axes[1] == rank - 1
        tf = self.ctx.imports.module("tensorflow", "tf")
        flags = [cst.Arg(keyword=cst.Name(name), value=cst.Name("True"), equal=_EQ)
                 for name, on in (("adjoint_a", adjoint_a), ("adjoint_b", adjoint_b)) if on]  # fmt: skip
        positional = [cst.Arg(args["x"], comma=_COMMA), cst.Arg(args["y"])]
        if flags:
            positional[-1] = positional[-1].with_changes(comma=_COMMA)
            for flag in flags[:-1]:
                positional.append(flag.with_changes(comma=_COMMA))
            positional.append(flags[-1])
        self.ctx.fixed("KM611", original, "K.batch_dot -> tf.linalg.matmul with the Keras 2.2.4 adjoint "
                       f"flags (rank {rank} inputs)")
        return cst.Call(func=cst.parse_expression(f"{tf}.linalg.matmul"), args=positional)

    def _call_helper(self, original: cst.Call, updated: cst.Call, why: str) -> cst.Call:
        """The same arguments to the module's copy of the 2.2.4 function (same signature)."""
        helper = self._helper()
        self.ctx.fixed("KM611", original, f"K.batch_dot -> {helper.value}, Keras 2.2.4's batch_dot ({why}; "
                       "Keras 2.2.5+ differs for rank > 3, negative axes, 2-D inputs without axes)")
        return updated.with_changes(func=helper.with_changes(lpar=updated.func.lpar, rpar=updated.func.rpar))

    # -- K.batch_dot as a value ------------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if original.attr.value != "batch_dot":
            return updated
        return self._reference(original, updated)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if original.value != "batch_dot":
            return updated
        return self._reference(original, updated)

    def _reference(self, original: cst.Name | cst.Attribute, updated: cst.Name | cst.Attribute
                   ) -> cst.BaseExpression:  # fmt: skip
        if id(original) in self.not_references or not self._applies(original):
            return updated
        helper = self._helper()
        self.ctx.fixed("KM611", original, f"K.batch_dot -> {helper.value}, Keras 2.2.4's batch_dot (used as a "
                       "value; Keras 2.2.5+ differs for rank > 3, negative axes, 2-D inputs without axes)")
        return helper.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    # -- the helper ------------------------------------------------------------------------------
    def _helper(self) -> cst.Name:
        if self._helper_name is None:
            self._helper_name = self._choose_helper_name()
            tf = self.ctx.imports.module("tensorflow", "tf")
            self.ctx.imports.add_definition(self._helper_name,
                                            HELPER_SOURCE.format(name=self._helper_name, tf=tf))
        return cst.Name(self._helper_name)

    def _choose_helper_name(self) -> str:
        for candidate in (HELPER, f"_{HELPER}"):
            if any(isinstance(s, cst.FunctionDef) and s.name.value == candidate for s in self.ctx.module.body):
                return candidate  # emitted by an earlier run
            if not self.ctx.resolver.is_bound(candidate):
                return candidate
        return f"_{HELPER}_"


def original_arg(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    for index, arg in enumerate(call.args):
        if arg.keyword is None and not arg.star and index == position:
            return arg.value
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


_EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))

FIXER = BatchDotFixer
