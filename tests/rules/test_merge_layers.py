"""KM232/KM233: the Keras 1 Merge layer and merge function."""

from __future__ import annotations

import pytest

from kmigrate.rules import merge_layers
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, rules_fired

MINE = tuple(rule.id for rule in merge_layers.RULES)
ONLY = {"select": MINE}
WITH_IMPORTS = {"select": MINE + ("KM1",)}


def test_merge_function_modes() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import merge, Input
        a = Input(shape=(4,))
        b = Input(shape=(4,))
        m1 = merge([a, b], mode='concat', concat_axis=-1)
        m2 = merge([a, b], mode='mul', name='prod')
        m3 = merge([a, b], mode='dot', dot_axes=[1, 1])
        m4 = merge([a, b])
        m5 = merge([a, b], mode='ave')
        m6 = merge([a, b], mode="max", concat_axis=2)
        m7 = merge([a, b], mode='dot')
        m8 = merge([a, b], 'concat', 1)
        """,
        """
        from tensorflow.keras.layers import Input, Concatenate, Multiply, Dot, Add, Average, Maximum
        a = Input(shape=(4,))
        b = Input(shape=(4,))
        m1 = Concatenate(axis=-1)([a, b])
        m2 = Multiply(name='prod')([a, b])
        m3 = Dot(axes=[1, 1])([a, b])
        m4 = Add()([a, b])
        m5 = Average()([a, b])
        m6 = Maximum()([a, b])
        m7 = Dot(axes=-1)([a, b])
        m8 = Concatenate(axis=1)([a, b])
        """,
        **WITH_IMPORTS,
    )
    assert "KM233" in rules_fired(diagnostics)


def test_merge_function_multiline_and_module_spelling() -> None:
    assert_migrates(
        """
        import keras.layers as L
        x = L.merge([left,
                     right],
                    mode='concat')
        """,
        """
        import keras.layers as L
        x = L.Concatenate()([left,
                     right])
        """,
        **ONLY,
    )


def test_merge_function_lambda_mode() -> None:
    assert_migrates(
        """
        from keras.layers import merge
        x = merge([a, b], mode=lambda t: t[0] - t[1], output_shape=(4,))
        """,
        """
        from tensorflow.keras.layers import Lambda
        x = Lambda(lambda t: t[0] - t[1], output_shape=(4,))([a, b])
        """,
        **WITH_IMPORTS,
    )


def test_merge_class_modes() -> None:
    diagnostics = assert_migrates(
        """
        from keras.layers import Merge
        x = Merge(mode='concat', concat_axis=1)([a, b])
        y = Merge(mode='sum', name='s')
        z = Merge(mode='dot', dot_axes=1)
        """,
        """
        from tensorflow.keras.layers import Concatenate, Add, Dot
        x = Concatenate(axis=1)([a, b])
        y = Add(name='s')
        z = Dot(axes=1)
        """,
        **WITH_IMPORTS,
    )
    assert rules_fired(diagnostics) >= {"KM232"}


def test_merge_from_keras1_topology() -> None:
    assert_migrates(
        """
        from keras.engine.topology import merge
        x = merge([a, b], mode='sum')
        """,
        """
        from tensorflow.keras.layers import Add
        x = Add()([a, b])
        """,
        **WITH_IMPORTS,
    )


@pytest.mark.parametrize(
    "code, rule",
    [
        ("from keras.layers import Merge\nmodel.add(Merge([left, right], mode='concat'))\n", "KM232"),
        ("from keras.layers import merge\nx = merge([a, b], mode='cos', dot_axes=1)\n", "KM233"),
        ("from keras.layers import merge\nx = merge([a, b], mode=mode)\n", "KM233"),
        ("from keras.layers import merge\nx = merge([a, b], mode='concat', output_mask=m)\n", "KM233"),
        ("from keras.layers import merge\nx = merge(*parts)\n", "KM233"),
    ],
)
def test_merge_flags(code: str, rule: str) -> None:
    assert_flags(code, rule, **WITH_IMPORTS)


def test_branching_merge_keeps_its_import() -> None:
    output = assert_flags(
        "from keras.layers import Merge, Dense\nmodel.add(Merge([left, right], mode='concat'))\n",
        "KM232",
        **WITH_IMPORTS,
    )
    assert "from keras.layers import Merge" in output


def test_tf_keras_and_local_merge_are_left_alone() -> None:
    assert_unchanged(
        """
        import keras
        from tensorflow.keras.layers import concatenate

        def merge(items, mode=None):
            return items

        x = merge([1, 2], mode='concat')
        y = concatenate([a, b])
        """,
        **ONLY,
    )
