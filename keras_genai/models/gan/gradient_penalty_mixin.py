import keras
import numpy as np

from keras_genai.layers.maximum_leaky_relu import MaximumLeakyReLU
from keras_genai.regularizers import GradientPenalty


class GradientPenaltyMixin:
    """The WGAN-GP training rule, for any `AdversarialModel` network pair.

    Mix in before the model class (`class WGANGP(GradientPenaltyMixin,
    DCGAN)`): the critic is trained with the Wasserstein loss plus a
    `keras_genai.regularizers.GradientPenalty` built from the arguments
    below (`gradient_penalty_weight * E[(||grad f(x_hat)|| - 1)^2]` on
    random interpolates of real and fake samples), 5 critic steps per
    generator step and Adam(1e-4, beta_1=0.5, beta_2=0.9) unless told
    otherwise.

    With `penalty_interval=k > 1` the penalty is lazy (Karras et al. 2020,
    "Analyzing and Improving the Image Quality of StyleGAN", sec. 4): it is
    computed only on every k-th critic update, with weight `k * lambda`, so
    that its average pull is unchanged while the other updates skip its
    double backward pass. The reported `gradient_penalty` is the mean of the
    term added to the critic loss over the step's critic updates (0 on the
    skipped ones), so its expectation matches the faithful rule's.

    Args:
        gradient_penalty_weight: float. Lambda. Defaults to `10.0`.
        penalty_interval: int. Apply the penalty on every k-th critic
            update. Defaults to `1`, the faithful WGAN-GP rule.
    """

    default_learning_rate = 1e-4

    def __init__(self, gradient_penalty_weight=10.0, penalty_interval=1, **kwargs):
        if gradient_penalty_weight < 0:
            raise ValueError(
                f"gradient_penalty_weight must be >= 0. Received: gradient_penalty_weight={gradient_penalty_weight}"
            )
        if isinstance(penalty_interval, bool) or not isinstance(penalty_interval, (int, np.integer)) \
                or penalty_interval < 1:
            raise ValueError(
                f"penalty_interval must be an integer >= 1 (1 applies the penalty on every critic "
                f"update). Received: penalty_interval={penalty_interval!r}"
            )
        # Read by default_regularizers() while the parent builds the networks.
        self.gradient_penalty_weight = gradient_penalty_weight
        self.penalty_interval = int(penalty_interval)
        kwargs.setdefault("adversarial_loss", "wasserstein")
        kwargs.setdefault("critic_steps", 5)
        super().__init__(**kwargs)

    def default_regularizers(self):
        return [GradientPenalty(self.gradient_penalty_weight, self.penalty_interval)]

    def build_optimizer(self, role, learning_rate):
        return keras.optimizers.Adam(learning_rate, beta_1=0.5, beta_2=0.9)

    def discriminator_activation(self):
        # The same function as LeakyReLU(0.2) with a cheaper double backward.
        return MaximumLeakyReLU(0.2)
