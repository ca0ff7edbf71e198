import keras

from keras_genai.losses import gradient_penalty
from keras_genai.models.gan.adversarial_model import AdversarialModel


class GradientPenaltyMixin:
    """The WGAN-GP training rule, for any `AdversarialModel` network pair.

    Mix in before the model class (`class WGANGP(GradientPenaltyMixin,
    DCGAN)`): the critic is trained with the Wasserstein loss plus
    `gradient_penalty_weight * E[(||grad f(x_hat)|| - 1)^2]` on random
    interpolates of real and fake samples, 5 critic steps per generator
    step and Adam(1e-4, beta_1=0.5, beta_2=0.9) unless told otherwise.

    Args:
        gradient_penalty_weight: float. Lambda. Defaults to `10.0`.
    """

    tracker_names = AdversarialModel.tracker_names + ("gradient_penalty",)
    default_learning_rate = 1e-4

    def __init__(self, gradient_penalty_weight=10.0, **kwargs):
        if gradient_penalty_weight < 0:
            raise ValueError(
                f"gradient_penalty_weight must be >= 0. Received: gradient_penalty_weight={gradient_penalty_weight}"
            )
        kwargs.setdefault("adversarial_loss", "wasserstein")
        kwargs.setdefault("critic_steps", 5)
        super().__init__(**kwargs)
        self.gradient_penalty_weight = gradient_penalty_weight

    def default_optimizers(self, learning_rate=None):
        lr = learning_rate or self.default_learning_rate
        return {
            "d_optimizer": keras.optimizers.Adam(lr, beta_1=0.5, beta_2=0.9),
            "g_optimizer": keras.optimizers.Adam(lr, beta_1=0.5, beta_2=0.9),
        }

    def regularizer(self, real, fake, conditions):
        penalty = gradient_penalty(self.discriminator, real, fake, self.seed_generator, conditions)
        return {"gradient_penalty": self.gradient_penalty_weight * penalty}
