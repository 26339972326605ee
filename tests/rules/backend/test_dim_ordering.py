"""Tests of ``kmigrate/rules/backend/dim_ordering.py``: The Keras 1 image dim ordering: ``K.image_dim_ordering()`` / ``K.set_image_dim_ordering('th')``
and the 'th'/'tf' literals compared with it."""

from __future__ import annotations

from tests.helpers import assert_migrates
from tests.rules.backend.cases import HEAD, NEW_HEAD


def test_km524_image_dim_ordering_comparisons_map_literals():
    assert_migrates(
        HEAD + 'if K.image_dim_ordering() == "th":\n    pass\n'
        "if 'tf' != K.image_dim_ordering():\n    pass\n"
        "if K.image_dim_ordering() in ('th', 'tf'):\n    pass\n",
        NEW_HEAD + 'if K.image_data_format() == "channels_first":\n    pass\n'
        "if 'channels_last' != K.image_data_format():\n    pass\n"
        "if K.image_data_format() in ('channels_first', 'channels_last'):\n    pass\n",
    )


def test_km524_image_dim_ordering_imported_by_name():
    assert_migrates(
        "from keras.backend import image_dim_ordering\nif image_dim_ordering() == 'th':\n    pass\n",
        "from tensorflow.keras.backend import image_data_format\nif image_data_format() == 'channels_first':\n    pass\n",
    )
