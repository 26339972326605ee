"""Tests of ``kmigrate/rules/optimizers/custom_optimizers.py``: Custom optimizer classes (``get_updates`` -> ``build`` / ``update_step``) and lower-case
optimizer aliases in imports."""

from tests.helpers import assert_flags


def test_km311_custom_optimizer_get_updates_is_marked():
    assert_flags(
        "from keras.optimizers import Optimizer\n\nclass MyOpt(Optimizer):\n"
        "    def get_updates(self, loss, params):\n        return []\n",
        "KM311",
    )
    assert_flags(
        "from keras.optimizers import Optimizer\n\nclass MyOpt(Optimizer):\n"
        "    def get_updates(self, params, constraints, loss):\n        return []\n",
        "KM227",
    )
