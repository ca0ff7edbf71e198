import keras
from keras import ops

from keras_genai.models.autoencoder.autoencoder import Autoencoder

SPARSITY_KINDS = ("l1", "kl")


@keras.saving.register_keras_serializable(package="keras_genai")
class SparseAutoencoder(Autoencoder):
    """Autoencoder with a sparsity penalty on its code.

    `"l1"` puts an L1 penalty on a ReLU code (mean over the batch of the
    summed absolute activations). `"kl"` uses a sigmoid code and penalises
    `sum_j KL(rho || rho_hat_j)`, where `rho_hat_j` is unit j's mean
    activation over the batch and `rho` the `target_sparsity`. The metric
    `mean_activation` reports the mean code activation. Takes every argument
    of `Autoencoder`, plus:

    Args:
        sparsity: str. `"l1"` or `"kl"`. Defaults to `"kl"`.
        sparsity_weight: float. Weight of the penalty. Defaults to `0.1`.
        target_sparsity: float. `rho` for `"kl"`, in (0, 1).
            Defaults to `0.05`.

    Example:

    ```python
    model = keras_genai.models.SparseAutoencoder(latent_dim=128, sparsity="kl")
    ```

    Reference: Ng, "Sparse autoencoder", CS294A lecture notes, 2011.
    """

    tracker_names = Autoencoder.tracker_names + ("sparsity_loss", "mean_activation")

    def __init__(self, sparsity="kl", sparsity_weight=0.1, target_sparsity=0.05, **kwargs):
        if sparsity not in SPARSITY_KINDS:
            raise ValueError(
                f"sparsity must be one of {SPARSITY_KINDS}. Received: sparsity={sparsity!r}"
            )
        if sparsity_weight < 0:
            raise ValueError(
                f"sparsity_weight must be >= 0. Received: sparsity_weight={sparsity_weight}"
            )
        if not 0 < target_sparsity < 1:
            raise ValueError(
                f"target_sparsity must be in (0, 1). Received: target_sparsity={target_sparsity}"
            )
        kwargs.setdefault("latent_activation", "sigmoid" if sparsity == "kl" else "relu")
        super().__init__(**kwargs)
        self.sparsity = sparsity
        self.sparsity_weight = sparsity_weight
        self.target_sparsity = target_sparsity

    def latent_penalty(self, code):
        code = ops.cast(code, "float32")
        if self.sparsity == "l1":
            penalty = ops.mean(ops.sum(ops.abs(code), axis=-1))
        else:
            rho = self.target_sparsity
            rho_hat = ops.clip(ops.mean(code, axis=0), 1e-6, 1 - 1e-6)
            penalty = ops.sum(
                rho * ops.log(rho / rho_hat) + (1 - rho) * ops.log((1 - rho) / (1 - rho_hat))
            )
        return {
            "sparsity_loss": self.sparsity_weight * penalty,
            "mean_activation": ops.mean(code),
        }
