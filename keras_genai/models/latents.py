"""Latent codes drawn for sampling: the standard normal, and its truncation."""

import numpy as np


def check_truncation(truncation):
    """`truncation` as a float > 0 (or None), else a ValueError naming it."""
    if truncation is None:
        return None
    if isinstance(truncation, bool) or not isinstance(truncation, (int, float, np.number)) or not truncation > 0:
        raise ValueError(
            "truncation is the largest |z| kept, a number > 0 (e.g. 0.5; smaller trades variety for "
            f"fidelity). Received: truncation={truncation!r}"
        )
    return float(truncation)


def standard_normal_codes(num_samples, latent_dim, seed=0, truncation=None):
    """`(num_samples, latent_dim)` float32 codes from N(0, I), seeded by `seed`.

    With `truncation`, every entry with |z| above it is drawn again until none
    is (the truncation trick of Brock et al. 2019, BigGAN): a normal truncated
    to [-truncation, truncation], not a clipped one, so no mass piles up at
    the bounds.
    """
    truncation = check_truncation(truncation)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((num_samples, latent_dim))
    if truncation is not None:
        outside = np.abs(z) > truncation
        while outside.any():
            z[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(z) > truncation
    return z.astype("float32")
