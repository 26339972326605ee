"""KM341-KM350 and KM361: artefact paths change together for writers and readers."""

from tests.helpers import assert_flags, assert_migrates, assert_unchanged

HEAD = "from keras.models import Sequential, load_model\nmodel = Sequential()\n"
NEW = "from tensorflow.keras.models import Sequential, load_model\nmodel = Sequential()\n"


def test_save_weights_and_reader_follow():
    assert_migrates(
        HEAD + "model.save_weights('weights.h5')\ncopy.load_weights('weights.h5')\n",
        NEW + "model.save_weights('weights.weights.h5')\ncopy.load_weights('weights.weights.h5')\n",
    )


def test_external_weights_file_left_alone():
    assert_unchanged("from tensorflow.keras.models import Sequential\nmodel.load_weights('pretrained.h5')\n")


def test_constant_path_rewritten_once():
    assert_migrates(
        "from keras.callbacks import ModelCheckpoint\nBEST = 'best.h5'\n"
        "cb = ModelCheckpoint(BEST, save_best_only=True, save_weights_only=True)\nmodel.load_weights(BEST)\n",
        "from tensorflow.keras.callbacks import ModelCheckpoint\nBEST = 'best.weights.h5'\n"
        "cb = ModelCheckpoint(BEST, save_best_only=True, save_weights_only=True)\nmodel.load_weights(BEST)\n",
    )


def test_fstring_and_join_paths():
    assert_migrates(
        "import os\nfrom keras.models import Sequential\n"
        "model.save_weights(f'{out}/epoch_{e}.h5')\nmodel.save_weights(os.path.join(out, 'last.hdf5'))\n",
        "import os\nfrom tensorflow.keras.models import Sequential\n"
        "model.save_weights(f'{out}/epoch_{e}.weights.h5')\nmodel.save_weights(os.path.join(out, 'last.weights.h5'))\n",
    )


def test_untraceable_weights_path_is_marked():
    assert_flags(HEAD + "model.save_weights(path_for(epoch))\n", "KM344")


def test_h5_model_read_back_becomes_keras():
    assert_migrates(
        HEAD + "model.save('checkpoint.h5')\nresumed = load_model('checkpoint.h5')\n",
        NEW + "model.save('checkpoint.keras')\nresumed = load_model('checkpoint.keras')\n",
    )


def test_h5_model_written_only_is_kept():
    assert_unchanged("from tensorflow.keras.models import Sequential\nmodel.save('final.h5')\n")


def test_save_without_extension():
    assert_migrates(
        HEAD + "model.save('my_model')\nm = load_model('my_model')\n",
        NEW + "model.save('my_model.keras')\nm = load_model('my_model.keras')\n",
    )
    out = assert_flags(HEAD + "model.save('export_dir')\n", "KM341")
    assert "model.save('export_dir.keras')" in out


def test_save_format_dropped():
    assert_migrates(HEAD + "model.save('m.h5', save_format='h5')\n", NEW + "model.save('m.h5')\n")
    assert_flags("import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.save('m', save_format='tf')\n", "KM342")


def test_checkpoint_suffixes():
    assert_migrates(
        "from keras.callbacks import ModelCheckpoint\n"
        "a = ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.hdf5')\n"
        "b = ModelCheckpoint('w.{epoch:02d}.hdf5', save_weights_only=True)\n",
        "from tensorflow.keras.callbacks import ModelCheckpoint\n"
        "a = ModelCheckpoint('weights.{epoch:02d}-{val_loss:.2f}.keras')\n"
        "b = ModelCheckpoint('w.{epoch:02d}.weights.h5', save_weights_only=True)\n",
    )


def test_load_weights_reshape_dropped():
    assert_migrates(HEAD + "model.load_weights('w.h5', by_name=True, reshape=False)\n", NEW + "model.load_weights('w.h5', by_name=True)\n")


def test_by_name_on_renamed_weights_is_marked():
    assert_flags(HEAD + "model.save_weights('w.h5')\nother.load_weights('w.h5', by_name=True)\n", "KM345")


def test_load_external_legacy_model_is_marked():
    assert_flags(HEAD + "model = load_model('old_model.h5')\n", "KM347")
    assert_flags(HEAD + "model = load_model('saved_model_dir')\n", "KM350")


def test_lambda_model_written_by_program_loads_unsafe():
    assert_migrates(
        HEAD + "from keras.layers import Lambda\nmodel.add(Lambda(lambda x: x * 2))\n"
        "model.save('m.keras')\nm = load_model('m.keras')\n",
        NEW + "from tensorflow.keras.layers import Lambda\nmodel.add(Lambda(lambda x: x * 2))\n"
        "model.save('m.keras')\nm = load_model('m.keras', safe_mode=False)\n",
    )


def test_yaml():
    assert_migrates(
        HEAD + "from keras.models import model_from_yaml\ns = model.to_yaml()\nm = model_from_yaml(s)\n",
        "from tensorflow.keras.models import Sequential, load_model, model_from_json\n"
        "model = Sequential()\ns = model.to_json()\nm = model_from_json(s)\n",
    )


def test_km348_to_yaml_written_to_a_yaml_file_still_rewritten():
    # JSON is valid YAML: the .yaml file stays readable by YAML tools and by model_from_json
    assert_migrates(
        HEAD + "with open('model.yaml', 'w') as f:\n    f.write(model.to_yaml())\n",
        "from tensorflow.keras.models import Sequential, load_model\n"
        "model = Sequential()\nwith open('model.yaml', 'w') as f:\n    f.write(model.to_json())\n",
    )


def test_km348_to_yaml_with_yaml_dump_options_marked():
    out = assert_flags(HEAD + "spec = model.to_yaml(default_flow_style=False)\n", "KM348")
    assert "model.to_yaml(default_flow_style=False)" in out


def test_model_from_json_of_legacy_file_is_marked():
    assert_flags("from keras.models import model_from_json\nm = model_from_json(open('m.json').read())\n", "KM349")


def test_numpy_save_unchanged():
    assert_unchanged("import numpy as np\nimport tensorflow as tf\nnp.save('weights.h5', w)\n")
