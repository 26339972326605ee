"""Which expressions are Keras symbolic tensors (KerasTensors once migrated), for KM625.

Symbolic: ``Input()``, a layer or model called on one (``Dense(3)(x)``, ``concatenate([a, b])``),
a model's or layer's ``input``/``output``, an element of its ``inputs``/``outputs``, a slice or an
arithmetic of one; a name all of whose bindings are symbolic, a loop variable over such a list, a
parameter of a plain function that every call in the file passes one.  Anything else (a TF op,
a backend call, a parameter of a layer's ``call()`` or a Lambda function) is not: there
``get_shape()`` still works.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from kmigrate.callargs import argument
from kmigrate.context import FileContext
from kmigrate.inference import Scope
from kmigrate.kinds import Kind

_MAX_DEPTH = 12


@dataclass
class SymbolicTensors:
    ctx: FileContext
    # (ctx.scopes.function_key, name, iterable) of the for loops and comprehensions around
    loops: list[tuple[int, str, cst.BaseExpression]]

    def is_symbolic(self, node: cst.BaseExpression) -> bool:
        return self._is(node, None, set())

    def _is(self, node: cst.BaseExpression, scope: Scope | None, active: set[int]) -> bool:
        """Is ``node`` a Keras symbolic tensor: Input(), a layer or model called on one (or a
        functional merge of them), a model's or layer's input/output, a slice or sum of one?"""
        if id(node) in active:
            return True  # x = Dense(3)(x): the other bindings decide
        if len(active) > _MAX_DEPTH:
            return False
        active = active | {id(node)}
        if isinstance(node, cst.Name):
            return self._symbolic_name(node, scope, active)
        if isinstance(node, cst.Call):
            api = self.ctx.api(node.func)
            if api is not None:
                if api.path in ("layers.Input", "Input"):
                    return True
                lowercase_layer = api.path.startswith("layers.") and api.leaf[:1].islower()  # concatenate([...])
                return lowercase_layer and self._symbolic_input(node, scope, active)
            function = self._own_function(node.func, scope)
            if function is not None:  # a helper of the file that builds a block: what it returns
                returns = [r for r in function.returns if not (isinstance(r, cst.Name) and r.value == "None")]
                return bool(returns) and all(self._is(r, function, active) for r in returns)
            called = self.ctx.kind_of(node.func)
            return called in (Kind.LAYER, Kind.MODEL) and self._symbolic_input(node, scope, active)
        if isinstance(node, cst.Attribute):
            return node.attr.value in ("input", "output") and self._keras_model_or_layer(node.value)
        if isinstance(node, cst.Subscript):
            return self._symbolic_list(node.value, scope, active) or self._is(node.value, scope, active)
        if isinstance(node, cst.BinaryOperation):
            return self._is(node.left, scope, active) or self._is(node.right, scope, active)
        return False

    def _symbolic_name(self, node: cst.Name, scope: Scope | None, active: set[int]) -> bool:
        if scope is None:
            key = self.ctx.scopes.function_key
            loop = next((it for k, name, it in reversed(self.loops) if k == key and name == node.value), None)
            if loop is not None:  # for x in model.inputs: ...
                return self._symbolic_list(loop, scope, active)
            scope = self.ctx.kinds.scanner.expression_scopes.get(id(node)) or self.ctx.kinds.current
        if scope is None:
            return False
        for where in scope.lookup_scopes():
            if node.value in where.params:
                return self._symbolic_parameter(node.value, where, active)
            values = where.assignments.get(node.value)
            if values is not None:
                return all(v is not None and self._is(v, where, active) for v in values)
        return False

    def _symbolic_parameter(self, name: str, function: Scope, active: set[int]) -> bool:
        """A parameter of a plain function that every call in the file passes a Keras tensor."""
        if not isinstance(function.node, cst.FunctionDef) or (function.parent and function.parent.is_class):
            return False
        calls = self.ctx.kinds.scanner.calls.get(function.node.name.value, [])
        position = function.params.index(name)
        passed = [(argument(call, name, position), where) for call, where in calls]
        return bool(passed) and all(v is not None and self._is(v, where, active) for v, where in passed)

    def _symbolic_input(self, call: cst.Call, scope: Scope | None, active: set[int]) -> bool:
        first = argument(call, "inputs", 0)
        if first is None:
            return False
        if isinstance(first, (cst.List, cst.Tuple)):
            return any(self._is(e.value, scope, active) for e in first.elements)
        return self._is(first, scope, active)

    def _symbolic_list(self, node: cst.BaseExpression, scope: Scope | None, active: set[int]) -> bool:
        """``model.inputs``/``outputs``, or a list literal of Keras tensors."""
        if isinstance(node, (cst.List, cst.Tuple)):
            return bool(node.elements) and all(self._is(e.value, scope, active) for e in node.elements)
        return isinstance(node, cst.Attribute) and node.attr.value in ("inputs", "outputs") \
            and self._keras_model_or_layer(node.value)

    def _keras_model_or_layer(self, node: cst.BaseExpression) -> bool:
        # Unknown too (a model parameter the harness or a caller elsewhere passes): the exact
        # rewrites give the same values on TF tensors, so only a marker could be spurious.
        return self.ctx.kind_of(node) in (Kind.MODEL, Kind.LAYER, Kind.UNKNOWN)

    def _own_function(self, func: cst.BaseExpression, scope: Scope | None) -> Scope | None:
        """The scope of the plain function of this file that ``func`` names."""
        if not isinstance(func, cst.Name):
            return None
        scope = scope or self.ctx.kinds.scanner.expression_scopes.get(id(func)) or self.ctx.kinds.current
        for where in scope.lookup_scopes() if scope is not None else ():
            if func.value in where.params or func.value in where.assignments:
                return None
            definition = where.definitions.get(func.value)
            if definition is not None:
                found = self.ctx.kinds.scanner.scopes.get(id(definition))
                return found if isinstance(definition, cst.FunctionDef) else None
        return None
