import keras

from keras_genai.layers._spectral import average_pool_2x2, check_image_input, check_positive_int, conv


@keras.saving.register_keras_serializable(package="keras_genai")
class ResidualDownBlock(keras.layers.Layer):
    """The SAGAN / BigGAN discriminator block: a residual block that halves the resolution.

    `ReLU -> conv3x3 -> ReLU -> conv3x3 -> 2x2 average pool`, added to the
    shortcut `conv1x1 -> 2x2 average pool` (the 1x1 only where the channels
    change or the block downsamples). The first block of a discriminator
    (`first=True`) sees images, so it has no ReLU before its first
    convolution and pools its shortcut before the 1x1 (Miyato et al.'s
    "optimized block"). No normalisation: spectral normalisation on every
    convolution is what keeps the discriminator Lipschitz.

    Args:
        filters: int. Output channels.
        downsample: bool. Halve height and width. Defaults to `True`.
        first: bool. The block that takes the images. Defaults to `False`.
        spectral_norm: bool. Spectrally normalise the convolutions.
            Defaults to `True`.

    Example:

    >>> ResidualDownBlock(16, first=True)(np.random.rand(2, 28, 28, 1).astype("float32")).shape
    (2, 14, 14, 16)

    Reference: Miyato et al., "Spectral Normalization for GANs", ICLR 2018.
    """

    def __init__(self, filters, downsample=True, first=False, spectral_norm=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = check_positive_int("filters", filters)
        self.downsample = bool(downsample)
        self.first = bool(first)
        self.spectral_norm = bool(spectral_norm)

    def build(self, input_shape):
        check_image_input(self, input_shape)
        height, width, channels = input_shape[1:]
        if self.downsample and ((height or 0) % 2 or (width or 0) % 2):
            raise ValueError("ResidualDownBlock with downsample=True needs an even height and width. "
                             f"Received: input_shape={tuple(input_shape)}")
        self.conv_1 = conv(self.filters, 3, self.spectral_norm)
        self.conv_2 = conv(self.filters, 3, self.spectral_norm)
        self.conv_1.build(tuple(input_shape))
        self.conv_2.build((*input_shape[:3], self.filters))
        self.shortcut = None
        if channels != self.filters or self.downsample:
            self.shortcut = conv(self.filters, 1, self.spectral_norm)
            self.shortcut.build(tuple(input_shape))

    def call(self, inputs, training=None):
        h = inputs if self.first else keras.ops.relu(inputs)
        h = self.conv_2(keras.ops.relu(self.conv_1(h, training=training)), training=training)
        x = inputs
        if self.downsample:
            h = average_pool_2x2(h)
        if self.shortcut is not None:
            if self.first and self.downsample:
                x = self.shortcut(average_pool_2x2(x), training=training)
            else:
                x = self.shortcut(x, training=training)
                x = average_pool_2x2(x) if self.downsample else x
        return x + h

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = tuple(input_shape)
        half = (lambda s: None if s is None else s // 2) if self.downsample else (lambda s: s)
        return (batch, half(height), half(width), self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "downsample": self.downsample,
                "first": self.first, "spectral_norm": self.spectral_norm}
