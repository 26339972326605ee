"""Keras 1 positional arguments bound by keyword, and kernel sizes given as separate
arguments (``nb_row, nb_col``) folded into ``kernel_size``."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.layer_args.common import (
    LayerArgsBase,
    _Edit,
    _is_non_int_literal,
    _tuple,
)
from kmigrate.rules.layer_args_table import (
    LayerSpec,
)


class PositionalArguments(LayerArgsBase):
    """Keras 1 positional arguments bound by keyword, and kernel sizes given as separate"""

    # -- positional arguments ------------------------------------------------------------
    def _extra_positionals(self, call: cst.Call, spec: LayerSpec, edit: _Edit) -> cst.Call:
        """Bind positionals Keras 2 would have rejected to the Keras 1 signature (B28)."""
        limit = spec.positionals or 0
        if "fold2d" in spec.steps:
            limit = 3  # (filters, rows, cols): folded below
        elif "fold3d" in spec.steps:
            limit = 4
        count = len(callargs.positionals(call))
        if count <= limit:
            return call
        rule = "KM222" if spec.rule == "KM222" else "KM228"
        if not self.ctx.allows(rule):
            return call
        if count > len(spec.keras1):
            edit.flag(rule, f"more positional arguments than the legacy signature has "
                      f"({', '.join(spec.keras1)}): check this call")  # fmt: skip
            return call
        names = spec.keras1[limit:count]
        values = [arg.value for arg in callargs.positionals(call)[limit:count]]
        if any(_cannot_be_a_number(name) and _is_number(value) for name, value in zip(names, values)):
            # `Dense(128, 1)`, `LSTM(256, 128)`, `Convolution2D(32, 3, 3, 3)`: Keras 0.x signatures
            # (input dimension first), which Keras 1 read as an initializer: nothing to bind.
            edit.flag(rule, "a number where Keras 1 expects " + ", ".join(f"`{n}`" for n in names)
                      + ": Keras 0.x signature (input size first)? pass the sizes by keyword", )  # fmt: skip
            return call
        call = callargs.bind_positionals(call, spec.keras1, keep=limit)
        edit.fix(rule, "Keras 1 positional arguments bound to " + ", ".join(f"`{n}=`" for n in names))
        return call

    def _fold_kernel(self, call: cst.Call, dims: tuple[str, ...], rule: str, edit: _Edit) -> cst.Call:
        """``Conv2D(32, 3, 3)`` / ``nb_row=, nb_col=`` -> a kernel tuple, as Keras 2 did."""
        if not self.ctx.allows(rule):
            return call
        rank = len(dims)
        args = list(call.args)
        positional = callargs.positionals(call)
        count = len(positional)
        given = callargs.keywords(call)
        if count == rank + 1:
            # (filters, k1, ..., kN): all kernel dimensions positional.
            parts = [a.value for a in positional[1:]]
            if any(_is_non_int_literal(v) for v in parts):
                edit.flag(rule, "legacy Keras rejected these positional arguments: pass "
                          "kernel_size=(...) and strides= by keyword")
                return call
            folded = positional[1].with_changes(value=_tuple(parts), comma=positional[-1].comma)
            args[1 : rank + 1] = [folded]
            edit.fix(rule, f"kernel `{', '.join(code(v) for v in parts)}` -> `{code(folded.value)}`")
            return call.with_changes(args=args)
        if 2 <= count <= rank:
            # Leading kernel dimensions positional, the rest by keyword.
            missing = dims[count - 1 :]
            if not all(d in given for d in missing):
                return call
            parts = [a.value for a in positional[1:]] + [given[d].value for d in missing]
            folded = positional[1].with_changes(value=_tuple(parts), comma=positional[-1].comma)
            args[1:count] = [folded]
            call = callargs.remove_args(call.with_changes(args=args), [given[d] for d in missing])
            edit.fix(rule, f"kernel -> `{code(folded.value)}`")
            return call
        if count <= 1 and all(d in given for d in dims):
            parts = [given[d].value for d in dims]
            first = given[dims[0]]
            replaced = first.with_changes(keyword=cst.Name("kernel_size"), value=_tuple(parts))
            args = [replaced if a is first else a for a in args]
            call = callargs.remove_args(call.with_changes(args=args), [given[d] for d in dims[1:]])
            edit.fix(rule, f"{', '.join(f'`{d}=`' for d in dims)} -> `kernel_size={code(replaced.value)}`")
            return call
        return call

    implements: ClassVar[tuple[str, ...]] = ("KM214", "KM217", "KM222", "KM228")


def _cannot_be_a_number(name: str) -> bool:
    """A Keras 1 parameter that takes a name, a callable or a list, never a number."""
    return name.endswith(("init", "activation", "regularizer", "constraint")) or name in (
        "border_mode", "dim_ordering", "weights", "consume_less",
    )


def _is_number(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, (cst.Integer, cst.Float))
