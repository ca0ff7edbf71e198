import keras

from keras_genai.losses import r1_penalty
from keras_genai.regularizers.regularizer import Regularizer


@keras.saving.register_keras_serializable(package="keras_genai")
class R1Penalty(Regularizer):
    """R1: `gamma / 2 * E[||grad_x D(x)||^2]` on real samples only.

    StyleGAN2 applies it lazily, every 16 discriminator updates
    (`interval=16`).

    Args:
        gamma: float. The paper's gamma; the weight is `gamma / 2`.
            Defaults to `10.0`.
        interval: int. Lazy: every k-th discriminator update, weight x k.
            Defaults to `1`.
        network: str. The model attribute holding the discriminator.
            Defaults to `"discriminator"`.

    Reference: Mescheder et al., "Which Training Methods for GANs do
    actually Converge?", ICML 2018.
    """

    def __init__(self, gamma=10.0, interval=1, network="discriminator", **kwargs):
        kwargs.setdefault("name", "r1_penalty")
        kwargs.pop("weight", None)  # derived from gamma
        if gamma < 0:
            raise ValueError(f"R1Penalty gamma must be >= 0. Received: gamma={gamma}")
        super().__init__(0.5 * gamma, interval, **kwargs)
        self.gamma = float(gamma)
        self.network = network

    def compute(self, model, step, training):
        return r1_penalty(getattr(model, self.network), step["real"], step["conditions"])

    def get_config(self):
        config = {**super().get_config(), "gamma": self.gamma, "network": self.network}
        config.pop("weight")
        return config
