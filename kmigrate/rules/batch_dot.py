"""KM611: `K.batch_dot` whose result changed between Keras 2.2.4 and Keras 3.

Keras <= 2.2.4 (TensorFlow backend) computed ``batch_dot`` as ``tf.matmul(x, y, adjoint_a=,
adjoint_b=)`` on the last two axes, with ``reduce_sum`` for two 2-D inputs; Keras 2.2.5 replaced it
with the implementation tf.keras and Keras 3 (``tf.keras.backend.batch_dot``) still have, which
moves the summed axes into place and takes the outer product over the other ones.  Measured on
both runtimes (genuine Keras 2.2.4 on TF 2.15 and TF 2.21), the results agree for inputs of rank
2 or 3 with positive axes (``None``, an int or a pair), except two 2-D inputs without ``axes``.
They differ for:

* inputs of rank 4 or more (legacy: a batched matmul over the middle axes and the *last two* axes
  only, e.g. ``(b, 2, 4, 5) x (b, 2, 5, 6) -> (b, 2, 4, 6)``; Keras 3: ``(b, 2, 4, 2, 6)``);
* negative or zero axes (legacy compared them with ``ndim - 1`` without normalising them, so
  ``axes=-1`` on 3-D inputs contracted axis 1, or failed);
* two 2-D inputs without ``axes`` (legacy used ``[1, 0]`` and summed a transposed product).

Where the ranks are visible (``Input(shape=...)``, ``K.placeholder``) and equal, the legacy
computation is written out as ``tf.linalg.matmul`` with the legacy adjoint flags; rank 2/3 calls
that agree are left alone; everything else that may differ is marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate.callargs import bind_positionals, has_star_args, literal
from kmigrate.context import FileContext
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM611",
        name="batch-dot-axes",
        summary=(
            "`K.batch_dot` whose result changed in Keras 2.2.5 (rank > 3 inputs, negative axes, 2-D inputs "
            "without axes) is rewritten or marked."
        ),
        before=(
            "from keras.layers import Input\n"
            "from keras import backend as K\n"
            "\n"
            "a = Input(shape=(2, 4, 5))\n"
            "b = Input(shape=(2, 6, 5))\n"
            "c = K.batch_dot(a, b, axes=(3, 3))"
        ),
        after=(
            "from tensorflow.keras.layers import Input\n"
            "from tensorflow.keras import backend as K\n"
            "import tensorflow as tf\n"
            "\n"
            "a = Input(shape=(2, 4, 5))\n"
            "b = Input(shape=(2, 6, 5))\n"
            "c = tf.linalg.matmul(a, b, adjoint_b=True)"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "Keras <= 2.2.4 contracted the last two axes with tf.matmul(adjoint_a=, adjoint_b=) and batched "
            "over the others; for inputs of equal visible rank that exact call is written. Rank 2-3 inputs "
            "with positive axes compute the same on both and are left alone; when ranks are not visible, or "
            "differ, the call is marked."
        ),
        catalog=(),
        details=(
            "Measured on genuine Keras 2.2.4 and TF 2.21: (b,2,4,5) x (b,2,5,6) with axes (3, 2) gives "
            "(b,2,4,6) on 2.2.4 and (b,2,4,2,6) on Keras 3; (b,2,4) x (b,2,4,5) with axes (2, 2) (the "
            "CapsNet routing idiom) gives (b,2,5) vs (b,2,2,5); axes=-1 on 3-D inputs contracted axis 1 of x "
            "on 2.2.4. Not applied with --from-version 2.2.5 or later."
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
class BatchDotFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"batch_dot",)

    _scan: _Ranks | None = None

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Ranks(self.ctx)
        return (self._scan,)

    def _rank(self, node: cst.BaseExpression | None) -> int | None:
        if self._scan is None or not isinstance(node, cst.Name):
            return None
        return self._scan.ranks.get(node.value)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None or not api.legacy or api.path != "backend.batch_dot":
            return updated
        version, assumed = self.ctx.settings.legacy_version
        if (not assumed and version >= (2, 2, 5)) or not self.ctx.allows("KM611"):
            return updated
        if has_star_args(updated) or any(a.star for a in updated.args) or len(updated.args) > 3:
            self.ctx.flag("KM611", original, "pass x, y, axes explicitly: K.batch_dot changed in Keras 2.2.5")
            return updated
        bound = bind_positionals(updated, _SIGNATURE)
        args = {a.keyword.value: a.value for a in bound.args if a.keyword is not None}
        if "x" not in args or "y" not in args or set(args) - set(_SIGNATURE):
            return updated
        try:
            axes = _axes(literal(args["axes"])) if "axes" in args else None
        except ValueError:
            axes = "bad"
        if isinstance(axes, str):  # "bad"
            self.ctx.flag("KM611", original, "use a literal axes pair: K.batch_dot changed in Keras 2.2.5")
            return updated
        rx, ry = self._rank(original_arg(original, 0, "x")), self._rank(original_arg(original, 1, "y"))
        quirky = axes is not None and any(a <= 0 for a in axes)
        if rx is not None and ry is not None:
            if rx == ry == 2:
                if axes is None or (quirky and (axes[0] != axes[1] or axes[0] == 0)):
                    self.ctx.flag("KM611", original, "2-D K.batch_dot without axes summed x.T * y in 2.2.4: pass axes=1 if meant")
                return updated
            if not quirky and max(rx, ry) <= 3:
                return updated  # measured: same result on both
            if rx == ry:
                return self._legacy_matmul(original, args, axes, rx)
            self.ctx.flag("KM611", original, "check the result shape: K.batch_dot of rank >3 inputs changed in 2.2.5")
            return updated
        if quirky:
            self.ctx.flag("KM611", original, "write positive axes: Keras 2.2.4 batch_dot misread negative/zero axes")
            return updated
        if axes is not None and max(axes) >= 3:
            self.ctx.flag("KM611", original, "rank >3 K.batch_dot changed in 2.2.5: use tf.linalg.matmul as 2.2.4 did")
            return updated
        self.ctx.flag("KM611", original, "check ranks: K.batch_dot changed in 2.2.5 for rank >3 inputs")
        return updated

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
