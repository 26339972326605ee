"""KM613: BatchNormalization moving statistics were zero-debiased in Keras 2.1.3-2.2.5.

The TensorFlow backend's ``moving_average_update`` called
``moving_averages.assign_moving_average(..., zero_debias=True)`` from Keras 2.1.3 to 2.2.5
(checked in the released sources: 2.1.2 and earlier, Keras 1 included, passed
``zero_debias=False``; 2.3.0 replaced it with a plain ``assign_sub``, which is what Keras 3 does).
With debiasing, the moving mean after the first step is the batch mean itself instead of
``0.01 * mean``, so a model trained after migration gives different inference outputs.  Training
itself (batch statistics) is unchanged.  No exact rewrite survives saving without adding weights,
so trained models that use BatchNormalization are marked once each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kmigrate.context import FileContext
from kmigrate.nodes import code
from kmigrate.rules.base import Fixer, FixSafety, Rule

RULES = (
    Rule(
        id="KM613",
        name="batchnorm-zero-debias",
        summary=(
            "BatchNormalization trained under Keras 2.1.3-2.2.5 zero-debiased its moving statistics; Keras 3 "
            "does not."
        ),
        before=(
            "import numpy as np\n"
            "from keras.models import Sequential\n"
            "from keras.layers import Dense, BatchNormalization\n"
            "\n"
            "x, y = np.zeros((64, 3)), np.zeros((64, 1))\n"
            "model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(), Dense(1)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.fit(x, y, epochs=2)"
        ),
        after=(
            "model.fit(x, y, epochs=2)  # kmigrate: KM613 re-validate predictions: BatchNorm moving stats lost zero-debias (assumed 2.2.4)"
        ),
        safety=FixSafety.FLAG,
        safety_note=(
            "Keras 2.1.3-2.2.5 updated moving_mean/moving_variance with TF's zero-debiased moving average; "
            "Keras 3 uses the plain exponential average, so after the same training the moving statistics "
            "(and every prediction in inference mode) differ, most in short trainings. Marked once per "
            "trained model in files that build BatchNormalization; skipped when --from-version is before "
            "2.1.3 or 2.3.0 and later."
        ),
        catalog=(),
        details=(
            "Measured by the verify fixtures (batchnorm_keras1_mode0 declares the moving statistics not "
            "comparable). Without --from-version the code is assumed to be 2.2.4 and the message says so."
        ),
    ),
)

_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch"})


@dataclass
class _Uses(cst.CSTVisitor):
    ctx: FileContext
    legacy_batchnorm: bool = False

    def visit_Call(self, node: cst.Call) -> None:
        if not self.legacy_batchnorm:
            api = self.ctx.api(node.func)
            self.legacy_batchnorm = api is not None and api.legacy and api.leaf == "BatchNormalization"


@dataclass
class BatchNormStatisticsFixer(Fixer):
    rules: ClassVar[tuple[Rule, ...]] = RULES
    triggers: ClassVar[tuple[bytes, ...]] = (b"BatchNormalization",)

    _scan: _Uses | None = None
    _marked: set[str] = field(default_factory=set)

    def scanners(self) -> tuple[cst.CSTVisitor, ...]:
        self._scan = _Uses(self.ctx)
        return (self._scan,)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _TRAINING:
            return updated
        if self._scan is None or not self._scan.legacy_batchnorm:
            return updated
        version, assumed = self.ctx.settings.legacy_version
        if not assumed and not ((2, 1, 3) <= version < (2, 3)):
            return updated
        receiver = code(func.value)
        if receiver in self._marked or not self.ctx.keras_receiver(func.value, func.attr.value, original):
            return updated
        if not self.ctx.allows("KM613"):
            return updated
        self._marked.add(receiver)
        source = "assumed 2.2.4" if assumed else "Keras " + ".".join(map(str, version))
        self.ctx.flag("KM613", original, f"re-validate predictions: BatchNorm moving stats lost zero-debias ({source})")
        return updated


FIXER = BatchNormStatisticsFixer
