"""KM2xx: Keras 1 -> 2 layer constructor arguments and removed layer classes (catalog group B).

Keras 2.0-2.3 accepted Keras 1 arguments through ``keras/legacy/interfaces.py``; tf.keras has
no such shim, so each call to a legacy layer is converted the way the shim did it, from the
table in ``layer_args_table``: first the positional arguments (extra ones are Keras 1 code and
are bound to the Keras 1 signature; ``Convolution2D(32, 3, 3)`` folds the kernel into a tuple,
because in tf.keras it silently means strides 3), then the preprocessors that need code, then
the keyword renames and value maps.  Only names that resolve to standalone Keras are touched;
the positional meanings apply to standalone Keras only (TensorFlow's own Keras copy never had
the shim).
"""

from __future__ import annotations

from kmigrate.rules.layer_args.catalog import RULES  # noqa: F401  (re-exported: the old import path)
from kmigrate.rules.layer_args.positionals import PositionalArguments
from kmigrate.rules.layer_args.preprocessors import Keras1Preprocessors
from kmigrate.rules.layer_args.renames import KeywordRenames
from kmigrate.rules.layer_args.special_layers import SpecialLayers


class LayerArgsFixer(PositionalArguments, Keras1Preprocessors, KeywordRenames, SpecialLayers):
    """The layer_args family: one fixer whose concerns live one module each (positionals.py, preprocessors.py, renames.py, special_layers.py);
    shared state and hooks in ``common.LayerArgsBase``."""


FIXER = LayerArgsFixer
