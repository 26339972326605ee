"""Optimizer constructors: ``lr=`` -> ``learning_rate=``, legacy defaults made explicit
(epsilon, Nadam's schedule), ``decay=`` -> an InverseTimeDecay schedule, learning-rate setters."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.names import Api
from kmigrate.nodes import code
from kmigrate.rules.optimizers.common import (
    _COMMA,
    _EQ,
    _KERAS3_DEFAULT_LR,
    _LOWERCASE,
    _NADAM_MARKER,
    _NADAM_MESSAGE,
    _TF2,
    EPSILON_INSIDE_SQRT,
    KERAS3_LEGACY_DEFAULTS,
    LEGACY_OPTIMIZERS,
    OptimizersBase,
    _add_first,
    flag_epsilon_placement,
    _number,
    _replace_arg,
    _signature,
    _strip,
    is_zero,
)
from kmigrate.rules.training_table import (
    has_double_star,
    has_single_star,
    number_literal,
    number_value,
    positional_count,
    version_note,
)


class OptimizerConstructors(OptimizersBase):
    """Optimizer constructors: ``lr=`` -> ``learning_rate=``, legacy defaults made explicit"""

    def _legacy_settings(self, cls: str, given_lr: bool, given_epsilon: float | None) -> list[tuple[str, str]]:
        """Keyword arguments that make a Keras 3 optimizer behave like the legacy default one."""
        out: list[tuple[str, str]] = []
        default_lr = LEGACY_OPTIMIZERS[cls][2]
        if not given_lr and default_lr != _KERAS3_DEFAULT_LR.get(cls, 0.001):
            out.append(("learning_rate", number_literal(default_lr)))
        for key, value in KERAS3_LEGACY_DEFAULTS.get(cls, {}).items():
            out.append((key, number_literal(value)))
        if cls in EPSILON_INSIDE_SQRT:
            eps = given_epsilon if given_epsilon is not None else self._legacy_epsilon()
            out.append(("epsilon", number_literal(eps * eps)))
        return out

    def _legacy_epsilon(self) -> float:
        version, _ = self.ctx.settings.legacy_version
        return 1e-8 if version < (2, 1, 3) else 1e-7

    # -- optimizer constructors -------------------------------------------------------------------
    def _constructor(self, original: cst.Call, call: cst.Call, api: Api, cls: str, legacy_namespace: bool) -> cst.Call:
        legacy = api.legacy
        version, _ = self.ctx.settings.legacy_version
        note = version_note(self.ctx) if legacy else ""
        if legacy_namespace and not legacy:
            if self.ctx.allows("KM312"):
                call = call.with_changes(func=self.ctx.imports.reference(f"optimizers.{cls}"))
                self.ctx.fixed("KM312", original, f"optimizers.legacy.{cls} -> optimizers.{cls}")
        elif legacy and api.leaf in _LOWERCASE and isinstance(original.func, cst.Attribute):
            if self.ctx.allows("KM307"):
                call = call.with_changes(func=self.ctx.imports.reference(f"optimizers.{cls}"))
                self.ctx.fixed("KM307", original, f"`{api.leaf}` -> `{cls}`")
        if has_single_star(call):
            if self.ctx.allows("KM303"):
                self.ctx.flag("KM303", original, f"{cls}(*args): bind the arguments to keywords of the "
                              f"legacy signature {_signature(cls, legacy, version)}, then rerun kmigrate")
            return call
        if has_double_star(call) and self.ctx.allows("KM301"):
            self.ctx.flag("KM301", original, f"{cls}(**kwargs): rename `lr` to `learning_rate` in the "
                          "mapping, and turn `decay` into learning_rate=InverseTimeDecay(lr, "
                          "decay_steps=1, decay_rate=decay)")
        # 1. positionals -> keywords of the legacy signature (the first, lr, means the same everywhere)
        names = _signature(cls, legacy, version)
        count = positional_count(call)
        if count > len(names):
            if self.ctx.allows("KM303"):
                self.ctx.flag("KM303", original, f"{cls} takes at most {len(names)} positional arguments "
                              f"{names}; check this call")
            return call
        if count > 1 and self.ctx.allows("KM303"):
            call = callargs.bind_positionals(call, names, keep=1)
            self.ctx.fixed("KM303", original, f"positional arguments of {cls} bound to {names[1:count]}{note}")
        # 2. lr -> learning_rate
        if callargs.keyword(call, "lr") is not None and self.ctx.allows("KM301"):
            if callargs.keyword(call, "learning_rate") is not None:
                self.ctx.flag("KM301", original, "both `lr` and `learning_rate` given: keep one `learning_rate`")
            else:
                call = callargs.rename_keyword(call, "lr", "learning_rate")
                self.ctx.fixed("KM301", original, "`lr=` -> `learning_rate=`")
        lr_arg = callargs.keyword(call, "learning_rate")
        lr_positional = count >= 1
        # 3. epsilon
        eps_arg = callargs.keyword(call, "epsilon")
        eps_none = eps_arg is not None and isinstance(eps_arg.value, cst.Name) and eps_arg.value.value == "None"
        if eps_none and self.ctx.allows("KM304"):
            call = callargs.remove_keyword(call, "epsilon")
            self.ctx.fixed("KM304", original, "`epsilon=None` (K.epsilon() = 1e-7) dropped")
            eps_arg = None
        if legacy and not legacy_namespace and self.ctx.allows("KM313"):
            call = self._epsilon(original, call, cls, eps_arg, eps_none)
        # 4. defaults Keras 3 changed
        if legacy and not legacy_namespace and self.ctx.allows("KM305"):
            if lr_arg is None and not lr_positional:
                default_lr = LEGACY_OPTIMIZERS[cls][2]
                if default_lr != _KERAS3_DEFAULT_LR.get(cls, 0.001):
                    call = _add_first(call, "learning_rate", _number(default_lr))
                    lr_arg = callargs.keyword(call, "learning_rate")
                    self.ctx.fixed("KM305", original, f"{cls}: legacy default learning_rate={default_lr} made explicit")
            if cls == "Adagrad" and callargs.keyword(call, "initial_accumulator_value") is None:
                call = callargs.add_keyword(call, "initial_accumulator_value", cst.Float("0.0"))
                self.ctx.fixed("KM305", original, "Adagrad: legacy accumulators started at 0 (Keras 3: 0.1)")
        # 5. decay -> schedule
        decay_arg = callargs.keyword(call, "decay")
        if decay_arg is not None and self.ctx.allows("KM302"):
            call = self._decay(original, call, cls, legacy, lr_positional)
        # 6. Nadam
        if cls == "Nadam" and (legacy or callargs.keyword(call, "schedule_decay") is not None) and self.ctx.allows("KM306"):
            if callargs.keyword(call, "schedule_decay") is not None:
                call = callargs.remove_keyword(call, "schedule_decay")
            self.ctx.flag("KM306", original, _NADAM_MESSAGE, marker=_NADAM_MARKER)
        return call

    def _epsilon(self, original: cst.Call, call: cst.Call, cls: str, eps_arg: cst.Arg | None, eps_none: bool) -> cst.Call:
        version, assumed = self.ctx.settings.legacy_version
        if cls in EPSILON_INSIDE_SQRT:
            if eps_arg is None:
                value = self._legacy_epsilon()
                call = callargs.add_keyword(call, "epsilon", _number(value * value))
                self.ctx.fixed("KM313", original, f"{cls}: legacy sqrt(v) + {value} is approached by "
                               f"Keras 3 sqrt(v + {number_literal(value * value)})")
                flag_epsilon_placement(self.ctx, original, cls)
                return call
            given = number_value(eps_arg.value)
            if given is not None:
                new: cst.BaseExpression = _number(given * given)
            else:
                inner = eps_arg.value
                if not isinstance(inner, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
                    inner = inner.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                new = cst.BinaryOperation(left=inner, operator=cst.Power(), right=cst.Integer("2"))
            if code(new) == code(eps_arg.value):
                return call
            self.ctx.fixed("KM313", original, f"{cls}: legacy added epsilon after the square root, "
                           "Keras 3 adds it inside: squared to come closest to the legacy updates")
            flag_epsilon_placement(self.ctx, original, cls)
            return callargs.replace_value(call, "epsilon", new)
        if eps_arg is None and not eps_none and not assumed and version < (2, 1, 3):
            call = callargs.add_keyword(call, "epsilon", cst.Float("1e-08"))
            self.ctx.fixed("KM313", original, f"{cls}: Keras {'.'.join(map(str, version))} defaulted to epsilon=1e-8")
        return call

    def _decay(self, original: cst.Call, call: cst.Call, cls: str, legacy: bool, lr_positional: bool) -> cst.Call:
        decay_arg = callargs.keyword(call, "decay")
        assert decay_arg is not None
        if is_zero(decay_arg.value):
            self.ctx.fixed("KM302", original, "`decay=0` dropped (no decay)")
            return callargs.remove_keyword(call, "decay")
        lr_arg = callargs.keyword(call, "learning_rate")
        if lr_arg is not None:
            lr_value = lr_arg.value
        elif lr_positional:
            lr_value = call.args[0].value
        else:
            default = LEGACY_OPTIMIZERS[cls][2] if legacy else _TF2[cls][1]
            lr_value = _number(default)
        if isinstance(lr_value, cst.Call) and "Decay" in code(lr_value.func):
            return call  # already a schedule
        schedule = cst.Call(
            func=self.ctx.imports.reference("optimizers.schedules.InverseTimeDecay"),
            args=[
                cst.Arg(value=_strip(lr_value), comma=_COMMA),
                cst.Arg(keyword=cst.Name("decay_steps"), value=cst.Integer("1"), equal=_EQ, comma=_COMMA),
                cst.Arg(keyword=cst.Name("decay_rate"), value=_strip(decay_arg.value), equal=_EQ),
            ],
        )
        if lr_arg is not None:
            call = callargs.replace_value(call, "learning_rate", schedule)
        elif lr_positional:
            args = list(call.args)
            args[0] = args[0].with_changes(value=schedule)
            call = call.with_changes(args=args)
        else:
            call = _replace_arg(call, decay_arg, "learning_rate", schedule)
            self.ctx.fixed("KM302", original, f"decay -> learning_rate=InverseTimeDecay({code(lr_value)}, "
                           f"decay_steps=1, decay_rate={code(decay_arg.value)})")
            return self._flag_lr_setters(original, call)
        call = callargs.remove_keyword(call, "decay")
        self.ctx.fixed("KM302", original, f"decay -> learning_rate=InverseTimeDecay({code(lr_value)}, "
                       f"decay_steps=1, decay_rate={code(decay_arg.value)})")
        return self._flag_lr_setters(original, call)

    def _flag_lr_setters(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if self._file_sets_lr():
            self.ctx.flag("KM302", original, "the learning rate is now a schedule, which "
                          "LearningRateScheduler/ReduceLROnPlateau/set_value cannot change (TypeError): "
                          "fold that logic into the schedule, or keep a float learning_rate and apply "
                          "lr / (1 + decay * iterations) yourself")
        return call

    implements: ClassVar[tuple[str, ...]] = ("KM312", "KM307", "KM303", "KM301", "KM304", "KM313", "KM305", "KM302", "KM306")
