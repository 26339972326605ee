"""KM401-KM421: layers and model structure, Keras 2 -> Keras 3 (catalog C-L01..C-L21).

The recurrent numerics (C-L11..C-L13) live in ``recurrent.py``.  Here: input specification
arguments that Keras 3 rejects or ignores (``batch_input_shape``, ``input_dim`` on sequence
layers, Embedding ``input_length``), renamed activation arguments, CuDNN layers, removed layer
methods and attributes.  Where the fix needs a statement the code does not show, the line is
marked with the concrete replacement.
"""

from __future__ import annotations

from kmigrate.rules.layers.arguments import LayerArguments
from kmigrate.rules.layers.common import RULES, LayersBase  # noqa: F401  (re-exported: the old import path)
from kmigrate.rules.layers.input_shape import InputShape
from kmigrate.rules.layers.lambdas import LambdaLayers
from kmigrate.rules.layers.members import LayerMembers


class LayerFixer(InputShape, LambdaLayers, LayerArguments, LayerMembers):
    """The layers family: one fixer whose concerns live one module each (input_shape.py, lambdas.py, arguments.py, members.py);
    shared state and hooks in ``common.LayersBase``."""


FIXER = LayerFixer
