"""Tests of ``kmigrate/rules/readonly_attributes.py``: KM624, assignments to attributes that are
read-only properties in Keras 3 (measured on Keras 3.15: they raise AttributeError)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged, migrated, rules_fired, run

KM624 = {"select": ("KM624",)}


def test_km624_no_op_outside_keras_subclasses_and_for_settable_attributes():
    assert_unchanged(
        """
        import tensorflow as tf
        from tensorflow.keras.callbacks import Callback
        from tensorflow.keras.layers import Layer

        class Holder(object):
            def __init__(self, model, dtype):
                self.model = model
                self.dtype = dtype

        class Cast(Layer):
            model = None  # a class attribute, not an assignment through self
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.supports_masking = True
                self.input_spec = None
                self.stateful = False
                self.name_scope = 'x'

        class Log(Callback):
            def __init__(self):
                super().__init__()
                self.params = {}
                self.validation_data = None
                self.eval_model = None
        """,
        **KM624,
    )


def test_km624_leaves_trainable_weights_to_km609():
    code = """
    from keras.engine.topology import Layer
    class Scale(Layer):
        def build(self, input_shape):
            self.gamma = self.add_weight(shape=(1,), initializer='ones', name='gamma')
            self.trainable_weights = [self.gamma]
    """
    assert "KM624" not in rules_fired(run(code))


def test_km624_callback_model_assigned_in_init():
    # /tmp/rcsnip/r3.py: "property 'model' of 'SaveOnBest' object has no setter" on Keras 3.
    output = assert_flags(
        """
        import keras
        class SaveOnBest(keras.callbacks.Callback):
            def __init__(self, model):
                self.model = model
        """,
        "KM624",
        **KM624,
    )
    assert (
        "        self.model = model  # kmigrate: KM624 drop it (fit() sets self.model) or rename: "
        "Keras 3 Callback.model has no setter\n"
    ) in output


def test_km624_layer_dtype_assigned_in_init():
    # /tmp/rcsnip/r4.py
    output = assert_flags(
        """
        import keras
        class Cast(keras.layers.Layer):
            def __init__(self, dtype, **kwargs):
                self.dtype = dtype
                super(Cast, self).__init__(**kwargs)
        """,
        "KM624",
        **KM624,
    )
    assert "self.dtype = dtype  # kmigrate: KM624 rename (e.g. self.target_dtype): Keras 3 layers' dtype" in output
    assert output.count("KM624") == 1


def test_km624_set_model_override_calls_super():
    output = assert_flags(
        """
        from keras.callbacks import Callback
        class Keep(Callback):
            def set_model(self, model):
                self.model = model
        """,
        "KM624",
        **KM624,
    )
    assert "# kmigrate: KM624 call super().set_model(model)" in output


def test_km624_subclasses_of_builtin_classes_and_tuple_targets():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.callbacks import ModelCheckpoint
        from keras.layers import Dense

        class Stack(Sequential):
            def __init__(self):
                super(Stack, self).__init__()
                self.layers = []

        class Checkpoint(ModelCheckpoint):
            def __init__(self, single_model, path):
                super(Checkpoint, self).__init__(path)
                self.model, self.path = single_model, path

        class Probe(Dense):
            def call(self, x):
                self.output = x
                self.losses = []
                return x
        """,
        **KM624,
    )
    assert "self.layers = []  # kmigrate: KM624 rename (e.g. self.sublayers): Model.layers is reserved" in out
    assert "self.model, self.path = single_model, path  # kmigrate: KM624" in out
    assert "self.output = x  # kmigrate: KM624 rename: Keras 3 Layer.output has no setter (e.g. self.my_output)" in out
    assert "self.losses = []  # kmigrate: KM624 rename: Keras 3 Layer.losses has no setter" in out
