"""KM240-KM254: Keras 1 API leftovers outside the layer constructors (catalog B40..B54).

Initializer, regularizer and constraint names, removed metrics and helpers, dataset and
tokenizer keywords, ``dim_ordering`` in preprocessing and the backend (``image_dim_ordering``
values are mapped, not just the function names), Keras 1 backend keywords, and the Keras 1
custom-layer API.  The mapping knowledge is in the tables at the top.
"""

from __future__ import annotations

from kmigrate.rules.keras1_api.backend_keywords import BackendKeywords
from kmigrate.rules.keras1_api.common import (  # noqa: F401  (re-exported: the old import path)
    BACKEND,
    CONSTRAINTS,
    DIM_ORDERING,
    KEYWORD_RENAMES,
    REGULARIZERS,
    RULES,
    Keras1ApiBase,
)
from kmigrate.rules.keras1_api.custom_layers import Keras1CustomLayers
from kmigrate.rules.keras1_api.dim_ordering import DimOrderingValues
from kmigrate.rules.keras1_api.functions import Keras1Functions
from kmigrate.rules.keras1_api.initializer_lambdas import Keras1InitializerLambdas
from kmigrate.rules.keras1_api.methods import Keras1Methods


class Keras1ApiFixer(
    Keras1InitializerLambdas, Keras1Functions, DimOrderingValues, BackendKeywords, Keras1Methods, Keras1CustomLayers
):
    """The keras1_api family: one fixer whose concerns live one module each (initializer_lambdas.py,
    functions.py, dim_ordering.py, backend_keywords.py, methods.py, custom_layers.py);
    shared state and hooks in ``common.Keras1ApiBase``."""


FIXER = Keras1ApiFixer
