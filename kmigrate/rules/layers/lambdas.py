"""Lambda layers built from Python lambdas: lifted into registered top-level functions, or given
an ``output_shape`` for an element-wise backend op, so that Keras 3 can reload them."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from kmigrate import callargs
from kmigrate import match as m
from kmigrate.nodes import code
from kmigrate.rules.layers.common import (
    _BUILTIN_NAMES,
    _SHAPE_PRESERVING_OPS,
    LayersBase,
    _code_params,
    _free_names,
)
from kmigrate.walk import find_all


class LambdaLayers(LayersBase):
    """Lambda layers built from Python lambdas: lifted into registered top-level functions, or given"""

    def _lambda_output_shape(self, original: cst.Call, call: cst.Call) -> cst.Call:
        """Make a Lambda built from a Python lambda reloadable in Keras 3.

        Keras 3 rebuilds a saved Python lambda without its module's globals (``K``, ``tf``
        raise NameError after loading) and infers a Lambda's output shape by calling it on
        symbolic tensors, which backend/TF ops cannot take.  A lambda that uses only
        module-level imports is lifted into a registered top-level function, and an
        element-wise backend op gets ``output_shape``; what cannot be decided is marked.
        """
        positional = callargs.positionals(call)
        has_shape = callargs.keyword(call, "output_shape") is not None or len(positional) >= 2
        function_arg = positional[0] if positional else callargs.keyword(call, "function")
        function = getattr(function_arg, "value", None)
        if function_arg is None or not isinstance(function, cst.Lambda) or not self.ctx.allows("KM415"):
            return call
        free = _free_names(function)
        globals_used = free - _BUILTIN_NAMES
        uses_backend = any(
            self._is_backend_or_tf(node.func)
            for node in find_all(function.body, cst.Call)
        )
        if not globals_used and not uses_backend:
            return call  # plain arithmetic on the argument: Keras 3 handles it
        liftable = (
            all(self._top_level_import(name) for name in globals_used)
            and not isinstance(function.params.star_arg, (cst.Param, cst.ParamStar))
            and function.params.star_kwarg is None
            and not function.params.kwonly_params
            and all(p.default is None for p in function.params.params)
        )
        if not liftable:
            self.ctx.flag("KM415", original, "Keras 3 reloads a Python lambda without the names it "
                          "uses from its module: define a named function decorated with "
                          "@tf.keras.utils.register_keras_serializable() and pass it (plus output_shape=)",
                          marker="pass a named function registered with register_keras_serializable")
            return call
        name = self._lift_lambda(function)
        new_call = callargs.replace_value(call, function_arg.keyword.value, cst.Name(name)) if (
            function_arg.keyword is not None
        ) else call.with_changes(
            args=[arg.with_changes(value=cst.Name(name)) if arg is function_arg else arg for arg in call.args]
        )
        message = f"the lambda became the registered function `{name}` so that Keras 3 can reload it"
        if not has_shape and uses_backend:
            if not self._elementwise(function):
                self.ctx.fixed("KM415", original, message)
                self.ctx.flag("KM415", original, "Keras 3 cannot infer this Lambda's output shape when "
                              "the model is loaded: add output_shape=(...) (without the batch dimension)")
                return new_call
            new_call = callargs.add_keyword(new_call, "output_shape", cst.Name(self._same_shape_function()))
            message += ", with output_shape (the element-wise op keeps the input shape)"
        self.ctx.fixed("KM415", original, message)
        return new_call

    def _elementwise(self, function: cst.Lambda) -> bool:
        params = function.params.params
        body = function.body
        if len(params) != 1 or not isinstance(body, cst.Call) or not body.args:
            return False
        api = self.ctx.api(body.func)
        return (
            m.matches(body.args[0].value, m.Name(params[0].name.value))
            and api is not None
            and api.path.startswith("backend.")
            and api.leaf in _SHAPE_PRESERVING_OPS
        )

    def _top_level_import(self, name: str) -> bool:
        """Bound by module-level imports only, or a top-level helper this pass emits (a
        ``kmigrate_`` name the file does not bind, e.g. KM611's kmigrate_batch_dot)."""
        if name.lstrip("_").startswith("kmigrate_") and not self.ctx.resolver.is_bound(name):
            return True
        return self.ctx.resolver.only_imported_at_top_level(name)

    def _lift_lambda(self, function: cst.Lambda) -> str:
        self._lifted += 1
        name = f"kmigrate_lambda_{self._lifted}"
        while self.ctx.resolver.is_bound(name):
            self._lifted += 1
            name = f"kmigrate_lambda_{self._lifted}"
        register = code(self.ctx.imports.reference("utils.register_keras_serializable"))
        params = _code_params(function.params)
        body = code(function.body)
        self.ctx.imports.add_definition(
            name,
            f'@{register}(package="kmigrate")\n'
            f"def {name}({params}):\n"
            f"    return {body}\n",
        )
        return name

    def _same_shape_function(self) -> str:
        """A registered ``shape -> shape`` function: an ``output_shape=lambda shape: shape`` is
        itself a Python lambda, which ``load_model`` refuses in its default safe mode (measured on
        TF 2.21: "Requested the deserialization of a `Lambda` layer whose `function` is a Python
        lambda"), so the lifted function alone would not make the model reloadable."""
        name = "kmigrate_same_shape"
        if self.ctx.resolver.is_bound(name):
            return name  # a second run: the file defines it already
        register = code(self.ctx.imports.reference("utils.register_keras_serializable"))
        self.ctx.imports.add_definition(
            name,
            f'@{register}(package="kmigrate")\n'
            f"def {name}(shape):\n"
            f"    return shape\n",
        )
        return name

    def _is_backend_or_tf(self, func: cst.BaseExpression) -> bool:
        api = self.ctx.api(func)
        if api is not None:
            return api.path.startswith("backend.")
        qualified = self.ctx.resolver.qualified_name(func)
        return qualified is not None and qualified.startswith("tensorflow.")

    def _plain_name_registration(self, name: str) -> str:
        """tf_keras's .h5 loader looks custom objects up by class name, not registered name."""
        if self.ctx.target != "tf_keras":
            return ""
        custom_objects = code(self.ctx.imports.reference("utils.get_custom_objects"))
        return f"\n\n{custom_objects}()[{name!r}] = {name}  # for tf_keras's .h5 loader\n"

    implements: ClassVar[tuple[str, ...]] = ("KM415",)
