import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="keras_genai")
class Regularizer(keras.layers.Layer):
    """A penalty term added to one role's loss in a `MultiNetworkModel` update.

    A composable piece: any multi-network model evaluates the regularizers
    of a role (`side`: `"discriminator"` or `"generator"`) inside that
    role's gradient tape, from a `step` dict of what the update computed
    (`real`, `fake`, `conditions`, `z`, as the training rule provides).
    The layer's name is its metric key. Subclasses implement
    `compute(model, step, training)`, the unweighted penalty.

    With `interval=k > 1` the penalty is lazy (Karras et al. 2020, "Analyzing
    and Improving the Image Quality of StyleGAN", sec. 4): it is applied
    only on every k-th update of the role's optimizer, with weight
    `k * weight`, so its average pull is unchanged while the other updates
    skip its cost. The schedule reads the optimizer's update count, which is
    saved with the optimizer, so a resumed run keeps it.

    Args:
        weight: float. Multiplier of the penalty, >= 0.
        interval: int. Apply on every k-th update. Defaults to `1`.
    """

    side = "discriminator"

    def __init__(self, weight, interval=1, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        if weight < 0:
            raise ValueError(f"{type(self).__name__} weight must be >= 0. Received: weight={weight}")
        if isinstance(interval, bool) or not isinstance(interval, (int, np.integer)) or interval < 1:
            raise ValueError(
                f"{type(self).__name__} interval must be an integer >= 1 (1 applies it on every "
                f"update). Received: interval={interval!r}"
            )
        self.weight = float(weight)
        self.interval = int(interval)
        self.built = True  # any state is created in __init__; there is no input to build on

    def compute(self, model, step, training):
        raise NotImplementedError(f"{type(self).__name__} must implement compute(model, step, training).")

    def penalty(self, model, step, training):
        """The weighted penalty for this update; the plain weighted value when not training."""
        if not training or self.interval == 1:
            return self.weight * self.compute(model, step, training)
        due = ops.equal(model.optimizer_of(self.side).iterations % self.interval, 0)
        return ops.cond(
            due,
            lambda: (self.interval * self.weight) * self.compute(model, step, training),
            lambda: ops.zeros((), "float32"),
        )

    def get_config(self):
        return {**super().get_config(), "weight": self.weight, "interval": self.interval}
