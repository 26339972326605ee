"""Save tiny legacy models with genuine multi-backend Keras (run by the legacy interpreter).

    LEGACY_PYTHON legacy_generate.py COMPAT_PATH OUT_DIR [NAME ...]

Writes OUT_DIR/NAME.h5 (whole model, after one training step so that optimizer state exists),
NAME.inputs.npy (a list of input arrays, pickled), NAME.predictions.npy, NAME.weights.h5
(save_weights) and NAME.trained.npy (predictions after two more steps on targets drawn from
RandomState(0), one-hot when there are several outputs units).  Kept apart from the
harness's generator (kmigrate/harness/legacy_models.py) so these tests do not depend on it.
"""

import importlib.util
import sys


def _compat(path):
    spec = importlib.util.spec_from_file_location("legacy_compat", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.install()


def builders(keras, np):
    from keras import layers, models, optimizers, regularizers
    version = tuple(int(p) for p in keras.__version__.split(".")[:2])
    decay = 1e-4 if version >= (2, 2) else 0.0  # 2.1.6 + decay crashes with resource variables

    def mlp():
        model = models.Sequential([layers.Dense(8, activation="relu", input_dim=4),
                                   layers.Dropout(0.1),
                                   layers.Dense(3, activation="softmax")])
        model.compile(optimizers.Adam(lr=0.01, decay=decay), "categorical_crossentropy", metrics=["accuracy"])
        return model, [np.random.rand(6, 4)], np.eye(3)[np.arange(6) % 3]

    def adam_decay():  # no dropout: continued training is deterministic and comparable
        model = models.Sequential([layers.Dense(5, activation="tanh", input_shape=(3,)), layers.Dense(2)])
        model.compile(optimizers.Adam(lr=0.02, decay=decay, amsgrad=version >= (2, 2)), "mse")
        return model, [np.random.rand(4, 3)], np.random.rand(4, 2)

    def cnn():
        model = models.Sequential([layers.Conv2D(4, (3, 3), activation="relu", padding="same", input_shape=(8, 8, 1)),
                                   layers.MaxPooling2D((2, 2)),
                                   layers.Conv2D(3, (3, 3)),
                                   layers.Flatten(),
                                   layers.Dense(2, activation="softmax")])
        model.compile(optimizers.SGD(lr=0.05, momentum=0.9, nesterov=True), "categorical_crossentropy")
        return model, [np.random.rand(3, 8, 8, 1)], np.eye(2)[[0, 1, 0]]

    def functional():
        a = layers.Input((4,), name="left")
        b = layers.Input((3,), name="right")
        x = layers.concatenate([layers.Dense(5, activation="tanh")(a), layers.Dense(5)(b)])
        out = layers.Dense(1, activation="sigmoid")(x)
        model = models.Model(inputs=[a, b], outputs=out)
        model.compile(optimizers.RMSprop(lr=0.01), "binary_crossentropy", metrics=["acc"])
        return model, [np.random.rand(5, 4), np.random.rand(5, 3)], np.array([[0], [1], [1], [0], [1]])

    def embedding_lstm():
        model = models.Sequential([layers.Embedding(20, 4, input_length=5),
                                   layers.LSTM(6),
                                   layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        return model, [np.random.randint(0, 20, (4, 5))], np.array([[0], [1], [1], [0]])

    def gru():
        model = models.Sequential([layers.GRU(5, input_shape=(4, 3), return_sequences=True),
                                   layers.GRU(4),
                                   layers.Dense(2)])
        model.compile(optimizers.Adagrad(lr=0.05), "mse")
        return model, [np.random.rand(3, 4, 3)], np.random.rand(3, 2)

    def bidirectional():
        model = models.Sequential([layers.Bidirectional(layers.LSTM(4), input_shape=(5, 3)),
                                   layers.Dense(2, activation="hard_sigmoid")])
        model.compile("rmsprop", "mse")
        return model, [np.random.rand(3, 5, 3)], np.random.rand(3, 2)

    def batchnorm():
        model = models.Sequential([layers.Dense(6, input_shape=(4,)),
                                   layers.BatchNormalization(),
                                   layers.Activation("relu"),
                                   layers.TimeDistributed(layers.Dense(2)) if False else layers.Dense(2)])
        model.compile(optimizers.SGD(lr=0.1), "mse")
        return model, [np.random.rand(8, 4)], np.random.rand(8, 2)

    def keras1_style():
        from keras.layers import LSTM, Convolution2D, Dense, Reshape
        model = models.Sequential()
        model.add(Convolution2D(3, 3, 3, border_mode="same", init="he_normal",
                                W_regularizer=regularizers.l2(0.01), input_shape=(6, 6, 1)))
        model.add(Reshape((6, 18)))
        model.add(LSTM(output_dim=4, inner_activation="hard_sigmoid", return_sequences=False))
        model.add(Dense(output_dim=2, init="uniform"))
        model.compile(optimizers.SGD(lr=0.01), "mse")
        return model, [np.random.rand(2, 6, 6, 1)], np.random.rand(2, 2)

    def keras1_merge():
        from keras.legacy.layers import merge
        a = layers.Input((4,))
        b = layers.Input((4,))
        s = merge([layers.Dense(3)(a), layers.Dense(3)(b)], mode="concat", concat_axis=-1)
        m = merge([layers.Dense(2)(a), layers.Dense(2)(b)], mode="sum")
        out = layers.Dense(1)(merge([s, m], mode="concat"))
        model = models.Model(input=[a, b], output=out)
        model.compile("sgd", "mse")
        return model, [np.random.rand(3, 4), np.random.rand(3, 4)], np.random.rand(3, 1)

    def keras1_merge_sequential():
        from keras.legacy.layers import Merge
        left = models.Sequential([layers.Dense(3, input_dim=4, activation="relu")])
        right = models.Sequential([layers.Dense(3, input_dim=2)])
        model = models.Sequential()
        model.add(Merge([left, right], mode="concat"))
        model.add(layers.Dense(2, activation="softmax"))
        model.compile("sgd", "categorical_crossentropy")
        return model, [np.random.rand(3, 4), np.random.rand(3, 2)], np.eye(2)[[0, 1, 0]]

    def shared_multi_output():
        a = layers.Input((4,), name="a")
        b = layers.Input((4,), name="b")
        shared = layers.Dense(3, activation="hard_sigmoid", name="shared")
        sa, sb = shared(a), shared(b)
        nested = models.Sequential([layers.Dense(2, input_shape=(3,)), layers.LeakyReLU(0.2)], name="tower")
        out1 = nested(sa)
        out2 = layers.PReLU(name="second")(layers.Dense(2)(sb))
        model = models.Model([a, b], [out1, out2])
        model.compile("adam", loss={"tower": "mse", "second": "mae"}, metrics=["mae"])
        return model, [np.random.rand(3, 4), np.random.rand(3, 4)], [np.random.rand(3, 2), np.random.rand(3, 2)]

    def conv_misc():
        model = models.Sequential([
            layers.SeparableConv2D(3, (3, 3), input_shape=(8, 8, 2), activation="relu"),
            layers.Conv2DTranspose(2, (2, 2), strides=(2, 2)),
            layers.ZeroPadding2D(1), layers.AveragePooling2D(), layers.UpSampling2D(),
            layers.Conv2D(2, 3, activation="elu", kernel_regularizer=regularizers.l1_l2(0.01, 0.01)),
            layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizers.Adadelta(), "categorical_crossentropy", metrics=["categorical_accuracy"])
        return model, [np.random.rand(2, 8, 8, 2)], np.eye(3)[[0, 2]]

    def sequence_misc():
        model = models.Sequential([
            layers.Masking(0.0, input_shape=(6, 3)),
            layers.LSTM(4, return_sequences=True, unroll=True),
            layers.TimeDistributed(layers.Dense(2, activation="hard_sigmoid")),
            layers.SimpleRNN(2)])
        model.compile(optimizers.Adamax(lr=0.01), "mse")
        x = np.random.rand(3, 6, 3)
        x[0, 4:] = 0.0
        return model, [x], np.random.rand(3, 2)

    def conv1d():
        model = models.Sequential([layers.Conv1D(3, 2, activation="relu", input_shape=(6, 3)),
                                   layers.MaxPooling1D(2), layers.Conv1D(2, 2, dilation_rate=1),
                                   layers.GlobalMaxPooling1D(), layers.Dense(1)])
        model.compile(optimizers.SGD(lr=0.01, momentum=0.5), "mse")
        return model, [np.random.rand(3, 6, 3)], np.random.rand(3, 1)

    def conv_lstm():
        model = models.Sequential([layers.ConvLSTM2D(2, (3, 3), padding="same", input_shape=(3, 5, 5, 1)),
                                   layers.Flatten(), layers.Dense(1)])
        model.compile(optimizers.Nadam(), "mse")
        return model, [np.random.rand(2, 3, 5, 5, 1)], np.random.rand(2, 1)

    def hard_sigmoid_everywhere():
        inp = layers.Input((4, 4, 2))
        x = layers.Conv2D(2, (2, 2), activation="hard_sigmoid")(inp)
        x = layers.SeparableConv2D(2, (2, 2), activation="hard_sigmoid")(x)
        x = layers.Reshape((2, 4))(x)
        x = layers.GRU(3, activation="hard_sigmoid", return_sequences=True)(x)
        x = layers.SimpleRNN(2, activation="hard_sigmoid", return_sequences=True)(x)
        x = layers.LSTM(2, recurrent_activation="hard_sigmoid")(x)
        x = layers.Activation("hard_sigmoid")(layers.Dense(3)(x))
        model = models.Model(inp, x)
        model.compile("sgd", "mse")
        return model, [np.random.rand(3, 4, 4, 2) * 4 - 2], np.random.rand(3, 3)

    def _base():
        inner_in = layers.Input((5,))
        hidden = layers.BatchNormalization()(layers.Dense(4, activation="relu")(inner_in))
        return models.Model(inner_in, hidden, name="base")

    def pretrained_base():  # the transfer-learning pattern: Sequential([base_model, head layers])
        model = models.Sequential([_base(), layers.Dense(3, activation="softmax")], name="head")
        model.compile(optimizers.SGD(lr=0.01, momentum=0.9), "categorical_crossentropy")
        return model, [np.random.rand(4, 5)], np.eye(3)[[0, 1, 2, 0]]

    def nested_models():
        base = _base()
        tower = models.Sequential([layers.Dense(3, input_shape=(5,)), layers.Dense(2)], name="tower")
        outer_in = layers.Input((5,))
        out = layers.concatenate([tower(outer_in), base(outer_in)])
        model = models.Model(outer_in, layers.Dense(2)(out))
        model.compile(optimizers.SGD(lr=0.01, momentum=0.9), "mse")
        return model, [np.random.rand(4, 5)], np.random.rand(4, 2)

    def timedistributed_gru():
        inp = layers.Input((3, 4))
        x = layers.TimeDistributed(layers.Dense(5, activation="hard_sigmoid"))(inp)
        x = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode="sum")(x)
        x = layers.SimpleRNN(2)(x)
        model = models.Model(inp, x)
        model.compile("adam", "mse")
        return model, [np.random.rand(2, 3, 4)], np.random.rand(2, 2)

    def lambda_layer():
        model = models.Sequential([layers.Dense(3, input_shape=(2,)), layers.Lambda(lambda t: t * 2.0)])
        model.compile("sgd", "mse")
        return model, [np.random.rand(2, 2)], np.random.rand(2, 3)

    return {f.__name__: f for f in (mlp, adam_decay, cnn, functional, embedding_lstm, gru, bidirectional, batchnorm,
                                    keras1_style, keras1_merge, keras1_merge_sequential, shared_multi_output,
                                    conv_misc, sequence_misc, conv1d, conv_lstm, hard_sigmoid_everywhere, pretrained_base, nested_models, timedistributed_gru, lambda_layer)}


def main():
    tf = _compat(sys.argv[1])
    out = sys.argv[2]
    import os

    import keras
    import numpy as np
    from keras import backend as K
    os.makedirs(out, exist_ok=True)
    table = builders(keras, np)
    names = sys.argv[3:] or list(table)
    for name in names:
        K.clear_session()
        np.random.seed(sum(map(ord, name)))
        tf.set_random_seed(1)
        try:
            model, inputs, target = table[name]()
            model.train_on_batch(inputs if len(inputs) > 1 else inputs[0], target)
            model.save(os.path.join(out, name + ".h5"))
            predictions = model.predict(inputs if len(inputs) > 1 else inputs[0])
            if isinstance(predictions, list):  # several outputs: stored stacked
                predictions = np.stack(predictions)
            np.save(os.path.join(out, name + ".inputs.npy"), np.array(inputs + [None], dtype=object)[:-1],
                    allow_pickle=True)
            np.save(os.path.join(out, name + ".predictions.npy"), predictions)
            model.save_weights(os.path.join(out, name + ".weights.h5"))
            # Two more training steps on fixed targets: a converted file that kept the optimizer
            # state must continue training to the same predictions (models without dropout).
            rng = np.random.RandomState(0)
            outputs = predictions if isinstance(predictions, np.ndarray) and predictions.ndim and not \
                isinstance(model.output, list) else None
            if outputs is not None:
                y = rng.rand(*outputs.shape)
                if outputs.shape[-1] > 1:
                    y = np.eye(outputs.shape[-1])[np.argmax(y, -1)]
                for _ in range(2):
                    model.train_on_batch(inputs if len(inputs) > 1 else inputs[0], y)
                np.save(os.path.join(out, name + ".trained.npy"),
                        model.predict(inputs if len(inputs) > 1 else inputs[0]))
            print("saved", name, flush=True)
        except Exception as error:  # noqa: BLE001 - one model failing must not stop the others
            print("FAILED", name, type(error).__name__, error, flush=True)


if __name__ == "__main__":
    main()
