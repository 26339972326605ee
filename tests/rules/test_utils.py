"""KM441-KM450: keras.utils and preprocessing helpers."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_migrates, assert_unchanged, migrated


def test_km441_to_categorical_dtype():
    assert_migrates(
        """
        from tensorflow.keras.utils import to_categorical
        a = to_categorical(y, 10, dtype='int32')
        b = to_categorical(y, 10, 'int32')
        c = to_categorical(y, 10)
        """,
        """
        from tensorflow.keras.utils import to_categorical
        a = to_categorical(y, 10).astype('int32')
        b = to_categorical(y, 10).astype('int32')
        c = to_categorical(y, 10)
        """,
    )


def test_km441_np_utils_alias():
    out = migrated(
        """
        from keras.utils import np_utils
        a = np_utils.to_categorical(y, num_classes=3, dtype='float32')
        """
    )
    assert "a = np_utils.to_categorical(y, num_classes=3).astype('float32')" in out


def test_km447_load_img():
    out = migrated(
        """
        from keras.preprocessing.image import load_img
        a = load_img(p, grayscale=True, target_size=(28, 28))
        b = load_img(p, True)
        c = load_img(p, grayscale=False)
        d = load_img(p, grayscale=flag)
        """
    )
    assert "a = load_img(p, color_mode='grayscale', target_size=(28, 28))" in out
    assert "b = load_img(p, color_mode='grayscale')" in out
    assert "c = load_img(p)" in out
    assert "d = load_img(p, color_mode='grayscale' if flag else 'rgb')" in out


def test_km444_sequence_super_init():
    assert_migrates(
        """
        from keras.utils import Sequence
        class Gen(Sequence):
            def __init__(self, x):
                \"\"\"Doc.\"\"\"
                self.x = x
        """,
        """
        from tensorflow.keras.utils import Sequence
        class Gen(Sequence):
            def __init__(self, x):
                \"\"\"Doc.\"\"\"
                super().__init__()
                self.x = x
        """,
    )


def test_km444_already_calls_super():
    assert_unchanged(
        """
        from tensorflow.keras.utils import Sequence
        class Gen(Sequence):
            def __init__(self, x):
                super(Gen, self).__init__()
                self.x = x
        """
    )


def test_flags_multi_gpu_hdf5_enqueuer():
    assert_flags(
        """
        from keras.utils import multi_gpu_model
        p = multi_gpu_model(model, gpus=2)
        """,
        "KM442",
    )
    assert_flags(
        """
        from keras.utils.io_utils import HDF5Matrix
        X = HDF5Matrix('d.h5', 'x')
        """,
        "KM443",
    )
    assert_flags(
        """
        from keras.utils import OrderedEnqueuer
        e = OrderedEnqueuer(seq)
        """,
        "KM445",
    )


def test_km446_progbar_force():
    out = migrated(
        """
        from keras.utils.generic_utils import Progbar
        bar = Progbar(10)
        bar.update(i, values=v, force=True)
        """
    )
    assert "bar.update(i, values=v)" in out
    assert_unchanged(
        """
        d = {}
        d.update(force=True)
        """
    )


def test_km448_shear_range_only_for_old_versions():
    out = migrated(
        """
        from keras.preprocessing.image import ImageDataGenerator
        g = ImageDataGenerator(shear_range=0.2)
        """,
        from_version="2.1.2",
    )
    assert "shear_range=11.459155902616466" in out
    assert "shear_range=0.2" in migrated(
        """
        from keras.preprocessing.image import ImageDataGenerator
        g = ImageDataGenerator(shear_range=0.2)
        """
    )


def test_km450_mobilenet_depthwise():
    out = migrated(
        """
        from keras.applications import mobilenet
        m = load_model('m.h5', custom_objects={'DepthwiseConv2D': mobilenet.DepthwiseConv2D})
        """
    )
    assert "{'DepthwiseConv2D': DepthwiseConv2D}" in out
    assert "from tensorflow.keras.layers import DepthwiseConv2D" in out


# -- KM449: opt-in image_dataset_from_directory suggestion ---------------------------------------

_FLOW = """
from keras.preprocessing.image import ImageDataGenerator
train = ImageDataGenerator(rescale=1 / 255.).flow_from_directory("data", target_size=(150, 150))
"""


def test_km449_runs_only_when_selected_by_id():
    assert "KM449" not in migrated(_FLOW)
    assert "KM449" not in migrated(_FLOW, select=("KM4",))
    assert_flags(_FLOW, "KM449", select=("KM449",))
