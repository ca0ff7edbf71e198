import keras
from keras import ops

from keras_genai.layers._spectral import maybe_spectral


@keras.saving.register_keras_serializable(package="keras_genai")
class ProjectionDiscriminatorHead(keras.layers.Layer):
    """The projection discriminator's output: `psi(phi) + embed(y) . phi`.

    Called on pooled features `phi` (batch, features), or on `[phi, y]`
    with integer labels when `num_classes` is given: a linear score of the
    features plus the inner product of a learned class embedding with them
    (Miyato & Koyama), which scores how well the image matches its class
    rather than concatenating the label to the input. The class embedding
    is a bias-free `Dense` on the one-hot label, the same map as
    `Embedding`, because Keras' `SpectralNormalization` wrapping an
    `Embedding` casts its output to the integer input dtype. Output
    float32 logits of shape (batch, 1).

    Args:
        num_classes: int or None. Classes of the label input, or None for
            the unconditional linear head. Defaults to `None`.
        spectral_norm: bool. Spectrally normalise the linear map and the
            embedding (BigGAN, SAGAN). Defaults to `True`.

    Example:

    >>> head = ProjectionDiscriminatorHead(num_classes=10)
    >>> head([np.random.rand(4, 32).astype("float32"), np.array([0, 1, 2, 3])]).shape
    (4, 1)

    Reference: Miyato & Koyama, "cGANs with Projection Discriminator",
    ICLR 2018.
    """

    def __init__(self, num_classes=None, spectral_norm=True, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        if num_classes is not None and (isinstance(num_classes, bool) or not isinstance(num_classes, int)
                                        or num_classes < 2):
            raise ValueError("num_classes must be an integer >= 2 or None (unconditional). "
                             f"Received: num_classes={num_classes!r}")
        self.num_classes = num_classes
        self.spectral_norm = bool(spectral_norm)

    def build(self, input_shape):
        paired = isinstance(input_shape, (list, tuple)) and len(input_shape) == 2 and isinstance(
            input_shape[0], (list, tuple))
        features_shape = tuple(input_shape[0] if paired else input_shape)
        if len(features_shape) != 2 or bool(self.num_classes) != paired or (paired and len(input_shape[1]) != 1):
            expected = "[features (batch, features), labels (batch,)]" if self.num_classes else \
                "features of shape (batch, features)"
            raise ValueError(f"ProjectionDiscriminatorHead is called on {expected}. "
                             f"Received: input_shape={input_shape}")
        self.linear = maybe_spectral(keras.layers.Dense(1, dtype=self.dtype_policy), self.spectral_norm)
        self.linear.build(features_shape)
        if self.num_classes:
            self.embedding = maybe_spectral(
                keras.layers.Dense(features_shape[-1], use_bias=False, dtype=self.dtype_policy),
                self.spectral_norm)
            self.embedding.build((None, self.num_classes))

    def call(self, inputs, training=None):
        features = inputs[0] if self.num_classes else inputs
        features = ops.cast(features, self.compute_dtype)
        logits = self.linear(features, training=training)
        if self.num_classes:
            one_hot = ops.one_hot(ops.cast(inputs[1], "int32"), self.num_classes, dtype=self.compute_dtype)
            embedded = self.embedding(one_hot, training=training)
            logits = logits + ops.sum(embedded * features, axis=-1, keepdims=True)
        return logits

    def compute_output_shape(self, input_shape):
        return (tuple(input_shape[0] if self.num_classes else input_shape)[0], 1)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "spectral_norm": self.spectral_norm}
