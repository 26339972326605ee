"""Tests of the keras1_api family as a whole: its shared dispatch (``common.py``), the rules
whose code lives there, and code it must leave alone."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates


def test_km244_247_248_renames():
    assert_migrates(
        """
        from keras.utils import np_utils
        from keras.datasets import imdb
        from keras.preprocessing.text import Tokenizer
        y = np_utils.to_categorical(labels, nb_classes=10)
        (x, y), _ = imdb.load_data(nb_words=5000)
        t = Tokenizer(nb_words=1000)
        """,
        """
        from tensorflow.keras import utils as np_utils
        from tensorflow.keras.datasets import imdb
        from tensorflow.keras.preprocessing.text import Tokenizer
        y = np_utils.to_categorical(labels, num_classes=10)
        (x, y), _ = imdb.load_data(num_words=5000)
        t = Tokenizer(num_words=1000)
        """,
    )


def test_km245_np_utils_flag():
    assert_flags(
        """
        from keras.utils import np_utils
        c = np_utils.categorical_probas_to_classes(p)
        """,
        "KM245",
    )
