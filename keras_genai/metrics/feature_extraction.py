"""Streams images (arrays, tf.data, generator models) through a feature network."""

import json
import os
import re

import keras
import numpy as np

from keras_genai.data import check_image_array, load_image_arrays
from keras_genai.metrics.inception_weights import CACHE_NAME, keras_genai_cache_dir

STATS_VERSION = 1
_INCEPTION_MODELS = {}


def inception_model(image_shape):
    """The FID `InceptionV3FID` for one input shape, built once per process."""
    from keras_genai.metrics.inception import InceptionV3FID

    image_shape = tuple(int(d) for d in image_shape)
    if image_shape not in _INCEPTION_MODELS:
        _INCEPTION_MODELS[image_shape] = InceptionV3FID(image_shape=image_shape)
    return _INCEPTION_MODELS[image_shape]


def _check_batch(images, what):
    images = check_image_array(images, name=what)
    if images.shape[-1] not in (1, 3):
        raise ValueError(
            f"{what} must be gray (1 channel) or RGB (3 channels) for Inception features. "
            f"Received: shape={images.shape}"
        )
    return images.astype(np.float32)


def _generated_batches(model, num_samples, batch_size, seed):
    if num_samples is None:
        raise ValueError("Features of a generator model need num_samples. Received: num_samples=None")
    for index, start in enumerate(range(0, num_samples, batch_size)):
        count = min(batch_size, num_samples - start)
        labels = None
        if getattr(model, "needs_labels", False):
            # Classes in equal shares, as the real test splits have them.
            labels = (np.arange(start, start + count) % model.num_classes).astype(np.int32)
        images = model.generate(count, labels=labels, seed=seed + index)
        yield model.to_display(images)  # [0, 1] whatever the model's value_range


def _dataset_batches(dataset, batch_size):
    spec = dataset.element_spec
    if isinstance(spec, tuple):
        dataset, spec = dataset.map(lambda images, *rest: images), spec[0]
    if spec.shape.rank == 3:  # unbatched images
        dataset = dataset.batch(batch_size)
    for images in dataset.as_numpy_iterator():
        if images.dtype != np.uint8 and images.size and images.min() < 0:
            raise ValueError(
                "Dataset images must be uint8 in [0, 255] or float in [0, 1]; build it with "
                "value_range=(0, 1). Received values down to "
                f"{float(images.min()):g}"
            )
        yield images


def _batches(source, num_samples, batch_size, seed):
    if hasattr(source, "generate"):
        return _generated_batches(source, num_samples, batch_size, seed), num_samples
    if hasattr(source, "element_spec"):
        return _dataset_batches(source, batch_size), num_samples
    images = np.asarray(source)
    if images.ndim not in (3, 4):
        raise ValueError(
            "images must be an array (N, H, W) or (N, H, W, C), a tf.data.Dataset or a model "
            f"with `generate`. Received: {type(source).__name__} of shape {images.shape}"
        )
    total = len(images) if num_samples is None else min(num_samples, len(images))
    if num_samples is not None and num_samples > len(images):
        raise ValueError(f"Asked for {num_samples} samples but the array holds {len(images)}.")
    return (images[i:i + batch_size] for i in range(0, total, batch_size)), total


def inception_features(source, num_samples=None, batch_size=50, feature_model=None, seed=0, verbose=1):
    """Features of images, streamed in batches with a progress bar.

    Args:
        source: images as a numpy array `(N, H, W)` / `(N, H, W, C)`, uint8
            in [0, 255] or float in [0, 1]; a `tf.data.Dataset` of such
            images (batched or not, optionally `(images, labels)`); or a
            generative model with `generate` (e.g. `DCGAN`, `VAE`), whose
            samples are mapped to [0, 1] with `model.to_display`.
            Conditional models get classes in equal shares.
        num_samples: int or None. How many images to use; None takes all
            of an array or dataset. Required for a generator model.
        batch_size: int. Defaults to `50`.
        feature_model: a Keras model mapping float pixels in [0, 255] to
            `(batch, dim)` features, or None for the FID `InceptionV3FID`.
        seed: int. Noise seed of the first generated batch (batch `i` uses
            `seed + i`). Defaults to `0`.
        verbose: 0 or 1, the `keras.utils.Progbar`.

    Returns:
        float32 array `(num_images, dim)`.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive. Received: batch_size={batch_size}")
    if num_samples is not None and num_samples < 1:
        raise ValueError(f"num_samples must be positive. Received: num_samples={num_samples}")
    batches, total = _batches(source, num_samples, batch_size, seed)
    progress = keras.utils.Progbar(total, verbose=verbose, unit_name="image")
    features, count = [], 0
    for images in batches:
        if num_samples is not None:
            images = images[: num_samples - count]
        images = _check_batch(images, "images")
        model = feature_model if feature_model is not None else inception_model(images.shape[1:])
        features.append(np.asarray(model.predict_on_batch(images), np.float32))
        count += len(images)
        progress.update(count)
        if num_samples is not None and count >= num_samples:
            break
    if not features:
        raise ValueError("No images to compute features of; the source is empty.")
    if num_samples is not None and count < num_samples:
        raise ValueError(f"Asked for {num_samples} samples but the source gave only {count}.")
    return np.concatenate(features)


def reference_cache_path(dataset, split, num_samples, cache_dir=None):
    """`~/.keras/keras_genai/fid_stats/<dataset>_<split>_<num_samples>.npz`."""
    key = re.sub(r"[^A-Za-z0-9]+", "-", f"{dataset}_{split}").strip("-").replace("-", "_")
    key = re.sub(r"_+", "_", f"{key}_{num_samples}")
    return os.path.join(cache_dir or keras_genai_cache_dir("fid_stats"), f"{key}.npz")


def _cached_features(path, meta):
    """`(features, source_file)` from `path`, or the first rows of a larger cache of the same split."""
    folder = os.path.dirname(path)
    prefix = os.path.basename(path)[: -len(f"{meta['num_samples']}.npz")]
    candidates = [path] if os.path.exists(path) else []
    if os.path.isdir(folder):
        larger = []
        for name in os.listdir(folder):
            count = name[len(prefix):-len(".npz")]
            if name.startswith(prefix) and name.endswith(".npz") and count.isdigit():
                if int(count) > meta["num_samples"]:
                    larger.append((int(count), os.path.join(folder, name)))
        candidates += [p for _, p in sorted(larger)]
    for candidate in candidates:
        with np.load(candidate) as data:
            stored = json.loads(str(data["meta"]))
            # The first N images of a split are the first N rows of any larger cache of it.
            if {**stored, "num_samples": meta["num_samples"]} == meta:
                return data["features"][: meta["num_samples"]], candidate
    return None


def reference_features(dataset="fashion_mnist", split="test", num_samples=10000, data_dir=None,
                       cache_dir=None, batch_size=50, verbose=1):
    """FID Inception features of a real dataset split, cached on disk.

    The first `num_samples` images of the split are used (the whole test
    split of Fashion-MNIST at 10,000). Features, mean and covariance go to
    `reference_cache_path(...)`, keyed by dataset, split and sample count;
    the file also records the weights it was computed with. A smaller
    count is cut from a larger cache of the same split without recomputing.

    Returns:
        `(features, path)`: float32 `(num_samples, 2048)` and the cache file.
    """
    path = reference_cache_path(dataset, split, num_samples, cache_dir)
    meta = {"dataset": dataset, "split": split, "num_samples": int(num_samples),
            "network": CACHE_NAME, "version": STATS_VERSION}
    cached = _cached_features(path, meta)
    if cached is not None and cached[1] == path:
        return cached[0], path
    if cached is not None:
        features = cached[0]
    else:
        images = load_image_arrays(dataset, split, data_dir)[0]
        if num_samples > len(images):
            raise ValueError(
                f"{dataset} {split} has {len(images)} images; cannot take {num_samples}. "
                f"Received: num_samples={num_samples}"
            )
        features = inception_features(images[:num_samples], batch_size=batch_size, verbose=verbose)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = path + ".partial.npz"
    np.savez(partial, features=features, mean=features.mean(0, dtype=np.float64),
             covariance=np.cov(features, rowvar=False), meta=json.dumps(meta))
    os.replace(partial, path)
    return features, path
