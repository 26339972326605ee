"""Metric names as history/log keys (``'acc'`` -> ``'accuracy'``, ``'lr'``), the callbacks'
``monitor=`` and ``metrics_names``."""

from __future__ import annotations

import re
from typing import Callable, ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.training.common import _CALLBACK_MONITOR_POSITION, TrainingBase
from kmigrate.rules.training.facts import _UNKNOWN
from kmigrate.rules.training_table import (
    make_string,
    positional_count,
    string_value,
    version_note,
)


class MetricKeys(TrainingBase):
    """Metric names as history/log keys (``'acc'`` -> ``'accuracy'``, ``'lr'``), the callbacks'"""

    # -- metric keys ---------------------------------------------------------------------------
    def _rename_key(self, original: cst.CSTNode, node: cst.BaseExpression, allow_lr: bool) -> cst.BaseExpression | None:
        """A string that names a logged metric, renamed for tf.keras (or None)."""
        value = string_value(node)
        if value is None:
            return None
        if allow_lr and value in ("lr", "val_lr") and self.ctx.allows("KM331"):
            self.ctx.fixed("KM331", original, f"'{value}' -> 'learning_rate'")
            return make_string(value.replace("lr", "learning_rate"), node)
        new = self.facts.metric_key(value)
        if new is _UNKNOWN:
            if self.ctx.allows("KM330"):
                self.ctx.flag("KM330", original, f"'{value}': tf.keras logs metrics=['accuracy'] as "
                              f"'{value.replace('acc', 'accuracy')}' (legacy Keras <= 2.2 wrote 'acc'); "
                              "rename the key, or compile with metrics=['acc']" + version_note(self.ctx))
            return None
        if new is None or not self.ctx.allows("KM330"):
            return None
        self.ctx.fixed("KM330", original, f"'{value}' -> '{new}' (the key tf.keras logs for this "
                       f"metric){version_note(self.ctx)}")
        return make_string(new, node)

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        if len(original.slice) != 1 or not isinstance(original.slice[0].slice, cst.Index):
            return updated
        if not self.ctx.involves_keras or not self.facts.is_history_dict(original.value, self._scopes):
            return updated
        index = updated.slice[0].slice
        if not isinstance(index, cst.Index):  # as in the original (checked above)
            return updated
        new = self._rename_key(original, index.value, allow_lr=True)
        if new is None:
            return updated
        return updated.with_changes(slice=[updated.slice[0].with_changes(slice=index.with_changes(value=new))])

    def _key_get(self, original: cst.Call, call: cst.Call) -> cst.Call:
        receiver = cst.ensure_type(original.func, cst.Attribute).value
        if not call.args or not self.facts.is_history_dict(receiver, self._scopes):
            return call
        new = self._rename_key(original, call.args[0].value, allow_lr=True)
        if new is None:
            return call
        return call.with_changes(args=[call.args[0].with_changes(value=new), *call.args[1:]])

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        if len(original.comparisons) != 1 or not isinstance(original.comparisons[0].operator, (cst.In, cst.NotIn)):
            return updated
        if not self.ctx.involves_keras or not self.facts.is_history_dict(original.comparisons[0].comparator, self._scopes):
            return updated
        new = self._rename_key(original, updated.left, allow_lr=True)
        return updated.with_changes(left=new) if new is not None else updated

    def _monitor(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """``monitor='val_acc'`` of callbacks, and ``{val_acc}`` in ModelCheckpoint paths."""
        arg = callargs.keyword(call, "monitor")
        api = self.ctx.api(original.func)
        if arg is None and api is not None and api.path in _CALLBACK_MONITOR_POSITION:
            position = _CALLBACK_MONITOR_POSITION[api.path]
            if positional_count(call) > position:
                arg = call.args[position]
        if arg is not None:
            new = self._rename_key(original, arg.value, allow_lr=False)
            if new is not None:
                call = call.with_changes(args=[a.with_changes(value=new) if a is arg else a for a in call.args])
        if api is not None and api.path == "callbacks.ModelCheckpoint":
            path = callargs.keyword(call, "filepath") or (call.args[0] if positional_count(call) else None)
            if path is not None:
                new_path = self._format_keys(original, path.value)
                if new_path is not None:
                    call = call.with_changes(args=[a.with_changes(value=new_path) if a is path else a for a in call.args])
        return call

    def _format_keys(self, original: cst.Call, node: cst.BaseExpression) -> cst.BaseExpression | None:
        value = string_value(node)
        if value is None or "{" not in value:
            return None
        changed = value
        for key in sorted(set(re.findall(r"\{(\w+)", value)), key=len, reverse=True):
            new = self.facts.metric_key(key)
            if new is _UNKNOWN:
                if self.ctx.allows("KM330"):
                    self.ctx.flag("KM330", original, f"'{{{key}}}': tf.keras logs metrics=['accuracy'] as "
                                  f"'{key.replace('acc', 'accuracy')}'; rename it, or compile with metrics=['acc']")
                continue
            if new is not None:
                changed = re.sub(r"\{" + key + r"(?=[:}!])", "{" + new, changed)
        if changed == value or not self.ctx.allows("KM330"):
            return None
        self.ctx.fixed("KM330", original, f"checkpoint path keys follow tf.keras metric names{version_note(self.ctx)}")
        return make_string(changed, node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "metrics_names" and self.ctx.keras_receiver(node.value, "metrics_names") \
                and self.ctx.allows("KM327"):
            self.ctx.flag("KM327", node, "Keras 3 metrics_names is ['loss', 'compile_metrics'] and no "
                          "longer lines up with returned lists: call evaluate/train_on_batch with "
                          "return_dict=True and use the dict keys")

    # Method name -> its rewrite, called as (fixer, original, updated, name) by ``leave_Call``.
    method_calls: ClassVar[dict[str, Callable[..., cst.BaseExpression]]] = {
        "get": lambda self, original, updated, name: self._key_get(original, updated),
    }

    implements: ClassVar[tuple[str, ...]] = ("KM331", "KM330")
