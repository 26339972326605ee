"""The documented rules of kmigrate.rules.saving.fixer: id, summary, examples that run, fix safety.

Data, kept apart from the fixer so that the fixer module reads as code."""

from __future__ import annotations

from kmigrate.rule_types import CONTEXT, FLAG, SAFE, Rule

RULES = (
    Rule(
        id="KM341",
        name="save-without-extension",
        summary="`model.save('dir')` writes `.keras`.",
        before=(
            "from keras.models import Sequential, load_model\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save('my_model')\n"
            "model = load_model('my_model')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential, load_model\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save('my_model.keras')\n"
            "model = load_model('my_model.keras')"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 refuses paths without .keras/.h5. Readers in the file follow; an artefact read "
            "elsewhere is marked (model.export('dir') writes a SavedModel for serving)."
        ),
        catalog=("C-S01",),
    ),
    Rule(
        id="KM342",
        name="save-format-arg",
        summary="`save_format=` is dropped.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save('model.h5', save_format='h5')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save('model.h5')"
        ),
        safety=SAFE,
        safety_note=(
            "Keras 3 infers the format from the suffix and raises on save_format with other paths; "
            "save_format='tf' is marked (model.export)."
        ),
        catalog=("C-S02",),
        tf_keras=False,
    ),
    Rule(
        id="KM343",
        name="h5-model-resume",
        summary="A full model saved to `.h5` and loaded back in the same program is saved as `.keras`.",
        before=(
            "from keras.models import Sequential, load_model\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save('checkpoint.h5')\n"
            "model = load_model('checkpoint.h5')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential, load_model\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save('checkpoint.keras')\n"
            "model = load_model('checkpoint.keras')"
        ),
        safety=CONTEXT,
        safety_note=(
            "A model loaded from .h5 by Keras 3 cannot continue training (its optimizer state is lost: "
            "'Unknown variable'); .keras restores it as legacy .h5 did."
        ),
        catalog=("C-S03",),
    ),
    Rule(
        id="KM344",
        name="save-weights-suffix",
        summary="Weights files written by the program end with `.weights.h5`.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save_weights('weights.h5')\n"
            "model.load_weights('weights.h5')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.save_weights('weights.weights.h5')\n"
            "model.load_weights('weights.weights.h5')"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 save_weights requires the suffix. Readers of the same path follow; load_weights of "
            "existing legacy .h5 files keeps working and is left alone."
        ),
        catalog=("C-S04",),
        tf_keras=False,
    ),
    Rule(
        id="KM345",
        name="load-weights-kwargs",
        summary="`load_weights(reshape=)` is dropped; `by_name` only works on legacy .h5 files.",
        before=(
            "from keras.models import Sequential\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.load_weights('weights.h5', by_name=True, reshape=False)"
        ),
        after=(
            "from tensorflow.keras.models import Sequential\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "model.load_weights('weights.h5', by_name=True)"
        ),
        safety=CONTEXT,
        safety_note="reshape (2.2) is gone; by_name raises for .weights.h5/.keras files.",
        catalog=("C-S05",),
        tf_keras=False,
    ),
    Rule(
        id="KM346",
        name="load-model-safe-mode",
        summary="Models with Python lambdas load with `safe_mode=False` when the program wrote them itself.",
        before=(
            "from keras.models import Sequential, load_model\n"
            "from keras.layers import Dense, Lambda\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4), Lambda(lambda t: t * 2)])\n"
            "model.save('model.keras')\n"
            "model = load_model('model.keras')"
        ),
        after=(
            "from tensorflow.keras.models import Sequential, load_model\n"
            "from tensorflow.keras.layers import Dense, Lambda\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4), Lambda(lambda t: t * 2)])\n"
            "model.save('model.keras')\n"
            "model = load_model('model.keras', safe_mode=False)"
        ),
        safety=CONTEXT,
        safety_note=(
            "Keras 3 refuses to deserialize lambdas by default. Files the same program wrote are trusted; "
            "other files are marked."
        ),
        catalog=("C-S06",),
        tf_keras=False,
    ),
    Rule(
        id="KM347",
        name="load-legacy-model-file",
        summary="Full-model `.h5` files written by legacy Keras often do not load in Keras 3.",
        before=(
            "from keras.models import load_model\n"
            "\n"
            "model = load_model('old_model.h5')"
        ),
        after="model = build_model(); model.load_weights('old_model.h5')",
        safety=FLAG,
        safety_note=(
            "Keras 3 cannot rebuild legacy Sequential configs (batch_input_shape) or RNN configs; weights "
            "load fine into a model built in code."
        ),
        catalog=("C-S07", "D13"),
        tf_keras=False,
    ),
    Rule(
        id="KM348",
        name="yaml",
        summary="`to_yaml`/`model_from_yaml` become `to_json`/`model_from_json`.",
        before=(
            "from keras.models import Sequential, model_from_yaml\n"
            "from keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "spec = model.to_yaml()\n"
            "clone = model_from_yaml(spec)"
        ),
        after=(
            "from tensorflow.keras.models import Sequential, model_from_json\n"
            "from tensorflow.keras.layers import Dense\n"
            "\n"
            "model = Sequential([Dense(1, input_dim=4)])\n"
            "model.compile(loss='mean_squared_error', optimizer='sgd')\n"
            "spec = model.to_json()\n"
            "clone = model_from_json(spec)"
        ),
        safety=CONTEXT,
        safety_note=(
            "YAML support was removed (arbitrary code execution); YAML files written earlier cannot be read "
            "and are marked. The JSON goes wherever the YAML went, a file named .yaml/.yml included: JSON "
            "is valid YAML (yaml.safe_load gives the same dict, measured), so the migrated program and "
            "YAML tools still read it; a legacy program's model_from_yaml parses it too but cannot rebuild "
            "a Keras 3 config (TypeError on batch_shape, measured), which holds for any format Keras 3 "
            "writes. to_yaml() with yaml.dump options is marked, not rewritten."
        ),
        catalog=("C-S08",),
    ),
    Rule(
        id="KM349",
        name="model-from-json-legacy",
        summary="JSON written by legacy Keras does not load in Keras 3.",
        before=(
            "from keras.models import model_from_json\n"
            "\n"
            "with open('model.json') as f:\n"
            "    model = model_from_json(f.read())"
        ),
        after="build the model in code, then load_weights",
        safety=FLAG,
        safety_note="Keras 3 cannot locate the legacy class names ('Sequential', 'Model').",
        catalog=("C-S09",),
        tf_keras=False,
    ),
    Rule(
        id="KM350",
        name="load-savedmodel",
        summary="`load_model('dir')` of a SavedModel does not work in Keras 3.",
        before=(
            "from keras.models import load_model\n"
            "\n"
            "model = load_model('saved_model_dir')"
        ),
        after="layer = tf.keras.layers.TFSMLayer('saved_model_dir', call_endpoint='serving_default')",
        safety=FLAG,
        safety_note="Keras 3 load_model reads .keras and .h5 only; TFSMLayer is inference-only.",
        catalog=("C-S10",),
        tf_keras=False,
    ),
    Rule(
        id="KM361",
        name="modelcheckpoint-extension",
        summary="ModelCheckpoint paths end with `.weights.h5` (weights) or `.keras`/`.h5` (models).",
        before=(
            "from keras.callbacks import ModelCheckpoint\n"
            "\n"
            "checkpoint = ModelCheckpoint('weights.{epoch:02d}.hdf5', save_weights_only=True)"
        ),
        after=(
            "from tensorflow.keras.callbacks import ModelCheckpoint\n"
            "\n"
            "checkpoint = ModelCheckpoint('weights.{epoch:02d}.weights.h5', save_weights_only=True)"
        ),
        safety=CONTEXT,
        safety_note="Keras 3 rejects other suffixes (.hdf5 included). Readers of the same path follow.",
        catalog=("C-CB01",),
        tf_keras=False,
    ),
)
