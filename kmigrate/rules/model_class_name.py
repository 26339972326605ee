"""KM626: the class name of a functional model is 'Functional' in Keras 3, 'Model' in legacy Keras.

Legacy ``Model(inputs, outputs)`` (and a model loaded from a file) was an instance of
``keras.engine.training.Model`` itself, so code told a nested model from a layer by its class
name: ``if layer.__class__.__name__ == 'Model':`` (Matterport Mask R-CNN's ``set_trainable``
recursing into the RPN model).  Keras 3 builds a ``Functional`` instance (measured on TF 2.21:
``type(keras.Model(i, o)).__name__ == 'Functional'``), so the test is silently False and the
recursion never happens.  Comparisons of ``x.__class__.__name__`` or ``type(x).__name__`` with
the string 'Model' accept both names: legacy 'Model' is exactly Keras 3's 'Functional' (Sequential
and subclasses keep their own names in both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM626",
        name="functional-model-class-name",
        summary=(
            "`x.__class__.__name__ == 'Model'` also accepts 'Functional', the class name of a Keras 3 "
            "functional model."
        ),
        before=(
            "from keras.layers import Dense, Input\n"
            "from keras.models import Model\n"
            "\n"
            "inner_in = Input(shape=(4,))\n"
            "inner = Model(inner_in, Dense(3)(inner_in))\n"
            "outer_in = Input(shape=(4,))\n"
            "outer = Model(outer_in, Dense(1)(inner(outer_in)))\n"
            "nested = [l.name for l in outer.layers if l.__class__.__name__ == 'Model']"
        ),
        after=(
            "from tensorflow.keras.layers import Dense, Input\n"
            "from tensorflow.keras.models import Model\n"
            "\n"
            "inner_in = Input(shape=(4,))\n"
            "inner = Model(inner_in, Dense(3)(inner_in))\n"
            "outer_in = Input(shape=(4,))\n"
            "outer = Model(outer_in, Dense(1)(inner(outer_in)))\n"
            "nested = [l.name for l in outer.layers if l.__class__.__name__ in ('Model', 'Functional')]"
        ),
        safety=FixSafety.SAFE,
        safety_note=(
            "Legacy Model(inputs, outputs) and loaded models were instances of Model itself; Keras 3 builds "
            "Functional instances (measured on TF 2.21), so a class-name test for 'Model' is False there. "
            "Sequential and subclasses keep their names. `== 'Model'` becomes `in ('Model', 'Functional')`, "
            "`!= 'Model'` becomes `not in (...)`, in files that use Keras."
        ),
        catalog=(),
    ),
)

_NAMES = "('Model', 'Functional')"


@dataclass
class ModelClassNameFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"__name__",)

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        if len(original.comparisons) != 1 or not self.ctx.involves_keras:
            return updated
        target = original.comparisons[0]
        operator = target.operator
        if not isinstance(operator, (cst.Equal, cst.NotEqual)):
            return updated
        sides = (original.left, target.comparator)
        if not any(_is_model_string(s) for s in sides) or not any(_is_class_name(s) for s in sides):
            return updated
        if not self.ctx.allows("KM626"):
            return updated
        name_side = updated.left if _is_class_name(original.left) else updated.comparisons[0].comparator
        negated = isinstance(operator, cst.NotEqual)
        self.ctx.fixed("KM626", original, "class name 'Model' -> 'Model' or 'Functional' (Keras 3 functional models)")
        spelled = cst.NotIn() if negated else cst.In()
        return cst.Comparison(
            left=name_side,
            comparisons=[cst.ComparisonTarget(operator=spelled, comparator=cst.parse_expression(_NAMES))],
            lpar=updated.lpar, rpar=updated.rpar,
        )  # fmt: skip


def _is_model_string(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == "Model"


def _is_class_name(node: cst.BaseExpression) -> bool:
    """``x.__class__.__name__`` or ``type(x).__name__``."""
    if not isinstance(node, cst.Attribute) or node.attr.value != "__name__":
        return False
    owner = node.value
    if isinstance(owner, cst.Attribute):
        return owner.attr.value == "__class__"
    return isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name) and owner.func.value == "type" \
        and len(owner.args) == 1


FIXER = ModelClassNameFixer
