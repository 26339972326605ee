"""Legacy side of the model-file generator: builds small models under genuine
multi-backend Keras and saves them as whole-model (or weight-only) ``.h5``
files, with a deterministic input batch and the legacy predictions.

Run as a plain file by the legacy interpreter (it must not import kmigrate):

    LEGACY_PYTHON legacy_model_builders.py --compat legacy_compat.py --out DIR [--only NAME ...]

Writes ``NAME.h5``, ``NAME.inputs.npy`` (or ``NAME.inputs.0.npy``, ... for
several inputs), ``NAME.predictions.npy`` and, for weight-only files,
``NAME.architecture.json`` (``model.to_json()``), then prints one JSON line per
model on stdout (the manifest entry).  Keras's own output goes to stderr.

Every model gets seeded random weights (biases, BatchNormalization statistics
and recurrent gates included, so that a converter that drops or mis-scales any
of them changes the predictions), and each file is loaded back with the legacy
``keras.models.load_model`` to prove that it is a genuine, loadable file.
"""

import argparse
import importlib.util
import json
import os
import random
import sys
import time
import traceback

SEED = 1234
BATCH = 4


def start_legacy_runtime(compat_path):
    spec = importlib.util.spec_from_file_location("legacy_compat", compat_path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load %s" % compat_path)
    compat = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compat)
    return compat.install()  # must precede every TensorFlow/Keras import


# --------------------------------------------------------------------------
# Inputs and weights

def float_inputs(index, shape):
    import numpy as np

    return np.random.RandomState(SEED + 100 + index).uniform(-2.0, 2.0, (BATCH,) + shape).astype("float32")


def int_inputs(index, shape, vocabulary):
    import numpy as np

    return np.random.RandomState(SEED + 100 + index).randint(0, vocabulary, (BATCH,) + shape).astype("int32")


def randomize_weights(model, seed):
    """Every weight drawn from a seeded normal; variances kept positive.  Set
    variable by variable (``get_weights`` orders them per layer, ``weights``
    trainable first: zipping the two would mix them up)."""
    import numpy as np
    from keras import backend as K

    rng = np.random.RandomState(seed)
    variables = model.weights
    updates = []
    for variable, current in zip(variables, K.batch_get_value(variables)):
        value = rng.normal(0.0, 0.5, current.shape).astype(current.dtype)
        if "moving_variance" in variable.name:
            value = np.abs(value) + 0.5
        updates.append((variable, value))
    K.batch_set_value(updates)


# --------------------------------------------------------------------------
# The models.  Each builder returns (model, inputs); `fit` (optional) trains it.

def cnn_sequential(keras):
    from keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
    from keras.models import Sequential

    model = Sequential()
    model.add(Conv2D(4, (3, 3), activation="relu", input_shape=(8, 8, 1)))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Dropout(0.25))
    model.add(Flatten())
    model.add(Dense(3, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="adadelta", metrics=["accuracy"])
    return model, [float_inputs(0, (8, 8, 1))]


def mlp_batchnorm(keras):
    from keras.layers import Activation, BatchNormalization, Dense
    from keras.models import Sequential
    from keras.optimizers import SGD

    model = Sequential()
    model.add(Dense(8, input_dim=6))
    model.add(BatchNormalization())
    model.add(Activation("relu"))
    model.add(Dense(2, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.01, momentum=0.9, nesterov=True),
                  metrics=["acc"])
    return model, [float_inputs(0, (6,))]


def functional_two_inputs(keras):
    from keras.layers import Dense, Input, concatenate
    from keras.models import Model

    left = Input(shape=(4,), name="left")
    right = Input(shape=(3,), name="right")
    merged = concatenate([Dense(5, activation="tanh")(left), Dense(5, activation="relu")(right)])
    output = Dense(2, activation="softmax")(merged)
    model = Model(inputs=[left, right], outputs=output)
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop")
    return model, [float_inputs(0, (4,)), float_inputs(1, (3,))]


def embedding_lstm(keras):
    from keras.layers import LSTM, Dense, Embedding
    from keras.models import Sequential

    model = Sequential()
    model.add(Embedding(20, 4, input_length=5))
    model.add(LSTM(3))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model, [int_inputs(0, (5,), 20)]


def gru(keras):
    from keras.layers import GRU, Dense
    from keras.models import Sequential

    model = Sequential()
    model.add(GRU(3, input_shape=(5, 2)))
    model.add(Dense(2))
    model.compile(loss="mse", optimizer="sgd")
    return model, [float_inputs(0, (5, 2))]


def bidirectional_lstm(keras):
    from keras.layers import LSTM, Bidirectional, Dense, Flatten
    from keras.models import Sequential

    model = Sequential()
    model.add(Bidirectional(LSTM(3, return_sequences=True), input_shape=(5, 2)))
    model.add(Flatten())
    model.add(Dense(2, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    return model, [float_inputs(0, (5, 2))]


def keras1_cnn(keras):
    """Keras 1 spellings, accepted by Keras 2.x's legacy interfaces."""
    from keras.layers import Activation, Convolution2D, Dense, Flatten
    from keras.models import Sequential
    from keras.regularizers import l2

    model = Sequential()
    model.add(Convolution2D(4, 3, 3, border_mode="same", init="he_normal", W_regularizer=l2(0.01),
                            input_shape=(8, 8, 1)))
    model.add(Activation("relu"))
    model.add(Flatten())
    model.add(Dense(output_dim=3, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    return model, [float_inputs(0, (8, 8, 1))]


def keras1_lstm(keras):
    from keras.layers import LSTM, Dense
    from keras.models import Sequential

    model = Sequential()
    model.add(LSTM(output_dim=3, input_dim=2, input_length=5, inner_init="orthogonal", return_sequences=False))
    model.add(Dense(output_dim=1))
    model.compile(loss="mse", optimizer="rmsprop")
    return model, [float_inputs(0, (5, 2))]


def keras1_merge(keras):
    """Functional Keras 1 ``merge(..., mode='concat')``: a ``Merge`` layer in the file."""
    from keras.layers import Dense, Input
    from keras.legacy.layers import merge
    from keras.models import Model

    left = Input(shape=(4,))
    right = Input(shape=(3,))
    merged = merge([Dense(5)(left), Dense(5)(right)], mode="concat", concat_axis=-1)
    model = Model(input=[left, right], output=Dense(2, activation="softmax")(merged))
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    return model, [float_inputs(0, (4,)), float_inputs(1, (3,))]


def keras1_merge_modes(keras):
    """Keras 1 ``merge`` with the arithmetic modes: sum, mul and ave."""
    from keras.layers import Dense, Input
    from keras.legacy.layers import merge
    from keras.models import Model

    inputs = [Input(shape=(3,)) for _ in range(3)]
    hidden = [Dense(4, activation="tanh")(i) for i in inputs]
    summed = merge(hidden[:2], mode="sum")
    product = merge([summed, hidden[2]], mode="mul")
    average = merge([product, hidden[0]], mode="ave")
    model = Model(input=inputs, output=Dense(2)(average))
    model.compile(loss="mse", optimizer="sgd")
    return model, [float_inputs(i, (3,)) for i in range(3)]


def stateful_lstm(keras):
    """Stateful LSTM: a fixed batch_input_shape (the batch dimension is part of the model)."""
    from keras.layers import LSTM, Dense
    from keras.models import Sequential

    model = Sequential()
    model.add(LSTM(4, batch_input_shape=(BATCH, 5, 2), stateful=True))
    model.add(Dense(1))
    model.compile(loss="mse", optimizer="adam")
    return model, [float_inputs(0, (5, 2))]


def conv1d_text(keras):
    from keras.layers import Conv1D, Dense, Embedding, GlobalMaxPooling1D
    from keras.models import Sequential

    model = Sequential()
    model.add(Embedding(30, 4, input_length=8))
    model.add(Conv1D(5, 3, padding="valid", activation="relu", strides=1))
    model.add(GlobalMaxPooling1D())
    model.add(Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model, [int_inputs(0, (8,), 30)]


def simple_rnn_time_distributed(keras):
    from keras.layers import Dense, SimpleRNN, TimeDistributed
    from keras.models import Sequential

    model = Sequential()
    model.add(SimpleRNN(3, return_sequences=True, input_shape=(5, 2)))
    model.add(TimeDistributed(Dense(2, activation="softmax")))
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop")
    return model, [float_inputs(0, (5, 2))]


def shared_sequential_siamese(keras):
    """A Sequential used as a layer of a functional model, shared by two inputs
    (the legacy mnist_siamese pattern), with a Lambda-free distance: subtract."""
    from keras.layers import Dense, Input, subtract
    from keras.models import Model, Sequential

    base = Sequential()
    base.add(Dense(5, activation="relu", input_shape=(4,)))
    base.add(Dense(3))
    left, right = Input(shape=(4,)), Input(shape=(4,))
    difference = subtract([base(left), base(right)])
    model = Model([left, right], Dense(1, activation="sigmoid")(difference))
    model.compile(loss="binary_crossentropy", optimizer="rmsprop")
    return model, [float_inputs(0, (4,)), float_inputs(1, (4,))]


def gru_reset_after(keras):
    """GRU(reset_after=True, recurrent_activation='sigmoid'): the CuDNN-compatible layout (Keras >= 2.1.3)."""
    from keras.layers import GRU, Dense
    from keras.models import Sequential

    model = Sequential()
    model.add(GRU(3, reset_after=True, recurrent_activation="sigmoid", input_shape=(5, 2)))
    model.add(Dense(2))
    model.compile(loss="mse", optimizer="sgd")
    return model, [float_inputs(0, (5, 2))]


def keras1_gru_dropout(keras):
    """Keras 1 recurrent arguments: GRU(output_dim, inner_activation=, dropout_W=, dropout_U=, return_sequences)."""
    from keras.layers import GRU, Dense, Flatten
    from keras.models import Sequential

    model = Sequential()
    model.add(GRU(output_dim=3, input_dim=2, input_length=5, inner_activation="hard_sigmoid",
                  dropout_W=0.2, dropout_U=0.2, return_sequences=True))
    model.add(Flatten())
    model.add(Dense(output_dim=2))
    model.compile(loss="mse", optimizer="sgd")
    return model, [float_inputs(0, (5, 2))]


def advanced_activations(keras):
    """LeakyReLU(alpha=), PReLU, ELU layers and a Dense with activation='hard_sigmoid'
    (a name whose formula Keras 3 changed)."""
    from keras.layers import ELU, Dense, LeakyReLU, PReLU
    from keras.models import Sequential

    model = Sequential()
    model.add(Dense(6, input_shape=(4,)))
    model.add(LeakyReLU(alpha=0.2))
    model.add(Dense(6))
    model.add(PReLU())
    model.add(Dense(6))
    model.add(ELU(alpha=0.5))
    model.add(Dense(3, activation="hard_sigmoid"))
    model.compile(loss="mse", optimizer="adam")
    return model, [float_inputs(0, (4,))]


def cnn_channels_first(keras):
    """data_format='channels_first' (inputs NCHW; the TF backend transposes)."""
    from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
    from keras.models import Sequential

    model = Sequential()
    model.add(Conv2D(3, (3, 3), activation="relu", data_format="channels_first", input_shape=(2, 8, 8)))
    model.add(MaxPooling2D((2, 2), data_format="channels_first"))
    model.add(Flatten())
    model.add(Dense(2, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    return model, [float_inputs(0, (2, 8, 8))]


def compiled_adam_trained(keras):
    from keras.layers import Dense
    from keras.models import Sequential
    from keras.optimizers import Adam

    model = Sequential()
    model.add(Dense(6, activation="relu", input_shape=(5,)))
    model.add(Dense(3, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer=Adam(lr=0.01, decay=1e-3), metrics=["accuracy"])
    return model, [float_inputs(0, (5,))]


def fit_one_step(model, inputs):
    import numpy as np

    labels = np.eye(model.output_shape[-1], dtype="float32")[np.arange(len(inputs[0])) % model.output_shape[-1]]
    model.train_on_batch(inputs, labels)


def cnn_weights(keras):
    model, inputs = cnn_sequential(keras)
    return model, inputs


# name -> (builder, kind, weight-only, train one step, Keras versions that have it)
ALL_VERSIONS = ("2.1", "2.2", "2.3")
MODELS = {
    "cnn_sequential": (cnn_sequential, "Sequential CNN (Conv2D, MaxPooling2D, Dropout, Flatten, Dense)",
                       False, False, ALL_VERSIONS),
    "mlp_batchnorm": (mlp_batchnorm, "MLP with BatchNormalization, SGD(lr=, momentum=, nesterov=)",
                      False, False, ALL_VERSIONS),
    "functional_two_inputs": (functional_two_inputs, "functional model, two inputs, concatenate",
                              False, False, ALL_VERSIONS),
    "embedding_lstm": (embedding_lstm, "Embedding + LSTM (default recurrent activation)", False, False,
                       ALL_VERSIONS),
    "gru": (gru, "GRU (legacy reset_after=False layout)", False, False, ALL_VERSIONS),
    "bidirectional_lstm": (bidirectional_lstm, "Bidirectional(LSTM(return_sequences=True))", False, False,
                           ALL_VERSIONS),
    "keras1_cnn": (keras1_cnn, "Keras 1 arguments: Convolution2D(n, r, c, border_mode=, init=, W_regularizer=), "
                   "Dense(output_dim=)", False, False, ALL_VERSIONS),
    "keras1_lstm": (keras1_lstm, "Keras 1 arguments: LSTM(output_dim=, input_dim=, input_length=, inner_init=)",
                    False, False, ALL_VERSIONS),
    # keras.legacy.layers.Merge exists up to Keras 2.1.x (removed in 2.2.0).
    "keras1_merge": (keras1_merge, "Keras 1 functional merge(mode='concat') (a Merge layer)", False, False,
                     ("2.1",)),
    # Not here: Sequential([Merge([branch_a, branch_b]), ...]); Keras 2.1.6 saves
    # it but cannot load its own file back ("a weight file containing 3 layers
    # into a model with 1 layers").
    "keras1_merge_modes": (keras1_merge_modes, "Keras 1 functional merge(mode='sum'/'mul'/'ave')", False, False,
                           ("2.1",)),
    "compiled_adam_trained": (compiled_adam_trained, "compiled with Adam(lr=, decay=), trained one step "
                              "(optimizer weights saved)", False, True, ALL_VERSIONS),
    "stateful_lstm": (stateful_lstm, "stateful LSTM with batch_input_shape", False, False, ALL_VERSIONS),
    "conv1d_text": (conv1d_text, "Embedding + Conv1D + GlobalMaxPooling1D", False, False, ALL_VERSIONS),
    "simple_rnn_time_distributed": (simple_rnn_time_distributed, "SimpleRNN(return_sequences) + "
                                    "TimeDistributed(Dense)", False, False, ALL_VERSIONS),
    "shared_sequential_siamese": (shared_sequential_siamese, "a Sequential shared by two inputs of a functional "
                                  "model, subtract", False, False, ALL_VERSIONS),
    "gru_reset_after": (gru_reset_after, "GRU(reset_after=True, recurrent_activation='sigmoid')", False, False,
                        ALL_VERSIONS),
    "keras1_gru_dropout": (keras1_gru_dropout, "Keras 1 arguments: GRU(output_dim=, inner_activation=, dropout_W=, "
                           "dropout_U=)", False, False, ALL_VERSIONS),
    "advanced_activations": (advanced_activations, "LeakyReLU(alpha=), PReLU, ELU, Dense(activation='hard_sigmoid')",
                             False, False, ALL_VERSIONS),
    "cnn_channels_first": (cnn_channels_first, "Conv2D/MaxPooling2D with data_format='channels_first'", False, False,
                           ALL_VERSIONS),
    "cnn_weights": (cnn_weights, "save_weights of the Sequential CNN (weight-only file)", True, False,
                    ALL_VERSIONS),
}


# --------------------------------------------------------------------------

def reset(tf, keras):
    from keras import backend as K

    K.clear_session()
    config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    K.set_session(tf.Session(config=config))
    random.seed(SEED)
    import numpy as np

    np.random.seed(SEED)
    tf.set_random_seed(SEED)


def save_arrays(out_dir, name, inputs, predictions):
    import numpy as np

    if len(inputs) == 1:
        input_files = [name + ".inputs.npy"]
    else:
        input_files = ["%s.inputs.%d.npy" % (name, i) for i in range(len(inputs))]
    for file_name, array in zip(input_files, inputs):
        np.save(os.path.join(out_dir, file_name), array)
    np.save(os.path.join(out_dir, name + ".predictions.npy"), predictions)
    return input_files


def generate_one(tf, keras, name, out_dir, seed):
    import numpy as np

    builder, kind, weights_only, train, _ = MODELS[name]
    reset(tf, keras)
    model, inputs = builder(keras)
    randomize_weights(model, seed)
    if train:
        fit_one_step(model, inputs)
    model_input = inputs[0] if len(inputs) == 1 else inputs
    predictions = model.predict(model_input, batch_size=BATCH)
    path = os.path.join(out_dir, name + ".h5")
    entry = {"name": name, "file": name + ".h5", "kind": kind, "weights_only": weights_only,
             "keras_version": keras.__version__, "trained": train}
    if weights_only:
        model.save_weights(path)
        architecture = name + ".architecture.json"
        with open(os.path.join(out_dir, architecture), "w") as handle:
            handle.write(model.to_json())
        entry["architecture"] = architecture
        reloaded = keras.models.model_from_json(model.to_json())
        reloaded.load_weights(path)
    else:
        model.save(path)
        reloaded = keras.models.load_model(path)
    # The file is genuine and complete: legacy Keras loads it back to the same predictions.
    entry["legacy_reload_max_diff"] = float(np.max(np.abs(reloaded.predict(model_input, batch_size=BATCH)
                                                          - predictions)))
    entry["inputs"] = save_arrays(out_dir, name, inputs, predictions)
    entry["predictions"] = name + ".predictions.npy"
    entry["optimizer_weights"] = bool(not weights_only and getattr(model.optimizer, "weights", None))
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compat", required=True, help="path of legacy_compat.py")
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", nargs="*", default=None, help="model names (default: all this Keras has)")
    args = parser.parse_args()

    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    tf = start_legacy_runtime(args.compat)
    import keras

    version = ".".join(keras.__version__.split(".")[:2])
    os.makedirs(args.out, exist_ok=True)
    names = args.only if args.only else list(MODELS)
    for name in names:
        if name not in MODELS:
            protocol.write(json.dumps({"name": name, "error": "unknown model name"}) + "\n")
            continue
        if version not in MODELS[name][4]:
            protocol.write(json.dumps({"name": name, "skipped": "not in Keras %s" % keras.__version__}) + "\n")
            continue
        started = time.perf_counter()
        try:
            entry = generate_one(tf, keras, name, args.out, SEED + list(MODELS).index(name))
        except Exception as exc:  # noqa: BLE001 - report, go on with the next model
            entry = {"name": name, "error": "%s: %s" % (type(exc).__name__, exc),
                     "traceback": traceback.format_exc(limit=8)}
        entry["seconds"] = round(time.perf_counter() - started, 3)
        protocol.write(json.dumps(entry) + "\n")


if __name__ == "__main__":
    main()
