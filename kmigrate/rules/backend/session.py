"""The TF 1 session: ``K.get_session()`` / ``K.set_session(...)``, the variable-initialiser
idiom and the allow_growth session setup (a block-level rewrite to tf.config memory growth)."""

from __future__ import annotations

from typing import Callable, ClassVar, Sequence

import libcst as cst

from kmigrate import match as m
from kmigrate.nodes import code
from kmigrate.rules.backend.common import (
    _GROWTH,
    _TF_CONFIGS,
    _TF_GPU_OPTIONS,
    _TF_INITIALIZERS,
    _TF_SESSIONS,
    BackendBase,
    _attribute_assignment,
    _last_assignment,
    _statement_call,
)
from kmigrate.rules.backend.scan import _is_call_to, backend_name
from kmigrate.rules.backend_table import (
    Entry,
    rule_id,
)  # fmt: skip


class SessionIdiom(BackendBase):
    """The TF 1 session: ``K.get_session()`` / ``K.set_session(...)``, the variable-initialiser"""

    def _call_get_session(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        self.ctx.flag(rule, original, entry.message)
        return updated

    def _call_set_session(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        self.ctx.flag(rule, original, entry.message)
        return updated

    # `K.get_session().run(tf.global_variables_initializer())`: TF 2 initialises on creation.
    def _init_idiom(self, call: cst.Call) -> None:
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "run" and _is_call_to(self.ctx, func.value, "get_session")):
            return
        if len(call.args) != 1 or not isinstance(call.args[0].value, cst.Call):
            return
        initializer = self.ctx.resolver.qualified_name(call.args[0].value.func)
        rule = rule_id("get_session")
        if initializer in _TF_INITIALIZERS and self.ctx.allows(rule):
            self._skip_calls.add(id(func.value))
            self._remove_calls.add(id(call))
            self.ctx.fixed(rule, call, "removed the TF 1 variable initialisation (TF 2 initialises variables on creation)")

    # -- the allow_growth session idiom (a block-level rewrite) ----------------------------------------
    def _plan_block(self, body: Sequence[cst.BaseStatement]) -> None:
        statements = list(body)
        for index, statement in enumerate(statements):
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            call = _statement_call(statement)
            if call is None or backend_name(self.ctx, call.func) != "set_session":
                continue
            rule = rule_id("set_session")
            if not self.ctx.allows(rule):
                continue
            plan = self._session_idiom(statements[:index], call)
            if plan is None:
                continue
            doomed, growth = plan
            for victim in doomed:
                self._plan[id(victim)] = "remove"
            if growth:
                gpu = self._fresh("gpu")
                loop = cst.parse_statement(_GROWTH.format(gpu=gpu, tf=self._tf()), config=self.ctx.module.config_for_parsing)
                self._plan[id(statement)] = loop.with_changes(leading_lines=statement.leading_lines)
            else:
                self._plan[id(statement)] = "remove"
            self._skip_calls.add(id(call))
            self.ctx.fixed(rule, call, "the TF 1 session setup -> tf.config" + (" memory growth" if growth else ""))
            # Planned at the block, rewritten when each statement is left: markers other families
            # put on these statements (KM904 on `tf.Session`) must know that code is going.
            for rewritten in (statement, *doomed):
                self.ctx.markers.rewrote(rewritten, rule)

    def _session_idiom(self, before: Sequence[cst.BaseStatement], call: cst.Call
                       ) -> tuple[list[cst.BaseStatement], bool] | None:  # fmt: skip
        if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
            return None
        resolver = self.ctx.resolver
        uses = self._scan.uses if self._scan else {}
        doomed: list[cst.BaseStatement] = []
        session = call.args[0].value
        if isinstance(session, cst.Name):
            assigned = _last_assignment(before, session.value)
            if assigned is None or uses.get(session.value, 0) != 2:
                return None
            doomed.append(assigned[0])
            session = assigned[1]
        if not isinstance(session, cst.Call) or resolver.qualified_name(session.func) not in _TF_SESSIONS:
            return None
        config_args = [a for a in session.args]
        if not config_args:
            return doomed, False
        if len(config_args) != 1 or (config_args[0].keyword and config_args[0].keyword.value != "config"):
            return None
        config = config_args[0].value
        growth = False
        if isinstance(config, cst.Name):
            assigned = _last_assignment(before, config.value)
            if assigned is None:
                return None
            doomed.append(assigned[0])
            settings = [(s, a) for s in before if (a := _attribute_assignment(s, config.value)) is not None]
            if uses.get(config.value, 0) != 2 + len(settings):
                return None
            for setting, assignment in settings:
                target, value = assignment.targets[0].target, assignment.value
                if code(target) != f"{config.value}.gpu_options.allow_growth" or not m.matches(value, m.Name("True")):
                    return None
                growth = True
                doomed.append(setting)
            config = assigned[1]
        if not isinstance(config, cst.Call) or resolver.qualified_name(config.func) not in _TF_CONFIGS:
            return None
        for arg in config.args:
            if arg.keyword is None:
                return None
            key = arg.keyword.value
            if key == "allow_soft_placement" and m.matches(arg.value, m.Name("True")):
                continue
            if key == "gpu_options" and isinstance(arg.value, cst.Call) \
                    and resolver.qualified_name(arg.value.func) in _TF_GPU_OPTIONS \
                    and len(arg.value.args) == 1 and arg.value.args[0].keyword is not None \
                    and arg.value.args[0].keyword.value == "allow_growth" \
                    and m.matches(arg.value.args[0].value, m.Name("True")):
                growth = True
                continue
            return None
        return doomed, growth

    # Table names (lower case) this concern rewrites -> the method that does it.
    special_calls: ClassVar[dict[str, Callable]] = {
        "get_session": _call_get_session,
        "set_session": _call_set_session,
    }
    implements: ClassVar[tuple[str, ...]] = tuple(rule_id(name) for name in special_calls)
