"""KM623: `model.trainable = False` after `model.compile(...)`: the GAN freeze idiom.

Legacy Keras fixed a model's trainable weights when it was compiled: a discriminator compiled,
then set ``trainable = False`` before the combined model was compiled, kept training in its own
``train_on_batch`` and stayed frozen inside the combined model. Keras 3 reads ``trainable`` when a
model first trains: the same code never updates the discriminator at all (measured with TF 2.21:
``D.train_on_batch`` leaves its weights unchanged, and setting ``trainable = True`` after that
first call does not bring training back). Setting ``trainable = True`` before the model's own
training calls and ``False`` before the combined model's gives the legacy behaviour (measured).
The toggling depends on the training loop, so the assignment is marked, once per model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate.context import FileContext
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, Rule
from kmigrate.rule_types import FLAG

RULES = (
    Rule(
        id="KM623",
        name="trainable-after-compile",
        summary="`model.trainable = False` after `compile()` froze the model only in models compiled later; "
        "Keras 3 freezes it everywhere.",
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential, Model\n"
            "from keras.layers import Dense, Input\n"
            "\n"
            "discriminator = Sequential([Dense(1, input_dim=2)])\n"
            "discriminator.compile(loss='binary_crossentropy', optimizer='sgd')\n"
            "discriminator.trainable = False\n"
            "noise = Input(shape=(2,))\n"
            "combined = Model(noise, discriminator(Dense(2)(noise)))\n"
            "combined.compile(loss='binary_crossentropy', optimizer='sgd')\n"
            "x, y = np.ones((4, 2)), np.zeros((4, 1))\n"
            "discriminator.train_on_batch(x, y)\n"
            "combined.train_on_batch(x, y)"
        ),
        after=(
            "discriminator.trainable = False  # kmigrate: KM623 set discriminator.trainable = True before "
            "discriminator trains (Keras 3 reads it then)"
        ),
        safety=FLAG,
        safety_note=(
            "Legacy Keras took a model's trainable weights at compile(); Keras 3 reads `trainable` when the "
            "model first trains, so a discriminator frozen after its own compile() never trains. Set "
            "`trainable = True` before its own train_on_batch/fit (the first call included) and `False` before "
            "the combined model's. Marked once per model that the file compiles, then freezes, then trains, "
            "unless the file sets `.trainable` to something other than False somewhere (it toggles already)."
        ),
        catalog=(),
        details="Found by review on real GANs (eriklindernoren/Keras-GAN wgan.py and others).",
    ),
)

_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch"})


@dataclass
class _Order(cst.CSTVisitor):
    """In source order: which receivers are compiled (by position), trained, and whether the
    file ever sets `.trainable` to anything but the literal False (it toggles by itself)."""

    ctx: FileContext
    position: int = 0
    compiled: dict[str, int] = field(default_factory=dict)  # receiver -> first compile's position
    trained: set[str] = field(default_factory=set)
    frozen_at: dict[int, int] = field(default_factory=dict)  # id(assign) -> position
    toggles: bool = False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.position += 1

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        if func.attr.value == "compile" and self.ctx.keras_receiver(func.value, "compile", node):
            self.compiled.setdefault(code(func.value), self.position)
        elif func.attr.value in _TRAINING:
            self.trained.add(code(func.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        if not any(_sets_trainable(target.target) for target in node.targets):
            return
        if isinstance(node.value, cst.Name) and node.value.value == "False":
            self.frozen_at[id(node)] = self.position
        else:
            self.toggles = True


def _sets_trainable(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Attribute) and target.attr.value == "trainable"


@dataclass
class TrainableAfterCompileFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"trainable",)

    _scan: _Order | None = None
    _marked: set[str] = field(default_factory=set)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Order(self.ctx)
        return (self._scan,)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        scan = self._scan
        if scan is None or scan.toggles or id(original) not in scan.frozen_at or not self.ctx.allows("KM623"):
            return updated
        for target in original.targets:
            if not _sets_trainable(target.target):
                continue
            receiver = code(cst.ensure_type(target.target, cst.Attribute).value)
            compiled = scan.compiled.get(receiver)
            if compiled is None or compiled >= scan.frozen_at[id(original)] or receiver not in scan.trained:
                continue
            if receiver in self._marked:
                continue
            self._marked.add(receiver)
            self.ctx.flag(
                "KM623", original,
                f"{receiver} was compiled before this line, so legacy Keras kept training it in its own "
                f"train_on_batch/fit and froze it only in models compiled afterwards; Keras 3 reads `trainable` "
                f"when {receiver} first trains and never updates it: set {receiver}.trainable = True before "
                f"{receiver} trains and False before the combined model trains",
                marker=f"set {receiver}.trainable = True before {receiver} trains (Keras 3 reads it then)",
            )  # fmt: skip
        return updated


FIXER = TrainableAfterCompileFixer
