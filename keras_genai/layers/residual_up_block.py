import keras

from keras_genai.distribute.replicas import batch_normalization
from keras_genai.layers._spectral import check_image_input, check_positive_int, conv, upsample_nearest
from keras_genai.layers.conditional_batch_normalization import ConditionalBatchNormalization

CONDITIONS = (None, "label", "vector")


@keras.saving.register_keras_serializable(package="keras_genai")
class ResidualUpBlock(keras.layers.Layer):
    """The SAGAN / BigGAN generator block: a residual block that doubles the resolution.

    `BN -> ReLU -> 2x nearest upsample -> conv3x3 -> BN -> ReLU -> conv3x3`,
    added to the shortcut `2x upsample -> conv1x1` (the 1x1 only where the
    channels change). With a `condition`, both batch normalisations are
    `ConditionalBatchNormalization` and the block is called on
    `[x, condition]`: `"label"` for integer class labels (SAGAN's per-class
    gains and biases) or `"vector"` for a float vector (BigGAN's shared class
    embedding joined to a chunk of z).

    Args:
        filters: int. Output channels.
        condition: str or None. `None`, `"label"` or `"vector"`.
            Defaults to `None`.
        num_classes: int or None. Classes of a `"label"` condition.
            Defaults to `None`.
        upsample: bool. Double height and width. Defaults to `True`.
        spectral_norm: bool. Spectrally normalise the convolutions (and the
            projections of a vector condition). Defaults to `True`.

    Example:

    >>> block = ResidualUpBlock(8, condition="label", num_classes=10)
    >>> block([np.random.rand(2, 7, 7, 16).astype("float32"), np.array([3, 7])]).shape
    (2, 14, 14, 8)

    References: Miyato et al., "Spectral Normalization for GANs", ICLR
    2018 (appendix, ResNet generator); Brock et al. 2019, fig. 15.
    """

    def __init__(self, filters, condition=None, num_classes=None, upsample=True, spectral_norm=True, **kwargs):
        super().__init__(**kwargs)
        if condition not in CONDITIONS:
            raise ValueError(f"condition must be one of {CONDITIONS}. Received: condition={condition!r}")
        if (condition == "label") != (num_classes is not None):
            raise ValueError('num_classes goes with condition="label" and only with it. '
                             f"Received: condition={condition!r}, num_classes={num_classes!r}")
        self.filters = check_positive_int("filters", filters)
        self.condition = condition
        self.num_classes = num_classes
        self.upsample = bool(upsample)
        self.spectral_norm = bool(spectral_norm)

    def _normalization(self):
        if self.condition is None:
            return batch_normalization(momentum=0.9, epsilon=1e-4)
        return ConditionalBatchNormalization(self.num_classes, spectral_norm=self.spectral_norm)

    def build(self, input_shape):
        x_shape = tuple(input_shape[0] if self.condition else input_shape)
        check_image_input(self, x_shape)
        if self.condition is None and isinstance(input_shape[0], (list, tuple)):
            raise ValueError("ResidualUpBlock without a condition is called on x alone. "
                             f"Received: input_shape={input_shape}")
        scale = 2 if self.upsample else 1
        bigger = (x_shape[0], x_shape[1] * scale, x_shape[2] * scale)
        self.norm_1, self.norm_2 = self._normalization(), self._normalization()
        self.conv_1 = conv(self.filters, 3, self.spectral_norm)
        self.conv_2 = conv(self.filters, 3, self.spectral_norm)
        self.norm_1.build(input_shape if self.condition else x_shape)
        self.conv_1.build((*bigger, x_shape[-1]))
        self.norm_2.build([(*bigger, self.filters), tuple(input_shape[1])] if self.condition
                          else (*bigger, self.filters))
        self.conv_2.build((*bigger, self.filters))
        self.shortcut = None
        if x_shape[-1] != self.filters:
            self.shortcut = conv(self.filters, 1, self.spectral_norm)
            self.shortcut.build((*bigger, x_shape[-1]))

    def _normalize(self, norm, h, condition, training):
        return norm([h, condition] if self.condition else h, training=training)

    def call(self, inputs, training=None):
        x, condition = inputs if self.condition else (inputs, None)
        h = keras.ops.relu(self._normalize(self.norm_1, x, condition, training))
        if self.upsample:
            h, x = upsample_nearest(h), upsample_nearest(x)
        h = self.conv_1(h, training=training)
        h = keras.ops.relu(self._normalize(self.norm_2, h, condition, training))
        h = self.conv_2(h, training=training)
        if self.shortcut is not None:
            x = self.shortcut(x, training=training)
        return x + h

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = tuple(input_shape[0] if self.condition else input_shape)
        scale = 2 if self.upsample else 1
        return (batch, None if height is None else height * scale, None if width is None else width * scale,
                self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "condition": self.condition,
                "num_classes": self.num_classes, "upsample": self.upsample, "spectral_norm": self.spectral_norm}
