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


def _mutual_coverage(real, generated, real_radii, generated_radii, chunk):
    """Generated points inside the real balls, and real points inside the generated ones."""
    generated_inside = 0
    real_inside = np.zeros(len(real), bool)
    # One pass over the cross distances serves both directions.
    for start in range(0, len(generated), chunk):
        rows = _squared_distances(generated[start:start + chunk], real)
        generated_inside += int(np.any(rows <= real_radii[None, :], axis=1).sum())
        real_inside |= np.any(rows <= generated_radii[start:start + chunk, None], axis=0)
    return generated_inside / len(generated), float(real_inside.mean())


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
    precision, recall = _mutual_coverage(real, generated, real_radii, generated_radii, chunk_size)
    return {"precision": precision, "recall": recall, "k": int(k)}
