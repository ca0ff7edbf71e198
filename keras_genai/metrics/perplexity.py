import math

import numpy as np


def _mean_cross_entropy(cross_entropy):
    values = np.asarray(cross_entropy, np.float64)
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(
            "cross_entropy must be finite, non-negative nats (a mean, or one value per token). "
            f"Received: cross_entropy={cross_entropy!r}"
        )
    return float(values.mean())


def perplexity(cross_entropy):
    """Perplexity `exp(mean cross-entropy)` of a language model.

    Args:
        cross_entropy: float or array. Mean cross-entropy per token in nats
            (as `keras.losses.SparseCategoricalCrossentropy` gives it), or
            one value per token, which are averaged first.
    """
    return math.exp(_mean_cross_entropy(cross_entropy))


def bits_per_character(cross_entropy):
    """Mean cross-entropy per character, in nats, converted to bits.

    Takes the same input as `perplexity`; for a character-level model the
    two are related by `perplexity = 2 ** bits_per_character`.
    """
    return _mean_cross_entropy(cross_entropy) / math.log(2.0)
