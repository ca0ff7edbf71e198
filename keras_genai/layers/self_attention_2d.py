import keras
from keras import ops

from keras_genai.layers._spectral import check_image_input, check_positive_int, conv


@keras.saving.register_keras_serializable(package="keras_genai")
class SelfAttention2D(keras.layers.Layer):
    """SAGAN's self-attention over the positions of a feature map.

    1x1 convolutions give queries and keys with `channels // key_reduction`
    channels and values with `channels // value_reduction`; each position's
    output is the softmax(q . k)-weighted sum of the values over all
    positions, projected back to `channels` by a 1x1 convolution and added
    to the input as `x + gamma * attention(x)`. `gamma` starts at 0, so the
    block is the identity at initialisation and the network learns how much
    non-local evidence to use (Zhang et al., sec. 3). With `pooled`, keys and
    values are 2x2 max-pooled first (BigGAN and the SAGAN authors' code),
    a quarter of the attention matrix.

    Written with spectrally normalised 1x1 convolutions rather than
    `keras.layers.MultiHeadAttention`: the papers spectrally normalise the
    projections, and `SpectralNormalization` wraps a layer with a `kernel`,
    not the `EinsumDense` sublayers `MultiHeadAttention` builds inside. Like
    the papers, the logits are not scaled by 1/sqrt(d).

    Args:
        key_reduction: int. Channels of queries and keys are
            `channels // key_reduction`. Defaults to `8`.
        value_reduction: int. Channels of values are
            `channels // value_reduction`. Defaults to `2`.
        pooled: bool. 2x2 max-pool keys and values. Defaults to `False`.
        spectral_norm: bool. Spectrally normalise the four projections.
            Defaults to `True`.

    Example:

    >>> layer = SelfAttention2D()
    >>> x = np.random.rand(2, 8, 8, 16).astype("float32")
    >>> np.allclose(layer(x), x)  # gamma = 0 at initialisation
    True

    Reference: Zhang et al., "Self-Attention Generative Adversarial
    Networks", ICML 2019.
    """

    def __init__(self, key_reduction=8, value_reduction=2, pooled=False, spectral_norm=True, **kwargs):
        super().__init__(**kwargs)
        self.key_reduction = check_positive_int("key_reduction", key_reduction)
        self.value_reduction = check_positive_int("value_reduction", value_reduction)
        self.pooled = bool(pooled)
        self.spectral_norm = bool(spectral_norm)

    def build(self, input_shape):
        check_image_input(self, input_shape)
        height, width, channels = input_shape[1:]
        if channels is None or channels < max(self.key_reduction, self.value_reduction):
            raise ValueError(
                f"SelfAttention2D needs at least {max(self.key_reduction, self.value_reduction)} channels "
                f"(key_reduction={self.key_reduction}, value_reduction={self.value_reduction}). "
                f"Received: input_shape={tuple(input_shape)}")
        if height is None or width is None or (self.pooled and (height % 2 or width % 2)):
            raise ValueError("SelfAttention2D needs a known height and width (even, with pooled=True). "
                             f"Received: input_shape={tuple(input_shape)}")
        self.query = conv(channels // self.key_reduction, 1, self.spectral_norm, use_bias=False)
        self.key = conv(channels // self.key_reduction, 1, self.spectral_norm, use_bias=False)
        self.value = conv(channels // self.value_reduction, 1, self.spectral_norm, use_bias=False)
        self.output_projection = conv(channels, 1, self.spectral_norm, use_bias=False)
        self.query.build(input_shape)
        self.key.build(input_shape)
        self.value.build(input_shape)
        self.output_projection.build((*input_shape[:3], channels // self.value_reduction))
        self.gamma = self.add_weight(name="gamma", shape=(), initializer="zeros")

    def call(self, inputs, training=None):
        height, width, channels = inputs.shape[1:]
        keys, values = self.key(inputs, training=training), self.value(inputs, training=training)
        if self.pooled:
            keys = ops.max_pool(keys, 2, strides=2)
            values = ops.max_pool(values, 2, strides=2)
        positions = height * width
        kv_positions = keys.shape[1] * keys.shape[2]
        queries = ops.reshape(self.query(inputs, training=training), (-1, positions, channels // self.key_reduction))
        keys = ops.reshape(keys, (-1, kv_positions, channels // self.key_reduction))
        values = ops.reshape(values, (-1, kv_positions, channels // self.value_reduction))
        weights = ops.softmax(ops.matmul(queries, ops.transpose(keys, (0, 2, 1))), axis=-1)
        attended = ops.reshape(ops.matmul(weights, values), (-1, height, width, channels // self.value_reduction))
        return inputs + ops.cast(self.gamma, inputs.dtype) * self.output_projection(attended, training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "key_reduction": self.key_reduction,
                "value_reduction": self.value_reduction, "pooled": self.pooled,
                "spectral_norm": self.spectral_norm}
