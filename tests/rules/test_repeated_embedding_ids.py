"""KM618: Keras 3 optimizers step each occurrence of a repeated Embedding id apart."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged, run

HEAD = """
from keras.models import Sequential
from keras.layers import Embedding, GlobalAveragePooling1D, Dense
from keras.optimizers import RMSprop, SGD

model = Sequential([Embedding(1000, 16, input_length=40), GlobalAveragePooling1D(), Dense(1)])
"""


def _km618(code: str, **settings: object) -> list[int]:
    return [d.line for d in run(code, **settings).diagnostics if d.rule == "KM618"]


def test_km618_noop_already_tf_keras():
    # tf.keras 2.x summed repeated ids as legacy Keras did, but its code is not legacy Keras:
    # the rule is about the legacy -> Keras 3 step only.
    code = (
        "from tensorflow.keras.models import Sequential\n"
        "from tensorflow.keras.layers import Embedding, Dense\n"
        "model = Sequential([Embedding(1000, 16, input_length=4), Dense(1)])\n"
        "model.compile(loss='mean_squared_error', optimizer='adam')\n"
    )
    assert _km618(code) == []


def test_km618_noop_not_keras():
    assert_unchanged(
        """
        from gensim.models import Embedding

        model = Embedding(1000, 16)
        model.compile(optimizer='adam')
        """
    )


def test_km618_noop_sgd_is_linear():
    assert _km618(HEAD + "model.compile(loss='mse', optimizer=SGD(lr=0.1, momentum=0.9))\n") == []
    assert _km618(HEAD + "model.compile('sgd', 'mse')\n") == []


def test_km618_noop_without_embedding():
    code = "from keras.models import Sequential\nfrom keras.layers import Dense\n" \
           "model = Sequential([Dense(1, input_shape=(3,))])\nmodel.compile(loss='mse', optimizer='adam')\n"
    assert _km618(code) == []


def test_km618_noop_compile_of_another_library():
    # A project class with its own compile(): not a Keras model.
    code = HEAD + "class Query:\n    def compile(self, optimizer):\n        return optimizer\n\n\n" \
                  "Query().compile(optimizer='adam')\n"
    assert _km618(code) == []


def test_km618_noop_for_the_tf_keras_target():
    # tf_keras's optimizers sum duplicate indices like legacy Keras did.
    assert _km618(HEAD + "model.compile(loss='mse', optimizer='adam')\n", target="tf_keras") == []


def test_km618_flags_string_optimizer():
    output = assert_flags(HEAD + "model.compile(loss='mse', optimizer='adam')\n", "KM618")
    assert "# kmigrate: KM618 re-validate training: Keras 3 adam does not sum repeated Embedding ids" in output


def test_km618_flags_constructor_positional_and_bound_name():
    assert_flags(HEAD + "model.compile(RMSprop(lr=0.01), 'mse')\n", "KM618")
    output = assert_flags(HEAD + "opt = RMSprop(lr=0.01)\nmodel.compile(loss='mse', optimizer=opt)\n", "KM618")
    assert "KM618 re-validate training: Keras 3 rmsprop" in output


def test_km618_marks_each_model_once():
    code = HEAD + "model.compile(loss='mse', optimizer='adam')\nmodel.compile(loss='mae', optimizer='adam')\n"
    assert len(_km618(code)) == 1
