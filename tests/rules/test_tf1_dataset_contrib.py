"""KM904 on TF1 `tf.data` iterators and `tf.contrib`, which the legacy runtime (TF 1 behaviour)
ran and TF 2.21 does not have (Keras 2.2.4 examples mnist_dataset_api, cifar10_cnn_tfaugment2d)."""

from __future__ import annotations

from tests.helpers import assert_flags, assert_unchanged, run

HEAD = """
import tensorflow as tf
from keras.models import Model

"""


def test_km904_noop_project_class_with_the_method_name():
    assert_unchanged(
        """
        import tensorflow as tf
        from tensorflow.keras.models import Model


        class Feeder:
            def make_one_shot_iterator(self):
                return iter([])


        batches = Feeder().make_one_shot_iterator()
        """
    )


def test_km904_noop_without_tensorflow_import():
    # A Keras file that never imports TensorFlow: the method belongs to something else.
    result = run("from keras.models import Model\nit = source.make_one_shot_iterator()\n")
    assert not any(d.rule == "KM904" for d in result.diagnostics)


def test_km904_noop_contrib_named_by_another_module():
    result = run("from keras.models import Model\nimport mylib as tf\ny = tf.contrib.image.rotate(x, 0.5)\n")
    assert "KM904" not in (result.output or "") and not any(d.rule == "KM904" for d in result.diagnostics)


def test_km904_flags_contrib_in_tensorflow_code_too():
    # Like tf.Session, tf.contrib breaks any file on TF 2.21, Keras or not.
    assert_flags("import tensorflow as tf\ny = tf.contrib.image.rotate(x, 0.5)\n", "KM904")


def test_km904_flags_one_shot_iterator():
    output = assert_flags(HEAD + "dataset = tf.data.Dataset.range(3)\niterator = dataset.make_one_shot_iterator()\n",
                          "KM904")
    assert "iterator = dataset.make_one_shot_iterator()  # kmigrate: KM904 iterate the dataset" in output


def test_km904_flags_initializable_iterator():
    assert_flags(HEAD + "it = tf.data.Dataset.range(3).make_initializable_iterator()\n", "KM904")


def test_km904_flags_contrib_call_and_import():
    output = assert_flags(HEAD + "y = tf.contrib.image.rotate(x, 0.5)\n", "KM904")
    assert "y = tf.contrib.image.rotate(x, 0.5)  # kmigrate: KM904" in output
    output = assert_flags(HEAD + "from tensorflow.contrib import image as contrib_image\n", "KM904")
    assert "from tensorflow.contrib import image as contrib_image  # kmigrate: KM904" in output
