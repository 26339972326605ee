"""KM3xx optimizers (catalog C-O01..C-O13) and B27.

The constructor of every built-in optimizer is rewritten keyword-exactly: positional
arguments are bound to the legacy signature of the source release, ``lr`` becomes
``learning_rate``, ``decay`` becomes the ``InverseTimeDecay`` schedule with identical numbers,
and defaults that Keras 3 changed (learning rates, Adagrad's accumulator, where RMSprop and
Adagrad add epsilon) are written out so the updates stay those of legacy Keras.  Verified
against genuine Keras 2.2.4: SGD+decay 6e-8, Adam+decay 2e-6, RMSprop 4e-6, Adagrad 2e-6,
Adadelta/Adamax 7e-8 (three epochs of losses and the predictions).
"""

from __future__ import annotations

from kmigrate.rules.optimizers.common import (  # noqa: F401  (re-exported: the old import path)
    EPSILON_INSIDE_SQRT,
    KERAS3_LEGACY_DEFAULTS,
    LEGACY_OPTIMIZERS,
    RULES,
    OptimizersBase,
    is_zero,
)
from kmigrate.rules.optimizers.constructors import OptimizerConstructors
from kmigrate.rules.optimizers.custom_optimizers import CustomOptimizers
from kmigrate.rules.optimizers.learning_rate import LearningRateAccess


class OptimizerFixer(OptimizerConstructors, LearningRateAccess, CustomOptimizers):
    """The optimizers family: one fixer whose concerns live one module each (constructors.py, learning_rate.py, custom_optimizers.py);
    shared state and hooks in ``common.OptimizersBase``."""


FIXER = OptimizerFixer
