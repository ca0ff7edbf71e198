import keras

from keras_genai.models.gan.conditional_sagan import ConditionalSAGAN
from keras_genai.regularizers import OrthogonalRegularization


@keras.saving.register_keras_serializable(package="keras_genai")
class BigGAN(ConditionalSAGAN):
    """BigGAN: the class-conditional SAGAN with BigGAN's generator conditioning and training rules.

    A shared class embedding (`shared_embedding_dim`) and hierarchical z: z
    is split into `len(generator_widths) + 1` equal chunks, the first feeds
    the generator's first linear layer and each up block's conditional batch
    norms see `[shared embedding, its own chunk]` through spectrally
    normalised linear projections (`ConditionalBatchNormalization` with a
    vector condition). The discriminator is SAGAN's projection
    discriminator. Defaults from the paper: pooled self-attention, hinge
    loss, Adam (0, 0.999) with D 2e-4 / G 5e-5, two D steps per G step, an
    EMA of G with decay 0.9999, and orthogonal regularisation of G
    (beta = 1e-4; `orthogonal_beta=0` drops it). Sample with `generate(..., truncation=T)` for the truncation trick.
    Takes every argument of `ConditionalSAGAN`, plus:

    Args:
        shared_embedding_dim: int. Size of the shared class embedding.
            Defaults to `128`.
        orthogonal_beta: float. Weight of the orthogonal regularisation of
            G, or 0 for none. Defaults to `1e-4`.

    Example:

    ```python
    gan = keras_genai.models.BigGAN(num_classes=10, latent_dim=60)
    gan.compile()
    gan.fit(keras_genai.data.image_dataset("fashion_mnist", value_range=(-1, 1), with_labels=True))
    sneakers = gan.generate(16, labels=7, truncation=1.0)
    ```

    Reference: Brock et al., "Large Scale GAN Training for High Fidelity
    Natural Image Synthesis", ICLR 2019.
    """

    block_condition = "vector"

    def __init__(self, shared_embedding_dim=128, orthogonal_beta=1e-4, **kwargs):
        if isinstance(shared_embedding_dim, bool) or not isinstance(shared_embedding_dim, int) \
                or shared_embedding_dim < 1:
            raise ValueError("shared_embedding_dim must be an integer >= 1. "
                             f"Received: shared_embedding_dim={shared_embedding_dim!r}")
        if orthogonal_beta < 0:
            raise ValueError(f"orthogonal_beta must be >= 0. Received: orthogonal_beta={orthogonal_beta}")
        chunks = len(kwargs.get("generator_widths", (64, 32))) + 1
        latent_dim = kwargs.setdefault("latent_dim", 20 * chunks)
        if latent_dim % chunks:
            raise ValueError(
                f"BigGAN splits z into one chunk per up block plus one ({chunks}): latent_dim must be "
                f"divisible by {chunks}. Received: latent_dim={latent_dim}, generator_widths="
                f"{tuple(kwargs.get('generator_widths', (64, 32)))}")
        self.shared_embedding_dim = shared_embedding_dim
        self.orthogonal_beta = float(orthogonal_beta)
        kwargs.setdefault("pooled_attention", True)
        kwargs.setdefault("critic_steps", 2)
        kwargs.setdefault("ema_decay", 0.9999)
        super().__init__(**kwargs)

    # === Training rule (the paper's) ===

    @property
    def default_learning_rates(self):
        return {"discriminator": 2e-4, "generator": 5e-5}

    def build_optimizer(self, role, learning_rate):
        return keras.optimizers.Adam(learning_rate, beta_1=0.0, beta_2=0.999)

    def default_regularizers(self):
        return [OrthogonalRegularization(self.orthogonal_beta)] if self.orthogonal_beta else []

    # === Conditioning ===

    def generator_input(self, z, conditions):
        shared = keras.layers.Embedding(self.num_classes, self.shared_embedding_dim,
                                        name="shared_embedding")(conditions[0])
        chunks = keras.ops.split(z, len(self.generator_widths) + 1, axis=-1)
        return chunks[0], [keras.layers.Concatenate()([shared, chunk]) for chunk in chunks[1:]]

    def block_num_classes(self):
        return None
