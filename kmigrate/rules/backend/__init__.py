"""KM500-KM506, KM511-KM559: the Keras backend (`K.*`, catalog section C.9).

``K`` here is any spelling that resolves to the backend module (``from keras import backend
as K``, ``import keras.backend as K``, ``keras.backend.foo``, ``from keras.backend import foo``,
``keras.backend.tensorflow_backend``, ``tensorflow.keras.backend``).  The 49 names that TF 2.21
lacks are data (``backend_table.py``); this module reads the table and adds the rewrites that
need context: ``K.function`` (a small ``k_function`` helper that builds a sub-model and keeps
the list-in/list-out contract, Sequential models included), the image dim ordering with its
literal values, the learning phase, the allow_growth session idiom.  The semantic rules C-K00..06
cover names that still exist but behave differently (set_value on Keras 3 variables, gradients,
variables inside layers, hard_sigmoid, the tf/np module attributes).
"""

from __future__ import annotations

from kmigrate.rules.backend.common import (  # noqa: F401  (re-exported: the old import path)
    HELPER_NAME,
    RULES,
    SEMANTIC_RULES,
    TABLE_RULES,
    BackendBase,
)
from kmigrate.rules.backend.dim_ordering import DimOrdering
from kmigrate.rules.backend.function import FunctionAndLearningPhase
from kmigrate.rules.backend.local_conv import LocalConv
from kmigrate.rules.backend.scan import backend_name  # noqa: F401  (re-exported: the old import path)
from kmigrate.rules.backend.semantics import SemanticChanges
from kmigrate.rules.backend.session import SessionIdiom
from kmigrate.rules.backend.table import TableRewrites


class BackendFixer(TableRewrites, FunctionAndLearningPhase, DimOrdering, SessionIdiom, SemanticChanges,
                   LocalConv):
    """The backend family: one fixer whose concerns live one module each (table.py, function.py, dim_ordering.py, session.py, semantics.py, local_conv.py);
    shared state and hooks in ``common.BackendBase``."""

    special_calls = {
        **TableRewrites.special_calls, **FunctionAndLearningPhase.special_calls, **DimOrdering.special_calls,
        **SessionIdiom.special_calls, **LocalConv.special_calls,
    }  # fmt: skip


FIXER = BackendFixer
