"""Keyword renames and mapped values (``init=`` -> ``kernel_initializer=``, ``dim_ordering``)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.layer_args.common import (
    LayerArgsBase,
    _Edit,
    _original_values,
    _quoted,
)
from kmigrate.rules.layer_args_table import (
    DIM_ORDERING,
    LayerSpec,
)


class KeywordRenames(LayerArgsBase):
    """Keyword renames and mapped values (``init=`` -> ``kernel_initializer=``, ``dim_ordering``)."""

    # -- keyword renames and values -----------------------------------------------------------
    def _renames(self, original: cst.Call, call: cst.Call, spec: LayerSpec, edit: _Edit) -> cst.Call:
        if not spec.renames:
            return call
        renames = dict(spec.renames)
        given = callargs.keywords(call)
        originals = _original_values(original, call)
        args = list(call.args)
        removed: list[cst.Arg] = []
        for index, arg in enumerate(args):
            old = arg.keyword.value if arg.keyword is not None else None
            if old not in renames:
                continue
            new = renames[old]
            rule = "KM229" if old == "dim_ordering" else "KM234" if old == "atrous_rate" else spec.rule
            if not self.ctx.allows(rule):
                continue
            if new in given:
                edit.flag(rule, f"both `{old}=` and `{new}=` given (legacy Keras raised here): keep `{new}=`")
                continue
            if old == "dim_ordering":
                replacement = self._dim_ordering(arg, originals.get(id(arg)), edit)
                if replacement is None:
                    removed.append(arg)
                    continue
                args[index] = replacement
                continue
            if old == "border_mode" and _is_string(arg.value, "full"):
                # Keras 1 (Theano) had a 'full' convolution; Keras 2 and 3 only 'valid'/'same'.
                edit.flag(rule, "border_mode='full' has no Keras 3 padding: pad with ZeroPadding (kernel size - 1 "
                          "on each side), then padding='valid'")  # fmt: skip
                continue
            args[index] = arg.with_changes(keyword=cst.Name(new))
            edit.fix(rule, f"`{old}=` -> `{new}=`")
        call = call.with_changes(args=args)
        if removed:
            call = callargs.remove_args(call, removed)
        return call

    def _dim_ordering(self, arg: cst.Arg, original_value: cst.BaseExpression | None,
                      edit: _Edit) -> cst.Arg | None:  # fmt: skip
        """``dim_ordering=`` as ``data_format=`` (None: drop the argument)."""
        value = arg.value
        renamed = arg.with_changes(keyword=cst.Name("data_format"))
        if isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            if text in DIM_ORDERING:
                mapped = DIM_ORDERING[text]
                if mapped is None:
                    edit.fix("KM229", "`dim_ordering='default'` dropped (data_format defaults to the "
                             "configured image_data_format)")
                    return None
                edit.fix("KM229", f"`dim_ordering={value.value}` -> `data_format={_quoted(value, mapped)}`")
                return renamed.with_changes(value=cst.SimpleString(_quoted(value, mapped)))
            edit.fix("KM229", "`dim_ordering=` -> `data_format=`")
            return renamed
        probe = original_value if original_value is not None else value
        if isinstance(probe, cst.Call) and not probe.args:
            api = self.ctx.api(probe.func)
            if api is not None and api.path in ("backend.image_dim_ordering", "backend.image_data_format"):
                # Another family may already have turned the call into a 'th'/'tf' expression.
                value = cst.Call(func=self.ctx.imports.reference("backend.image_data_format"))
                edit.fix("KM229", f"`dim_ordering=` -> `data_format={code(value)}`")
                return renamed.with_changes(value=value)
        edit.fix("KM229", "`dim_ordering=` -> `data_format=`")
        edit.flag("KM229", f"data_format takes 'channels_first'/'channels_last', not 'th'/'tf': check "
                  f"the value of `{code(value)}` (e.g. K.image_data_format())")  # fmt: skip
        return renamed

    implements: ClassVar[tuple[str, ...]] = ("KM229", "KM234")


def _is_string(node: cst.BaseExpression, text: str) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == text
