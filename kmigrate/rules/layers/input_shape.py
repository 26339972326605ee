"""The input-shape group: ``input_dim``/``input_length`` on sequence layers, ``batch_input_shape`` /
``batch_size`` on layers, and the first layer of a Sequential model (an ``Input`` added before it)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.layers.common import _RNN_LAYERS, LayersBase, _batch_shape


class InputShape(LayersBase):
    """The input-shape group: ``input_dim``/``input_length`` on sequence layers, ``batch_input_shape`` /"""

    def _sequence_input(self, original: cst.Call, call: cst.Call, path: str) -> cst.Call:
        """C-L05: input_dim (+ input_length) -> input_shape=(input_length, input_dim)."""
        dim = callargs.keyword(call, "input_dim")
        if dim is None:
            return call
        if self.ctx.target == "tf_keras" and path in _RNN_LAYERS:
            return call  # tf_keras RNNs keep the mapping
        if not self.ctx.allows("KM405"):
            return call
        length = callargs.keyword(call, "input_length")
        length_code = code(length.value) if length is not None else "None"
        shape = cst.parse_expression(f"({length_code}, {code(dim.value)})")
        given = callargs.keyword(call, "input_shape")
        if given is not None:
            # Keras 1 and 2 built the layer from (input_length, input_dim) and ignored input_shape.
            call = callargs.remove_keyword(callargs.remove_keyword(call, "input_dim"), "input_length")
            if code(given.value) == code(shape):
                self.ctx.fixed("KM405", original, "dropped input_dim/input_length (input_shape says the same)")
                return call
            call = callargs.replace_value(call, "input_shape", shape)
            self.ctx.fixed("KM405", original, f"input_shape={code(shape)}: legacy Keras built the layer from "
                           f"input_dim/input_length and ignored input_shape={code(given.value)}")
            return call
        call = callargs.replace_value(call, "input_dim", shape)
        call = callargs.rename_keyword(call, "input_dim", "input_shape")
        if length is not None:
            call = callargs.remove_keyword(call, "input_length")
        self.ctx.fixed("KM405", original, f"input_dim/input_length -> input_shape={code(shape)}")
        return call

    def _batch_input(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L02: batch_input_shape / batch_size on a layer."""
        batch_shape_arg = callargs.keyword(call, "batch_input_shape")
        batch_size_arg = callargs.keyword(call, "batch_size")
        if batch_shape_arg is None and batch_size_arg is None:
            return call
        if not self.ctx.allows("KM402"):
            return call
        place = self._places.get(id(original))
        if batch_shape_arg is not None:
            shape: cst.BaseExpression | None = batch_shape_arg.value
        else:
            assert batch_size_arg is not None  # one of the two is given (checked above)
            shape = _batch_shape(call, batch_size_arg.value)
        stripped = call
        for name in ("batch_input_shape", "batch_size"):
            stripped = callargs.remove_keyword(stripped, name)
        if batch_shape_arg is None:
            for name in ("input_shape", "input_dim"):
                stripped = callargs.remove_keyword(stripped, name)
        if place is not None and place.kind in ("later-add", "later-in-list", "called"):
            self.ctx.fixed("KM402", original, "dropped batch_input_shape/batch_size (legacy Keras "
                           "ignored them on a layer that is not the model's first)")
            return stripped
        if shape is None:
            self._flag_batch(original, "batch_size=")
            return call
        dtype = callargs.keyword(call, "dtype")
        input_call = f"{code(self.ctx.imports.reference('layers.Input'))}(batch_shape={code(shape)}"
        input_call += f", dtype={code(dtype.value)})" if dtype is not None else ")"
        if place is not None and place.kind == "first-add" and place.statement is not None and place.receiver is not None:
            statement = cst.parse_statement(f"{code(place.receiver)}.add({input_call})")
            self._before.setdefault(id(place.statement), []).append(statement)
            self.ctx.fixed("KM402", original, f"batch_input_shape -> a leading {input_call}")
            return stripped
        if place is not None and place.kind == "first-in-list" and place.list_node is not None:
            self._list_heads[id(place.list_node)] = cst.parse_expression(input_call)
            self.ctx.fixed("KM402", original, f"batch_input_shape -> a leading {input_call}")
            return stripped
        self._flag_batch(original, f"Input(batch_shape={code(shape)})")
        return call

    def _first_layer_input(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """C-L03 (opt-in): the Keras 3 spelling of a Sequential's input specification."""
        place = self._places.get(id(original))
        if place is None or place.kind not in ("first-add", "first-in-list"):
            return call
        shape_arg, dim_arg = callargs.keyword(call, "input_shape"), callargs.keyword(call, "input_dim")
        if (shape_arg is None) == (dim_arg is None) or callargs.keyword(call, "batch_input_shape") is not None:
            return call  # nothing to move, or both given (ambiguous), or KM402's case
        if not self.ctx.allows("KM403"):
            return call
        if shape_arg is not None:
            shape = code(shape_arg.value)
        elif dim_arg is not None:
            shape = f"({code(dim_arg.value)},)"
        else:
            return call  # not reached: exactly one of the two is given
        input_call = f"{code(self.ctx.imports.reference('layers.Input'))}(shape={shape})"
        stripped = callargs.remove_keyword(callargs.remove_keyword(call, "input_shape"), "input_dim")
        if place.kind == "first-add" and place.statement is not None and place.receiver is not None:
            statement = cst.parse_statement(f"{code(place.receiver)}.add({input_call})")
            self._before.setdefault(id(place.statement), []).append(statement)
        elif place.kind == "first-in-list" and place.list_node is not None:
            self._list_heads[id(place.list_node)] = cst.parse_expression(input_call)
        else:
            return call
        self.ctx.fixed("KM403", original, f"the input specification -> a leading {input_call}")
        return stripped

    def _flag_batch(self, original: cst.Call, what: str) -> None:
        self.ctx.flag("KM402", original, "Keras 3 layers reject batch_input_shape/batch_size: start "
                      f"the model with {what} (Sequential: model.add(Input(batch_shape=...)) first; "
                      "functional: Input(batch_shape=...)) and drop the argument")

    def _sequential_list(self, original: cst.Call, call: cst.Call) -> cst.Call:
        if not original.args:
            return call
        head = self._list_heads.pop(id(original.args[0].value), None)
        if head is None:
            return call
        container = call.args[0].value
        if not isinstance(container, (cst.List, cst.Tuple)):  # as the original was (visit_Call)
            return call
        elements = list(container.elements)
        first = elements[0]
        comma = first.comma if isinstance(first.comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        elements.insert(0, cst.Element(value=head, comma=comma))
        args = list(call.args)
        args[0] = args[0].with_changes(value=container.with_changes(elements=elements))
        return call.with_changes(args=args)

    implements: ClassVar[tuple[str, ...]] = ("KM405", "KM402", "KM403")
