import keras

from keras_genai.losses import gradient_penalty
from keras_genai.regularizers.regularizer import Regularizer


@keras.saving.register_keras_serializable(package="keras_genai")
class GradientPenalty(Regularizer):
    """WGAN-GP's interpolated gradient penalty on the discriminator.

    `weight * E[(||grad f(x_hat)|| - target)^2]` on random interpolates of
    the step's real and fake samples (`keras_genai.losses.gradient_penalty`).

    Args:
        weight: float. Lambda. Defaults to `10.0`.
        interval: int. Lazy: every k-th discriminator update, weight x k.
            Defaults to `1`.
        target: float. The gradient norm it pulls towards. Defaults to `1.0`.
        network: str. The model attribute holding the critic.
            Defaults to `"discriminator"`.

    Example:

    ```python
    gan = keras_genai.models.DCGAN(adversarial_loss="wasserstein", discriminator_normalization="layer",
                                   regularizers=[keras_genai.regularizers.GradientPenalty(10.0)])
    ```

    Reference: Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017.
    """

    def __init__(self, weight=10.0, interval=1, target=1.0, network="discriminator", **kwargs):
        kwargs.setdefault("name", "gradient_penalty")
        super().__init__(weight, interval, **kwargs)
        self.target = float(target)
        self.network = network

    def compute(self, model, step, training):
        return gradient_penalty(getattr(model, self.network), step["real"], step["fake"], model.seed_generator,
                                step["conditions"], target=self.target)

    def get_config(self):
        return {**super().get_config(), "target": self.target, "network": self.network}
