import keras
from keras import ops

from keras_genai.models.gan.dcgan import DCGAN


@keras.saving.register_keras_serializable(package="keras_genai")
class WGAN(DCGAN):
    """Wasserstein GAN with weight clipping, as in the paper.

    A DCGAN whose discriminator is a critic with a linear output, trained
    with the Wasserstein loss for `critic_steps` (default 5) updates per
    generator update; after each critic update every critic weight is
    clipped to `[-clip_value, clip_value]`. Default optimizers are RMSprop
    with learning rate 5e-5, as in the paper. Takes every argument of
    `DCGAN`, plus:

    Args:
        clip_value: float. Bound of the critic's weights. Defaults to `0.01`.

    Example:

    ```python
    wgan = keras_genai.models.WGAN()
    wgan.compile()  # RMSprop(5e-5) for both networks
    ```

    Reference: Arjovsky, Chintala & Bottou, "Wasserstein GAN", ICML 2017.
    """

    default_learning_rate = 5e-5

    def __init__(self, clip_value=0.01, **kwargs):
        if not clip_value > 0:
            raise ValueError(f"clip_value must be > 0. Received: clip_value={clip_value}")
        kwargs.setdefault("adversarial_loss", "wasserstein")
        kwargs.setdefault("critic_steps", 5)
        super().__init__(**kwargs)
        self.clip_value = clip_value

    def build_optimizer(self, role, learning_rate):
        return keras.optimizers.RMSprop(learning_rate)

    def after_discriminator_step(self):
        for weight in self.discriminator.trainable_weights:
            weight.assign(ops.clip(weight, -self.clip_value, self.clip_value))
