import keras
from keras import ops

from keras_genai.regularizers.regularizer import Regularizer


def _kernels(network, excluded):
    for variable in network.trainable_variables:
        if variable.path.split("/")[-1] == "kernel" and len(variable.shape) >= 2 and not any(
                part in variable.path for part in excluded):
            yield variable


@keras.saving.register_keras_serializable(package="keras_genai")
class OrthogonalRegularization(Regularizer):
    """BigGAN's orthogonal regularisation: `beta * sum_W ||W^T W * (1 - I)||_F^2`.

    Each kernel of the network is read as a matrix of shape
    `(fan_in, filters)` and only the off-diagonal Gram entries are penalised:
    the filters are pushed towards orthogonality without constraining their
    norms (Brock et al., sec. 3.1, the form that made truncation work). It
    joins the generator's loss (`network` names the model attribute).
    Kernels whose path contains a string of `excluded` are skipped (BigGAN
    leaves its shared class embedding out).

    Args:
        beta: float. The weight. Defaults to `1e-4` (BigGAN).
        interval: int. Lazy: every k-th update, weight x k. Defaults to `1`.
        network: str. The model attribute holding the network.
            Defaults to `"generator"`.
        excluded: tuple of str. Path fragments of kernels to leave out.
            Defaults to `("shared_embedding",)`.

    Reference: Brock et al., "Large Scale GAN Training for High Fidelity
    Natural Image Synthesis", ICLR 2019.
    """

    side = "generator"

    def __init__(self, beta=1e-4, interval=1, network="generator", excluded=("shared_embedding",), **kwargs):
        kwargs.setdefault("name", "orthogonal_regularization")
        kwargs.pop("weight", None)  # beta
        super().__init__(beta, interval, **kwargs)
        self.beta = float(beta)
        self.network = network
        self.excluded = tuple(excluded)

    def compute(self, model, step, training):
        total = ops.zeros((), "float32")
        for kernel in _kernels(getattr(model, self.network), self.excluded):
            w = ops.reshape(ops.cast(kernel, "float32"), (-1, kernel.shape[-1]))
            gram = ops.matmul(ops.transpose(w), w)
            off_diagonal = gram * (1.0 - ops.eye(kernel.shape[-1], dtype="float32"))
            total = total + ops.sum(ops.square(off_diagonal))
        return total

    def get_config(self):
        config = {**super().get_config(), "beta": self.beta, "network": self.network,
                  "excluded": list(self.excluded)}
        config.pop("weight")
        return config
