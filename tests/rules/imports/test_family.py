"""Tests of the imports family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_flags,
    assert_migrates,
    assert_unchanged,
    rules_fired,
    run,
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


def test_a_method_of_a_keras_class_is_not_a_module_name():
    # review finding (jasonwbw/Keras-RC core_layer.py): `Layer.get_config(self)` was reported as
    # "`get_config` has no tf.keras equivalent" although Layer moved and has the method
    assert_migrates(
        """
        from keras.layers import Layer, InputLayer

        class Shared(InputLayer):
            def get_config(self):
                return dict(Layer.get_config(self))
        """,
        """
        from tensorflow.keras.layers import Layer, InputLayer

        class Shared(InputLayer):
            def get_config(self):
                return dict(Layer.get_config(self))
        """,
    )


def test_a_method_of_a_fully_dotted_keras_class_follows_the_class():
    assert_migrates(
        """
        import keras

        def config(layer):
            return keras.layers.core.Dense.get_config(layer)
        """,
        """
        from tensorflow import keras

        def config(layer):
            return keras.layers.Dense.get_config(layer)
        """,
    )


def test_a_homeless_module_member_is_still_reported():
    out = assert_flags(
        """
        import keras
        h = keras.layers.Highway(activation="relu")
        """,
        "KM103",
    )
    assert "keras.layers.Highway" in out


def test_km120_modules_a_legacy_star_import_bound_get_their_own_import():
    # review finding (jasonwbw/Keras-RC core_layer.py): `constraints.get(...)` and friends came
    # from `from keras.layers.core import *`; tf.keras's star import does not bind them
    assert_migrates(
        """
        from keras.layers.core import *
        from keras.models import *

        class Linear(Layer):
            def __init__(self, units, kernel_constraint=None, **kwargs):
                super(Linear, self).__init__(**kwargs)
                self.units = units
                self.kernel_constraint = constraints.get(kernel_constraint)

            def call(self, x):
                return K.relu(x) * np.float32(2)
        """,
        """
        from tensorflow.keras.layers import *
        from tensorflow.keras.models import *
        import tensorflow.keras.backend as K
        import numpy as np
        from tensorflow.keras import constraints

        # kmigrate: KM421 add get_config() returning the constructor arguments
        class Linear(Layer):
            def __init__(self, units, kernel_constraint=None, **kwargs):
                super(Linear, self).__init__(**kwargs)
                self.units = units
                self.kernel_constraint = constraints.get(kernel_constraint)

            def call(self, x):
                return K.relu(x) * np.float32(2)
        """,
    )


@pytest.mark.parametrize(
    "code",
    [
        # the file binds the name itself
        "from keras.layers import *\nfrom keras import backend as K\nx = K.epsilon()\n",
        "from keras.layers import *\nimport numpy as np\nx = np.zeros(3)\n",
        "from keras.layers import *\n\ndef f(np):\n    return np.zeros(3)\n",
        # a star import of a module that never bound it
        "from keras.preprocessing.image import *\nx = np.zeros(3)\n",
        "from mylib import *\nx = K.epsilon()\n",
        # not a use of the name
        "from keras.layers import *\nx = obj.K\nf(np=3)\n",
    ],
)
def test_km120_leaves_names_the_star_import_did_not_bind(code):
    result = run(code)
    assert "KM120" not in rules_fired(result)
    output = result.output if result.output is not None else code
    assert output.count("import") == code.count("import")
