"""KM626: class-name tests for 'Model' also accept Keras 3's 'Functional'."""

from tests.helpers import assert_migrates, assert_unchanged
from tests.test_rule_examples import assert_documented_example

HEAD = "from keras.models import Model\n"
NEW = "from tensorflow.keras.models import Model\n"


def test_km626_not_in_files_without_keras():
    assert_unchanged("class Model(object):\n    pass\n\n\nok = Model().__class__.__name__ == 'Model'\n")


def test_km626_other_names_and_operators_unchanged():
    assert_unchanged(
        NEW + "a = layer.__class__.__name__ == 'TimeDistributed'\nb = layer.name == 'Model'\n"
        "c = layer.__class__.__name__ < 'Model'\nd = 'Model' in layer.__class__.__name__\n"
    )


def test_km626_equal_and_not_equal_either_side():
    assert_migrates(
        HEAD + "if layer.__class__.__name__ == 'Model':\n    pass\nb = 'Model' != type(layer).__name__\n",
        NEW + "if layer.__class__.__name__ in ('Model', 'Functional'):\n    pass\n"
        "b = type(layer).__name__ not in ('Model', 'Functional')\n",
    )


def test_km626_documented_example():
    assert_documented_example("KM626")
