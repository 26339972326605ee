"""KM619: batch-level callback logs hold the epoch's running mean in Keras 3.

Legacy Keras gave ``on_batch_end(batch, logs)`` the values of that one batch (``logs['loss']``
was the batch's loss, ``logs['acc']`` its accuracy) plus ``'batch'`` and ``'size'``.  Keras 3
passes the metrics' running means over the epoch so far, and no ``'batch'``/``'size'`` keys.
Measured with both runtimes on a callback that records ``logs['loss']`` in ``on_batch_end``: the
first batch agrees, every later value is the mean of the batches so far (the Keras documentation's
own ``LossHistory`` example records a different curve after migration).  Per-batch values can
only be recovered approximately from consecutive means, so uses are marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate import match as m
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.walk import find_all

RULES = (
    Rule(
        id="KM619",
        name="callback-batch-logs",
        summary="Batch-level callback logs hold the epoch's running mean in Keras 3, not the batch's value.",
        before=(
            "from keras.callbacks import Callback\n"
            "\n"
            "\n"
            "class LossHistory(Callback):\n"
            "    def on_train_begin(self, logs={}):\n"
            "        self.losses = []\n"
            "\n"
            "    def on_batch_end(self, batch, logs={}):\n"
            "        self.losses.append(logs.get('loss'))"
        ),
        after=(
            "        self.losses.append(logs.get('loss'))  "
            "# kmigrate: KM619 Keras 3 batch logs hold the epoch's running mean"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Legacy Keras passed on_batch_end the values of the batch that just ran (and 'batch', 'size'); "
            "Keras 3 passes each metric's mean over the epoch so far, without 'batch'/'size'. Code that records "
            "or thresholds per-batch losses gets another curve. Marked at the first read of the logs in each "
            "batch hook of a Callback subclass or LambdaCallback."
        ),
        catalog=(),
        details=(
            "Found by the fixture custom_callback_logs_acc (kmigrate verify): batch losses 1.033, 1.130, 1.215 "
            "under Keras 2.2.4 became 1.033, 1.081, 1.126 (their running means) under Keras 3.15. To keep "
            "per-batch values, compute them from consecutive means (mean_k * k - mean_(k-1) * (k - 1) for "
            "equal batches) or evaluate the batch with test_on_batch."
        ),
    ),
)

# Callback hooks that receive batch-level logs (Keras 2 names and the Keras 2.2 train_ aliases).
_BATCH_HOOKS = frozenset({
    "on_batch_end", "on_train_batch_end", "on_test_batch_end", "on_predict_batch_end",
    "on_batch_begin", "on_train_batch_begin", "on_test_batch_begin", "on_predict_batch_begin",
})  # fmt: skip
_GONE_KEYS = frozenset({"batch", "size"})
_MARKER = "Keras 3 batch logs hold the epoch's running mean"
_GONE_MARKER = "Keras 3 batch logs have no 'batch' or 'size' keys"
_MESSAGE = (
    "Keras 3 passes batch hooks each metric's running mean over the epoch so far, not this batch's value "
    "(and no 'batch'/'size' keys): per-batch records and thresholds change; recover a batch's value "
    "from consecutive means or evaluate the batch with test_on_batch"
)


def _logs_key(node: cst.BaseExpression, logs: str) -> str | None:
    """The key read by ``logs['k']`` or ``logs.get('k', ...)``; ``""`` for a key that is not a literal."""
    if m.matches(node, m.Subscript(value=m.Name(logs))):
        assert isinstance(node, cst.Subscript)
        index = node.slice[0].slice if len(node.slice) == 1 else None
        value = index.value if isinstance(index, cst.Index) else None
        return value.evaluated_value if isinstance(value, cst.SimpleString) else ""  # type: ignore[return-value]
    if m.matches(node, m.Call(func=m.Attribute(value=m.Name(logs), attr=m.Name("get")))):
        assert isinstance(node, cst.Call)
        first = node.args[0].value if node.args else None
        return first.evaluated_value if isinstance(first, cst.SimpleString) else ""  # type: ignore[return-value]
    return None


def _logs_parameter(params: cst.Parameters) -> str | None:
    """The name of a batch hook's logs parameter: ``logs=`` or the last positional one."""
    names = [p.name.value for p in params.params]
    if "logs" in names:
        return "logs"
    return names[-1] if len(names) >= 2 else None


@dataclass
class CallbackBatchLogsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"batch_",)

    _marked: set[int] = field(default_factory=set)  # hooks (defs or lambdas) already marked

    def _in_callback(self) -> bool:
        return self.ctx.in_class_deriving(lambda base: base.path == "callbacks.Callback")

    def _report(self, hook: cst.CSTNode, hook_name: str, node: cst.CSTNode, key: str) -> None:
        """Mark the first read of a batch hook's logs that changed meaning (begin hooks: only the
        'batch'/'size' keys, the only ones legacy Keras gave them)."""
        gone = key in _GONE_KEYS
        if not gone and hook_name.endswith("_begin"):
            return
        if id(hook) in self._marked or not self.ctx.allows("KM619"):
            return
        self._marked.add(id(hook))
        if gone:
            self.ctx.flag("KM619", node, f"Keras 3 batch logs have no '{key}' key (legacy Keras gave 'batch' "
                          "and 'size'): count batches and samples in the callback", marker=_GONE_MARKER)
        else:
            self.ctx.flag("KM619", node, _MESSAGE, marker=_MARKER)

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        self._check(original)
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        self._check(original)
        func = original.func
        if type(func) is cst.Attribute and func.attr.value == "get":  # (every call passes here)
            return updated
        api = self.ctx.api(original.func)
        if api is not None and api.path == "callbacks.LambdaCallback":
            self._lambda_callback(original)
        return updated

    def _check(self, node: cst.Subscript | cst.Call) -> None:
        if not self.ctx.involves_keras:
            return
        hook = self.ctx.scopes.function
        if hook is None or hook.name.value not in _BATCH_HOOKS or not self._in_callback():
            return
        logs = _logs_parameter(hook.params)
        if logs is None:
            return
        key = _logs_key(node, logs)
        if key is not None:
            self._report(hook, hook.name.value, node, key)

    def _lambda_callback(self, call: cst.Call) -> None:
        for arg in call.args:
            if arg.keyword is None or arg.keyword.value not in _BATCH_HOOKS or not isinstance(arg.value, cst.Lambda):
                continue
            logs = _logs_parameter(arg.value.params)
            if logs is None:
                continue
            for read in find_all(arg.value.body, (cst.Subscript, cst.Call)):
                key = _logs_key(read, logs) if isinstance(read, (cst.Subscript, cst.Call)) else None
                if key is not None:
                    self._report(arg.value, arg.keyword.value, call, key)


FIXER = CallbackBatchLogsFixer
