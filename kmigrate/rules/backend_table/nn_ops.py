"""Backend table entries: convolutions, paddings and batch normalization.

What the fields and kinds mean: ``kmigrate.rules.backend_table.entry``.
"""

from __future__ import annotations

from kmigrate.rules.backend_table.entry import FLAG, SPECIAL, Entry

# Keras 2.2.4's tensorflow_backend.local_conv1d with K.* written as the tf ops they called
# (``int_shape(kernel)`` as ``kernel.shape``; ``data_format`` was only checked, never used).
# ``{tf}`` is the module's name for TensorFlow.  Emitted by ``kmigrate.rules.backend.local_conv``.
LOCAL_CONV1D_HELPER = '''def {name}(inputs, kernel, kernel_size, strides, data_format=None):
    """K.local_conv1d as Keras 2.2.4 computed it (TensorFlow backend); Keras 3 has none (kmigrate KM535).
    kernel: (output_length, kernel_size * input_dim, filters); returns (batch, output_length, filters)."""
    if data_format is not None and str(data_format).lower() not in ("channels_first", "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         '"channels_last". Received: ' + str(data_format))
    stride = strides[0]
    output_length, feature_dim, _ = tuple(kernel.shape)
    xs = []
    for i in range(output_length):
        window = inputs[:, i * stride:i * stride + kernel_size[0], :]
        xs.append({tf}.reshape(window, (1, -1, feature_dim)))
    x_aggregate = {tf}.concat(xs, axis=0)
    # (output_length, batch, filters): what K.batch_dot of two 3-D tensors without axes computed.
    output = {tf}.linalg.matmul(x_aggregate, kernel)
    return {tf}.transpose(output, (1, 0, 2))
'''

ENTRIES: tuple[Entry, ...] = (
    Entry("asymmetric_spatial_2d_padding", SPECIAL, "spatial_2d_padding",
          "use `K.spatial_2d_padding(x, padding=((top, bottom), (left, right)), data_format=...)`",
          params=("x", "top_pad", "bottom_pad", "left_pad", "right_pad", "dim_ordering"),
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(3, 8, 8))\n"
              "y = K.asymmetric_spatial_2d_padding(x, top_pad=1, bottom_pad=2, left_pad=0, right_pad=1, dim_ordering='th')"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Input\n"
              "\n"
              "x = Input(shape=(3, 8, 8))\n"
              "y = K.spatial_2d_padding(x, padding=((1, 2), (0, 1)), data_format='channels_first')"
          ),
          note="Keras 2 merged the asymmetric form into spatial_2d_padding; the pad amounts are "
          "the same numbers (defaults 1), dim_ordering maps th/tf to channels_first/last."),
    Entry("asymmetric_temporal_padding", SPECIAL, "temporal_padding",
          "use `K.temporal_padding(x, padding=(left_pad, right_pad))`",
          params=("x", "left_pad", "right_pad"),
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(10, 4))\n"
              "y = K.asymmetric_temporal_padding(x, left_pad=1, right_pad=2)"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "from tensorflow.keras.layers import Input\n"
              "\n"
              "x = Input(shape=(10, 4))\n"
              "y = K.temporal_padding(x, padding=(1, 2))"
          ),
          note="Keras 2 merged the asymmetric form into temporal_padding (defaults 1)."),
    Entry("atrous_conv2d", FLAG, "",
          "`K.atrous_conv2d` is gone: use `K.conv2d(x, kernel, padding=border_mode, "
          "dilation_rate=(rate, rate), data_format=...)`; Keras 1 'th' kernels are (out, in, rows, "
          "cols) and must be transposed to (rows, cols, in, out)",
          before=(
              "from keras import backend as K\n"
              "from keras.layers import Input\n"
              "\n"
              "x = Input(shape=(8, 8, 3))\n"
              "kernel = K.ones((3, 3, 3, 16))\n"
              "y = K.atrous_conv2d(x, kernel, rate=2, border_mode='same')"
          ),
          after="K.conv2d(x, kernel, padding='same', dilation_rate=(2, 2))",
          note="The kernel layout depends on Keras 1's dim_ordering, which the code does not show."),
    Entry("conv3d_transpose", FLAG, "",
          "`K.conv3d_transpose` is gone: use `tf.nn.conv3d_transpose(x, kernel, output_shape, "
          "strides=(1,) + strides + (1,), padding=padding.upper())` on channels_last data (transpose "
          "channels_first input and output)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 4, 4, 4, 8))\n"
              "kernel = K.ones((3, 3, 3, 16, 8))\n"
              "y = K.conv3d_transpose(x, kernel, (1, 8, 8, 8, 16), strides=(2, 2, 2), padding='same')"
          ),
          after="tf.nn.conv3d_transpose(x, k, output_shape, strides=(1, 2, 2, 2, 1), padding='SAME')",
          note="Padding spelling and data layout differ and depend on the data format."),
    Entry("deconv2d", FLAG, "",
          "`K.deconv2d` is gone: use `K.conv2d_transpose(x, kernel, output_shape, strides, "
          "padding=border_mode, data_format=...)`; the Keras 1 kernel is transposed (0, 1, 3, 2) "
          "relative to Keras 2 and 'th' kernels need (2, 3, 1, 0) first",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 4, 4, 8))\n"
              "kernel = K.ones((3, 3, 16, 8))\n"
              "y = K.deconv2d(x, kernel, (1, 8, 8, 16), strides=(2, 2), border_mode='same', dim_ordering='tf')"
          ),
          after="K.conv2d_transpose(x, K.permute_dimensions(kernel, (0, 1, 3, 2)), output_shape, "
          "strides=(2, 2), padding='same', data_format='channels_last')",
          note="Keras 1 and Keras 2 expect different kernel layouts here."),
    Entry("local_conv1d", SPECIAL, "",
          "`K.local_conv1d` is gone in Keras 3: calls become `kmigrate_local_conv1d`, a copy of Keras 2.2.4's "
          "function emitted into the module; elsewhere pass that copy (or use `--target tf_keras`)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 6, 3))\n"
              "kernel = K.ones((4, 9, 8))\n"
              "y = K.local_conv1d(x, kernel, (3,), (1,))"
          ),
          after=(
              "from tensorflow.keras import backend as K\n"
              "import tensorflow as tf\n"
              "\n"
              "\n"
              + LOCAL_CONV1D_HELPER.format(name="kmigrate_local_conv1d", tf="tf")
              + "\n"
              "\n"
              "x = K.ones((1, 6, 3))\n"
              "kernel = K.ones((4, 9, 8))\n"
              "y = kmigrate_local_conv1d(x, kernel, (3,), (1,))"
          ),
          note="The copy has the legacy signature and operations (slices of the input, one batched "
          "tf.linalg.matmul with the kernel, the 2.2.4 K.batch_dot of two 3-D tensors), so it computes "
          "the 2.2.4 values for any arguments (measured bit for bit on genuine Keras 2.2.4). A reference "
          "without a call (`f = K.local_conv1d`) is marked.",
          tf_keras=False),
    Entry("local_conv2d", FLAG, "",
          "`K.local_conv2d` is gone in Keras 3: copy a LocallyConnected2D implementation (e.g. "
          "from tf_keras) or use `--target tf_keras`",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 4, 4, 3))\n"
              "kernel = K.ones((4, 27, 8))\n"
              "y = K.local_conv2d(x, kernel, (3, 3), (1, 1), (2, 2))"
          ),
          after="# a local copy of tf_keras' local_conv2d", note="No Keras 3 equivalent.",
          tf_keras=False),
    Entry("normalize_batch_in_training", FLAG, "",
          "`K.normalize_batch_in_training` is gone: `mean, var = tf.nn.moments(x, axes); "
          "normed = K.batch_normalization(x, mean, var, beta, gamma, epsilon=epsilon)` (it returned "
          "`(normed, mean, var)`)",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((4, 3))\n"
              "gamma, beta = K.ones((3,)), K.zeros((3,))\n"
              "normed, mean, var = K.normalize_batch_in_training(x, gamma, beta, [0])"
          ),
          after="mean, var = tf.nn.moments(x, [0])\n"
          "normed = K.batch_normalization(x, mean, var, beta, gamma, epsilon=1e-3)",
          note="A multi-statement replacement that depends on the reduction axes.", tf_keras=False),
    Entry("separable_conv1d", FLAG, "",
          "`K.separable_conv1d` is gone: apply `tf.nn.separable_conv2d` on `tf.expand_dims(x, 1)` "
          "and squeeze, or use a SeparableConv1D layer",
          before=(
              "from keras import backend as K\n"
              "\n"
              "x = K.ones((1, 10, 4))\n"
              "depthwise, pointwise = K.ones((3, 4, 1)), K.ones((1, 4, 8))\n"
              "y = K.separable_conv1d(x, depthwise, pointwise, strides=1, padding='valid')"
          ),
          after="tf.squeeze(tf.nn.separable_conv2d(tf.expand_dims(x, 1), ...), 1)",
          note="No one-call equivalent."),
)
