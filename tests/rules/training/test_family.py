"""Tests of the training family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from tests.helpers import assert_unchanged


def test_keys_unchanged_for_keras_2_3():
    assert_unchanged(
        "from tensorflow.keras.models import Sequential\nmodel.compile('sgd', 'binary_crossentropy', metrics=['accuracy'])\n"
        "print(history.history['acc'])\n",
        from_version="2.3.1",
    )


def test_non_keras_code_unchanged():
    assert_unchanged("import sklearn\nclf.fit(X, y, nb_epoch=3)\nclf.fit_generator(g, 10, 2)\nclf.predict_classes(x)\n")


def test_already_migrated_unchanged():
    assert_unchanged(
        "from tensorflow.keras.models import Sequential\nmodel.fit(gen, steps_per_epoch=8, epochs=3)\n"
        "print(history.history['accuracy'])\n"
    )
