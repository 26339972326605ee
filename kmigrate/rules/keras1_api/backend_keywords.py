"""Keras 1 backend functions whose arguments changed (padding, batch_normalization,
crossentropy argument order, positional-only setters)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.base import legacy_import_moves
from kmigrate.rules.keras1_api.common import (
    _POSITIONAL_ONLY,
    BACKEND,
    Keras1ApiBase,
    _leading_kept,
    _map_ordering,
    _mapping_expression,
)


class BackendKeywords(Keras1ApiBase):
    """Keras 1 backend functions whose arguments changed (padding, batch_normalization,"""

    # -- backend keywords -------------------------------------------------------------------------
    def _backend(self, original: cst.Call, call: cst.Call, path: str) -> cst.Call:
        spec = BACKEND[path]
        if callargs.has_star_args(call) or not self.ctx.allows("KM251"):
            return call
        keywords = callargs.keywords(call)
        notes: list[str] = []
        if path in _POSITIONAL_ONLY:
            keyword = keywords.get(_POSITIONAL_ONLY[path])
            if keyword is None:
                return call
            args = [a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if a is keyword else a
                    for a in call.args]
            self.ctx.fixed("KM251", original, f"{_POSITIONAL_ONLY[path]}= passed positionally")
            return call.with_changes(args=args)
        touched = set(spec.renames) | set(spec.drops)
        positional = callargs.positionals(call)
        needs_binding = any(spec.params[i] in touched for i in range(min(len(positional), len(spec.params))))
        if not (set(keywords) & touched) and not needs_binding and not spec.pad:
            return call
        result = call
        if needs_binding or set(keywords) & touched:
            result = callargs.bind_positionals(call, spec.params, keep=_leading_kept(spec, touched))
        for name in spec.drops:
            if callargs.keyword(result, name) is not None:
                result = callargs.remove_keyword(result, name)
                notes.append(f"dropped {name}=")
        for old, new in spec.renames.items():
            arg = callargs.keyword(result, old)
            if arg is None:
                continue
            if old == "dim_ordering":
                value = arg.value
                if isinstance(value, cst.SimpleString) and value.evaluated_value == "default":
                    result = callargs.remove_keyword(result, old)
                    notes.append("dropped dim_ordering='default'")
                    continue
                result = callargs.replace_value(result, old, _map_ordering(value) or _mapping_expression(value))
            result = callargs.rename_keyword(result, old, new)
            notes.append(f"{old}= -> {new}=")
        if spec.pad:
            result = self._padding(result, spec.pad, notes)
        if not notes:
            return call
        self.ctx.fixed("KM251", original, "; ".join(notes))
        return result

    def _padding(self, call: cst.Call, kind: str, notes: list[str]) -> cst.Call:
        positional = callargs.positionals(call)
        arg = callargs.keyword(call, "padding") or (positional[1] if len(positional) > 1 else None)
        if arg is None:
            return call
        try:
            value = callargs.literal(arg.value)
        except ValueError:
            return call
        if kind == "1d" and isinstance(value, int) and not isinstance(value, bool):
            new = f"({value}, {value})"
        elif kind == "2d" and isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, int) for v in value
        ):
            new = f"(({value[0]}, {value[0]}), ({value[1]}, {value[1]}))"
        else:
            return call
        args = [a.with_changes(value=cst.parse_expression(new)) if a is arg else a for a in call.args]
        notes.append(f"padding={new}")
        return call.with_changes(args=args)

    def _batch_normalization(self, original: cst.Call, call: cst.Call) -> cst.Call:
        positional = callargs.positionals(call)
        if len(positional) < 6 or not self.ctx.allows("KM251"):
            return call
        version, assumed = self.ctx.settings.legacy_version
        if assumed:
            self.ctx.flag("KM251", original, "the 6th argument of K.batch_normalization is epsilon in "
                          "Keras < 2.1 and axis since: pass it by keyword (epsilon=... or axis=...)")
            return call
        if version >= (2, 1):
            return call
        names = ("x", "mean", "var", "beta", "gamma", "epsilon")
        self.ctx.fixed("KM251", original, "6th argument bound as epsilon= (Keras < 2.1 signature)")
        return callargs.bind_positionals(call, names, keep=5)

    def _crossentropy(self, original: cst.Call, call: cst.Call) -> cst.Call:
        version, assumed = self.ctx.settings.legacy_version
        if assumed or version >= (2, 0, 7):
            return call
        positional = callargs.positionals(call)
        if len(positional) == 1 and callargs.keyword(call, "target") is not None and self.ctx.allows("KM252"):
            # (y_pred, target=y_true): the positional was `output`; in (target, output) it would
            # collide with target= (TypeError), so it is passed by name. Same names in both orders.
            self.ctx.fixed("KM252", original, "the positional `output` passed by keyword (the first parameter "
                           "is target since Keras 2.0.7)")
            return callargs.bind_positionals(call, ("output",))
        if len(positional) < 2 or not self.ctx.allows("KM252"):
            return call
        if not legacy_import_moves(self.ctx, original.func):
            # Swapped back by the next pass while the import stays legacy: say it instead.
            self.ctx.flag("KM252", original, "backend crossentropies take (target, output) since Keras 2.0.7: "
                          "swap the two arguments once the backend comes from tf.keras",
                          marker="swap the arguments: (target, output) since Keras 2.0.7")
            return call
        args = list(call.args)
        args[0] = args[0].with_changes(value=positional[1].value)
        args[1] = args[1].with_changes(value=positional[0].value)
        self.ctx.fixed("KM252", original, "swapped to (target, output): the order since Keras 2.0.7")
        return call.with_changes(args=args)

    implements: ClassVar[tuple[str, ...]] = ("KM251", "KM252")
