import keras

from keras_genai.distribute.replicas import batch_normalization
from keras_genai.layers import ProjectionDiscriminatorHead, ResidualDownBlock, ResidualUpBlock, SelfAttention2D
from keras_genai.models.gan.adversarial_model import AdversarialModel


def _spectral_dense(units, name=None):
    return keras.layers.SpectralNormalization(keras.layers.Dense(units), name=name)


@keras.saving.register_keras_serializable(package="keras_genai")
class SAGAN(AdversarialModel):
    """Self-Attention GAN on images in [-1, 1]: residual networks with self-attention.

    Generator: `z -> Dense -> reshape` to `height / 2**len(generator_widths)`,
    then one `ResidualUpBlock` per width (each doubles the resolution),
    `SelfAttention2D` after the block that reaches `generator_attention`,
    then `BN -> ReLU -> conv3x3 -> tanh`. Discriminator: one
    `ResidualDownBlock` per width (downsampling as `discriminator_downsamplings`
    says), `SelfAttention2D` after the block that reaches
    `discriminator_attention`, then ReLU, a sum over positions and a linear
    score (`ProjectionDiscriminatorHead`). Spectral normalisation on every
    layer of both networks, the hinge loss, and the two time-scale update
    rule (D 4e-4 / G 1e-4, Adam beta = (0, 0.9)) are the paper's defaults.
    Takes every argument of `AdversarialModel`, plus:

    Args:
        image_shape: tuple. `(height, width, channels)`; height and width
            divisible by `2 ** len(generator_widths)`.
            Defaults to `(28, 28, 1)`.
        generator_widths: tuple. Output channels of the generator's up
            blocks, lowest resolution first. Defaults to `(64, 32)`.
        discriminator_widths: tuple. Output channels of the discriminator's
            down blocks, highest resolution first. Defaults to `(32, 64, 64)`.
        discriminator_downsamplings: tuple of bool or None. Whether each
            down block halves the resolution; None downsamples in every
            block but the last. Defaults to `None`.
        generator_attention: int or None. Resolution (height) after whose
            up block the generator attends, or None for no attention.
            Defaults to `14`.
        discriminator_attention: int or None. The same for the
            discriminator. Defaults to `14`.
        pooled_attention: bool. Max-pool keys and values in the attention
            blocks (BigGAN). Defaults to `False`.

    Example:

    ```python
    gan = keras_genai.models.SAGAN()
    gan.compile()
    gan.fit(keras_genai.data.image_dataset("fashion_mnist", value_range=(-1, 1)), epochs=5)
    grid = gan.generate(64, seed=0)
    ```

    Reference: Zhang et al., "Self-Attention Generative Adversarial
    Networks", ICML 2019.
    """

    # Up blocks take [h, condition] with a condition of this kind (None: h alone).
    block_condition = None

    def __init__(self, image_shape=(28, 28, 1), generator_widths=(64, 32), discriminator_widths=(32, 64, 64),
                 discriminator_downsamplings=None, generator_attention=14, discriminator_attention=14,
                 pooled_attention=False, **kwargs):
        kwargs.setdefault("adversarial_loss", "hinge")
        super().__init__(**kwargs)
        image_shape = tuple(int(d) for d in image_shape)
        generator_widths = tuple(int(w) for w in generator_widths)
        discriminator_widths = tuple(int(w) for w in discriminator_widths)
        if not generator_widths or not discriminator_widths or min(generator_widths + discriminator_widths) < 1:
            raise ValueError("generator_widths and discriminator_widths must be non-empty positive integers. "
                             f"Received: generator_widths={generator_widths}, "
                             f"discriminator_widths={discriminator_widths}")
        factor = 2 ** len(generator_widths)
        if len(image_shape) != 3 or image_shape[0] % factor or image_shape[1] % factor:
            raise ValueError(
                f"image_shape must be (height, width, channels) with height and width divisible by {factor} "
                f"(2 ** len(generator_widths)). Received: image_shape={image_shape}, "
                f"generator_widths={generator_widths}")
        if discriminator_downsamplings is None:
            discriminator_downsamplings = (True,) * (len(discriminator_widths) - 1) + (False,)
        discriminator_downsamplings = tuple(bool(d) for d in discriminator_downsamplings)
        if len(discriminator_downsamplings) != len(discriminator_widths):
            raise ValueError("discriminator_downsamplings needs one entry per discriminator width. Received: "
                             f"discriminator_downsamplings={discriminator_downsamplings}, "
                             f"discriminator_widths={discriminator_widths}")
        height = image_shape[0]
        generator_resolutions = [height // factor * 2 ** (i + 1) for i in range(len(generator_widths))]
        discriminator_resolutions, size = [], height
        for down in discriminator_downsamplings:
            if down and size % 2:
                raise ValueError(f"The discriminator cannot halve a height of {size}. Received: image_shape="
                                 f"{image_shape}, discriminator_downsamplings={discriminator_downsamplings}")
            size = size // 2 if down else size
            discriminator_resolutions.append(size)
        for name, value, resolutions in (("generator_attention", generator_attention, generator_resolutions),
                                         ("discriminator_attention", discriminator_attention,
                                          discriminator_resolutions)):
            if value is not None and value not in resolutions:
                raise ValueError(f"{name} must be None or a resolution one of its blocks outputs, "
                                 f"{sorted(set(resolutions))}. Received: {name}={value!r}")
        self.image_shape = image_shape
        self.generator_widths = generator_widths
        self.discriminator_widths = discriminator_widths
        self.discriminator_downsamplings = discriminator_downsamplings
        self.generator_attention = generator_attention
        self.discriminator_attention = discriminator_attention
        self.pooled_attention = bool(pooled_attention)
        # === Layers ===
        self.generator = self.build_generator()
        self.discriminator = self.build_discriminator()
        self.finish_networks()

    # === Training rule (the paper's) ===

    @property
    def default_learning_rates(self):
        return {"discriminator": 4e-4, "generator": 1e-4}

    def build_optimizer(self, role, learning_rate):
        return keras.optimizers.Adam(learning_rate, beta_1=0.0, beta_2=0.9)

    # === Hooks for conditional variants ===

    def condition_inputs(self):
        return []

    def generator_input(self, z, conditions):
        """What the first Dense layer sees, and each up block's condition (None here)."""
        return z, [None] * len(self.generator_widths)

    def block_num_classes(self):
        return None

    def discriminator_head(self, features, conditions):
        return ProjectionDiscriminatorHead(name="logits")(features)

    # === Networks ===

    def attention(self, name):
        return SelfAttention2D(pooled=self.pooled_attention, name=name)

    def build_generator(self):
        height, width, channels = self.image_shape
        factor = 2 ** len(self.generator_widths)
        z = keras.Input((self.latent_dim,), name="z")
        conditions = self.condition_inputs()
        dense_input, block_conditions = self.generator_input(z, conditions)
        h = _spectral_dense((height // factor) * (width // factor) * self.generator_widths[0])(dense_input)
        h = keras.layers.Reshape((height // factor, width // factor, self.generator_widths[0]))(h)
        for filters, condition in zip(self.generator_widths, block_conditions):
            block = ResidualUpBlock(filters, condition=self.block_condition, num_classes=self.block_num_classes())
            h = block(h if condition is None else [h, condition])
            if h.shape[1] == self.generator_attention:
                h = self.attention("generator_attention")(h)
        h = keras.layers.ReLU()(batch_normalization(momentum=0.9, epsilon=1e-4)(h))
        h = keras.layers.SpectralNormalization(keras.layers.Conv2D(channels, 3, padding="same"))(h)
        image = keras.layers.Activation("tanh", dtype="float32")(h)
        return keras.Model([z] + conditions, image, name="generator")

    def build_discriminator(self):
        image = keras.Input(self.image_shape, name="sample")
        conditions = self.condition_inputs()
        h, attended = image, False
        for i, (filters, down) in enumerate(zip(self.discriminator_widths, self.discriminator_downsamplings)):
            h = ResidualDownBlock(filters, downsample=down, first=i == 0)(h)
            if h.shape[1] == self.discriminator_attention and not attended:
                h, attended = self.attention("discriminator_attention")(h), True
        # ReLU, then a sum over positions (not a mean: Miyato et al.'s ResNet discriminator).
        features = keras.ops.sum(keras.ops.relu(h), axis=(1, 2))
        return keras.Model([image] + conditions, self.discriminator_head(features, conditions),
                           name="discriminator")
