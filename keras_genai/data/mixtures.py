"""2-D Gaussian mixtures: the standard test bed for GAN mode coverage."""

import numpy as np


def ring_centers(num_modes=8, radius=2.0):
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1).astype("float32")


def grid_centers(side=5, spacing=2.0):
    ticks = (np.arange(side) - (side - 1) / 2) * spacing
    return np.array([(x, y) for x in ticks for y in ticks], dtype="float32")


def sample_mixture(centers, num_samples, std, seed=0):
    """`num_samples` points from an equal-weight mixture of isotropic Gaussians."""
    if std <= 0:
        raise ValueError(f"std must be > 0. Received: std={std}")
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(centers), size=num_samples)
    return (centers[which] + std * rng.standard_normal((num_samples, 2))).astype("float32")


# The usual settings (VEEGAN, PacGAN): ring of 8 with std 0.02 at radius 2,
# 5x5 grid with std 0.05 and spacing 2.
MIXTURES = {
    "ring8": {"centers": ring_centers(8, 2.0), "std": 0.02},
    "grid25": {"centers": grid_centers(5, 2.0), "std": 0.05},
}


def mixture(name, num_samples=50_000, seed=0):
    """`(points, centers, std)` of a named mixture: `"ring8"` or `"grid25"`."""
    if name not in MIXTURES:
        raise ValueError(f"Unknown mixture {name!r}. Expected one of {sorted(MIXTURES)}.")
    spec = MIXTURES[name]
    return sample_mixture(spec["centers"], num_samples, spec["std"], seed), spec["centers"], spec["std"]
