"""KM623: `D.trainable = False` after `D.compile()` (the GAN freeze idiom)."""

from __future__ import annotations

from tests.helpers import assert_flags, run

HEAD = """
from keras.models import Sequential, Model
from keras.layers import Dense, Input

D = Sequential([Dense(1, input_dim=2)])
z = Input(shape=(2,))
"""
COMBINED = "C = Model(z, D(z))\nC.compile(loss='mse', optimizer='sgd')\n"


def _km623(code: str) -> list[int]:
    return [d.line for d in run(code).diagnostics if d.rule == "KM623"]


def test_km623_noop_frozen_before_compile():
    # Frozen before its own compile(): legacy Keras never trained it either.
    code = HEAD + "D.trainable = False\nD.compile(loss='mse', optimizer='sgd')\n" + COMBINED + "D.train_on_batch(x, y)\n"
    assert _km623(code) == []


def test_km623_noop_when_the_file_toggles_trainable():
    # The make_trainable(model, flag) helper of many GANs: the file already sets it before training.
    code = HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED + (
        "def make_trainable(model, flag):\n    model.trainable = flag\n\n\n"
        "make_trainable(D, True)\nD.train_on_batch(x, y)\n")
    assert _km623(code) == []


def test_km623_noop_model_never_trained_by_itself():
    # A frozen pretrained base: compiled, frozen, used inside another model only.
    code = HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED + "C.fit(x, y)\n"
    assert _km623(code) == []


def test_km623_noop_not_keras():
    code = "class Net:\n    def compile(self):\n        pass\n\n\nn = Net()\nn.compile()\nn.trainable = False\nn.fit(1)\n"
    assert _km623(code) == []


def test_km623_flags_the_gan_freeze():
    output = assert_flags(
        HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED
        + "D.train_on_batch(x, y)\nC.train_on_batch(x, y)\n", "KM623")
    assert "D.trainable = False  # kmigrate: KM623 set D.trainable = True before D trains" in output


def test_km623_marks_each_model_once():
    code = HEAD + "D.compile(loss='mse', optimizer='sgd')\nD.trainable = False\n" + COMBINED + (
        "D.trainable = False\nD.train_on_batch(x, y)\n")
    assert len(_km623(code)) == 1


BUILDERS = """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.applications import VGG16


def define_discriminator():
    model = Sequential([Dense(1, activation='sigmoid', input_dim=2)])
    model.compile(loss='binary_crossentropy', optimizer='adam')
    return model


def define_generator():
    return Sequential([Dense(2, input_dim=3)])


def define_gan(g_model, d_model):
    d_model.trainable = False
    model = Sequential()
    model.add(g_model)
    model.add(d_model)
    model.compile(loss='binary_crossentropy', optimizer='adam')
    return model
"""


def test_km623_flags_the_builder_function_gan():
    # review finding: the tutorial GAN (define_discriminator compiles and returns its model,
    # define_gan freezes its parameter, train() trains the parameter it gets) was never marked
    output = assert_flags(
        BUILDERS + (
            "\n\ndef train(g_model, d_model, gan_model):\n"
            "    d_model.train_on_batch(np.ones((4, 2)), np.ones((4, 1)))\n"
            "    gan_model.train_on_batch(np.ones((4, 3)), np.ones((4, 1)))\n"
            "\n\nd_model = define_discriminator()\ng_model = define_generator()\n"
            "gan_model = define_gan(g_model, d_model)\ntrain(g_model, d_model, gan_model)\n"
        ),
        "KM623",
    )
    assert "d_model.trainable = False  # kmigrate: KM623 set d_model.trainable = True before d_model trains" in output


def test_km623_builder_gan_direct_training_and_keyword_argument():
    code = BUILDERS + (
        "\ndisc = define_discriminator()\ngan = define_gan(define_generator(), d_model=disc)\n"
        "disc.train_on_batch(np.ones((4, 2)), np.ones((4, 1)))\n"
    )
    assert len(_km623(code)) == 1


def test_km623_noop_builder_gan_whose_discriminator_never_trains_alone():
    code = BUILDERS + "\nd = define_discriminator()\ngan = define_gan(define_generator(), d)\ngan.fit(x, y)\n"
    assert _km623(code) == []


def test_km623_noop_frozen_pretrained_base_given_to_a_builder():
    # transfer learning: the base was never compiled, so freezing it means the same in both
    code = BUILDERS + (
        "\nbase = VGG16(include_top=False)\nhead = define_gan(define_generator(), base)\n"
        "base.fit(x, y)\n"
    )
    assert _km623(code) == []


# -- the tutorial GAN split over modules: models.py builds and freezes, train.py trains -------------

MODELS_PY = BUILDERS  # the same builders, now in a module of their own

TRAIN_PY = """\
import numpy as np
from keras.utils import to_categorical
from models import define_discriminator, define_generator, define_gan

d_model = define_discriminator()
g_model = define_generator()
gan_model = define_gan(g_model, d_model)
{training}
"""
TRAIN_LOOP = """\
for step in range(10):
    d_model.train_on_batch(np.ones((4, 2)), np.ones((4, 1)))
    gan_model.train_on_batch(np.ones((4, 3)), np.ones((4, 1)))
"""


def _project(tmp_path, training: str):
    (tmp_path / "setup.py").write_text("")
    (tmp_path / "models.py").write_text(MODELS_PY)
    train = tmp_path / "train.py"
    train.write_text(TRAIN_PY.format(training=training))
    return train


def _migrate_in_project(path):
    from kmigrate.pipeline import migrate_path
    from kmigrate.runner import project_for
    from kmigrate.settings import Settings

    return migrate_path(str(path), Settings(), write=False, project=project_for(str(path)))


def test_km623_follows_the_freeze_into_another_module(tmp_path):
    train = _project(tmp_path, TRAIN_LOOP)
    result = _migrate_in_project(train)
    assert [d.line for d in result.diagnostics if d.rule == "KM623"] == [7]
    assert ("gan_model = define_gan(g_model, d_model)  # kmigrate: KM623 set d_model.trainable = True before "
            "d_model trains (define_gan froze it)") in (result.output or "")
    compile(result.output or "", "train.py", "exec")
    train.write_text(result.output or "")
    assert _migrate_in_project(train).status.value == "unchanged"  # a second run changes nothing


def test_km623_noop_across_modules_when_the_discriminator_never_trains_alone(tmp_path):
    train = _project(tmp_path, "gan_model.train_on_batch(np.ones((4, 3)), np.ones((4, 1)))\n")
    assert [d for d in _migrate_in_project(train).diagnostics if d.rule == "KM623"] == []


def test_km623_noop_across_modules_when_the_script_toggles_trainable(tmp_path):
    train = _project(tmp_path, "d_model.trainable = True\n" + TRAIN_LOOP)
    assert [d for d in _migrate_in_project(train).diagnostics if d.rule == "KM623"] == []


def test_km623_noop_for_a_project_function_of_the_same_name_that_freezes_nothing(tmp_path):
    train = _project(tmp_path, TRAIN_LOOP)
    (tmp_path / "models.py").write_text(MODELS_PY.replace("    d_model.trainable = False\n", ""))
    assert [d for d in _migrate_in_project(train).diagnostics if d.rule == "KM623"] == []


def test_km623_noop_when_a_project_helper_toggles_trainable(tmp_path):
    # make_trainable(d, True) from the project's utils.py: the script toggles already.
    train = _project(tmp_path, "from gan_utils import make_trainable\nmake_trainable(d_model, True)\n" + TRAIN_LOOP)
    (tmp_path / "gan_utils.py").write_text("def make_trainable(net, value):\n    net.trainable = value\n")
    assert [d for d in _migrate_in_project(train).diagnostics if d.rule == "KM623"] == []


def test_km623_follows_module_attribute_calls(tmp_path):
    # `from GAN import ganmodel` then `ganmodel.define_gan(g, d)` (yxc775/MLProject, four modules)
    train = _project(tmp_path, TRAIN_LOOP)
    train.write_text(
        TRAIN_PY.format(training=TRAIN_LOOP)
        .replace("from models import define_discriminator, define_generator, define_gan", "import models")
        .replace("= define_", "= models.define_")
    )
    result = _migrate_in_project(train)
    assert "gan_model = models.define_gan(g_model, d_model)  # kmigrate: KM623 set d_model.trainable = True" in (
        result.output or "")
    assert [d.line for d in result.diagnostics if d.rule == "KM623"] == [7]


def test_km623_follows_relative_imports_in_a_package(tmp_path):
    (tmp_path / "setup.py").write_text("")
    package = tmp_path / "gan"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(MODELS_PY)
    by_name = package / "train.py"
    by_name.write_text(TRAIN_PY.format(training=TRAIN_LOOP).replace("from models import", "from .models import"))
    by_module = package / "train_module.py"
    by_module.write_text(
        TRAIN_PY.format(training=TRAIN_LOOP)
        .replace("from models import define_discriminator, define_generator, define_gan", "from . import models")
        .replace("= define_", "= models.define_")
    )
    for path in (by_name, by_module):
        result = _migrate_in_project(path)
        assert [d.line for d in result.diagnostics if d.rule == "KM623"] == [7], path.name


# The GAN of a real script (index id 7800521801): `d.trainable = True` right before `d.compile`,
# and a `settrainable(model, flag)` helper the file never calls, hid the freeze (the file "toggled").
SCRIPT_GAN = """
import numpy as np
from keras.models import Sequential
from keras.layers import Dense


def settrainable(discmodel, flag):
    for layer in discmodel.layers:
        layer.trainable = flag


def creategans(discmodel, genmodel):
    gansmodel = Sequential()
    gansmodel.add(genmodel)
    discmodel.trainable = False
    gansmodel.add(discmodel)
    return gansmodel


def train(x, y):
    g = Sequential([Dense(2, input_dim=3)])
    d = Sequential([Dense(1, input_dim=2)])
    d.trainable = True
    d.compile(loss='binary_crossentropy', optimizer='adam')
    d.trainable = False
    d_on_g = creategans(d, g)
    d_on_g.compile(loss='binary_crossentropy', optimizer='adam')
    d.train_on_batch(x, y)
    d_on_g.train_on_batch(x, y)
"""


def test_km623_toggles_that_cannot_undo_the_freeze_do_not_hide_it():
    output = assert_flags(SCRIPT_GAN, "KM623")
    assert "discmodel.trainable = False  # kmigrate: KM623 set discmodel.trainable = True" in output
    assert output.count("KM623") == 1  # d and discmodel are the same model: marked once


def test_km623_noop_when_the_helper_is_called_to_unfreeze():
    code = SCRIPT_GAN.replace("    d.train_on_batch(x, y)\n", "    settrainable(d, True)\n    d.train_on_batch(x, y)\n")
    assert _km623(code) == []


def test_km623_noop_when_the_toggle_follows_the_compile():
    code = SCRIPT_GAN.replace("    d.train_on_batch(x, y)\n", "    d.trainable = True\n    d.train_on_batch(x, y)\n")
    assert _km623(code) == []


def test_km623_noop_when_a_method_toggles():
    # A GAN class's training method sets it back: methods are called through the instance.
    code = SCRIPT_GAN + "\n\nclass Trainer:\n    def step(self, d):\n        d.trainable = True\n"
    assert _km623(code) == []
