"""KM606/KM607: shape and input attributes that Keras 3 layers and Sequential models lack.

Measured on TF 2.21 / Keras 3.15: ``Layer`` has no ``output_shape``/``input_shape`` (models
still have both); a ``Sequential`` whose first layer got ``input_shape=`` is built and has
``inputs``/``outputs``/``input_shape``, but ``.input``/``.output`` raise "has never been called"
until the model is called on a tensor, even with an explicit leading ``Input``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.context import FileContext
from kmigrate.kinds import Kind
from kmigrate.rules.base import Fixer, FixSafety, Rule
from kmigrate.rules.symbolic_tensors import SymbolicTensors
from kmigrate.rules.training.facts import _FileFacts, scopes_around

RULES = (
    Rule(
        id="KM606",
        name="layer-shape-attributes",
        summary="`layer.output_shape`/`layer.input_shape` become `layer.output.shape`/`layer.input.shape`.",
        before=(
            "from keras.layers import Dense, Input\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "hidden = Dense(3)\n"
            "y = hidden(x)\n"
            "print(hidden.output_shape)"
        ),
        after=(
            "from tensorflow.keras.layers import Dense, Input\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "hidden = Dense(3)\n"
            "y = hidden(x)\n"
            "print(hidden.output.shape)"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "Keras 3 layers have no output_shape/input_shape (models keep them). The shape of the layer's "
            "first output is the same tuple, None for the batch. Rewritten when the layer is built in view "
            "by a single-input, single-output Keras layer class; layers that may return or take several "
            "tensors (RNNs with return_state, Lambda, merge layers) and layers of unknown class "
            "(model.layers[i]) are marked."
        ),
        catalog=(),
        tf_keras=False,
    ),
    Rule(
        id="KM607",
        name="sequential-input-output",
        summary=(
            "`model.input`/`model.output` of a Sequential given an input shape become "
            "`model.inputs[0]`/`model.outputs[0]`."
        ),
        before=(
            "from keras.models import Sequential, Model\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(8, input_shape=(4,)), Dense(1)])\n"
            "features = Model(model.input, model.layers[0].output)"
        ),
        after=(
            "from tensorflow.keras.models import Sequential, Model\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(8, input_shape=(4,)), Dense(1)])\n"
            "features = Model(model.inputs[0], model.layers[0].output)"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "A Keras 3 Sequential built from its first layer's input_shape has inputs/outputs but no "
            "input/output until it is called (AttributeError), explicit Input or not. Legacy "
            "Sequential.input was its own input tensor, which inputs[0] is. A Sequential without a visible "
            "input shape is marked, and so is a model the file does not show being built (a parameter, a "
            "loaded model) in a file that builds a Sequential or loads a model: loaded Sequentials have no "
            ".input either."
        ),
        catalog=(),
        tf_keras=False,
    ),
    Rule(
        id="KM625",
        name="keras-tensor-get-shape",
        summary=(
            "`x.get_shape()` of a Keras symbolic tensor: `.as_list()`, `int(...[i])`, `len(...)` and "
            "`.ndims` become `list(x.shape)`, `int(x.shape[i])` and `len(x.shape)` (and `x.shape.as_list()` "
            "`list(x.shape)`); other uses are marked. `get_shape()[i].value` and `.shape[i].value` of any "
            "tensor become `.shape[i]`."
        ),
        before=(
            "from keras.layers import Dense, Input\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = Dense(3)(x)\n"
            "print(y.get_shape().as_list(), y.get_shape()[1].value)"
        ),
        after=(
            "from tensorflow.keras.layers import Dense, Input\n"
            "\n"
            "x = Input(shape=(4,))\n"
            "y = Dense(3)(x)\n"
            "print(list(y.shape), y.shape[1])"
        ),
        safety=FixSafety.CONTEXT,
        safety_note=(
            "A Keras 3 KerasTensor (what Input(), a layer or model called on one, and model.inputs/"
            "outputs give) has no get_shape() (AttributeError; measured on TF 2.21), and its .shape is "
            "a tuple of ints and None where legacy get_shape() was a TF1 TensorShape of Dimensions. So "
            "get_shape().as_list() becomes list(x.shape), int(get_shape()[i]) int(x.shape[i]), len() "
            "and .ndims len(x.shape), and x.shape.as_list() list(x.shape): the same values on both sides. Applied where the file shows the "
            "tensor comes from Input(), a layer, model or helper function called on such a tensor, or a "
            "model's input/output(s); other uses of its get_shape() (a bare Dimension, iteration, "
            "printing) are marked. get_shape() of TF tensors (in a layer's call(), a Lambda function, "
            "tf ops) still works and is left alone, except Dimension.value: TF 2 dimensions are plain "
            "ints, so t.get_shape()[i].value and t.shape[i].value become t.shape[i] whatever t is "
            "(the same int or None), and shape[i].value becomes shape[i] where every binding of shape "
            "is a get_shape() or .shape. Under tf_keras, whose KerasTensors keep get_shape(), nothing is "
            "marked."
        ),
        catalog=(),
    ),
)

_SHAPES = {"output_shape": "output", "input_shape": "input"}
_IO = {"input": "inputs", "output": "outputs"}
# Layers that may return several tensors (return_state) or always take several inputs.
_MULTI_OUTPUT = frozenset({"LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM2D",
                           "CuDNNLSTM", "CuDNNGRU", "Lambda"})  # fmt: skip
_MULTI_INPUT = frozenset({"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
                          "Concatenate", "Dot", "Merge", "Lambda", "Attention", "AdditiveAttention"})  # fmt: skip
_INPUT_SPEC = ("input_shape", "input_dim", "batch_input_shape")
_LOADERS = ("models.load_model", "saving.load_model")


@dataclass
class ShapeAttributeFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"_shape", b".input", b".output")

    _facts: _FileFacts | None = None
    _sources: _ModelSources | None = None
    _targets: set[int] = field(default_factory=set)
    _subscripted: set[int] = field(default_factory=set)  # `model.input[0]`: several inputs, not a Sequential
    _covered: set[int] = field(default_factory=set)  # get_shape() calls inside an exact KM625 form
    _loops: list[tuple[int, str, cst.BaseExpression]] = field(default_factory=list)  # (def key, name, iterable)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._facts = self.ctx.shared_scanner(_FileFacts)  # one scan for the families that read it
        self._sources = _ModelSources(self.ctx)
        return (self._facts, self._sources)

    @property
    def facts(self) -> _FileFacts:
        if self._facts is None:  # used outside the pipeline: scan now
            self._facts = _FileFacts.scanned_alone(self.ctx)
        return self._facts

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets.add(id(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets.add(id(node.target))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._subscripted.add(id(node.value))

    # -- KM625: get_shape() of Keras symbolic tensors -----------------------------------------
    def visit_For(self, node: cst.For) -> None:
        self._push_loop(node.target, node.iter)

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.For:
        self._pop_loop(original.target)
        return updated

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._push_comprehension(node.for_in)

    def leave_ListComp(self, original: cst.ListComp, updated: cst.ListComp) -> cst.BaseExpression:
        self._pop_comprehension(original.for_in)
        return updated

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._push_comprehension(node.for_in)

    def leave_GeneratorExp(self, original: cst.GeneratorExp, updated: cst.GeneratorExp) -> cst.BaseExpression:
        self._pop_comprehension(original.for_in)
        return updated

    def _push_comprehension(self, comp: cst.CompFor | None) -> None:
        while comp is not None:
            self._push_loop(comp.target, comp.iter)
            comp = comp.inner_for_in

    def _pop_comprehension(self, comp: cst.CompFor | None) -> None:
        while comp is not None:
            self._pop_loop(comp.target)
            comp = comp.inner_for_in

    def _push_loop(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._loops.append((self.ctx.scopes.function_key, target.value, iterable))

    def _pop_loop(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name) and self._loops:
            self._loops.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            if func.attr.value == "as_list" and not node.args and _is_get_shape(func.value):
                self._covered.add(id(func.value))
        elif isinstance(func, cst.Name) and func.value == "len" and len(node.args) == 1 \
                and _is_get_shape(node.args[0].value):
            self._covered.add(id(node.args[0].value))
        elif isinstance(func, cst.Name) and func.value == "int" and len(node.args) == 1:
            call = _dimension_of_get_shape(node.args[0].value)  # int(t.get_shape()[i])
            if call is not None:
                self._covered.add(id(call))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr == "ndims" and _is_get_shape(node.value):
            self._covered.add(id(node.value))
        elif attr == "value" and _dimension_of_get_shape(node.value) is not None:
            self._covered.add(id(_dimension_of_get_shape(node.value)))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if isinstance(func, cst.Name):
            if func.value == "len" and len(original.args) == 1 and id(original.args[0].value) in self._covered \
                    and self._keras_tensor_shape(original.args[0].value):
                return self._shape_rewrite(original, updated, "len(get_shape()) -> len(.shape)",
                                           lambda shape: updated.with_changes(args=[cst.Arg(shape)]))
            call = _dimension_of_get_shape(original.args[0].value) if func.value == "int" and len(original.args) == 1 else None
            dimension = updated.args[0].value if updated.args else None
            if call is not None and id(call) in self._covered and isinstance(dimension, cst.Subscript) \
                    and self._keras_tensor_shape(call):
                return self._shape_rewrite(original, dimension, "int(get_shape()[i]) -> int(.shape[i])",
                                           lambda shape: updated.with_changes(args=[cst.Arg(dimension.with_changes(value=shape))]))
            return updated
        if not isinstance(func, cst.Attribute):
            return updated
        if func.attr.value == "get_shape":
            if id(original) not in self._covered and not original.args and self.ctx.target != "tf_keras" \
                    and self._keras_tensor_shape(original):
                self.ctx.flag("KM625", original, "use .shape, a tuple of ints and None (legacy get_shape() gave a "
                              "TensorShape of Dimensions): Keras 3 tensors have no get_shape()",
                              marker="use .shape (ints/None): Keras 3 tensors have no get_shape()")
            return updated
        if func.attr.value == "as_list" and id(func.value) in self._covered and self._keras_tensor_shape(func.value):
            return self._shape_rewrite(original, updated, "get_shape().as_list() -> list(.shape)", lambda shape: cst.Call(
                func=cst.Name("list"), args=[cst.Arg(shape)], lpar=updated.lpar, rpar=updated.rpar))
        shape = func.value
        if func.attr.value == "as_list" and not original.args and isinstance(shape, cst.Attribute) \
                and shape.attr.value == "shape" and isinstance(updated.func, cst.Attribute) \
                and self.ctx.involves_keras and self.ctx.allows("KM625") \
                and SymbolicTensors(self.ctx, self._loops).is_symbolic(shape.value):
            # t.shape.as_list(): legacy .shape was the TensorShape, a KerasTensor's is a tuple
            self.ctx.fixed("KM625", original, ".shape.as_list() -> list(.shape) (a Keras 3 tensor's shape is a tuple)")
            return cst.Call(func=cst.Name("list"), args=[cst.Arg(updated.func.value)], lpar=updated.lpar, rpar=updated.rpar)
        return updated

    def _keras_shape_attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        """``get_shape().ndims`` -> ``len(.shape)``; ``get_shape()[i].value`` -> ``.shape[i]``."""
        if original.attr.value == "ndims":
            call = original.value
            if id(call) in self._covered and self._keras_tensor_shape(call):
                return self._shape_rewrite(original, updated, "get_shape().ndims -> len(.shape)", lambda shape: cst.Call(
                    func=cst.Name("len"), args=[cst.Arg(shape)], lpar=updated.lpar, rpar=updated.rpar))
            return updated
        index = original.value
        if (_is_shape_attribute_index(index) or self._names_a_tensor_shape(index)) and self.ctx.involves_keras \
                and self.ctx.allows("KM625") and isinstance(updated.value, cst.Subscript):
            # t.shape[i].value: legacy TensorShape Dimension; TF 2.x and Keras 3 give the int itself
            self.ctx.fixed("KM625", original, ".shape[i].value -> .shape[i] (TF 2 dimensions are ints or None)")
            return updated.value.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        dimension_of = _dimension_of_get_shape(index)
        # t.get_shape()[i].value breaks on every tensor (TF 2 dimensions are ints): rewritten
        # whatever t is, since t.shape[i] is that int for TF tensors and Keras tensors alike
        if dimension_of is None or id(dimension_of) not in self._covered \
                or not self._keras_tensor_shape(dimension_of, any_tensor=True):
            return updated
        inner = updated.value
        if not isinstance(inner, cst.Subscript):
            return updated
        return self._shape_rewrite(original, updated, "get_shape()[i].value -> .shape[i]",
                                   lambda shape: inner.with_changes(value=shape, lpar=updated.lpar, rpar=updated.rpar))

    def _names_a_tensor_shape(self, index: cst.BaseExpression) -> bool:
        """``shape[i]`` where every binding of ``shape`` is ``t.get_shape()`` or ``t.shape``."""
        if not isinstance(index, cst.Subscript) or len(index.slice) != 1 \
                or not isinstance(index.slice[0].slice, cst.Index) or not isinstance(index.value, cst.Name):
            return False
        name = index.value
        scope = self.ctx.kinds.scanner.expression_scopes.get(id(name)) or self.ctx.kinds.current
        for where in scope.lookup_scopes() if scope is not None else ():
            if name.value in where.params:
                return False
            values = where.assignments.get(name.value)
            if values is not None:
                return all(v is not None and (_is_get_shape(v) or (isinstance(v, cst.Attribute)
                           and v.attr.value == "shape")) for v in values)  # fmt: skip
        return False

    def _keras_tensor_shape(self, call: cst.BaseExpression, any_tensor: bool = False) -> bool:
        """``call`` is ``t.get_shape()`` of a tensor the file shows to be a Keras symbolic tensor."""
        if not _is_get_shape(call) or not self.ctx.involves_keras or not self.ctx.allows("KM625"):
            return False
        if any_tensor:
            return True
        return SymbolicTensors(self.ctx, self._loops).is_symbolic(
            cst.ensure_type(cst.ensure_type(call, cst.Call).func, cst.Attribute).value)

    def _shape_rewrite(self, original: cst.CSTNode, updated: cst.CSTNode, message: str,
                       build: Callable[[cst.BaseExpression], cst.BaseExpression]) -> cst.BaseExpression:
        """Find the rewritten ``t.get_shape()`` inside ``updated`` and rebuild with ``t.shape``."""
        found = _get_shape_call_in(updated)
        if found is None:
            assert isinstance(updated, cst.BaseExpression)  # every caller passes an expression
            return updated
        shape = cst.Attribute(value=cst.ensure_type(found.func, cst.Attribute).value, attr=cst.Name("shape"))
        self.ctx.fixed("KM625", original, message + " (Keras 3 tensors have no get_shape())")
        return build(shape)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = original.attr.value
        if attr in ("value", "ndims"):
            return self._keras_shape_attribute(original, updated)
        if attr not in _SHAPES and attr not in _IO or id(original) in self._targets:
            return updated
        if not self.ctx.involves_keras:
            return updated
        if attr in _SHAPES:
            return self._shape(original, updated, attr)
        return self._sequential_io(original, updated, attr)

    # -- KM606 ------------------------------------------------------------------------------------
    def _shape(self, original: cst.Attribute, updated: cst.Attribute, attr: str) -> cst.BaseExpression:
        receiver = original.value
        if not self.ctx.allows("KM606") or not self.ctx.keras_receiver(receiver, attr):
            return updated
        kind = self.ctx.kind_of(receiver).value
        if kind == "model":
            return updated  # Keras 3 models still have input_shape/output_shape
        tensor = _SHAPES[attr]
        layer = self._constructed_layer(receiver)
        visibly_layer = kind == "layer" or _visibly_a_layer(receiver) or layer is not None
        if layer is not None and _single(layer, tensor):
            self.ctx.fixed("KM606", original, f".{attr} -> .{tensor}.shape (Keras 3 layers have no {attr})")
            inner = cst.Attribute(value=updated.value, attr=cst.Name(tensor))
            return cst.Attribute(value=inner, attr=cst.Name("shape"), lpar=updated.lpar, rpar=updated.rpar)
        if visibly_layer:
            self.ctx.flag("KM606", original, f"use .{tensor}.shape (Keras 3 layers have no {attr})")
        else:
            self.ctx.flag("KM606", original, f"if this is a layer, use .{tensor}.shape (layers lost {attr})")
        return updated

    def _constructed_layer(self, receiver: cst.BaseExpression) -> tuple[str, cst.Call] | None:
        """(class name, call) when ``receiver`` names a Keras layer built in view."""
        if not isinstance(receiver, cst.Name):
            return None
        found = self.facts._assigned(receiver.value, scopes_around(self.ctx))
        if found is None or not isinstance(found[0], cst.Call):
            return None
        api = self.ctx.api(found[0].func)
        if api is None or not api.path.startswith("layers.") or not api.leaf[:1].isupper():
            return None
        return api.leaf, found[0]

    # -- KM607 ------------------------------------------------------------------------------------
    def _sequential_io(self, original: cst.Attribute, updated: cst.Attribute, attr: str) -> cst.BaseExpression:
        receiver = original.value
        if not isinstance(receiver, cst.Name) or not self.ctx.allows("KM607"):
            return updated
        found = self.facts._layers(receiver, scopes_around(self.ctx))
        if not found:
            self._maybe_sequential(original, receiver, attr)
            return updated
        if found[0] != "Sequential" or not self.ctx.keras_receiver(receiver, attr):
            return updated
        layers = found[1]
        if not layers or not self._has_input_spec(layers[0]):
            self.ctx.flag("KM607", original, f"use .{_IO[attr]}[0] after building (Keras 3 "
                          f"Sequential has no .{attr} until called)")
            return updated
        self.ctx.fixed("KM607", original, f".{attr} -> .{_IO[attr]}[0] (a Keras 3 Sequential has no "
                       f".{attr} until called)")
        listed = cst.Attribute(value=updated.value, attr=cst.Name(_IO[attr]))
        return cst.Subscript(value=listed, slice=[cst.SubscriptElement(cst.Index(cst.Integer("0")))],
                             lpar=updated.lpar, rpar=updated.rpar)  # fmt: skip

    def _maybe_sequential(self, original: cst.Attribute, receiver: cst.Name, attr: str) -> None:
        """A model the file does not show being built (a parameter, a reassigned name) in a file
        that builds or loads Sequential models: it may be one of them, so mark."""
        sources = self._sources
        if sources is None or not (sources.builds_sequential or sources.loads_model):
            return
        if id(original) in self._subscripted:
            return  # `model.input[0]`: a model with several inputs, which a Sequential never has
        if self.ctx.kind_of(receiver) is not Kind.MODEL:
            return
        assigned = self.facts._assigned(receiver.value, scopes_around(self.ctx))
        if assigned is not None and isinstance(assigned[0], cst.Call):
            api = self.ctx.api(assigned[0].func)
            if api is not None and api.path not in _LOADERS:
                return  # a Keras API that is not a loader (an application, Model(...)): not a Sequential
        self.ctx.flag("KM607", original, f"if this model is a Sequential (built from input_shape, or loaded), use "
                      f".{_IO[attr]}[0]: a Keras 3 Sequential has no .{attr} until called; a multi-input "
                      f"functional model keeps .{attr}",
                      marker=f"if this is a Sequential, use .{_IO[attr]}[0] (no .{attr} until called)")

    def _has_input_spec(self, layer: cst.BaseExpression) -> bool:
        if not isinstance(layer, cst.Call):
            return False
        api = self.ctx.api(layer.func)
        if api is None:
            return False
        if api.leaf in ("Input", "InputLayer"):
            return True
        return api.path.startswith("layers.") and any(callargs.keyword(layer, k) is not None for k in _INPUT_SPEC)


@dataclass
class _ModelSources(cst.CSTVisitor):
    """Does the file build a Sequential, or load a model (which may be one)."""

    ctx: FileContext
    builds_sequential: bool = False
    loads_model: bool = False

    def visit_Call(self, node: cst.Call) -> None:
        if self.builds_sequential and self.loads_model:
            return
        api = self.ctx.api(node.func)
        if api is None:
            return
        self.builds_sequential |= api.path in ("models.Sequential", "Sequential")
        self.loads_model |= api.path in _LOADERS


def _single(layer: tuple[str, cst.Call], tensor: str) -> bool:
    name, call = layer
    if tensor == "output":
        return name not in _MULTI_OUTPUT
    return name not in _MULTI_INPUT


def _visibly_a_layer(node: cst.BaseExpression) -> bool:
    """``x.layers[i]`` or ``x.get_layer(...)``."""
    return m.matches(node, m.Subscript(value=m.Attribute(attr=m.Name("layers")))) or m.matches(
        node, m.Call(func=m.Attribute(attr=m.Name("get_layer")))
    )


def _is_get_shape(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute) \
        and node.func.attr.value == "get_shape"


def _dimension_of_get_shape(node: cst.BaseExpression) -> cst.Call | None:
    """The ``t.get_shape()`` of ``t.get_shape()[i]`` (one index, not a slice)."""
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    value = node.value
    return value if isinstance(value, cst.Call) and _is_get_shape(value) else None


def _is_shape_attribute_index(node: cst.BaseExpression) -> bool:
    """``t.shape[i]`` (one index, not a slice)."""
    return isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) \
        and isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape"


def _get_shape_call_in(node: cst.CSTNode) -> cst.Call | None:
    """The get_shape() call directly inside a rewritten KM625 form."""
    value = getattr(node, "value", None)
    func = getattr(node, "func", None)
    args: tuple[cst.Arg, ...] = tuple(getattr(node, "args", ()))
    candidates = (value, getattr(value, "value", None), getattr(func, "value", None),
                  args[0].value if len(args) == 1 else None)  # x.ndims, x[i].value, x.as_list(), len(x)
    for child in candidates:
        if isinstance(child, cst.Call) and _is_get_shape(child):
            return child
    return None


FIXER = ShapeAttributeFixer
