"""``K.function`` (a ``k_function`` helper that builds a sub-model) and the learning phase
(``K.learning_phase``, ``K.set_learning_phase``, ``K.in_train_phase`` / ``K.in_test_phase``)."""

from __future__ import annotations

from typing import Callable, ClassVar

import libcst as cst

from kmigrate import match as m
from kmigrate.callargs import bind_positionals, has_star_args
from kmigrate.nodes import code
from kmigrate.scopes import ScopeKind
from kmigrate.rules.backend.common import (
    _HELPER,
    BackendBase,
    _empty,
    _fix_elements,
    _has_params,
    _literal_arg,
)
from kmigrate.rules.backend.scan import _is_call_to, backend_name
from kmigrate.rules.backend_table import (
    Entry,
    rule_id,
)  # fmt: skip
from kmigrate.walk import find_all


class FunctionAndLearningPhase(BackendBase):
    """``K.function`` (a ``k_function`` helper that builds a sub-model) and the learning phase"""

    # -- special rewrites (one method per table name) ---------------------------------------------
    def _call_function(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        problem, rewritten = self._k_function(original, updated)
        if problem:
            self.ctx.flag(rule, original, problem)
            return updated
        self.ctx.imports.add_definition(
            self._helper_name, _HELPER.format(name=self._helper_name, tf=self._tf())
        )
        self.ctx.fixed(rule, original, f"`K.{entry.name}` -> `{self._helper_name}` (a sub-model)")
        return rewritten

    def _k_function(self, original: cst.Call, updated: cst.Call) -> tuple[str, cst.BaseExpression]:
        replacement = ("build a sub-model: `sub = tf.keras.Model(model.inputs, [layer.output])` and call "
                       "`sub(x, training=False)`")
        if has_star_args(updated):
            return f"K.function with *args: {replacement}", updated
        bound = bind_positionals(updated, ("inputs", "outputs", "updates"))
        args = {a.keyword.value: a for a in bound.args if a.keyword}
        unknown = set(args) - {"inputs", "outputs", "updates", "name"}
        if "inputs" not in args or "outputs" not in args or unknown:
            return f"K.function with {', '.join(sorted(unknown)) or 'these arguments'}: {replacement}", updated
        updates = args.get("updates")
        if updates is not None and not _empty(updates.value):
            return ("K.function with updates= runs training ops: write the step with tf.GradientTape "
                    "(or model.train_on_batch)"), updated
        original_bound = bind_positionals(original, ("inputs", "outputs", "updates"))
        original_args = {a.keyword.value: a.value for a in original_bound.args if a.keyword}
        if self._touches_symbolic_values(original_args["inputs"]) or self._touches_symbolic_values(original_args["outputs"]):
            return ("K.function over gradients or placeholders has no sub-model equivalent: compute the "
                    "values eagerly (tf.GradientTape for gradients, a plain function for placeholders)"), updated
        if self._calls_backend(original_args["outputs"]):
            return ("K.function outputs computed with backend ops on symbolic tensors: wrap the ops in a "
                    "Lambda layer, then `" + self._helper_name + "(inputs, outputs)`"), updated
        inputs, index = self._function_inputs(original_args["inputs"], args["inputs"].value)
        if inputs is None:
            return f"K.function inputs this rewrite cannot follow: {replacement}", updated
        outputs = self._function_outputs(original_args["outputs"], args["outputs"].value)
        new_args = [cst.Arg(inputs), cst.Arg(outputs)]
        if index is not None:
            new_args.append(cst.Arg(cst.Integer(str(index)) if index >= 0 else cst.parse_expression(str(index)),
                                    keyword=cst.Name("learning_phase_index"),
                                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
        new_args = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in new_args[:-1]] + new_args[-1:]
        return "", updated.with_changes(func=cst.Name(self._helper_name), args=new_args)

    def _touches_symbolic_values(self, node: cst.CSTNode) -> bool:
        tainted = self._scan.tainted if self._scan else set()
        found = find_all(node, (cst.Name, cst.Call))
        for item in found:
            if isinstance(item, cst.Name) and item.value in tainted:
                return True
            if isinstance(item, cst.Call) and backend_name(self.ctx, item.func) in ("gradients", "placeholder"):
                return True
        return False

    def _calls_backend(self, node: cst.CSTNode) -> bool:
        return any(isinstance(c, cst.Call) and backend_name(self.ctx, c.func) is not None for c in find_all(node, cst.Call))

    def _function_inputs(self, original: cst.BaseExpression, updated: cst.BaseExpression
                         ) -> tuple[cst.BaseExpression, int | None] | tuple[None, None]:  # fmt: skip
        """(new inputs expression, index of K.learning_phase() or None); (None, None) if unclear."""
        if isinstance(original, (cst.List, cst.Tuple)) and isinstance(updated, (cst.List, cst.Tuple)):
            elements = []
            index = None
            count = len(original.elements)
            for position, (old, new) in enumerate(zip(original.elements, updated.elements)):
                if isinstance(old, cst.StarredElement):
                    return None, None
                if _is_call_to(self.ctx, old.value, "learning_phase"):
                    if index is not None:
                        return None, None
                    index = -1 if position == count - 1 else position
                    continue
                elements.append(new.with_changes(value=self._model_io(old.value, new.value, "input", element=True)))
            elements = _fix_elements(elements)
            if isinstance(updated, cst.List):
                return updated.with_changes(elements=elements), index
            return cst.List(elements=elements), index
        if isinstance(original, cst.BinaryOperation) and isinstance(original.operator, cst.Add) \
                and isinstance(original.right, cst.List) and len(original.right.elements) == 1 \
                and _is_call_to(self.ctx, original.right.elements[0].value, "learning_phase"):
            left = updated.left if isinstance(updated, cst.BinaryOperation) else updated
            return self._model_io(original.left, left, "input", element=False), -1
        if any(_is_call_to(self.ctx, c, "learning_phase") for c in find_all(original, cst.Call)):
            return None, None
        return self._model_io(original, updated, "input", element=False), None

    def _function_outputs(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(original, (cst.List, cst.Tuple)) and isinstance(updated, (cst.List, cst.Tuple)):
            elements = [
                new.with_changes(value=self._model_io(old.value, new.value, "output", element=True))
                if not isinstance(old, cst.StarredElement) else new
                for old, new in zip(original.elements, updated.elements)
            ]
            return updated.with_changes(elements=elements)
        return self._model_io(original, updated, "output", element=False)

    def _model_io(self, original: cst.BaseExpression, updated: cst.BaseExpression, which: str,
                  element: bool) -> cst.BaseExpression:  # fmt: skip
        """``model.input`` -> ``model.inputs[0]`` (or ``model.inputs``): Sequential has no .input."""
        if not (isinstance(original, cst.Attribute) and isinstance(updated, cst.Attribute)
                and original.attr.value == which):  # fmt: skip
            return updated
        owner = self._owner_kind(original.value)
        if owner == "layer" or (owner is None and which == "output"):
            return updated
        receiver = code(updated.value)
        return cst.parse_expression(f"{receiver}.{which}s[0]" if element else f"{receiver}.{which}s")

    def _owner_kind(self, node: cst.BaseExpression) -> str | None:
        if m.matches(node, m.Subscript(value=m.Attribute(attr=m.Name("layers")))):
            return "layer"
        if m.matches(node, m.Call(func=m.Attribute(attr=m.Name("get_layer")))):
            return "layer"
        scan = self._scan
        if isinstance(node, cst.Name):
            if scan and node.value in scan.layers:
                return "layer"
            if scan and node.value in scan.models or "model" in node.value.lower():
                return "model"
            return None
        if isinstance(node, cst.Attribute) and "model" in node.attr.value.lower():
            return "model"
        return None

    def _call_learning_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        self.ctx.flag(rule, original, entry.message)
        return updated

    def _call_set_learning_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        value = _literal_arg(original, 0, "value")
        trains = self._scan.trains if self._scan else True
        if id(original) in self._statement_calls and value in (0, False) and not trains:
            self._remove_calls.add(id(original))
            self.ctx.fixed(rule, original, "removed `K.set_learning_phase(0)` (inference is the default)")
            return updated
        if value in (0, False):
            message = ("K.set_learning_phase(0) also made fit() train without Dropout and with frozen "
                       "BatchNormalization statistics: delete it and, if that was intended, set those "
                       "layers' `trainable`/`rate`; predict/evaluate already run in inference mode")
        else:
            message = entry.message
        self.ctx.flag(rule, original, message)
        return updated

    def _phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call, train: bool) -> cst.BaseExpression:
        if has_star_args(updated):
            self.ctx.flag(rule, original, entry.message)
            return updated
        bound = bind_positionals(updated, entry.params)
        args = {a.keyword.value: a.value for a in bound.args if a.keyword}
        training = args.get("training")
        function = self.ctx.scopes.function
        params = {p.name.value for p in function.params.params} if function else set()
        params |= {p.name.value for p in function.params.kwonly_params} if function else set()
        if set(args) != {"x", "alt", "training"} or not isinstance(training, cst.Name) or training.value not in params:
            self.ctx.flag(rule, original, entry.message)
            return updated
        if not self._in_layer_call():
            # A helper's `training=None`: callers that leave it out got the learning phase (True in
            # fit()); `None if training else ...` would take the inference branch there.
            self.ctx.flag(
                rule, original,
                f"`{training.value}` is a parameter of `{function.name.value if function else '?'}`, not of a "
                f"layer's call(): where callers leave it None, legacy Keras used the learning phase (training in "
                f"fit()); pass the layer's own `training` down and write `x if training else alt`",
                marker="pass the layer's training flag down: None here meant the learning phase",
            )  # fmt: skip
            return updated
        branches = []
        for key in ("x", "alt"):
            value = args[key]
            if isinstance(value, cst.Lambda) and not _has_params(value.params):
                value = value.body
            elif isinstance(value, cst.Name) and self._scan and value.value in self._scan.functions:
                self.ctx.flag(rule, original, entry.message)
                return updated
            if isinstance(value, (cst.IfExp, cst.Lambda)) and not value.lpar:
                value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            branches.append(value)
        chosen, other = branches if train else branches[::-1]
        self.ctx.fixed(rule, original, f"`K.{entry.name}(...)` -> a conditional on `{training.value}`")
        return cst.IfExp(
            test=training, body=chosen, orelse=other,
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()],
        )

    def _in_layer_call(self) -> bool:
        """Directly in a class's `call` method (lambdas inside it allowed): Keras 3 gives its
        `training` argument a bool, as the learning phase did."""
        frames = list(self.ctx.scopes.frames)
        for index in range(len(frames) - 1, -1, -1):
            if frames[index].kind is ScopeKind.FUNCTION:
                return frames[index].name == "call" and index > 0 and frames[index - 1].kind is ScopeKind.CLASS
        return False

    def _call_in_train_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        return self._phase(entry, rule, original, updated, train=True)

    def _call_in_test_phase(self, entry: Entry, rule: str, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        return self._phase(entry, rule, original, updated, train=False)

    # Table names (lower case) this concern rewrites -> the method that does it.
    special_calls: ClassVar[dict[str, Callable]] = {
        "function": _call_function,
        "learning_phase": _call_learning_phase,
        "set_learning_phase": _call_set_learning_phase,
        "in_train_phase": _call_in_train_phase,
        "in_test_phase": _call_in_test_phase,
    }
    implements: ClassVar[tuple[str, ...]] = tuple(rule_id(name) for name in ("Function", *special_calls))
