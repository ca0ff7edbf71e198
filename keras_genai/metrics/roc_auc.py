import numpy as np


def _average_ranks(values):
    """1-based ranks of `values`; tied values share the mean of their ranks."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    # Group j covers ranks (start_j, start_j + count_j]; its mean is start_j + (count_j + 1) / 2.
    starts = np.cumsum(counts) - counts
    return (starts + (counts + 1) / 2.0)[inverse.reshape(-1)]


def roc_auc(scores, labels):
    """Area under the ROC curve of `scores` for binary `labels`.

    The probability that a random positive (label 1) scores higher than a
    random negative (label 0), ties counting one half: the Mann-Whitney U
    statistic divided by `n_pos * n_neg`, with tied scores given the mean
    of their ranks. Exact, unlike the thresholded `keras.metrics.AUC`.

    Args:
        scores: array `(N,)` of floats; higher means "more positive"
            (e.g. an anomaly score with anomalies labelled 1).
        labels: array `(N,)` of 0/1 or bools, both classes present.

    Returns:
        float in [0, 1]; 0.5 is chance.

    Example:

    ```python
    roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])  # 0.75
    ```
    """
    scores = np.asarray(scores, np.float64)
    labels = np.asarray(labels)
    if scores.ndim != 1 or labels.shape != scores.shape:
        raise ValueError(
            "scores and labels must be 1-D arrays of the same length. "
            f"Received: scores with shape={scores.shape}, labels with shape={labels.shape}"
        )
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"scores must be finite. Received: {int(np.sum(~np.isfinite(scores)))} NaN or infinite scores")
    values = np.unique(labels)
    if not np.all(np.isin(values, [0, 1])):
        raise ValueError(f"labels must be binary, 0/1 or bool. Received: label values {values.tolist()}")
    positive = labels.astype(bool)
    num_pos = int(positive.sum())
    num_neg = len(positive) - num_pos
    if num_pos == 0 or num_neg == 0:
        raise ValueError(
            "AUROC needs both classes. Received: "
            f"{num_pos} positive and {num_neg} negative labels"
        )
    rank_sum = _average_ranks(scores)[positive].sum()
    return float((rank_sum - num_pos * (num_pos + 1) / 2.0) / (num_pos * num_neg))
