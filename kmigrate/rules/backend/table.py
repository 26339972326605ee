"""KM511-KM559 from the table (``backend_table.py``): renames, tf/builtin swaps, removals, values,
flags, and the special rewrites that only reshape arguments (padding, is_variable, weight ordering,
normalize_data_format); ``K.<name>`` read without a call; KM500 for names tf.keras lacks."""

from __future__ import annotations

from typing import Callable, ClassVar

import libcst as cst

from kmigrate import keras_api
from kmigrate.callargs import bind_positionals, has_star_args, positionals
from kmigrate.nodes import code
from kmigrate.rules.backend.common import (
    _MISSING_HINTS,
    _SUBMODULES,
    BackendBase,
    _dim_literal,
    _restring,
)
from kmigrate.rules.backend.scan import backend_name
from kmigrate.rules.backend_table import (
    BUILTIN,
    ENTRIES,
    FLAG,
    MODULE_ATTRS,
    REMOVE,
    RENAME,
    SEMANTIC_NAMES,
    SPECIAL,
    TABLE,
    TF,
    VALUE,
    Entry,
    rule_id,
)  # fmt: skip


class TableRewrites(BackendBase):
    """KM511-KM559 from the table (``backend_table.py``): renames, tf/builtin swaps, removals, values,"""

    # -- K.<name>(...) -------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if id(original) in self._skip_calls:
            return updated
        name = backend_name(self.ctx, original.func)
        if name is None:
            return updated
        entry = TABLE.get(name)
        if entry is not None:
            rule = rule_id(name)
            if not self.ctx.allows(rule):
                return updated
            return self._table_call(entry, rule, original, updated)
        semantic = SEMANTIC_NAMES.get(name)
        if semantic is not None:
            if self.ctx.allows(semantic):
                return self._semantic_call(name, semantic, original, updated)
            return updated
        if not name.startswith("__") and not keras_api.exists(f"backend.{name}", self.ctx.target):
            self._missing(name, original)
        return updated

    def _table_call(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        kind = entry.kind
        if kind == FLAG:
            self.ctx.flag(rule, original, entry.message)
            return updated
        if kind == RENAME:
            self.ctx.fixed(rule, original, entry.message)
            return updated.with_changes(func=self._backend_ref(original.func, updated.func, entry.target))
        if kind in (TF, BUILTIN):
            return self._function_swap(entry, rule, original, updated)
        if kind == REMOVE:
            if id(original) in self._statement_calls:
                self._remove_calls.add(id(original))
                self.ctx.fixed(rule, original, entry.message)
            elif entry.name in ("eager", "symbolic") and len(updated.args) == 1 and not updated.args[0].keyword:
                self.ctx.fixed(rule, original, entry.message)
                return updated.args[0].value  # K.eager(f) -> f
            else:
                self.ctx.flag(rule, original, f"{entry.message.replace('removed', 'remove')}")
            return updated
        if kind == VALUE:
            return self._value(entry, rule, original)
        handler = self.special_calls[entry.name.lower()]
        return handler(self, entry, rule, original, updated)

    def _function_swap(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if has_star_args(updated) and entry.params:
            self.ctx.flag(rule, original, entry.message)
            return updated
        if entry.kind == BUILTIN:
            if self.ctx.resolver.is_bound(entry.target) or self.ctx.resolver.star_modules:
                self.ctx.flag(rule, original, f"{entry.message} (the builtin `{entry.target}` is shadowed "
                              "in this file: use `builtins." + entry.target + "`)",
                              marker=f"use `builtins.{entry.target}` (`{entry.target}` is shadowed in this file)")
                return updated
            func: cst.BaseExpression = cst.Name(entry.target)
        else:
            func = cst.parse_expression(f"{self._tf()}.{entry.target}")
        call = updated
        if entry.name == "size" and len(positionals(call)) > 1:
            # tf.size's second parameter is out_type: bind the legacy `name` by keyword.
            call = bind_positionals(call, entry.params, keep=1)
        args = []
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in entry.keywords:
                arg = arg.with_changes(keyword=cst.Name(entry.keywords[arg.keyword.value]))
            args.append(arg)
        self.ctx.fixed(rule, original, entry.message)
        return call.with_changes(func=func, args=args)

    def _value(self, entry: Entry, rule: str, original: cst.CSTNode) -> cst.BaseExpression:
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(entry.target.format(tf=self._tf()))

    # -- K.<name> without a call ----------------------------------------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if id(original) in self._callees:
            return updated
        name = backend_name(self.ctx, original)
        if name is None or name.startswith("__") or name == "_BACKEND":
            return updated
        entry = TABLE.get(name)
        if entry is not None:
            rule = rule_id(name)
            if not self.ctx.allows(rule):
                return updated
            if entry.kind == VALUE:
                return self._value(entry, rule, original).with_changes(lpar=updated.lpar, rpar=updated.rpar)
            if entry.kind == RENAME:
                self.ctx.fixed(rule, original, entry.message)
                return updated.with_changes(attr=cst.Name(entry.target))
            if entry.kind == REMOVE and name in ("eager", "symbolic"):
                return updated  # decorators: leave_Decorator
            if entry.kind == TF:
                self.ctx.fixed(rule, original, entry.message)
                return cst.parse_expression(f"{self._tf()}.{entry.target}").with_changes(
                    lpar=updated.lpar, rpar=updated.rpar
                )
            self.ctx.flag(rule, original, entry.message)
            return updated
        if name in MODULE_ATTRS or name == "T":
            return self._module_attr(name, original, updated)
        if name == "hard_sigmoid":
            if self.ctx.allows("KM504"):
                self.ctx.flag("KM504", original, "K.hard_sigmoid as an activation is restored by load_model as "
                              "Keras 3's relu6(x+3)/6: register `clip(0.2 * x + 0.5, 0, 1)` with "
                              "tf.keras.utils.register_keras_serializable and pass that function",
                              marker="register a `clip(0.2 * x + 0.5, 0, 1)` activation and pass it instead")
            return updated
        if name in SEMANTIC_NAMES or keras_api.exists(f"backend.{name}", self.ctx.target):
            return updated
        if name in _SUBMODULES and isinstance(self._parent_attribute(original), cst.Attribute):
            return updated  # `K.tensorflow_backend.foo`: `foo` is what is looked at
        self._missing(name, original)
        return updated

    def _missing(self, name: str, original: cst.CSTNode) -> None:
        if not self.ctx.allows("KM500"):
            return
        hint = _MISSING_HINTS.get(name, "use the TensorFlow API (`tf.*`) instead")
        self.ctx.flag("KM500", original, f"`K.{name}` does not exist in tf.keras.backend: {hint}")

    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator) -> cst.Decorator | cst.RemovalSentinel:
        target = original.decorator
        name = backend_name(self.ctx, target)
        if name not in ("eager", "symbolic") or not self.ctx.allows(rule_id(name)):
            return updated
        self.ctx.fixed(rule_id(name), original, TABLE[name].message)
        return cst.RemovalSentinel.REMOVE

    def _call_asymmetric_spatial_2d_padding(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        args = self._bound(entry, updated)
        if args is None or "x" not in args or set(args) - set(entry.params):
            self.ctx.flag(rule, original, entry.message)
            return updated
        pads = [code(args[k]) if k in args else "1" for k in ("top_pad", "bottom_pad", "left_pad", "right_pad")]
        padding = f"(({pads[0]}, {pads[1]}), ({pads[2]}, {pads[3]}))"
        extra = ""
        if "dim_ordering" in args:
            fmt = _dim_literal(args["dim_ordering"])
            if fmt is None:
                self.ctx.flag(rule, original, entry.message)
                return updated
            extra = f", data_format={fmt}" if fmt != "None" else ""
        func = self._backend_ref(original.func, updated.func, entry.target)
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(f"{code(func)}({code(args['x'])}, padding={padding}{extra})")

    def _call_asymmetric_temporal_padding(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        args = self._bound(entry, updated)
        if args is None or "x" not in args or set(args) - set(entry.params):
            self.ctx.flag(rule, original, entry.message)
            return updated
        pads = [code(args[k]) if k in args else "1" for k in ("left_pad", "right_pad")]
        func = self._backend_ref(original.func, updated.func, entry.target)
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(f"{code(func)}({code(args['x'])}, padding=({pads[0]}, {pads[1]}))")

    def _call_is_variable(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        args = self._bound(entry, updated)
        if args is None or set(args) != {"x"}:
            self.ctx.flag(rule, original, entry.message)
            return updated
        tf = self._tf()
        self.ctx.fixed(rule, original, entry.message)
        return cst.parse_expression(f"isinstance({code(args['x'])}, ({tf}.Variable, {tf}.keras.Variable))")

    def _call_legacy_weight_ordering(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if updated.args or (self._scan and self._scan.legacy_ordering_set):
            self.ctx.flag(rule, original, "Keras 1 weight ordering is gone: the value is False unless "
                          "K.set_legacy_weight_ordering(True) was called; decide the branch")
            return updated
        self.ctx.fixed(rule, original, entry.message)
        return cst.Name("False")

    def _call_normalize_data_format(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        args = self._bound(entry, updated)
        value = args.get("value") if args and set(args) == {"value"} else None
        func = self._backend_ref(original.func, updated.func, "image_data_format")
        if isinstance(value, cst.Name) and value.value == "None":
            self.ctx.fixed(rule, original, "`K.normalize_data_format(None)` -> `K.image_data_format()`")
            return cst.Call(func=func)
        if isinstance(value, cst.SimpleString) and str(value.evaluated_value).lower() in ("channels_first", "channels_last"):
            self.ctx.fixed(rule, original, "`K.normalize_data_format('...')` -> the literal")
            return _restring(value, str(value.evaluated_value).lower())
        self.ctx.flag(rule, original, entry.message)
        return updated

    # Table names (lower case) this concern rewrites -> the method that does it.
    special_calls: ClassVar[dict[str, Callable]] = {
        "asymmetric_spatial_2d_padding": _call_asymmetric_spatial_2d_padding,
        "asymmetric_temporal_padding": _call_asymmetric_temporal_padding,
        "is_variable": _call_is_variable,
        "legacy_weight_ordering": _call_legacy_weight_ordering,
        "normalize_data_format": _call_normalize_data_format,
    }
    implements: ClassVar[tuple[str, ...]] = (
        "KM500", "KM504",
        *(rule_id(e.name) for e in ENTRIES if e.kind != SPECIAL),
        *(rule_id(name) for name in special_calls),
    )  # fmt: skip
