"""Tests of ``kmigrate/rules/backend/function.py``: ``K.function`` (a ``k_function`` helper that builds a sub-model) and the learning phase
(``K.learning_phase``, ``K.set_learning_phase``, ``K.in_train_phase`` / ``K.in_test_phase``)."""

from __future__ import annotations

import textwrap

from tests.helpers import assert_flags, assert_migrates, migrated, rules_fired, run
from tests.rules.backend.cases import HEAD, NEW_HEAD

HELPER = '''

def k_function(inputs, outputs, learning_phase_index=None):
    """What `K.function(inputs, outputs)` did, on tf.keras (added by kmigrate, KM519): call it
    with a list of arrays to get the list of output arrays; the value at `learning_phase_index`
    (the `K.learning_phase()` input) is the `training` flag."""
    model = tf.keras.Model(inputs, outputs)

    def call(values):
        values = list(values)
        training = False
        if learning_phase_index is not None:
            training = bool(values.pop(learning_phase_index))
        return [tensor.numpy() for tensor in tf.nest.flatten(model(values, training=training))]

    return call


'''


def test_in_train_phase_inside_call_km526_km525():
    before = HEAD + textwrap.dedent("""\
        from keras.layers import Layer
        class Noise(Layer):
            def call(self, inputs, training=None):
                a = K.in_train_phase(lambda: inputs * 2, inputs, training=training)
                return K.in_test_phase(a, a * 0.5, training=training)
        """)
    after = NEW_HEAD + textwrap.dedent("""\
        from tensorflow.keras.layers import Layer
        class Noise(Layer):
            def call(self, inputs, training=None):
                a = (inputs * 2 if training else inputs)
                return (a * 0.5 if training else a)
        """)
    assert_migrates(before, after)


def test_set_learning_phase_0_removed_without_training_km551():
    assert_migrates(HEAD + "K.set_learning_phase(0)\nmodel.predict(x)\n", NEW_HEAD + "model.predict(x)\n")
    assert_flags(HEAD + "K.set_learning_phase(0)\nmodel.fit(x, y)\n", "KM551")


def test_k_function_rewrite_km519():
    before = HEAD + textwrap.dedent("""\
        def probe(model, x):
            f = K.function([model.input, K.learning_phase()], [model.layers[-2].output])
            return f([x, 0])[0]
        """)
    after = NEW_HEAD + "import tensorflow as tf\n" + HELPER + textwrap.dedent("""\
        def probe(model, x):
            f = k_function([model.inputs[0]], [model.layers[-2].output], learning_phase_index=-1)
            return f([x, 0])[0]
        """)
    diagnostics = assert_migrates(before, after)
    assert "KM531" not in rules_fired(diagnostics)


def test_km519_k_function_spellings():
    out = migrated(
        "import tensorflow as tf\nimport keras\n"
        "g = keras.backend.function(inputs=[net.input], outputs=[layer.output for layer in net.layers])\n"
        "h = keras.backend.function(model.inputs + [keras.backend.learning_phase()], [model.output])\n"
        "i = keras.backend.Function([inp], [hidden])\n"
    )
    assert "g = k_function([net.inputs[0]], [layer.output for layer in net.layers])" in out
    assert "h = k_function(model.inputs, [model.outputs[0]], learning_phase_index=-1)" in out
    assert "i = k_function([inp], [hidden])" in out
    assert out.count("def k_function") == 1 and "import tensorflow as tf\n" in out


def test_km519_k_function_rewritten_on_tf_keras_too():
    # tf_keras keeps K.function, but it fails eagerly with K.learning_phase() among the inputs.
    code = HEAD + "f = K.function([model.input, K.learning_phase()], [model.output])\n"
    out = migrated(code, target="tf_keras")
    assert "f = k_function([model.inputs[0]], [model.outputs[0]], learning_phase_index=-1)" in out


def test_km519_run_never_errors_on_mixed_file():
    result = run(HEAD + "K.function([m.input], [m.output])([x])\nK.set_value(w, 1)\ny = K.T\n")
    assert result.error is None


def test_in_train_phase_in_a_helper_is_marked_km526():
    # attention_decoder.py of the review corpus (index id 10978575527): `_time_distributed_dense(...,
    # training=None)` is a module-level helper; callers that leave `training` out got the learning
    # phase, and `x if training else alt` would never take the training branch for them.
    code = HEAD + textwrap.dedent("""\
        def _time_distributed_dense(x, w, dropout=None, training=None):
            if dropout is not None:
                x = K.in_train_phase(K.dropout(x, dropout), x, training=training)
            return K.dot(x, w)
        """)
    output = assert_flags(code, "KM526")
    assert "K.in_train_phase(K.dropout(x, dropout), x, training=training)  # kmigrate: KM526 pass the layer's" in output


def test_in_train_phase_in_another_method_is_marked_km526():
    code = HEAD + textwrap.dedent("""\
        from keras.layers import Layer
        class Decoder(Layer):
            def step(self, x, training=None):
                return K.in_train_phase(x * 2, x, training=training)
        """)
    assert_flags(code, "KM526")


def test_in_train_phase_in_a_lambda_inside_call_is_rewritten_km526():
    before = HEAD + textwrap.dedent("""\
        from keras.layers import Layer
        class Noise(Layer):
            def call(self, inputs, training=None):
                f = lambda t: K.in_train_phase(t * 2, t, training=training)
                return f(inputs)
        """)
    after = NEW_HEAD + textwrap.dedent("""\
        from tensorflow.keras.layers import Layer
        class Noise(Layer):
            def call(self, inputs, training=None):
                f = lambda t: (t * 2 if training else t)
                return f(inputs)
        """)
    assert_migrates(before, after)
