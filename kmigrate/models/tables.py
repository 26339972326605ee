"""What changed in stored model configs between legacy Keras 2.x and Keras 3.15, as data.

The Keras 1 -> 2 knowledge (argument renames, merge modes, constraint keywords, initializer
aliases, optimizer and metric names) is imported from the source rules; this file holds only
what is particular to stored configs and weights.
"""

from __future__ import annotations

# Keys a legacy layer config may hold that the Keras 3 class rejects or ignores, per class
# ("*": every layer).  batch_input_shape is handled separately (it becomes an InputLayer).
DROPPED_KEYS: dict[str, frozenset[str]] = {
    "*": frozenset({"batch_input_shape", "input_dtype", "batch_size"}),
    "Embedding": frozenset({"input_length"}),
    "LSTM": frozenset({"implementation"}),
    "GRU": frozenset({"implementation"}),
    "SimpleRNN": frozenset({"implementation"}),
    "ConvLSTM2D": frozenset({"implementation"}),
    "Bidirectional": frozenset({"batch_input_shape"}),
}

# Keras 3 renamed keyword, per class: (legacy key, Keras 3 key).
RENAMED_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "LeakyReLU": (("alpha", "negative_slope"),),
    "InputLayer": (("batch_input_shape", "batch_shape"), ("input_dtype", "dtype")),
}

# Legacy class names whose Keras 3 class has another name (the class name also names the
# weights group in a .keras file, so aliases are written as the class itself).
CLASS_ALIASES: dict[str, str] = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Convolution2DTranspose": "Conv2DTranspose", "Convolution3DTranspose": "Conv3DTranspose",
    "Deconv2D": "Conv2DTranspose", "Deconv3D": "Conv3DTranspose",
    "SeparableConvolution1D": "SeparableConv1D", "SeparableConvolution2D": "SeparableConv2D",
    "DepthwiseConvolution2D": "DepthwiseConv2D",
    "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D", "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D", "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalMaxPool3D": "GlobalMaxPooling3D", "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D", "GlobalAvgPool3D": "GlobalAveragePooling3D",
}  # fmt: skip

# Recurrent layers: Keras 3 cell class (the weights live in layer.cell) and the gates, in the
# order of the kernel's last axis, that a *recurrent_activation* drives.  The candidate
# ('c' of LSTM, 'h' of GRU) takes `activation` instead.
RECURRENT: dict[str, tuple[str, tuple[str, ...], frozenset[str]]] = {
    "LSTM": ("LSTMCell", ("i", "f", "c", "o"), frozenset({"i", "f", "o"})),
    "GRU": ("GRUCell", ("z", "r", "h"), frozenset({"z", "r"})),
    "SimpleRNN": ("SimpleRNNCell", ("h",), frozenset()),
    "ConvLSTM2D": ("ConvLSTMCell", ("i", "f", "c", "o"), frozenset({"i", "f", "o"})),
}

# Layers whose output is activation(linear(inputs)) with every weight (kernel and bias) inside
# the linear part: a legacy hard_sigmoid becomes Keras 3's by scaling those weights by 1.2.
# For SeparableConv only the pointwise kernel and the bias feed the activation directly.
LINEAR_THEN_ACTIVATION: dict[str, tuple[int, ...] | None] = {
    "Dense": None, "Conv1D": None, "Conv2D": None, "Conv3D": None,
    "Conv1DTranspose": None, "Conv2DTranspose": None, "Conv3DTranspose": None,
    "DepthwiseConv1D": None, "DepthwiseConv2D": None,
    "SeparableConv1D": (1, 2), "SeparableConv2D": (1, 2),
}  # fmt: skip

# Legacy hard_sigmoid(x) = clip(0.2 x + 0.5, 0, 1); Keras 3's is relu6(x + 3) / 6, and
# relu6(1.2 z + 3) / 6 = clip(0.2 z + 0.5, 0, 1): scaling the pre-activation by 1.2 restores it.
HARD_SIGMOID_SCALE = 1.2

# Theano computed true convolutions, TensorFlow cross-correlations: the variables (by index) whose
# spatial axes are reversed, as Keras 2.2.4's preprocess_weights_for_loading did for a Theano file.
THEANO_FLIPPED_KERNELS: dict[str, tuple[int, ...]] = {
    "Conv1D": (0,), "Conv2D": (0,), "Conv3D": (0,), "Conv2DTranspose": (0,), "ConvLSTM2D": (0, 1),
}

# Keras 3 optimizer slot variables per trainable variable, in the order Keras 3 writes them
# (interleaved per variable), and the legacy slot groups they come from (legacy files store
# group after group: all `m`, then all `v`).  A setting that adds or removes slots is handled
# in kmigrate.models.optimizer.
OPTIMIZER_SLOTS: dict[str, tuple[str, ...]] = {
    "SGD": ("momentum",),  # only with momentum > 0 in Keras 3; legacy always stored them
    "RMSprop": ("velocity",),
    "Adagrad": ("accumulator",),
    "Adadelta": ("accumulated_grad", "accumulated_delta_var"),
    "Adam": ("momentum", "velocity"),
    "Adamax": ("m", "u"),
}

# Loss and metric ids a legacy file may hold that Keras 3 knows under the same name.
KNOWN_LOSSES = frozenset({
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "squared_hinge", "hinge", "categorical_hinge", "log_cosh",
    "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
    "kl_divergence", "poisson", "cosine_similarity", "huber", "mse", "mae", "mape", "msle",
})  # fmt: skip
KNOWN_METRICS = KNOWN_LOSSES | frozenset({
    "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "crossentropy", "ce",
})  # fmt: skip

# Legacy classes with no Keras 3 class, and what to do instead.
NO_KERAS3_CLASS: dict[str, str] = {
    "CuDNNLSTM": "not converted yet: in legacy Keras 2.2.4, build the same model with "
                 "LSTM(recurrent_activation='sigmoid') (Keras 2 converts CuDNN weights on load_weights), "
                 "save it, then convert that file",
    "CuDNNGRU": "not converted yet: in legacy Keras 2.2.4, build the same model with "
                "GRU(recurrent_activation='sigmoid', reset_after=True) (Keras 2 converts CuDNN weights on "
                "load_weights), save it, then convert that file",
    "LocallyConnected1D": "Keras 3 has no LocallyConnected layers: write a custom layer (or a Conv1D with "
                          "unshared weights by hand) and load the weights",
    "LocallyConnected2D": "Keras 3 has no LocallyConnected layers: write a custom layer and load the weights",
}
