import numpy as np

from keras_genai.metrics.kid import _check_features


def _squared_distances(a, b):
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.maximum(squared, 0.0)


def _knn_radii(features, k, chunk):
    """Squared distance of each point to its k-th nearest other point."""
    radii = np.empty(len(features))
    for start in range(0, len(features), chunk):
        rows = _squared_distances(features[start:start + chunk], features)
        # Index k, not k - 1: each row's smallest entry is the point itself (0).
        radii[start:start + chunk] = np.partition(rows, k, axis=1)[:, k]
    return radii


def _coverage(queries, points, radii, chunk):
    """Fraction of queries inside at least one ball (points, radii)."""
    inside = 0
    for start in range(0, len(queries), chunk):
        rows = _squared_distances(queries[start:start + chunk], points)
        inside += int(np.any(rows <= radii[None, :], axis=1).sum())
    return inside / len(queries)


def precision_recall(real_features, generated_features, k=3, chunk_size=1000):
    """Improved precision and recall of k-NN feature manifolds.

    Each set's manifold is the union of balls around its points, of radius
    the distance to the point's k-th nearest neighbour in the same set.
    Precision is the fraction of generated samples inside the real
    manifold (sample quality); recall is the fraction of real samples
    inside the generated manifold (coverage). Use equal sample counts:
    radii shrink as N grows.

    Args:
        real_features, generated_features: `(N, D)` feature arrays, each
            with more than `k` samples.
        k: int. Neighbourhood size. Defaults to `3`, as in the paper.
        chunk_size: int. Rows of the distance matrix held at once.

    Returns:
        dict with `precision`, `recall` (in [0, 1]) and `k`.

    Reference: Kynkäänniemi et al., "Improved Precision and Recall Metric
    for Assessing Generative Models", NeurIPS 2019.
    """
    real, generated = _check_features(real_features, generated_features)
    if k < 1:
        raise ValueError(f"k must be a positive integer. Received: k={k}")
    if min(len(real), len(generated)) <= k:
        raise ValueError(
            f"k-NN radii with k={k} need at least {k + 1} samples per set. "
            f"Received: {len(real)} real and {len(generated)} generated"
        )
    real_radii = _knn_radii(real, k, chunk_size)
    generated_radii = _knn_radii(generated, k, chunk_size)
    return {
        "precision": _coverage(generated, real, real_radii, chunk_size),
        "recall": _coverage(real, generated, generated_radii, chunk_size),
        "k": int(k),
    }
