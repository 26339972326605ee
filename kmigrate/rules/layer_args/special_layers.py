"""``TimeDistributedDense`` and ``self.add_weight`` in custom layers (B26)."""

from __future__ import annotations

from typing import ClassVar, Sequence

import libcst as cst

from kmigrate import callargs
from kmigrate.context import Api
from kmigrate.nodes import code
from kmigrate.rules.layer_args.common import (
    _COMMA,
    LayerArgsBase,
    _close,
    _Edit,
    _is_string,
    _looks_like_shape,
    _standalone,
    _tuple,
)
from kmigrate.rules.layer_args_table import (
    ADD_WEIGHT_NAME_FIRST,
    ADD_WEIGHT_SHAPE_FIRST,
    LAYERS,
    TDD_KERAS1,
    WRAPPER_KEYWORDS,
)


class SpecialLayers(LayerArgsBase):
    """``TimeDistributedDense`` and ``self.add_weight`` in custom layers (B26)."""

    # -- TimeDistributedDense -------------------------------------------------------------
    def _time_distributed_dense(self, original: cst.Call, updated: cst.Call, api: Api) -> cst.BaseExpression:
        rule = "KM235"
        if not self.ctx.allows(rule):
            return updated
        if callargs.has_star_args(updated) or not _standalone(api):
            self.ctx.flag(rule, original, "TimeDistributedDense(...) is TimeDistributed(Dense(...)) in "
                          "tf.keras: rewrite the call, Dense arguments inside, input_shape= outside")
            return updated
        edit = _Edit()
        call = updated
        positional = callargs.positionals(call)
        if len(positional) > 1:
            if len(positional) > len(TDD_KERAS1):
                self.ctx.flag(rule, original, "too many positional arguments for TimeDistributedDense")
                return updated
            call = callargs.bind_positionals(call, TDD_KERAS1, keep=1)
            edit.fix("KM228", "Keras 1 positional arguments bound by keyword")
        wrapper: list[cst.Arg] = []
        dense: list[cst.Arg] = []
        given = callargs.keywords(call)
        for arg in call.args:
            name = arg.keyword.value if arg.keyword is not None else None
            if name in WRAPPER_KEYWORDS:
                wrapper.append(arg)
            elif name == "input_dim":
                if "input_shape" in given or "batch_input_shape" in given:
                    continue
                length = given.get("input_length")
                shape = _tuple([length.value if length is not None else cst.Name("None"), arg.value])
                wrapper.append(arg.with_changes(keyword=cst.Name("input_shape"), value=shape))
            elif name == "input_length":
                if "input_dim" not in given:
                    wrapper.append(arg)  # not convertible alone; tf.keras will say so
            else:
                dense.append(arg)
        dense_spec = LAYERS["layers.Dense"]
        dense_call = cst.Call(func=self.ctx.imports.reference("layers.Dense"), args=_close(dense))
        dense_call = self._renames(dense_call, dense_call, dense_spec, edit)
        outer_args = [cst.Arg(value=dense_call, comma=_COMMA if wrapper else cst.MaybeSentinel.DEFAULT)]
        outer_args += _close(wrapper)
        outer = updated.with_changes(func=self.ctx.imports.reference("layers.TimeDistributed"), args=outer_args)
        edit.fix(rule, "`TimeDistributedDense(...)` -> `TimeDistributed(Dense(...))`")
        self._report(original, edit)
        return outer

    # -- add_weight in custom layers (B26) -------------------------------------------------
    def _add_weight(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        rule = "KM226"
        if not self.ctx.allows(rule):
            return updated
        positional = callargs.positionals(updated)
        if not positional:
            return updated
        if callargs.has_star_args(updated):
            self.ctx.flag(rule, original, "add_weight takes keyword arguments only in tf.keras: "
                          "pass shape=, initializer=, name=, ... by keyword")
            return updated
        given = callargs.keywords(updated)
        first = positional[0].value
        order: Sequence[str] | None = None
        if _is_string(first) or "shape" in given:
            order = ADD_WEIGHT_NAME_FIRST
        elif _looks_like_shape(first) or "name" in given:
            order = ADD_WEIGHT_SHAPE_FIRST
            if len(positional) > 1 and _is_string(positional[1].value) and "initializer" in given:
                # Keras 2.0.9+ read (shape, name) when the first positional was a tuple.
                order = ("shape", "name", *ADD_WEIGHT_SHAPE_FIRST[2:])
        elif "name" in code(first).lower():
            order = ADD_WEIGHT_NAME_FIRST
        if order is None:
            self.ctx.flag(rule, original, f"is `{code(first)}` the weight's shape (Keras 1/2.0 order) or its "
                          "name (Keras 2.0.9+)? Pass shape=, name=, initializer= by keyword")  # fmt: skip
            return updated
        if len(positional) > len(order):
            self.ctx.flag(rule, original, "too many positional arguments for add_weight: pass them by keyword")
            return updated
        call = callargs.bind_positionals(updated, order)
        names = ", ".join(f"`{n}=`" for n in order[: len(positional)])
        self.ctx.fixed(rule, original, f"add_weight positional arguments -> {names}")
        return call

    implements: ClassVar[tuple[str, ...]] = ("KM235", "KM226")
