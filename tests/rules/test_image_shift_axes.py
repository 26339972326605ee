"""KM615: ImageDataGenerator width/height shift ranges exchanged for tf.keras and tf_keras."""

import pytest

from kmigrate.rules.image_shift_axes import RULES
from tests.helpers import assert_flags, assert_migrates, assert_unchanged, run

HEAD = "from keras.preprocessing.image import ImageDataGenerator\n"
NEW = "from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"


def _km615(result):
    return [d for d in result.diagnostics if d.rule == "KM615"]


def test_km615_tf_keras_code_unchanged():
    # Already on tf.keras: the ranges mean what the author saw, and a second run must not undo
    # the exchange made by the first.
    assert_unchanged(NEW + "g = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.3)\n")


def test_km615_tf_keras_hand_made_transform_not_marked():
    assert_unchanged(NEW + "g = ImageDataGenerator()\ny = g.apply_transform(x, {'tx': 2})\n")


def test_km615_no_shift_ranges_no_change():
    result = run(HEAD + "g = ImageDataGenerator(rotation_range=10, horizontal_flip=True)\n", select=("KM615",))
    assert result.output is None or "shift_range" not in result.output
    assert not _km615(result)


def test_km615_equal_literal_ranges_left_alone():
    # Exchanging two equal values changes nothing: no rewrite, no finding.
    assert_migrates(
        HEAD + "g = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.1)\n",
        NEW + "g = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.1)\n",
    )


def test_km615_one_range_renamed():
    diagnostics = assert_migrates(
        HEAD + "g = ImageDataGenerator(width_shift_range=0.25, fill_mode='constant', cval=0.)\n",
        NEW + "g = ImageDataGenerator(height_shift_range=0.25, fill_mode='constant', cval=0.)\n",
    )
    assert any(d.rule == "KM615" and d.fixed for d in diagnostics)


def test_km615_both_ranges_exchanged_comments_follow_values():
    # The keywords are renamed, so each value keeps its comment (which now describes what
    # tf.keras does with it) and the values are evaluated in the same order.
    assert_migrates(
        HEAD + "g = ImageDataGenerator(\n"
        "    width_shift_range=shift(),  # horizontally\n"
        "    height_shift_range=0.2,  # vertically\n"
        "    horizontal_flip=True)\n",
        NEW + "g = ImageDataGenerator(\n"
        "    height_shift_range=shift(),  # horizontally\n"
        "    width_shift_range=0.2,  # vertically\n"
        "    horizontal_flip=True)\n",
    )


def test_km615_keyword_order_and_module_alias():
    assert_migrates(
        "from keras.preprocessing import image as kimage\n"
        "g = kimage.ImageDataGenerator(height_shift_range=[-2, 2], width_shift_range=3)\n",
        "from tensorflow.keras.preprocessing import image as kimage\n"
        "g = kimage.ImageDataGenerator(width_shift_range=[-2, 2], height_shift_range=3)\n",
    )


def test_km615_keras1_code_with_dim_ordering():
    # Keras 1.2.2 shifted like Keras 2.2.4 (height -> rows); the keras1 family renames dim_ordering.
    out = run(HEAD + "g = ImageDataGenerator(width_shift_range=0.1, dim_ordering='tf')\n", from_version="1.2.2").output
    assert out is not None and "height_shift_range=0.1" in out and "width_shift_range" not in out


def test_km615_tf_keras_target_also_exchanges():
    # Measured: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) shifts like Keras 3, not like legacy Keras.
    assert_migrates(
        HEAD + "g = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.3)\n",
        NEW + "g = ImageDataGenerator(height_shift_range=0.1, width_shift_range=0.3)\n",
        target="tf_keras",
    )


@pytest.mark.parametrize("call", [
    "ImageDataGenerator(**options)",
    "ImageDataGenerator(width_shift_range=0.1, **options)",
    "ImageDataGenerator(*flags)",
    "ImageDataGenerator(False, False, False, False, False, 0, 10, 0.1)",
])  # fmt: skip
def test_km615_hidden_ranges_marked(call):
    output = assert_flags(HEAD + f"g = {call}\n", "KM615")
    assert call in output  # marked, not rewritten


def test_km615_both_keywords_with_kwargs_exchanged():
    # Both given by keyword: **options cannot hold them again (TypeError), so the exchange is exact.
    assert_migrates(
        HEAD + "g = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.2, **options)\n",
        NEW + "g = ImageDataGenerator(height_shift_range=0.1, width_shift_range=0.2, **options)\n",
    )


def test_km615_without_import_rules_marked_not_exchanged():
    # The file would stay on legacy Keras, and the next pass would exchange the ranges back.
    code = HEAD + "g = ImageDataGenerator(width_shift_range=0.1)\n"
    result = run(code, select=("KM615",))
    assert result.output is not None and "ImageDataGenerator(width_shift_range=0.1)" in result.output
    assert "# kmigrate: KM615" in result.output
    again = run(result.output, select=("KM615",))
    assert again.output is None or again.output == result.output


@pytest.mark.parametrize("head", [
    "from keras.preprocessing.image import ImageDataGenerator  # kmigrate: ignore[KM108]\n",
    "from keras.preprocessing.image import ImageDataGenerator  # kmigrate: ignore\n",
])  # fmt: skip
def test_km615_import_kept_legacy_marked_not_exchanged(head):
    # The import stays legacy Keras: exchanging would be undone by the next pass (it used to loop
    # until the pipeline gave up).
    result = run(head + "g = ImageDataGenerator(width_shift_range=0.1)\n")
    assert result.error is None
    assert "ImageDataGenerator(width_shift_range=0.1)  # kmigrate: KM615" in result.output


def test_km615_star_import_exchanged():
    assert_migrates(
        "from keras.preprocessing.image import *\ng = ImageDataGenerator(width_shift_range=0.1)\n",
        "from tensorflow.keras.preprocessing.image import *\ng = ImageDataGenerator(height_shift_range=0.1)\n",
    )


def test_km615_hand_made_shifts_marked():
    assert_flags("from keras.preprocessing.image import apply_affine_transform\ny = apply_affine_transform(x, tx=2)\n", "KM615")
    assert_flags("from keras.preprocessing import image\ny = image.random_shift(x, 0.1, 0.0)\n", "KM615")
    assert_flags(HEAD + "g = ImageDataGenerator()\ny = g.apply_transform(x, {'tx': 2, 'theta': 5})\n", "KM615")


def test_km615_generator_own_transforms_not_marked():
    # get_random_transform + apply_transform of the same generator follow its (exchanged) ranges.
    result = run(HEAD + "g = ImageDataGenerator(rotation_range=5)\np = g.get_random_transform((8, 8, 1))\n"
                 "y = g.apply_transform(x, p)\nz = g.apply_transform(x, {'theta': 5})\n")
    assert not _km615(result)


def test_km615_rule_example_is_what_kmigrate_writes():
    rule = RULES[0]
    assert run(rule.before + "\n", select=(rule.id, "KM1")).output == rule.after + "\n"


def test_km615_an_image_generator_that_is_not_keras_is_untouched():
    # A project's own class of the same name: its ranges are its own business.
    result = run(
        "import keras\n\n\nclass ImageDataGenerator:\n"
        "    def __init__(self, width_shift_range=0.0, height_shift_range=0.0):\n"
        "        self.ranges = (width_shift_range, height_shift_range)\n\n\n"
        "g = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.3)\n"
    )
    assert result.output.endswith('g = ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.3)\n')  # only `import keras` moved
    assert not [d for d in result.diagnostics if d.rule == 'KM615']
