"""KM535: ``K.local_conv1d``, gone in Keras 3, becomes a call of ``kmigrate_local_conv1d``, a copy
of Keras 2.2.4's TensorFlow-backend function emitted once into the module (same signature, so
every call form is exact, ``*args`` included).  References without a call are marked by the table
(``table.py``)."""

from __future__ import annotations

from typing import Callable, ClassVar

import libcst as cst

from kmigrate.rules.backend.common import BackendBase
from kmigrate.rules.backend_table import Entry, rule_id
from kmigrate.rules.backend_table.nn_ops import LOCAL_CONV1D_HELPER

LOCAL_CONV1D = "kmigrate_local_conv1d"


class LocalConv(BackendBase):
    """KM535: ``K.local_conv1d`` -> the emitted copy of Keras 2.2.4's function."""

    _local_conv1d: str | None = None

    def _call_local_conv1d(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self._local_conv1d is None:
            self._local_conv1d = self._helper_function_name(LOCAL_CONV1D)
            self.ctx.imports.add_definition(self._local_conv1d,
                                            LOCAL_CONV1D_HELPER.format(name=self._local_conv1d, tf=self._tf()))
        self.ctx.fixed(rule, original, f"K.local_conv1d -> {self._local_conv1d}, Keras 2.2.4's local_conv1d "
                       "copied into the module (Keras 3 has none)")
        func = cst.Name(self._local_conv1d).with_changes(lpar=updated.func.lpar, rpar=updated.func.rpar)
        return updated.with_changes(func=func)

    def _helper_function_name(self, base: str) -> str:
        """``base``, or the name an earlier run gave the copy, or a free variant."""
        name = base
        while self.ctx.resolver.is_bound(name):
            if any(isinstance(s, cst.FunctionDef) and s.name.value == name for s in self.ctx.module.body):
                return name  # emitted by an earlier run
            name = f"{name}_"
        return name

    special_calls: ClassVar[dict[str, Callable]] = {"local_conv1d": _call_local_conv1d}
    implements: ClassVar[tuple[str, ...]] = (rule_id("local_conv1d"),)
