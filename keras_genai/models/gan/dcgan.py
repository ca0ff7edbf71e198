import keras

from keras_genai.distribute.replicas import batch_normalization
from keras_genai.models.gan.adversarial_model import AdversarialModel

NORMALIZATIONS = ("batch", "layer", "spectral", "none")


@keras.saving.register_keras_serializable(package="keras_genai")
class DCGAN(AdversarialModel):
    """Deep convolutional GAN on images in [-1, 1].

    Generator: `Dense -> BN -> ReLU -> reshape`, then stride-2 4x4
    `Conv2DTranspose -> BN -> ReLU` per width, ending in `tanh`. Transposed
    convolutions, not `UpSampling2D`, so that XLA can differentiate the
    graph (tf #60203). Discriminator: stride-2 4x4 convolutions with
    LeakyReLU(0.2) and the chosen normalisation (none on the first layer),
    then a linear output. Takes every argument of `AdversarialModel`, plus:

    Args:
        image_shape: tuple. `(height, width, channels)`; height and width
            divisible by `2 ** len(widths)`. Defaults to `(28, 28, 1)`.
        widths: tuple. Filters per resolution, highest resolution first.
            Defaults to `(64, 128)`.
        discriminator_normalization: str. `"batch"`, `"layer"` (needed with
            a gradient penalty), `"spectral"` or `"none"`.
            Defaults to `"batch"`.

    Example:

    ```python
    gan = keras_genai.models.DCGAN(latent_dim=64, ema_decay=0.999)
    gan.compile()
    gan.fit(keras_genai.data.image_dataset("fashion_mnist", value_range=(-1, 1)), epochs=5)
    grid = gan.generate(64, seed=0)
    ```

    Reference: Radford et al., "Unsupervised Representation Learning with
    Deep Convolutional GANs", ICLR 2016.
    """

    def __init__(self, image_shape=(28, 28, 1), widths=(64, 128), discriminator_normalization="batch",
                 **kwargs):
        super().__init__(**kwargs)
        image_shape = tuple(int(d) for d in image_shape)
        widths = tuple(int(w) for w in widths)
        factor = 2 ** len(widths)
        if len(image_shape) != 3 or image_shape[0] % factor or image_shape[1] % factor:
            raise ValueError(
                f"image_shape must be (height, width, channels) with height and width divisible "
                f"by {factor} (2 ** len(widths)). Received: image_shape={image_shape}, widths={widths}"
            )
        if not widths or min(widths) < 1:
            raise ValueError(f"widths must be positive integers. Received: widths={widths}")
        if discriminator_normalization not in NORMALIZATIONS:
            raise ValueError(
                f"discriminator_normalization must be one of {NORMALIZATIONS}. "
                f"Received: discriminator_normalization={discriminator_normalization!r}"
            )
        self.image_shape = image_shape
        self.widths = widths
        self.discriminator_normalization = discriminator_normalization
        # === Layers ===
        self.generator = self.build_generator()
        self.discriminator = self.build_discriminator()
        self.finish_networks()

    # === Hooks for conditional variants ===

    def condition_inputs(self):
        return []

    def with_condition(self, z, conditions):
        return z

    def discriminator_head(self, features, conditions):
        return keras.layers.Dense(1, dtype="float32", name="logits")(features)

    # === Networks ===

    def build_generator(self):
        height, width, channels = self.image_shape
        factor = 2 ** len(self.widths)
        z = keras.Input((self.latent_dim,), name="z")
        conditions = self.condition_inputs()
        h = keras.layers.Dense((height // factor) * (width // factor) * self.widths[-1], use_bias=False)(
            self.with_condition(z, conditions)
        )
        h = keras.layers.ReLU()(batch_normalization()(h))
        h = keras.layers.Reshape((height // factor, width // factor, self.widths[-1]))(h)
        for filters in reversed(self.widths[:-1]):
            h = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False)(h)
            h = keras.layers.ReLU()(batch_normalization()(h))
        h = keras.layers.Conv2DTranspose(channels, 4, strides=2, padding="same")(h)
        image = keras.layers.Activation("tanh", dtype="float32")(h)
        return keras.Model([z] + conditions, image, name="generator")

    def build_discriminator(self):
        image = keras.Input(self.image_shape, name="sample")
        conditions = self.condition_inputs()
        h = image
        for i, filters in enumerate(self.widths):
            conv = keras.layers.Conv2D(filters, 4, strides=2, padding="same")
            if self.discriminator_normalization == "spectral":
                conv = keras.layers.SpectralNormalization(conv)
            h = conv(h)
            if i > 0 and self.discriminator_normalization == "batch":
                h = batch_normalization()(h)
            elif i > 0 and self.discriminator_normalization == "layer":
                h = keras.layers.LayerNormalization(axis=[1, 2, 3])(h)
            h = self.discriminator_activation()(h)
        features = keras.layers.Flatten()(h)
        return keras.Model([image] + conditions, self.discriminator_head(features, conditions),
                           name="discriminator")
