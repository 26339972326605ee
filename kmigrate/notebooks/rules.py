"""The rules of notebooks (KM72x), documented like the code rules.

Their examples are notebook cells (IPython syntax), not Python programs.
"""

from __future__ import annotations

from kmigrate.rule_types import FixSafety, Rule

PIP_KERAS = Rule(
    id="KM720",
    name="notebook-pip-keras",
    summary="A notebook cell installs legacy Keras (`!pip install keras==2.1.2`): install the target's TensorFlow",
    before="!pip install keras==2.1.2",
    after="!pip install tensorflow>=2.16",
    safety=FixSafety.FLAG,
    safety_note=(
        "kmigrate does not edit shell commands in notebooks (`!pip`, `%pip`, `!conda`, "
        "`pip install` in a `%%bash` cell, `get_ipython().system(...)`); the finding says what "
        "to install instead, with the same advice as for dependency files (keras-applications "
        "and keras-preprocessing are dropped, packages built on standalone Keras are named)."
    ),
    catalog=("A01", "C-E01", "D17"),
    details=(
        "The pinned version on such a line also tells kmigrate which legacy Keras the project "
        "was written for (see `--from-version`). Under `--target tf_keras` the advice is "
        "`tensorflow` and `tf-keras` of the same minor version."
    ),
)

CELL_LEFT_ALONE = Rule(
    id="KM721",
    name="notebook-cell-not-migrated",
    summary="A code cell with Keras code that kmigrate leaves alone: a `%%` cell magic, or not Python 3",
    before="%%time\nmodel.fit_generator(gen, samples_per_epoch=1000, nb_epoch=5)",
    after="(migrate the cell by hand, or move its code into a cell of its own and run kmigrate again)",
    safety=FixSafety.FLAG,
    safety_note=(
        "A cell that starts with a cell magic (`%%time`, `%%capture`, `%%writefile`) is handed "
        "to that magic, not run as Python, so kmigrate does not rewrite it; a cell that does not "
        "parse on its own (Python 2, a fragment) cannot be rewritten either. The rest of the "
        "notebook is migrated; this cell is reported when it mentions Keras (a cell magic's cell "
        "when migrating it would change it), and its standalone `import keras` / `from keras` "
        "lines get a marker comment, the only edit made to such a cell."
    ),
    catalog=("D14",),
)

RULES: tuple[Rule, ...] = (PIP_KERAS, CELL_LEFT_ALONE)
