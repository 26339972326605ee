"""Tests of ``kmigrate/rules/layers/input_shape.py``: The input-shape group: ``input_dim``/``input_length`` on sequence layers, ``batch_input_shape`` /
``batch_size`` on layers, and the first layer of a Sequential model (an ``Input`` added before it)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated


def test_km405_dense_input_dim_untouched():
    assert_unchanged(
        """
        from tensorflow.keras.layers import Dense
        a = Dense(32, input_dim=8)
        """
    )


def test_km402_first_add_gets_a_leading_input():
    assert_migrates(
        """
        from keras.models import Sequential
        from keras.layers import LSTM, Dense
        model = Sequential()
        # stateful
        model.add(LSTM(5, batch_input_shape=(4, 3, 1), stateful=True, recurrent_activation='sigmoid'))
        model.add(Dense(1))
        """,
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import LSTM, Dense, Input
        model = Sequential()
        # stateful
        model.add(Input(batch_shape=(4, 3, 1)))
        model.add(LSTM(5, stateful=True, recurrent_activation='sigmoid'))
        model.add(Dense(1))
        """,
    )


def test_km402_list_batch_size_and_later_layers():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential([Dense(4, batch_size=16, input_shape=(8,)), Dense(1, batch_input_shape=(None, 4))])
        """
    )
    assert "m = Sequential([Input(batch_shape=(16, 8)), Dense(4), Dense(1)])" in out


def test_km402_functional_call_drops_and_other_places_flag():
    out = migrated(
        """
        from keras.layers import Dense
        y = Dense(4, batch_input_shape=(2, 3))(x)
        """
    )
    assert "y = Dense(4)(x)" in out
    assert_flags(
        """
        from keras.layers import Dense
        layer = Dense(4, batch_input_shape=(2, 3))
        """,
        "KM402",
    )


def test_km402_not_on_tf_keras_target():
    out = migrated(
        """
        from keras.layers import Dense
        layer = Dense(4, batch_input_shape=(2, 3))
        """,
        target="tf_keras",
    )
    assert "batch_input_shape=(2, 3)" in out and "KM402" not in out


def test_km405_sequence_input_dim():
    assert_migrates(
        """
        from tensorflow.keras.layers import LSTM, Conv1D
        a = LSTM(32, input_dim=8)
        b = Conv1D(16, 3, input_dim=8, input_length=20)
        """,
        """
        from tensorflow.keras.layers import LSTM, Conv1D
        a = LSTM(32, input_shape=(None, 8))
        b = Conv1D(16, 3, input_shape=(20, 8))
        """,
    )


def test_km405_input_dim_wins_over_a_given_input_shape():
    # Keras 1 and 2.x (recurrent_args_preprocessor, conv1d_args_preprocessor in
    # keras/legacy/interfaces.py) set input_shape=(input_length, input_dim) over a given one: the
    # GRU took sequences of any length. Dropping input_dim kept the ignored (5, 3).
    assert_migrates(
        """
        from tensorflow.keras.layers import GRU, Conv1D
        a = GRU(4, input_shape=(5, 3), input_dim=3, reset_after=True)
        b = Conv1D(16, 3, input_shape=(20, 8), input_dim=8, input_length=20)
        """,
        """
        from tensorflow.keras.layers import GRU, Conv1D
        a = GRU(4, input_shape=(None, 3), reset_after=True)
        b = Conv1D(16, 3, input_shape=(20, 8))
        """,
    )


def test_km405_input_shape_alone_is_left_alone():
    assert_unchanged(
        """
        from tensorflow.keras.layers import GRU
        a = GRU(4, input_shape=(5, 3), reset_after=True)
        """
    )


def test_km403_explicit_input_only_when_selected():
    code = """
    from keras.models import Sequential
    from keras.layers import Dense
    model = Sequential()
    model.add(Dense(64, input_dim=100))
    model.add(Dense(1))
    """
    assert "Input(" not in migrated(code)
    assert_migrates(
        code,
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Input
        model = Sequential()
        model.add(Input(shape=(100,)))
        model.add(Dense(64))
        model.add(Dense(1))
        """,
        select=("KM1", "KM403"),
    )


def test_km403_list_form():
    output = migrated(
        "from tensorflow.keras.models import Sequential\n"
        "from tensorflow.keras.layers import Dense\n"
        "model = Sequential([Dense(8, input_shape=(4,)), Dense(1)])\n",
        select=("KM403",),
    )
    assert "Sequential([Input(shape=(4,)), Dense(8), Dense(1)])" in output


def test_km402_no_input_inserted_inside_a_loop_or_into_a_foreign_container():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import LSTM
        from recurrentshop import RecurrentSequential
        model = Sequential()
        for i in range(2):
            model.add(LSTM(4, batch_input_shape=(2, 3, 4), stateful=True))
        cell = RecurrentSequential()
        cell.add(LSTM(4, batch_input_shape=(2, 3, 4)))
        """
    )
    assert "Input(batch_shape" not in out
    assert "    model.add(LSTM(4, batch_input_shape=(2, 3, 4), stateful=True" in out
    assert "# kmigrate: KM402" in out


def test_km402_rebound_model_name_starts_a_new_first_layer():
    # review finding (Hongyanld/Thesis2018): `model = Sequential()` again made the next add a
    # "later" add, and batch_input_shape was dropped instead of becoming the new model's Input
    assert_migrates(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(32, input_shape=(784,)))
        model = Sequential()
        model.add(Dense(32, batch_input_shape=(None, 784)))
        model.add(Dense(8, batch_input_shape=(None, 32)))
        """,
        """
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Input
        model = Sequential()
        model.add(Dense(32, input_shape=(784,)))
        model = Sequential()
        model.add(Input(batch_shape=(None, 784)))
        model.add(Dense(32))
        model.add(Dense(8))
        """,
    )


def test_km402_same_model_later_add_still_drops():
    out = migrated(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(32, input_shape=(784,)))
        other = Sequential()
        model.add(Dense(8, batch_input_shape=(None, 32)))
        """
    )
    assert "model.add(Dense(8))" in out
    assert "Input(" not in out
