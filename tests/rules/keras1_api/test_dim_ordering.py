"""Tests of ``kmigrate/rules/keras1_api/dim_ordering.py``: ``dim_ordering`` values outside layers: preprocessing and application functions, and
``image_dim_ordering()`` calls and the comparisons that read them."""

from __future__ import annotations

from tests.helpers import migrated


def test_km250_image_dim_ordering_values():
    out = migrated(
        """
        from keras import backend as K
        if K.image_dim_ordering() == 'th':
            pass
        K.set_image_dim_ordering('tf')
        order = K.image_dim_ordering()
        """,
        select=("KM250", "KM1"),
    )
    assert "if K.image_data_format() == 'channels_first':" in out
    assert "K.set_image_data_format('channels_last')" in out
    assert "order = ('th' if K.image_data_format() == 'channels_first' else 'tf')" in out
