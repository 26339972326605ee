"""KM3xx training API (catalog C-T01..C-T11) and the Keras 1 fit/generator rules B23, B30, B31.

Method-name rules (``fit_generator``, ``predict_classes``, ``nb_epoch=``) apply to any receiver
in a file that involves Keras.  Generator methods are keywordized against the legacy signature
of the source release before they become ``fit``/``evaluate``/``predict``: ``fit``'s second
parameter is ``y``, not ``steps_per_epoch``.
"""

from __future__ import annotations

from kmigrate.rules.training.common import RULES, TrainingBase  # noqa: F401  (re-exported: the old import path)
from kmigrate.rules.training.facts import _UNKNOWN, _FileFacts, _Scope  # noqa: F401  (re-exported: the old import path)
from kmigrate.rules.training.fit import FitArguments
from kmigrate.rules.training.metric_keys import MetricKeys
from kmigrate.rules.training.model_methods import ModelMethods


class TrainingFixer(FitArguments, ModelMethods, MetricKeys):
    """The training family: one fixer whose concerns live one module each (fit.py, model_methods.py, metric_keys.py);
    shared state and hooks in ``common.TrainingBase``."""

    method_calls = {**FitArguments.method_calls, **ModelMethods.method_calls, **MetricKeys.method_calls}


FIXER = TrainingFixer
