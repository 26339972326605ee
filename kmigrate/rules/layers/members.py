"""Members of layers and models that changed: node methods (``get_output_at``), ``_keras_shape``,
``uses_learning_phase``, ``state_updates``, inbound nodes, and what a Layer subclass must now do."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.context import FileContext
from kmigrate.kinds import Kind
from kmigrate.nodes import code
from kmigrate.rules.base import is_layer_subclass
from kmigrate.rules.layers.common import (
    _NODE_METHODS,
    _PRIVATE_RNN,
    LayersBase,
    _attribute_chain,
)
from kmigrate.rules.imports.uses import star_bound_module
from kmigrate.walk import find_all

# ``self.x = <module>.get(x)`` stores an object that get_config() must serialize back.
_SERIALIZABLE_GETTERS = frozenset({"regularizers.get", "initializers.get", "constraints.get", "activations.get"})


class LayerMembers(LayersBase):
    """Members of layers and models that changed: node methods (``get_output_at``), ``_keras_shape``,"""

    # -- methods on layers/models: get_output_at, add_update, add_loss(inputs=) ------------
    def _method_call(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression | None:
        func = call.func
        if not isinstance(func, cst.Attribute) or not isinstance(original.func, cst.Attribute) \
                or not self.ctx.involves_keras:
            return None
        name = func.attr.value
        if not self.ctx.keras_receiver(original.func.value, name):
            return None
        if name in _NODE_METHODS:
            if not self.ctx.allows("KM406"):
                return call
            replacement = _NODE_METHODS[name]
            index = call.args[0].value if len(call.args) == 1 and call.args[0].keyword is None else None
            if replacement is not None and isinstance(index, cst.Integer) and index.evaluated_value == 0:
                self.ctx.fixed("KM406", original, f"{name}(0) -> .{replacement}")
                return _attribute_chain(func.value, replacement)
            self.ctx.flag("KM406", original, f"{name}() is gone in Keras 3: node 0 is layer.output/"
                          "layer.input; other nodes of a shared layer have no public API (keep the "
                          "tensors returned by each call instead)")
            return call
        if name == "reset_states" and not call.args and self.ctx.target != "tf_keras":
            if not self.ctx.allows("KM420"):
                return call
            if self.ctx.kind_of(original.func.value) is not Kind.MODEL:
                if self.ctx.kind_of(original.func.value) is Kind.UNKNOWN:
                    self.ctx.flag("KM420", original, "if this is a model, reset each stateful layer "
                                  "(Keras 3 models have no reset_states)")
                return call
            receiver = code(func.value)
            self.ctx.fixed("KM420", original, "Model.reset_states() is gone in Keras 3: reset each "
                           "stateful layer, as Keras 2 did")
            return cst.parse_expression(
                f'[layer.reset_states() for layer in {receiver}.layers if getattr(layer, "stateful", False)]'
            ).with_changes(lpar=call.lpar, rpar=call.rpar)
        if name == "add_update":
            if self.ctx.allows("KM418"):
                self.ctx.flag("KM418", original, "Keras 3 has no add_update: assign inside call(), "
                              "e.g. self.var.assign(new_value), guarded by the `training` argument",
                              marker="assign in call() instead: self.var.assign(value), guarded by `training`")
            return call
        if name == "add_loss" and callargs.keyword(call, "inputs") is not None:
            if self.ctx.allows("KM419"):
                self.ctx.fixed("KM419", original, "dropped add_loss(inputs=) (removed in Keras 3)")
                return callargs.remove_keyword(call, "inputs")
            return call
        return None

    # -- attributes: _keras_shape, uses_learning_phase, state_updates ------------------------------
    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = original.attr.value
        if name not in ("_keras_shape", "uses_learning_phase", "state_updates", "inbound_nodes", "outbound_nodes"):
            return updated
        if not self.ctx.involves_keras or not self.ctx.keras_receiver(original.value, name):
            return updated
        if name == "_keras_shape":
            if not self.ctx.allows("KM407") or id(original) in self._targets:
                return updated
            int_shape = self.ctx.imports.reference("backend.int_shape")
            self.ctx.fixed("KM407", original, "._keras_shape -> backend.int_shape(...)")
            return cst.Call(func=int_shape, args=[cst.Arg(updated.value)], lpar=updated.lpar, rpar=updated.rpar)
        if name == "uses_learning_phase":
            if self.ctx.allows("KM420"):
                self.ctx.flag("KM420", original, "uses_learning_phase is gone: layers receive a "
                              "`training` argument in call(); decide this branch by hand")
            return updated
        if name == "state_updates":
            if self.ctx.allows("KM418"):
                self.ctx.flag("KM418", original, "state_updates is gone in Keras 3: reset or read "
                              "the state variables directly (layer.states / layer.reset_states())")
            return updated
        if self.ctx.allows("KM406"):
            self.ctx.flag("KM406", original, f"{name} is not public in Keras 3: keep the tensors "
                          "returned by each layer call instead of walking the graph")
        return updated

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        """C-L21: what a Keras 3 Layer subclass must do that Keras 2 let slide."""
        if not is_layer_subclass(self.ctx, original) or not isinstance(original.body, cst.IndentedBlock):
            return updated
        methods = {s.name.value: s for s in original.body.body if isinstance(s, cst.FunctionDef)}
        for assign in find_all(original.body, cst.Assign, m.Assign(targets=[m.AssignTarget(m.Attribute(value=m.Name("self")))])):
            value = assign.value
            if isinstance(value, cst.Call) and self.ctx.resolver.qualified_name(value.func) == "tensorflow.Variable":
                if self.ctx.allows("KM421"):
                    self.ctx.flag("KM421", value, "Keras 3 does not track a bare tf.Variable on a layer (not "
                                  "trained, not saved): create it with self.add_weight(shape=..., initializer=...)",
                                  marker="create it with self.add_weight(shape=..., initializer=...)")
        init = methods.get("__init__")
        if init is not None and "get_config" not in methods:
            params = init.params
            extra = [p.name.value for p in params.params[1:] if p.name.value not in ("name", "trainable", "dtype")]
            extra += [p.name.value for p in params.kwonly_params]
            if extra and self.ctx.allows("KM421"):
                listed = ", ".join(self._config_entry(init, p) for p in extra)
                self.ctx.flag("KM421", init, f"Keras 3 rebuilds layers from get_config() when loading: add "
                              f"`def get_config(self): return {{**super().get_config(), {listed}}}`",
                              marker=f"add get_config() returning {listed}" if len(listed) < 50 else "add get_config() returning the constructor arguments")
        return updated

    def _config_entry(self, init: cst.FunctionDef, param: str) -> str:
        """``'p': self.attr`` for the attribute ``__init__`` stores the argument in; a
        regularizer/initializer/constraint/activation it stored through ``<module>.get(p)`` is an
        object, which the config holds as ``<module>.serialize(self.attr)``."""
        for assign in find_all(init.body, cst.Assign, m.Assign(targets=[m.AssignTarget(m.Attribute(value=m.Name("self")))])):
            target = cst.ensure_type(assign.targets[0].target, cst.Attribute).attr.value
            value = assign.value
            if m.matches(value, m.Name(param)):
                return f"'{param}': self.{target}"
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.args \
                    and m.matches(value.args[0].value, m.Name(param)):
                api = self.ctx.api(value.func)
                path = api.path if api is not None else _star_bound_getter(self.ctx, value.func)
                if path in _SERIALIZABLE_GETTERS:
                    return f"'{param}': {code(value.func.value)}.serialize(self.{target})"
        return f"'{param}': self.{param}"

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            api = self.ctx.api(base.value)
            if api is not None and api.path in _PRIVATE_RNN and self.ctx.allows("KM417"):
                self.ctx.flag("KM417", base.value, f"{api.leaf} is gone: rewrite this as an RNN cell "
                              "(a Layer with state_size and call(inputs, states)) wrapped in "
                              "tf.keras.layers.RNN, or use ConvLSTM2D/LSTM directly")

    implements: ClassVar[tuple[str, ...]] = ("KM406", "KM420", "KM418", "KM419", "KM407", "KM421", "KM417")


def _star_bound_getter(ctx: FileContext, func: cst.BaseExpression) -> str | None:
    """``constraints.get`` where only a legacy star import binds ``constraints`` (KM120 imports
    it explicitly, so the next pass reads the same API: one message for one marker)."""
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        module = star_bound_module(ctx, func.value.value)
        if module is not None:
            return f"{module}.{func.attr.value}"
    return None
