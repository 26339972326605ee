"""Tests of the optimizers family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from tests.helpers import assert_unchanged, run
from tests.rules.optimizers.cases import IMPORT


def test_non_keras_code_unchanged():
    assert_unchanged("from mylib import SGD\nopt = SGD(lr=0.1, decay=0.1)\nK.set_value(model.optimizer.lr, 1)\n")


def test_already_migrated_unchanged():
    assert_unchanged(
        "from tensorflow.keras.optimizers import SGD\nfrom tensorflow.keras.optimizers.schedules import InverseTimeDecay\n"
        "opt = SGD(learning_rate=InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.05), momentum=0.9)\n"
    )


def test_ignore_comment_respected():
    result = run(IMPORT + "opt = SGD(lr=0.1)  # kmigrate: ignore[KM301]\n")
    assert "lr=0.1" in (result.output or "")
