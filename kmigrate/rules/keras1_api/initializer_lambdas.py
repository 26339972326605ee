"""KM616: a Keras 1 initializer lambda given to a layer becomes the tf.keras initializer object.

Keras 1 layers called ``init(shape, name=...)`` and took a variable back, so scripts wrapped the
``keras.initializations`` functions to change their scale (``mnist_irnn.py``)::

    SimpleRNN(100, init=lambda shape, name: normal(shape, scale=0.001, name=name),
              inner_init=lambda shape, name: identity(shape, scale=1.0, name=name))

tf.keras calls ``initializer(shape, dtype)``: the lambda fails.  When the lambda's body is one
call of a known function on the lambda's own ``shape`` with literal numbers (Keras 1.2.2
``keras/initializations.py``), the lambda becomes the object that draws from the same
distribution:

* ``normal(shape, scale=s)`` draws ``np.random.normal(0.0, s)``: ``RandomNormal(stddev=s)``
  (mean 0.0 in both); ``uniform(shape, scale=s)`` is ``RandomUniform(minval=-s, maxval=s)``;
  ``zero``/``one`` are ``Zeros()``/``Ones()``.  Elementwise: the same for any kernel shape.
* ``identity(shape, scale=g)`` is ``Identity(gain=g)``, ``orthogonal(shape, scale=g)``
  ``Orthogonal(gain=g)`` (Keras 1's default gain 1.1 written out), and the fan-based ones
  (``glorot_uniform``, ``glorot_normal``, ``he_normal``, ``he_uniform``, ``lecun_uniform``: Keras 1
  drew plain, not truncated, normals) depend on the kernel's shape, which is the same 2-D
  ``(input, output)`` matrix in Keras 1 and 3 only for ``Dense``, ``SimpleRNN`` and ``Embedding``
  (a Keras 1 LSTM or GRU initialised each gate's matrix on its own; Keras 3 one matrix for all
  gates).  Elsewhere they stay marked by KM240.

The random numbers differ (NumPy then, TensorFlow now); the distribution is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import libcst as cst

from kmigrate import callargs
from kmigrate.nodes import code
from kmigrate.rules.base import FixSafety, Rule
from kmigrate.rules.keras1_api.common import RULES as FAMILY_RULES
from kmigrate.rules.keras1_api.common import Keras1ApiBase

KM616 = Rule(
    id="KM616",
    name="keras1-initializer-lambdas",
    summary="`init=lambda shape, name: normal(shape, scale=s, name=name)` becomes "
    "`RandomNormal(stddev=s)` (and the other Keras 1 initializer functions their objects).",
    before="from keras.layers import SimpleRNN\nfrom keras.initializations import normal, identity\n\n"
    "rnn = SimpleRNN(100, init=lambda shape, name: normal(shape, scale=0.001, name=name),\n"
    "                inner_init=lambda shape, name: identity(shape, scale=1.0, name=name))",
    after="from tensorflow.keras.layers import SimpleRNN\nfrom tensorflow.keras.initializers import "
    "identity, RandomNormal, Identity\n\nrnn = SimpleRNN(100, init=RandomNormal(stddev=0.001),\n"
    "                inner_init=Identity(gain=1.0))",
    details="The keywords themselves (init=, inner_init=) are renamed by KM207 "
    "(kernel_initializer=, recurrent_initializer=).",
    safety=FixSafety.CONTEXT,
    safety_note="Keras 1 layers called init(shape, name=) and tf.keras calls initializer(shape, "
    "dtype), so the lambda fails. Rewritten when its body is one call of a keras.initializations "
    "function on the lambda's shape with literal numbers: normal -> RandomNormal(stddev=) (mean 0 "
    "in both), uniform -> RandomUniform(-s, s), zero/one -> Zeros/Ones for any layer; identity, "
    "orthogonal (default gain 1.1) and the fan-based functions (Keras 1 glorot_normal/he_normal "
    "drew untruncated normals: VarianceScaling) only in Dense, SimpleRNN and Embedding, whose "
    "kernels are the same 2-D matrix in Keras 1 and 3. Same distribution, other random numbers.",
    catalog=("B40",),
)

# Layers whose weights are one 2-D (input, output) matrix per initializer in Keras 1 and in Keras 3.
_PLAIN_MATRIX_LAYERS = frozenset({"layers.Dense", "layers.SimpleRNN", "layers.Embedding"})


class _Target(NamedTuple):
    api_path: str                     # the tf.keras initializer class
    scale: tuple[str, ...] = ()       # its keywords that the Keras 1 scale becomes, in order
    default: str | None = None        # Keras 1's default scale, written when none was given
    fixed: str = ""                   # keywords always written
    elementwise: bool = True          # independent of the kernel's shape


_TARGETS = {
    "normal": _Target("initializers.RandomNormal", ("stddev",), "0.05"),
    "uniform": _Target("initializers.RandomUniform", ("minval", "maxval"), "0.05"),
    "zero": _Target("initializers.Zeros"),
    "one": _Target("initializers.Ones"),
    "identity": _Target("initializers.Identity", ("gain",), None, elementwise=False),
    "orthogonal": _Target("initializers.Orthogonal", ("gain",), "1.1", elementwise=False),
    "glorot_uniform": _Target("initializers.GlorotUniform", elementwise=False),
    "he_uniform": _Target("initializers.HeUniform", elementwise=False),
    "lecun_uniform": _Target("initializers.LecunUniform", elementwise=False),
    "glorot_normal": _Target("initializers.VarianceScaling", fixed="scale=1.0, mode='fan_avg', "
                             "distribution='untruncated_normal'", elementwise=False),
    "he_normal": _Target("initializers.VarianceScaling", fixed="scale=2.0, mode='fan_in', "
                         "distribution='untruncated_normal'", elementwise=False),
}  # fmt: skip
_TAKES_SCALE = frozenset(name for name, target in _TARGETS.items() if target.scale)


class _Plan(NamedTuple):
    function: str
    target: _Target
    scale: cst.BaseExpression | None


@dataclass
class Keras1InitializerLambdas(Keras1ApiBase):
    """Initializer lambdas in layer calls -> tf.keras initializer objects."""

    rules: ClassVar[tuple[Rule, ...]] = (*FAMILY_RULES, KM616)
    implements: ClassVar[tuple[str, ...]] = ("KM616",)

    _lambda_plans: dict[int, _Plan] = field(default_factory=dict)  # id(original Lambda) -> plan
    _lambda_bodies: set[int] = field(default_factory=set)  # their calls: KM240 leaves them alone

    def visit_Call(self, node: cst.Call) -> None:
        api = self.ctx.api(node.func)
        if api is None or not api.legacy or not api.path.startswith("layers."):
            return
        for arg in node.args:
            if arg.keyword is None or not isinstance(arg.value, cst.Lambda):
                continue
            plan = self._plan(arg.value, api.path)
            if plan is not None and self.ctx.allows("KM616"):
                self._lambda_plans[id(arg.value)] = plan
                self._lambda_bodies.add(id(arg.value.body))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if id(original) in self._lambda_bodies:
            return updated  # the lambda around it becomes an initializer object (leave_Lambda)
        return super().leave_Call(original, updated)

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.BaseExpression:
        plan = self._lambda_plans.get(id(original))
        if plan is None:
            return updated
        target = plan.target
        scale = plan.scale if plan.scale is not None else _expression(target.default)
        keywords: list[str] = []
        if target.scale == ("minval", "maxval") and scale is not None:
            keywords = [f"minval={_negated(scale)}", f"maxval={code(scale)}"]
        elif target.scale and scale is not None:
            keywords = [f"{target.scale[0]}={code(scale)}"]
        if target.fixed:
            keywords.append(target.fixed)
        initializer = self.ctx.imports.reference(target.api_path)
        replacement = cst.parse_expression(f"{code(initializer)}({', '.join(keywords)})")
        self.ctx.fixed("KM616", original, f"Keras 1 initializer lambda around {plan.function}() -> "
                       f"{code(replacement)}")
        return replacement.with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def _plan(self, function: cst.Lambda, layer: str) -> _Plan | None:
        """The lambda is ``lambda shape[, name[, dim_ordering]]: f(shape, [scale], name=name, ...)``
        (Keras 1.2 conv layers also passed dim_ordering=); its extra parameters may default to None
        or a string."""
        params = function.params
        if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
            return None
        if params.kwonly_params or params.posonly_params:
            return None
        names = [p.name.value for p in params.params]
        if not 1 <= len(names) <= 3 or params.params[0].default is not None:
            return None
        for extra in params.params[1:]:
            if extra.default is not None and not isinstance(extra.default, cst.SimpleString) \
                    and not (isinstance(extra.default, cst.Name) and extra.default.value == "None"):
                return None
        call = function.body
        if not isinstance(call, cst.Call) or callargs.has_star_args(call) or any(a.star for a in call.args):
            return None
        api = self.ctx.api(call.func)
        if api is None or not api.name.qualified.startswith("keras.initializations"):
            return None
        leaf = api.name.qualified.rpartition(".")[2]
        target = _TARGETS.get(leaf)
        if target is None or not target.elementwise and layer not in _PLAIN_MATRIX_LAYERS:
            return None
        return self._arguments(call, leaf, target, names)

    @staticmethod
    def _arguments(call: cst.Call, leaf: str, target: _Target, names: list[str]) -> _Plan | None:
        positional = callargs.positionals(call)
        if not positional or not isinstance(positional[0].value, cst.Name) or positional[0].value.value != names[0]:
            return None
        scale: cst.BaseExpression | None = positional[1].value if len(positional) > 1 else None
        if len(positional) > (2 if leaf in _TAKES_SCALE else 1):
            return None
        passed_through = set(names[1:])  # name=name, dim_ordering=dim_ordering
        for arg in call.args[len(positional):]:
            keyword = arg.keyword.value if arg.keyword is not None else None  # None: *args or **kwargs
            value = arg.value
            forwarded = isinstance(value, cst.Name) and value.value in passed_through
            if keyword == "name" and forwarded:
                continue
            if keyword == "scale" and leaf in _TAKES_SCALE and scale is None:
                scale = value
            elif keyword == "dim_ordering" and (forwarded or isinstance(value, cst.SimpleString)):
                continue  # these functions ignore it on elementwise draws and 2-D matrices
            else:
                return None
        if scale is not None and not _is_number(scale):
            return None
        return _Plan(leaf, target, scale)


def _is_number(node: cst.BaseExpression) -> bool:
    try:
        value = callargs.literal(node)
    except ValueError:
        return False
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _negated(node: cst.BaseExpression) -> str:
    text = code(node)
    return text[1:] if text.startswith("-") else f"-{text}"


def _expression(text: str | None) -> cst.BaseExpression | None:
    return cst.parse_expression(text) if text is not None else None
