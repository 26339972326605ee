"""The training family's shared part: rule entries, tables, the scopes the file facts look names
up in (from ``ctx.scopes``), and the call dispatch every concern of the family uses (``TrainingBase``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar, Mapping

import libcst as cst

from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rules.training.catalog import RULES
from kmigrate.rules.training.facts import _FileFacts, _Scope, scopes_around
from kmigrate.rules.training_table import (
    EVALUATE_GENERATOR,
    FIT_GENERATOR,
    PREDICT_GENERATOR,
    method_name,
    number_value,
)

_GENERATOR_METHODS = {
    "fit_generator": ("fit", FIT_GENERATOR, "KM321"),
    "evaluate_generator": ("evaluate", EVALUATE_GENERATOR, "KM322"),
    "predict_generator": ("predict", PREDICT_GENERATOR, "KM323"),
}
_MODEL_METHODS = frozenset({*_GENERATOR_METHODS, "fit", "evaluate", "predict", "predict_classes",
                            "predict_proba", "train_on_batch", "test_on_batch", "compile"})
_LEGACY_COMPILE = ("optimizer", "loss", "metrics", "loss_weights", "sample_weight_mode",
                   "weighted_metrics", "target_tensors")  # fmt: skip
_CALLBACK_MONITOR_POSITION = {"callbacks.EarlyStopping": 0, "callbacks.ReduceLROnPlateau": 0,
                              "callbacks.ModelCheckpoint": 1}  # fmt: skip


@dataclass
class TrainingBase(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"keras",)

    _facts: "_FileFacts | None" = None

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._facts = self.ctx.shared_scanner(_FileFacts)  # one scan for the families that read it
        return (self._facts,)

    @property
    def facts(self) -> "_FileFacts":
        if self._facts is None:  # used outside the pipeline: scan now
            self._facts = _FileFacts.scanned_alone(self.ctx)
        return self._facts

    @property
    def _scopes(self) -> list[_Scope]:
        """The module and the defs around the traversal, where the facts look names up."""
        return scopes_around(self.ctx)

    # -- calls ---------------------------------------------------------------------------
    # Method name -> its rewrite (fixer, original, updated, name): each concern lists its own,
    # the composed fixer merges them (``__init__.py``).
    method_calls: ClassVar[Mapping[str, Callable[..., cst.BaseExpression]]] = {}

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not self.ctx.involves_keras:
            return updated
        name = method_name(original)
        result: cst.BaseExpression = updated
        if isinstance(original.func, cst.Attribute) and name in _MODEL_METHODS \
                and not self.ctx.keras_receiver(original.func.value, name, original):
            return updated  # a method of the same name on something that is not a Keras model
        rewrite = self.method_calls.get(name) if name is not None else None
        if rewrite is not None:
            result = rewrite(self, original, updated, name)
        if isinstance(result, cst.Call):
            result = self._monitor(original, result)
        return result

    # -- provided by the concerns TrainingFixer is composed of (declared for leave_Call) -------
    def _monitor(self, original: cst.Call, call: cst.Call) -> cst.Call:
        raise NotImplementedError  # metric_keys.py


_EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _substitute(template: cst.BaseExpression, value: cst.BaseExpression) -> cst.BaseExpression:
    class _Put(cst.CSTTransformer):
        def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
            return value if original.value == "P" else updated

    result = template.visit(_Put())
    if not isinstance(result, cst.BaseExpression):  # not reached: names become expressions
        raise TypeError(f"substituting into {code(template)!r} gave no expression")
    return result


def _operand(node: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)) or node.lpar:
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _floor_div(samples: cst.BaseExpression, batch: cst.BaseExpression) -> cst.BaseExpression:
    a, b = number_value(samples), number_value(batch)
    if a is not None and b is not None and b and a == int(a) and b == int(b):
        return cst.Integer(str(int(a) // int(b)))
    return cst.BinaryOperation(
        left=_operand(samples), operator=cst.FloorDivide(
            whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")
        ), right=_operand(batch),
    )  # fmt: skip


def _ceil_div(samples: cst.BaseExpression, batch: cst.BaseExpression) -> cst.BaseExpression:
    a, b = number_value(samples), number_value(batch)
    if a is not None and b is not None and b and a == int(a) and b == int(b):
        return cst.Integer(str(-(-int(a) // int(b))))
    return cst.parse_expression(f"-(-{code(_operand(samples))} // {code(_operand(batch))})")


