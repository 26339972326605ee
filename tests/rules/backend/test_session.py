"""Tests of ``kmigrate/rules/backend/session.py``: The TF 1 session: ``K.get_session()`` / ``K.set_session(...)``, the variable-initialiser
idiom and the allow_growth session setup (a block-level rewrite to tf.config memory growth)."""

from __future__ import annotations

import textwrap

from tests.helpers import assert_flags, assert_migrates
from tests.rules.backend.cases import HEAD, NEW_HEAD


def test_allow_growth_idiom_km553():
    before = "import tensorflow as tf\n" + HEAD + textwrap.dedent("""\
        config = tf.ConfigProto()
        config.gpu_options.allow_growth = True
        sess = tf.Session(config=config)
        K.set_session(sess)
        x = 1
        """)
    after = "import tensorflow as tf\n" + NEW_HEAD + textwrap.dedent("""\
        for gpu in tf.config.list_physical_devices('GPU'):
            tf.config.experimental.set_memory_growth(gpu, True)
        x = 1
        """)
    assert_migrates(before, after)


def test_km553_allow_growth_inline_session_and_gpu_options():
    before = "import tensorflow as tf\nimport keras.backend.tensorflow_backend as KTF\n" + textwrap.dedent("""\
        def setup():
            config = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))
            KTF.set_session(tf.Session(config=config))
        """)
    after = "import tensorflow as tf\nfrom tensorflow.keras import backend as KTF\n" + textwrap.dedent("""\
        def setup():
            for gpu in tf.config.list_physical_devices('GPU'):
                tf.config.experimental.set_memory_growth(gpu, True)
        """)
    # Other families mark tf.Session itself (TF 1 code); only this family's rules here.
    assert_migrates(before, after, select=("KM1", "KM5"))


def test_km553_other_session_configs_are_flagged():
    code = "import tensorflow as tf\n" + HEAD + (
        "config = tf.ConfigProto()\nconfig.gpu_options.per_process_gpu_memory_fraction = 0.5\n"
        "K.set_session(tf.Session(config=config))\n"
    )
    assert_flags(code, "KM553")


def test_session_initializer_idiom_is_removed_km521():
    assert_migrates(
        "import tensorflow as tf\n" + HEAD + "K.get_session().run(tf.global_variables_initializer())\nx = 1\n",
        "import tensorflow as tf\n" + NEW_HEAD + "x = 1\n",
    )


def test_km553_set_session_import_is_dropped_after_the_idiom_rewrite():
    before = textwrap.dedent("""\
        import tensorflow as tf
        from keras.backend.tensorflow_backend import set_session
        config = tf.ConfigProto()
        config.gpu_options.allow_growth = True
        set_session(tf.Session(config=config))
        """)
    after = textwrap.dedent("""\
        import tensorflow as tf
        for gpu in tf.config.list_physical_devices('GPU'):
            tf.config.experimental.set_memory_growth(gpu, True)
        """)
    assert_migrates(before, after, select=("KM1", "KM5"))
