"""Tests of the imports family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_unchanged,
)


@pytest.mark.parametrize(
    "code",
    [
        "from tensorflow import keras\nx = keras.layers.Dense(3)\n",
        "from tensorflow.keras.layers import Dense\nimport tensorflow.keras.backend as K\n",
        "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(3)])\n",
        # names that only look like Keras
        "class Dense:\n    pass\nlayer = Dense()\n",
        "keras = {'layers': 3}\nprint(keras['layers'])\n",
        "from mylib.keras import Dense\nx = Dense(3)\n",
        "from . import keras\nx = keras.layers\n",
        "# import keras\ns = 'from keras.layers import Dense'\n",
    ],
)
def test_no_op(code):
    assert_unchanged(code)


def test_builtins_do_not_resolve_through_a_star_import():
    import libcst as cst

    from kmigrate.names import NameResolver

    module = cst.parse_module("from keras.layers import *\nclass D(object):\n    pass\nx = Dense(3)\n")
    resolver = NameResolver.for_module(module)
    assert resolver.qualified_name(cst.Name("object")) is None
    assert resolver.qualified_name(cst.Name("Dense")) == "keras.layers.Dense"


def test_several_star_imports_resolve_each_name_where_it_exists():
    import libcst as cst

    from kmigrate.names import NameResolver

    module = cst.parse_module("from keras.layers import *\nfrom keras.optimizers import *\nx = Dense(3)\n")
    resolver = NameResolver.for_module(module)
    assert resolver.qualified_name(cst.Name("Dense")) == "keras.layers.Dense"
    assert resolver.qualified_name(cst.Name("SGD")) == "keras.optimizers.SGD"
    assert resolver.qualified_name(cst.Name("not_a_keras_name")) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Imported twice at module level, bound no other way: what both imports agree on.
        ("try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\npickle.dump(1)\n", None),
        ("try:\n    from keras.layers import Dense as D\nexcept ImportError:\n    from tensorflow.keras.layers import Dense as D\nD(3)\n",
         "keras.layers.Dense"),
        # Also bound inside a function: scope analysis decides, use by use.
        ("import keras.backend as K\ndef f(K):\n    return K.mean(1)\nK.mean(2)\n", "keras.backend.mean"),
        ("import keras.backend as K\ndef f():\n    import numpy as K\n    return K.mean(1)\nK.mean(2)\n", "keras.backend.mean"),
    ],
)
def test_a_name_imported_twice_resolves_as_scope_analysis_does(source: str, expected: str | None):
    import libcst as cst

    from kmigrate.names import NameResolver

    module = cst.parse_module(source)
    last_call = module.body[-1].body[0].value  # the module-level use on the last line
    resolver = NameResolver.for_module(module)
    assert resolver.qualified_name(last_call.func) == expected
    assert resolver.qualified_name(last_call.func) == expected  # asked again: the same answer


def test_a_parameter_named_like_an_import_is_not_the_import():
    import libcst as cst

    from kmigrate.names import NameResolver

    module = cst.parse_module("import keras.backend as K\ndef f(K):\n    return K.mean(1)\n")
    function = module.body[-1]
    inner_call = function.body.body[0].body[0].value
    assert NameResolver.for_module(module).qualified_name(inner_call.func) is None
