"""Tests of ``kmigrate/rules/layer_args/renames.py``: Keyword renames and mapped values (``init=`` -> ``kernel_initializer=``, ``dim_ordering``)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, migrated
from tests.rules.layer_args.cases import ONLY, WITH_IMPORTS


def test_km229_dim_ordering_from_backend_call() -> None:
    assert_migrates(
        """
        from keras import backend as K
        from keras.layers import Convolution2D
        c = Convolution2D(8, (3, 3), dim_ordering=K.image_dim_ordering())
        """,
        """
        from keras import backend as K
        from keras.layers import Convolution2D
        c = Convolution2D(8, (3, 3), data_format=K.image_data_format())
        """,
        **ONLY,
    )


def test_km229_dim_ordering_from_backend_call_with_every_family() -> None:
    output = migrated(
        """
        from keras import backend as K
        from keras.layers import MaxPooling2D
        p = MaxPooling2D((2, 2), dim_ordering=K.image_dim_ordering())
        """
    )
    assert "p = MaxPooling2D((2, 2), data_format=K.image_data_format())\n" in output
    assert "# kmigrate" not in output


def test_km229_dim_ordering_variable_is_renamed_and_flagged() -> None:
    output = assert_flags(
        """
        from keras.layers import MaxPooling2D
        a = MaxPooling2D((2, 2), dim_ordering=ordering)
        """,
        "KM229",
        **ONLY,
    )
    assert "data_format=ordering" in output


def test_km234_atrous_reuses_an_existing_import() -> None:
    assert_migrates(
        """
        from keras.layers import Conv2D
        from keras.layers.convolutional import AtrousConv2D
        a = AtrousConv2D(8, (3, 3), atrous_rate=2)
        b = Conv2D(8, (3, 3))
        """,
        """
        from tensorflow.keras.layers import Conv2D
        a = Conv2D(8, (3, 3), dilation_rate=2)
        b = Conv2D(8, (3, 3))
        """,
        **WITH_IMPORTS,
    )


def test_km229_padding_cropping_dim_ordering() -> None:
    assert_migrates(
        """
        from keras.layers import ZeroPadding3D, Cropping2D
        a = ZeroPadding3D(padding=(1, 1, 1), dim_ordering='th')
        b = Cropping2D(((1, 1), (2, 2)), 'tf')
        """,
        """
        from keras.layers import ZeroPadding3D, Cropping2D
        a = ZeroPadding3D(padding=(1, 1, 1), data_format='channels_first')
        b = Cropping2D(((1, 1), (2, 2)), data_format='channels_last')
        """,
        **ONLY,
    )


def test_km213_noop_valid_and_same_border_modes_are_renamed() -> None:
    assert "padding='same'" in migrated("from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='same')\n")


def test_km213_border_mode_full_is_marked_not_renamed() -> None:
    # Keras 1's Theano-style 'full' convolution: Keras 3 rejects padding='full'.
    output = assert_flags("from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='full')\n", "KM213")
    assert "border_mode='full'" in output and "padding='full'" not in output
