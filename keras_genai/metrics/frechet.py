"""Fréchet distance between Gaussian fits of two feature sets."""

import numpy as np


def feature_statistics(features, min_samples=2):
    """Mean and covariance (float64) of `(N, D)` features; needs N >= `min_samples`."""
    features = np.asarray(features, np.float64)
    if features.ndim != 2:
        raise ValueError(f"features must be (num_samples, dim). Received: shape={features.shape}")
    if len(features) < max(min_samples, 2):
        raise ValueError(
            f"A covariance needs at least {max(min_samples, 2)} samples (and more than the feature "
            f"size, {features.shape[1]}, for a full-rank estimate). Received: {len(features)}"
        )
    return features.mean(axis=0), np.cov(features, rowvar=False)


def _sqrt_psd(matrix):
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(mean1, cov1, mean2, cov2):
    """||m1 - m2||^2 + Tr(C1 + C2 - 2 (C1^1/2 C2 C1^1/2)^1/2).

    The cross term uses symmetric eigendecompositions instead of a general
    `sqrtm`, so it stays real and stable for singular covariances.
    """
    mean1, mean2 = np.asarray(mean1, np.float64), np.asarray(mean2, np.float64)
    cov1, cov2 = np.asarray(cov1, np.float64), np.asarray(cov2, np.float64)
    if mean1.shape != mean2.shape or cov1.shape != cov2.shape:
        raise ValueError(
            f"Statistics differ in size: means {mean1.shape} vs {mean2.shape}, "
            f"covariances {cov1.shape} vs {cov2.shape}."
        )
    root1 = _sqrt_psd(cov1)
    cross = np.linalg.eigvalsh(root1 @ cov2 @ root1)
    trace_cross = np.sum(np.sqrt(np.clip(cross, 0, None)))
    distance = np.sum((mean1 - mean2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2 * trace_cross
    return float(max(distance, 0.0))


def features_frechet_distance(features1, features2):
    return frechet_distance(*feature_statistics(features1), *feature_statistics(features2))


def fid(real_features, generated_features):
    """Fréchet Inception Distance between two `(N, D)` feature sets.

    Both sets need more samples than feature dimensions (2049 for the
    2048-d Inception features), otherwise the covariance estimates are
    rank-deficient and the distance is meaningless; published FIDs use
    10,000 or 50,000 samples, and FID falls as N grows, so compare values
    only at equal N. Features come from `inception_features`.

    Reference: Heusel et al., "GANs Trained by a Two Time-Scale Update
    Rule Converge to a Local Nash Equilibrium", NeurIPS 2017.
    """
    for name, features in (("real_features", real_features), ("generated_features", generated_features)):
        shape = np.shape(features)
        if len(shape) == 2 and shape[0] <= shape[1]:
            raise ValueError(
                f"FID needs more samples than feature dimensions for a full-rank covariance: at "
                f"least {shape[1] + 1} for {shape[1]}-d features (10000 is the standard). "
                f"Received: {name} with {shape[0]} samples"
            )
    return features_frechet_distance(real_features, generated_features)
