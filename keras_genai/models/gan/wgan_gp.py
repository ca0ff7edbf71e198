import keras

from keras_genai.models.gan.dcgan import DCGAN
from keras_genai.models.gan.gradient_penalty_mixin import GradientPenaltyMixin


@keras.saving.register_keras_serializable(package="keras_genai")
class WGANGP(GradientPenaltyMixin, DCGAN):
    """Wasserstein GAN with a gradient penalty, on DCGAN networks.

    The critic loss is the Wasserstein loss plus
    `gradient_penalty_weight * E[(||grad f(x_hat)|| - 1)^2]` on random
    interpolates of real and fake images (one uniform weight per image),
    via the `regularizer` hook of `GradientPenaltyMixin`. The critic uses
    layer normalisation by default, since batch norm breaks the
    per-example penalty. Default optimizers: Adam(1e-4, beta_1=0.5,
    beta_2=0.9). Takes every argument of `DCGAN`, plus:

    Args:
        gradient_penalty_weight: float. Lambda. Defaults to `10.0`.
        penalty_interval: int. Apply the penalty on every k-th critic update
            only, with weight `k * lambda` (lazy regularisation, Karras et
            al. 2020); fewer double backward passes. Defaults to `1`, the
            faithful rule.

    Example:

    ```python
    wgan_gp = keras_genai.models.WGANGP(critic_steps=5)
    wgan_gp.compile()
    ```

    Reference: Gulrajani et al., "Improved Training of Wasserstein GANs",
    NeurIPS 2017.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("discriminator_normalization", "layer")
        super().__init__(**kwargs)
