import keras
from keras import ops

from keras_genai.distribute.replicas import batch_normalization
from keras_genai.layers._spectral import maybe_spectral


@keras.saving.register_keras_serializable(package="keras_genai")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalisation whose gain and bias depend on a condition.

    Called on `[x, condition]`: `x` is normalised over the batch (and
    positions) without a gain or bias of its own, then scaled by
    `gain(condition)` and shifted by `bias(condition)`, one value per
    channel. The condition is either

    - an integer class label (`num_classes` given): gain and bias are
      per-class embeddings, gains starting at 1 and biases at 0 (SAGAN,
      Miyato & Koyama's conditional BN); or
    - a float vector (`num_classes=None`): gain `1 + W_g c` and bias
      `W_b c`, linear projections of `c` (BigGAN, where `c` is the shared
      class embedding joined to a chunk of z), spectrally normalised with
      `spectral_norm`.

    Under a `tf.distribute` strategy with several replicas the statistics
    are synchronised across replicas (as one device would compute them).

    Args:
        num_classes: int or None. Classes of an integer label condition,
            or None for a vector condition. Defaults to `None`.
        momentum: float. Moving-statistics momentum. Defaults to `0.9`
            (PyTorch's 0.1, as BigGAN).
        epsilon: float. Added to the variance. Defaults to `1e-4` (BigGAN).
        spectral_norm: bool. Spectrally normalise the projections of a
            vector condition. Defaults to `False`.

    Example:

    >>> bn = ConditionalBatchNormalization(num_classes=10)
    >>> y = bn([np.random.rand(4, 8, 8, 16).astype("float32"), np.array([0, 1, 2, 3])])

    References: de Vries et al., "Modulating early visual processing by
    language", NeurIPS 2017; Brock et al., "Large Scale GAN Training for
    High Fidelity Natural Image Synthesis", ICLR 2019.
    """

    def __init__(self, num_classes=None, momentum=0.9, epsilon=1e-4, spectral_norm=False, **kwargs):
        super().__init__(**kwargs)
        if num_classes is not None and (isinstance(num_classes, bool) or not isinstance(num_classes, int)
                                        or num_classes < 2):
            raise ValueError("num_classes must be an integer >= 2 (a label condition) or None (a vector "
                             f"condition). Received: num_classes={num_classes!r}")
        self.num_classes = num_classes
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.spectral_norm = bool(spectral_norm)
        self.normalization = batch_normalization(center=False, scale=False, momentum=self.momentum,
                                                 epsilon=self.epsilon)

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 or not isinstance(
                input_shape[0], (list, tuple)):
            raise ValueError("ConditionalBatchNormalization is called on [x, condition]. "
                             f"Received: input_shape={input_shape}")
        x_shape, condition_shape = (tuple(s) for s in input_shape)
        channels = x_shape[-1]
        self.normalization.build(x_shape)
        if self.num_classes is not None:
            if len(condition_shape) != 1:
                raise ValueError("With num_classes, the condition is a batch of integer labels, shape (batch,). "
                                 f"Received: condition shape={condition_shape}")
            self.gain = keras.layers.Embedding(self.num_classes, channels, embeddings_initializer="ones",
                                               name="gain")
            self.bias = keras.layers.Embedding(self.num_classes, channels, embeddings_initializer="zeros",
                                               name="bias")
        else:
            if len(condition_shape) != 2 or condition_shape[-1] is None:
                raise ValueError("With num_classes=None, the condition is a batch of vectors, shape "
                                 f"(batch, features). Received: condition shape={condition_shape}")
            # Zero projections start as plain batch norm; a spectrally normalised kernel
            # cannot start at zero (its norm is what it is divided by).
            initializer = "glorot_uniform" if self.spectral_norm else "zeros"
            self.gain, self.bias = (
                maybe_spectral(keras.layers.Dense(channels, use_bias=False, kernel_initializer=initializer,
                                                  name=name), self.spectral_norm)
                for name in ("gain", "bias"))
        self.gain.build(condition_shape)
        self.bias.build(condition_shape)

    def call(self, inputs, training=None):
        x, condition = inputs
        normalized = self.normalization(x, training=training)
        if self.num_classes is not None:
            condition = ops.cast(condition, "int32")
            gain, bias = self.gain(condition), self.bias(condition)
        else:
            gain = 1.0 + self.gain(condition, training=training)
            bias = self.bias(condition, training=training)
        shape = (-1,) + (1,) * (len(x.shape) - 2) + (x.shape[-1],)
        gain = ops.reshape(ops.cast(gain, normalized.dtype), shape)
        bias = ops.reshape(ops.cast(bias, normalized.dtype), shape)
        return normalized * gain + bias

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "momentum": self.momentum,
                "epsilon": self.epsilon, "spectral_norm": self.spectral_norm}
