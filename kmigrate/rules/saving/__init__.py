"""KM34x saving and loading (catalog C-S01..C-S10), and ModelCheckpoint paths (C-CB01).

Keras 3 picks the format from the file name: ``save_weights`` needs ``.weights.h5``, full
models ``.keras`` or ``.h5``, and ModelCheckpoint rejects ``.hdf5``.  Renaming an artefact is
only safe when every reader follows, so the file is read once: every path written by
``save``/``save_weights``/``ModelCheckpoint`` and read by ``load_model``/``load_weights`` is
traced to the string literal that spells it (directly, through a constant, an f-string, ``+``,
``%``, ``.format`` or ``os.path.join``), and that literal is rewritten once, for writers and
readers alike.  Paths read but never written here are existing artefacts and are left alone.
"""

from __future__ import annotations

from kmigrate.rules.saving.fixer import RULES, SavingFixer  # noqa: F401  (re-exported: the old import path)

FIXER = SavingFixer
