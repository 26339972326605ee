"""Properties over generated inputs: non-Keras code is untouched, migration is idempotent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from kmigrate.diagnostics import Status
from tests.helpers import run

LEGACY_IMPORTS = [
    "import keras",
    "import keras as k",
    "import keras.backend as K",
    "from keras import backend as K",
    "from keras import layers, models",
    "from keras.layers.core import Dense, Dropout",
    "from keras.layers import Conv2D, MaxPooling2D, Highway",
    "from keras.models import Sequential, Input",
    "from keras.utils import np_utils",
    "from keras.utils.np_utils import to_categorical",
    "from keras.optimizers import SGD",
    "from keras.preprocessing.image import ImageDataGenerator",
    "from keras.wrappers.scikit_learn import KerasClassifier",
    "from tensorflow.keras.layers import Dense",
    "import numpy as np",
]
USES = [
    "x = keras.layers.core.Dense(3)",
    "y = np_utils.to_categorical([1, 2], 3)",
    "m = Sequential()",
    "if K.backend() == 'theano':\n    pass",
    "z = layers.convolutional.Conv2D(1, (1, 1))",
    "def f(K):\n    return K.epsilon()",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    imports=st.lists(st.sampled_from(LEGACY_IMPORTS), min_size=1, max_size=6),
    uses=st.lists(st.sampled_from(USES), max_size=4),
    indent_in_function=st.booleans(),
)
def test_migration_parses_and_second_run_is_a_no_op(imports, uses, indent_in_function):
    body = "\n".join(imports + uses) + "\n"
    if indent_in_function:
        body = "def main():\n" + "".join(f"    {line}\n" for line in body.splitlines())
    first = run(body)
    assert first.status is not Status.ERROR, first.error
    output = first.output if first.status is Status.CHANGED else body
    compile(output, "<migrated>", "exec")
    second = run(output)
    assert second.status is not Status.CHANGED, second.output
    # No standalone keras import is left without a marker.
    for line in output.splitlines():
        stripped = line.strip()
        if stripped.startswith(("import keras", "from keras")):
            assert "# kmigrate:" in line or "# kmigrate:" in output.split(line)[0].splitlines()[-1]


@settings(max_examples=60, deadline=None)
@given(st.from_regex(r"[a-z_]{1,8}( = [0-9]{1,3})?\n", fullmatch=True))
def test_code_without_keras_is_never_touched(code):
    assert run(code).status is Status.SKIPPED
