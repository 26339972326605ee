"""KM107, the calls (kmigrate/rules/imports/plot_calls.py): legacy plots drew layer names by
default, Keras 3's plot_model does not."""

from __future__ import annotations

from tests.helpers import assert_migrates, assert_unchanged


def test_km107_names_already_chosen_or_tf_keras_code_are_left_alone():
    assert_unchanged("import tensorflow as tf\ntf.keras.utils.plot_model(model)\n")
    assert_migrates(
        "from keras.utils import plot_model\nplot_model(model, show_layer_names=False)\n",
        "from tensorflow.keras.utils import plot_model\nplot_model(model, show_layer_names=False)\n",
    )


def test_km107_star_arguments_are_left_alone():
    assert_migrates(
        "from keras.utils import plot_model\nplot_model(*args)\n",
        "from tensorflow.keras.utils import plot_model\nplot_model(*args)\n",
    )


def test_km107_visualize_util_plot_keeps_the_layer_names():
    assert_migrates(
        "from keras.utils.visualize_util import plot\nplot(model, to_file='m.png')\n",
        "from tensorflow.keras.utils import plot_model as plot\nplot(model, to_file='m.png', show_layer_names=True)\n",
        select=("KM107",),
    )


def test_km107_keras2_plot_model_keeps_the_layer_names():
    assert_migrates(
        "import keras\nkeras.utils.plot_model(model, 'm.png', True)\n",
        "from tensorflow import keras\nkeras.utils.plot_model(model, 'm.png', True, show_layer_names=True)\n",
    )


def test_km107_fourth_positional_is_bound_to_its_legacy_keyword():
    # Keras 3's fourth parameter is show_dtype: passed positionally, False would mean no dtypes.
    assert_migrates(
        "from keras.utils import plot_model\nplot_model(model, 'm.png', False, False, 'LR')\n",
        "from tensorflow.keras.utils import plot_model\n"
        "plot_model(model, 'm.png', False, show_layer_names=False, rankdir='LR')\n",
    )
