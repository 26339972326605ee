"""Tests of ``kmigrate/rules/keras1_api/custom_layers.py``: Keras 1 custom layers (B53: ``get_output_shape_for``, ``self.regularizers``) and layer weight
attributes (B54: ``W``/``b`` -> ``kernel``/``bias``)."""

from __future__ import annotations

from tests.helpers import migrated


def test_km254_layer_weight_attrs():
    out = migrated(
        """
        from keras.models import Sequential
        w = model.layers[0].W
        b = model.get_layer('d').b
        s = self.W
        """
    )
    assert "w = model.layers[0].kernel" in out
    assert "b = model.get_layer('d').bias" in out
    assert "s = self.W" in out
