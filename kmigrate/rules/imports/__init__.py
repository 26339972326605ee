"""KM1xx: imports and module paths (catalog group A).

Every legacy import is rewritten per imported *name* to that name's home in tf.keras (the
table in ``kmigrate.keras_api``), because legacy modules re-export names that live in other
modules now.  Imported modules keep their local name (``from keras.utils import np_utils``
becomes ``from tensorflow.keras import utils as np_utils``), so the code that uses them
stays as it was; dotted uses through submodules that are gone
(``keras.layers.convolutional.Conv2D``) are shortened to the public path.
Names with no home stay imported from ``keras`` with a marker, unless every use of them was
rewritten by another rule, in which case the import goes.
"""

from __future__ import annotations

from kmigrate.rule_types import SAFE  # noqa: F401  (re-exported: the old import path)
from kmigrate.rules.imports.common import RULES, ImportsBase  # noqa: F401  (re-exported: the old import path)
from kmigrate.rules.imports.legacy import LegacyDecoratorsAndGates
from kmigrate.rules.imports.plot_calls import PlotCalls
from kmigrate.rules.imports.residuals import ResidualImports
from kmigrate.rules.imports.statements import ImportStatements
from kmigrate.rules.imports.uses import NameUses


class ImportFixer(ImportStatements, NameUses, LegacyDecoratorsAndGates, ResidualImports, PlotCalls):
    """The imports family: one fixer whose concerns live one module each (statements.py, uses.py, legacy.py, residuals.py, plot_calls.py);
    shared state and hooks in ``common.ImportsBase``."""


FIXER = ImportFixer
