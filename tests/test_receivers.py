"""The receiver policy: method and attribute rules act only on objects shown to be Keras.

No-op cases first (receivers known not to be Keras, or unknown with a shared method name),
then the cases where the kind is followed far enough to rewrite.
"""

from __future__ import annotations

import textwrap

import libcst as cst

from kmigrate.context import FileContext
from kmigrate.kinds import Kind
from kmigrate.settings import Settings
from kmigrate.transform import MigrationTransformer
from tests.helpers import assert_migrates, migrated


def kinds_of(code: str, *expressions: str) -> dict[str, Kind]:
    """The kind of each expression statement of ``code`` written in ``expressions``."""
    module = cst.parse_module(textwrap.dedent(code))
    ctx = FileContext(module, module.code, Settings())
    MigrationTransformer(ctx, []).scan(module)
    found = {}
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr):
            text = module.code_for_node(statement.body[0].value)
            if text in expressions:
                found[text] = ctx.kind_of(statement.body[0].value)
    return found


# -- never rewrite what is not Keras ---------------------------------------------------------


def test_pil_image_save_keeps_its_png_name():
    code = """
        from keras.models import Sequential
        from PIL import Image
        import numpy as np
        Image.fromarray(np.zeros((3, 3))).save("result.png")
        img = Image.open("a.png")
        img.save("b.png")
        """
    out = migrated(code)
    assert 'save("result.png")' in out and 'img.save("b.png")' in out
    assert "kmigrate:" not in out


def test_a_class_with_its_own_predict_classes_keeps_calling_it():
    code = """
        from keras.models import Sequential
        class Classifier:
            def predict_classes(self, x):
                return x
            def run(self, x):
                return self.predict_classes(x)
        Classifier().predict_classes([1])
        """
    out = migrated(code)
    assert "return self.predict_classes(x)" in out
    assert "Classifier().predict_classes([1])" in out


def test_a_third_party_sequential_add_gets_no_input_layer():
    code = """
        from keras.layers import Dense
        from recurrentshop import RecurrentSequential
        rnn = RecurrentSequential()
        for _ in range(3):
            rnn.add(Dense(4, input_shape=(8,)))
        """
    out = migrated(code, select=("KM403",))
    assert "Input(" not in out


def test_compile_of_re_and_of_a_project_class_is_left_alone():
    out = migrated(
        """
        import re
        from keras import backend as K
        class Job:
            def compile(self, optimizer, loss):
                return optimizer
        r = re.compile("x")
        Job().compile("sgd", "logcosh")
        """
    )
    assert 'Job().compile("sgd", "logcosh")' in out


def test_unknown_receiver_with_a_shared_method_name_is_not_rewritten():
    out = migrated(
        """
        import keras
        def train(net, data):
            net.fit(data, nb_worker=2)
            net.predict_proba(data)
        """
    )
    # fit(nb_worker=) is Keras-only: rewritten; predict_proba is scikit-learn's too: left.
    assert "net.predict_proba(data)" in out


def test_unknown_receiver_keeps_keras_only_method_names_unless_the_project_defines_them(tmp_path):
    (tmp_path / "setup.py").write_text("")
    (tmp_path / "ours.py").write_text("class Tracker:\n    def predict_classes(self, x):\n        return x\n")
    script = tmp_path / "run.py"
    script.write_text("import keras\ndef go(m, x):\n    return m.predict_classes(x)\n")
    from kmigrate.cli import main
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["--diff", str(script)], catch_exceptions=False)
    assert "predict(" not in result.output  # a project class defines predict_classes
    (tmp_path / "ours.py").write_text("class Tracker:\n    pass\n")
    result = CliRunner().invoke(main, ["--diff", str(script)], catch_exceptions=False)
    assert "m.predict(x, verbose=0)" in result.output


# -- read only code --------------------------------------------------------------------------


def test_words_in_comments_and_strings_are_not_attribute_uses():
    code = '''
        """See keras.initializations.md and keras.densenet.py for background."""
        import keras
        # keras.initializations.md explains the defaults
        URL = "https://example.org/keras.densenet.py"
        model = keras.models.Sequential()
        '''
    assert_migrates(
        code,
        '''
        """See keras.initializations.md and keras.densenet.py for background."""
        from tensorflow import keras
        # keras.initializations.md explains the defaults
        URL = "https://example.org/keras.densenet.py"
        model = keras.models.Sequential()
        ''',
    )


# -- what the inference follows --------------------------------------------------------------


def test_kinds_from_constructors_factories_and_loaders():
    found = kinds_of(
        """
        from keras.models import Sequential, load_model
        from keras.layers import Dense, Input
        from keras.optimizers import Adam
        from keras.callbacks import EarlyStopping
        from keras import backend as K
        import numpy as np
        def build():
            model = Sequential()
            model.add(Dense(3))
            return model
        m = build()
        loaded = load_model("m.h5")
        layer = Dense(3)
        tensor = layer(Input((3,)))
        opt = Adam()
        stop = EarlyStopping()
        array = np.zeros(3)
        value = K.sum(tensor)
        m
        loaded
        layer
        tensor
        opt
        stop
        array
        value
        m.layers[0]
        m.optimizer
        "text"
        undefined_name
        """,
        "m", "loaded", "layer", "tensor", "opt", "stop", "array", "value", "m.layers[0]", "m.optimizer",
        '"text"', "undefined_name",
    )
    assert found == {
        "m": Kind.MODEL, "loaded": Kind.MODEL, "layer": Kind.LAYER, "tensor": Kind.TENSOR,
        "opt": Kind.OPTIMIZER, "stop": Kind.CALLBACK, "array": Kind.FOREIGN, "value": Kind.TENSOR,
        "m.layers[0]": Kind.LAYER, "m.optimizer": Kind.OPTIMIZER, '"text"': Kind.FOREIGN,
        "undefined_name": Kind.UNKNOWN,
    }


def test_self_in_keras_subclasses_and_parameters_passed_by_callers():
    out = migrated(
        """
        from keras.models import Model, Sequential
        from keras.callbacks import Callback
        class Net(Model):
            def go(self, x):
                return self.predict_classes(x)
        class Watch(Callback):
            def on_epoch_end(self, epoch, logs=None):
                self.model.fit_generator(gen, 1)
        def evaluate(net, x):
            return net.predict_proba(x)
        evaluate(Sequential(), [1])
        """
    )
    assert "self.predict(x, verbose=0)" in out
    assert "self.model.fit(gen, steps_per_epoch=1)" in out
    assert "return net.predict(x, verbose=0)" in out


def test_a_name_bound_to_both_keras_and_something_else_is_unknown():
    found = kinds_of(
        """
        from keras.models import Sequential
        from PIL import Image
        if flag:
            thing = Sequential()
        else:
            thing = Image.open("a.png")
        thing
        """,
        "thing",
    )
    assert found == {"thing": Kind.UNKNOWN}


def test_a_module_level_alias_of_a_keras_class_is_that_class():
    out = migrated(
        """
        from keras import layers
        RNN = layers.LSTM
        def shadowed(RNN):
            return RNN(3)
        x = RNN(4)
        """
    )
    assert "x = RNN(4, recurrent_activation=legacy_hard_sigmoid)" in out
    assert "    return RNN(3)\n" in out  # the parameter is not the alias


def test_a_keras_only_name_defined_by_a_class_of_the_file_is_not_rewritten_on_unknown_receivers():
    out = migrated(
        """
        import keras
        class Tracker:
            def predict_classes(self, x):
                return x
        def go(thing, x):
            return thing.predict_classes(x)
        """
    )
    assert "return thing.predict_classes(x)" in out


def test_a_parameter_used_as_a_model_is_a_model():
    out = migrated(
        """
        from keras.models import Sequential
        def train(model, x, y):
            model.fit(x, y, epochs=2, batch_size=4)
            model.reset_states()
            return model.predict_proba(x)
        def other(estimator, x):
            estimator.fit(x)
            return estimator.predict_proba(x)
        """
    )
    assert 'for layer in model.layers if getattr(layer, "stateful", False)]' in out
    assert "return model.predict(x, verbose=0)" in out
    assert "return estimator.predict_proba(x)" in out  # nothing shows it is Keras


def test_kinds_asked_by_other_scanners_during_the_scan_use_the_scope_being_scanned():
    # The saving family classifies `model.save` while the scan pass is still in `train`.
    out = migrated(
        """
        from keras.models import load_model
        def train(model, x, y):
            model.fit(x, y, epochs=1)
            model.save('checkpoint.h5')
            return load_model('checkpoint.h5')
        """
    )
    assert "model.save('checkpoint.keras')" in out and "load_model('checkpoint.keras')" in out


def test_a_keras_only_method_and_predict_on_one_object_make_it_a_model():
    out = migrated(
        """
        import keras
        def probe(model, x):
            p = model.predict(x, batch_size=4)
            model.reset_states()
            return p
        """
    )
    assert 'for layer in model.layers if getattr(layer, "stateful", False)]' in out
