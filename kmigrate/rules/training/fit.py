"""``fit`` and the generator methods: ``fit_generator`` & co. -> ``fit``/``evaluate``/``predict``,
Keras 1 ``nb_epoch``/``samples_per_epoch`` -> ``epochs``/``steps_per_epoch``, dropped ``workers`` arguments."""

from __future__ import annotations

from typing import Callable, ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.training.common import (
    _GENERATOR_METHODS,
    TrainingBase,
    _ceil_div,
    _floor_div,
)
from kmigrate.rules.training.facts import _PLAIN_GENERATOR
from kmigrate.rules.training_table import (
    GENERATOR_KEYWORDS,
    WORKER_KEYWORDS,
    has_single_star,
    pick,
    positional_count,
    version_note,
)


class FitArguments(TrainingBase):
    """``fit`` and the generator methods: ``fit_generator`` & co. -> ``fit``/``evaluate``/``predict``,"""

    # -- fit / generator methods ------------------------------------------------------------
    def _fit(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if callargs.keyword(call, "nb_epoch") is not None and self.ctx.allows("KM230"):
            if callargs.keyword(call, "epochs") is not None:
                self.ctx.flag("KM230", original, "both nb_epoch and epochs given: keep `epochs=` only")
            else:
                call = callargs.rename_keyword(call, "nb_epoch", "epochs")
                self.ctx.fixed("KM230", original, "`nb_epoch=` -> `epochs=`")
        call = self._default_epochs(original, call)
        return self._drop_workers(original, call, "fit")

    def _default_epochs(self, original: cst.Call, call: cst.Call) -> cst.Call:
        version, assumed = self.ctx.settings.legacy_version
        if assumed or version >= (2, 1) or not self.ctx.allows("KM231"):
            return call
        if callargs.keyword(call, "epochs") is not None or positional_count(call) >= 4 or has_single_star(call):
            return call
        if any(a.star == "**" for a in call.args):
            return call
        kind = self.facts.model_kind(cst.ensure_type(original.func, cst.Attribute).value, self._scopes)
        if version < (2, 0) or kind == "Sequential":
            self.ctx.fixed("KM231", original, f"Keras {'.'.join(map(str, version))} fit trained 10 epochs by default")
            return callargs.add_keyword(call, "epochs", cst.Integer("10"))
        if kind is None:
            self.ctx.flag("KM231", original, "Keras 2.0 Sequential.fit defaulted to 10 epochs (Model.fit "
                          "to 1): add epochs=10 if this is a Sequential model")
        return call

    def _drop_workers(self, original: cst.Call, call: cst.Call, name: str) -> cst.Call:
        present = [w for w in WORKER_KEYWORDS if callargs.keyword(call, w) is not None]
        if not present or not self.ctx.allows("KM324") or self.ctx.enabled("KM614"):
            return call  # KM614 (data_loading_args.py) moves, drops or marks them
        for keyword in present:
            call = callargs.remove_keyword(call, keyword)
        self.ctx.fixed("KM324", original, f"{', '.join(present)} dropped from {name}() (Keras 3 rejects them)")
        return call

    def _generator_method(self, original: cst.Call, call: cst.Call, name: str) -> cst.BaseExpression:
        new_name, signatures, rule = _GENERATOR_METHODS[name]
        version, _ = self.ctx.settings.legacy_version
        if has_single_star(call):
            if self.ctx.allows(rule):
                self.ctx.flag(rule, original, f"{name}(*args): bind the arguments to keywords "
                              f"{pick(signatures, version)}, then call {new_name}()")
            return call
        names = pick(signatures, version)
        count = positional_count(call)
        if count > len(names):
            if self.ctx.allows(rule):
                self.ctx.flag(rule, original, f"{name} takes at most {len(names)} positional arguments {names}")
            return call
        if not self.ctx.allows(rule):
            return call
        note = version_note(self.ctx) if count > 1 else ""
        call = callargs.bind_positionals(call, names, keep=1)
        # Keras 1 keyword names (KM223), with sample counts turned into step counts.
        if self.ctx.allows("KM223"):
            call = self._keras1_arguments(original, call, name)
        call = self._drop_workers(original, call, new_name)
        generator = callargs.keyword(call, "generator")
        if generator is not None:
            call = callargs.rename_keyword(call, "generator", "x")
        func = cst.ensure_type(call.func, cst.Attribute).with_changes(attr=cst.Name(new_name))
        self.ctx.fixed(rule, original, f"`{name}` -> `{new_name}` with keyword arguments{note}")
        return call.with_changes(func=func)

    def _keras1_arguments(self, original: cst.Call, call: cst.Call, name: str) -> cst.Call:
        version, assumed = self.ctx.settings.legacy_version
        keras1 = version < (2, 0)
        for old, new in GENERATOR_KEYWORDS.items():
            arg = callargs.keyword(call, old)
            if arg is None:
                continue
            if new in WORKER_KEYWORDS and self.ctx.allows("KM614"):
                # KM614 (data_loading_args.py) drops or moves them under their Keras 1 name; renamed
                # here, a later pass would report the same argument again under its new name.
                continue
            if callargs.keyword(call, new) is not None:
                self.ctx.flag("KM223", original, f"both `{old}` and `{new}` given: keep `{new}` only")
                continue
            if old in ("samples_per_epoch", "nb_val_samples", "val_samples"):
                call = self._samples_to_steps(original, call, name, old, new, arg, keras1)
                continue
            call = callargs.rename_keyword(call, old, new)
            self.ctx.fixed("KM223", original, f"`{old}=` -> `{new}=`")
        return call

    def _samples_to_steps(self, original: cst.Call, call: cst.Call, name: str, old: str, new: str, arg: cst.Arg,
                          keras1: bool) -> cst.Call:  # fmt: skip
        """Keras 1 counted samples; Keras 2.2's shim converted them as below (interfaces.py)."""
        if old == "nb_val_samples":
            source = callargs.keyword(call, "validation_data")
        else:
            source = call.args[0] if call.args and call.args[0].keyword is None else callargs.keyword(call, "generator")
        batch = self.facts.batch_size(source.value, self._scopes) if source is not None else None
        samples = arg.value
        call = callargs.rename_keyword(call, old, new)
        if keras1:
            if batch is None or batch is _PLAIN_GENERATOR:
                self.ctx.flag("KM223", original, f"Keras 1 `{old}` counted samples, `{new}` counts "
                              f"batches: use `{new}=-(-{code(samples)} // batch_size)` with the "
                              "generator's batch size")
                return call
            steps = _ceil_div(samples, batch)
            self.ctx.fixed("KM223", original, f"`{old}={code(samples)}` -> `{new}={code(steps)}` (samples -> batches)")
            return callargs.replace_value(call, new, steps)
        if old != "samples_per_epoch":
            # Keras 2.x passed nb_val_samples/val_samples through unchanged: the legacy program
            # ran that many batches, and so does the migrated one.
            self.ctx.fixed("KM223", original, f"`{old}=` -> `{new}=` (Keras 2 ran {code(samples)} batches; "
                           f"Keras 1 meant samples){version_note(self.ctx)}")
            return call
        if batch is _PLAIN_GENERATOR:
            self.ctx.flag("KM223", original, f"Keras 2 ran samples_per_epoch={code(samples)} as "
                          f"{code(samples)} batches for a plain generator (kept); if samples were meant, "
                          f"use steps_per_epoch={code(samples)} // batch_size")
            return call
        if batch is None:
            self.ctx.flag("KM223", original, f"samples_per_epoch counted samples: set steps_per_epoch="
                          f"{code(samples)} // batch_size with the generator's batch size (Keras 2.2 did "
                          "that division when the generator had a batch_size attribute)")
            return call
        steps = _floor_div(samples, batch)
        self.ctx.fixed("KM223", original, f"`samples_per_epoch={code(samples)}` -> `steps_per_epoch={code(steps)}`")
        return callargs.replace_value(call, new, steps)

    # KM321-KM323: the generator methods (``_GENERATOR_METHODS``) rewritten by _generator_method.
    # Method name -> its rewrite, called as (fixer, original, updated, name) by ``leave_Call``.
    method_calls: ClassVar[dict[str, Callable[..., cst.BaseExpression]]] = {
        **dict.fromkeys(_GENERATOR_METHODS, _generator_method),
        "fit": lambda self, original, updated, name: self._fit(original, updated),
        "evaluate": _drop_workers,
        "predict": _drop_workers,
    }

    implements: ClassVar[tuple[str, ...]] = ("KM223", "KM230", "KM231", "KM321", "KM322", "KM323", "KM324")
