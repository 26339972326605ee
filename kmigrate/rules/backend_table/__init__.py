"""The backend family's data: what each legacy ``K.<name>`` missing from tf.keras becomes.

One entry per catalog rule ``C-K-<name>`` (section C.9), kept in one data module per concern:
``functions`` (``K.function``, the learning phase), ``sessions`` (TF 1 sessions, graphs,
variables), ``data_format`` (dimension ordering), ``nn_ops`` (convolutions, paddings),
``math_ops`` (math and tensor functions). What an entry's fields and kinds mean: ``entry``.
Ids follow the catalog ids in sorted order (``C-K-Function`` = KM511,
``C-K-asymmetric_spatial_2d_padding`` = KM512, ..., ``C-K-v1_variable_initialization`` = KM559);
``CK_IDS`` computes the mapping.
"""

from __future__ import annotations

from kmigrate.rules.backend_table import (
    data_format,
    functions,
    math_ops,
    nn_ops,
    sessions,
)
from kmigrate.rules.backend_table.entry import (
    BUILTIN,
    FLAG,
    REMOVE,
    RENAME,
    SPECIAL,
    TF,
    VALUE,
    Entry,
)

__all__ = [
    "BUILTIN", "CK_IDS", "ENTRIES", "FLAG", "MODULE_ATTRS", "OPTIMIZER_RATE_ATTRS", "REMOVE", "RENAME",
    "SEMANTIC_NAMES", "SPECIAL", "TABLE", "TF", "VALUE", "Entry", "rule_id",
]  # fmt: skip

# Every entry, in code point order of the names.
ENTRIES: tuple[Entry, ...] = tuple(sorted(
    (*functions.ENTRIES, *sessions.ENTRIES, *data_format.ENTRIES, *nn_ops.ENTRIES, *math_ops.ENTRIES),
    key=lambda entry: entry.name,
))  # fmt: skip

# Rule ids: catalog ids in sorted (code point) order from KM511.
CK_IDS: dict[str, str] = {
    catalog: f"KM{511 + index}"
    for index, catalog in enumerate(sorted(e.catalog for e in ENTRIES))
}
TABLE: dict[str, Entry] = {e.name: e for e in ENTRIES}


def rule_id(name: str) -> str:
    return CK_IDS[f"C-K-{name}"]


# The 129 Keras 1/2 backend names that survive (C-K00); together with TABLE every public name of
# the legacy TensorFlow backend is known, so anything else (`K.tensorflow_backend`,
# `K._get_available_gpus`) gets KM500.
SEMANTIC_NAMES = {
    "gradients": "KM502",
    "variable": "KM503",
    "update": "KM503",
    "update_add": "KM503",
    "update_sub": "KM503",
    "moving_average_update": "KM503",
    "hard_sigmoid": "KM504",
    "set_value": "KM501",
    "batch_set_value": "KM501",
}
# Module objects Keras 2 leaked into keras.backend (C-K06).
MODULE_ATTRS = {"tf": "tensorflow", "np": "numpy"}
# Optimizer attributes whose set_value/get_value belong to the optimizer family (KM308/KM309).
OPTIMIZER_RATE_ATTRS = ("lr", "learning_rate")
