"""Base of the next-token samplers."""

import keras
from keras import ops


class Sampler:
    """Picks next tokens from logits `(batch, vocabulary_size)`.

    Subclasses implement `select(logits)` on float32 logits already divided
    by `temperature`; random ones draw with `self.seed_generator`, so a
    sampler built with the same `seed` repeats its draws.

    Args:
        temperature: float > 0. Logits are divided by it; below 1 sharpens,
            above 1 flattens the distribution. Defaults to `1.0`.
        seed: int or None. Seed of the sampler's `keras.random.SeedGenerator`.
    """

    def __init__(self, temperature=1.0, seed=None):
        if not (isinstance(temperature, (int, float)) and temperature > 0):
            raise ValueError(
                "temperature must be a number > 0 (use GreedySampler for argmax decoding). "
                f"Received: temperature={temperature!r}"
            )
        self.temperature = float(temperature)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def __call__(self, logits):
        """int32 token ids `(batch,)` for logits `(batch, vocabulary_size)`."""
        logits = ops.convert_to_tensor(logits)
        if len(logits.shape) != 2:
            raise ValueError(
                "Samplers take logits of shape (batch, vocabulary_size). "
                f"Received: logits with shape={tuple(logits.shape)}"
            )
        logits = ops.cast(logits, "float32") / self.temperature
        return ops.cast(self.select(logits), "int32")

    def select(self, logits):
        raise NotImplementedError

    def draw(self, logits):
        """One categorical draw per row; `-inf` logits are never drawn."""
        return keras.random.categorical(logits, 1, seed=self.seed_generator)[:, 0]

    def get_config(self):
        return {"temperature": self.temperature, "seed": self.seed}
