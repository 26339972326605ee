"""KM620 (per-output sample_weight/class_weight dicts) and KM621 (class_weight with validation_split)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged, run

HEAD = """
from keras.layers import Input, Dense
from keras.models import Model

inputs = Input(shape=(4,))
model = Model(inputs, [Dense(1, name='a')(inputs), Dense(1, name='b')(inputs)])
model.compile(loss='mse', optimizer='sgd')
"""


def _lines(code: str, rule: str) -> list[int]:
    return [d.line for d in run(code).diagnostics if d.rule == rule]


def test_km620_noop_not_keras():
    assert_unchanged(
        """
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(class_weight={0: 1, 1: 2})
        clf.fit(x, y, sample_weight={'a': w})
        """
    )


def test_km620_noop_array_and_list_weights():
    code = HEAD + (
        "model.fit(x, [ya, yb], epochs=2, sample_weight=[wa, wb])\n"
        "model.fit(x, [ya, yb], epochs=2, sample_weight=w)\n"
        "model.fit(x, ya, epochs=2, class_weight={0: 1., 1: 3.})\n"
        "model.train_on_batch(x, [ya, yb], [wa, wb])\n"
    )
    assert _lines(code, "KM620") == []


def test_km620_sample_weight_dict_in_fit_evaluate_and_batches():
    code = HEAD + (
        "targets = {'a': ya, 'b': yb}\n"
        "weights = {'a': wa, 'b': wb}\n"
        "model.fit(x, targets, epochs=2, sample_weight={'a': wa, 'b': wb})\n"
        "model.evaluate(x, targets, sample_weight=weights)\n"
        "model.train_on_batch(x, targets, dict(a=wa, b=wb))\n"
        "model.test_on_batch(x, targets, sample_weight=[wa, wb])\n"
    )
    assert _lines(code, "KM620") == [10, 11, 12]
    output = assert_flags(code, "KM620")
    assert "# kmigrate: KM620 pass y and sample_weight as lists in output order" in output


def test_km620_per_output_class_weight():
    code = HEAD + "model.fit(x, [ya, yb], epochs=2, class_weight={'a': {0: 1., 1: 2.}, 'b': {0: 1., 1: 5.}})\n"
    output = assert_flags(code, "KM620")
    assert "per-output class_weight is gone" in output


def test_km620_name_rebound_to_an_array_is_not_a_dict():
    code = HEAD + "weights = {'a': wa}\nweights = np.ones(10)\nmodel.fit(x, y, epochs=1, sample_weight=weights)\n"
    assert _lines(code, "KM620") == []


def test_km621_noop_without_split_or_weights():
    code = HEAD + (
        "model.fit(x, y, epochs=2, class_weight={0: 1., 1: 4.}, validation_data=(xv, yv))\n"
        "model.fit(x, y, epochs=2, validation_split=0.2)\n"
        "model.fit(x, y, epochs=2, class_weight=None, validation_split=0.2)\n"
        "model.fit(x, y, epochs=2, class_weight=cw, validation_split=0.0)\n"
    )
    assert _lines(code, "KM621") == []


def test_km621_class_weight_with_validation_split():
    code = """
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential([Dense(1, activation='sigmoid', input_dim=4)])
        model.compile(loss='binary_crossentropy', optimizer='sgd', metrics=['accuracy'])
        history = model.fit(x, y, nb_epoch=3, validation_split=0.25,
                            class_weight={0: 1., 1: 4.})
        """
    output = assert_flags(code, "KM621")
    assert "# kmigrate: KM621 val_loss is no longer class-weighted: split and weight by hand" in output


def test_km621_unknown_receiver_shown_by_fit_keywords():
    code = """
        import keras

        def train(model, x, y, weights):
            return model.fit(x, y, epochs=3, class_weight=weights, validation_split=0.1)
        """
    assert _lines(code, "KM621") == [5]
