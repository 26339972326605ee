"""A statement or decorator a rule removes never takes the user's comments with it."""

from __future__ import annotations

from tests.helpers import assert_migrates


def test_comment_above_a_removed_import_moves_to_the_next_statement():
    assert_migrates(
        """\
        import keras
        # the legacy decorators
        from keras.legacy import interfaces

        class Adder(keras.layers.Layer):
            @interfaces.legacy_dense_support
            def call(self, x):
                return x
        """,
        """\
        from tensorflow import keras
        # the legacy decorators

        class Adder(keras.layers.Layer):
            def call(self, x):
                return x
        """,
    )


def test_comment_above_a_removed_decorator_stays_above_the_function():
    assert_migrates(
        """\
        from tensorflow import keras
        from keras.legacy import interfaces

        class Adder(keras.layers.Layer):
            @staticmethod
            # accepts Keras 1 arguments
            @interfaces.legacy_dense_support
            def call(x):
                return x
        """,
        """\
        from tensorflow import keras

        class Adder(keras.layers.Layer):
            @staticmethod
            # accepts Keras 1 arguments
            def call(x):
                return x
        """,
    )


def test_comment_above_a_duplicate_import_at_the_end_of_the_file_is_kept():
    assert_migrates(
        """\
        import keras
        from keras.preprocessing.image import ImageDataGenerator

        # augmentation
        from keras.preprocessing.image import ImageDataGenerator
        """,
        """\
        from tensorflow import keras
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        # augmentation
        """,
    )


def test_blank_lines_alone_close_up_when_an_import_goes():
    assert_migrates(
        """\
        import keras
        from keras.legacy import interfaces

        x = 1
        """,
        """\
        from tensorflow import keras

        x = 1
        """,
    )


def test_a_blank_line_above_a_removed_statement_still_separates_the_code():
    assert_migrates(
        """\
        import tensorflow as tf
        from keras import backend as K
        x = 1

        K.get_session().run(tf.global_variables_initializer())
        y = 2
        """,
        """\
        import tensorflow as tf
        from tensorflow.keras import backend as K
        x = 1

        y = 2
        """,
    )


def test_blank_lines_around_a_removed_statement_do_not_pile_up():
    assert_migrates(
        """\
        import tensorflow as tf
        from keras import backend as K
        x = 1

        K.get_session().run(tf.global_variables_initializer())

        y = 2
        """,
        """\
        import tensorflow as tf
        from tensorflow.keras import backend as K
        x = 1

        y = 2
        """,
    )
