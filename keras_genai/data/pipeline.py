"""Turning arrays or tfds datasets into batched tf.data pipelines."""

import numpy as np
import tensorflow as tf


def check_value_range(value_range):
    low, high = value_range
    if not low < high:
        raise ValueError(
            f"value_range must be (low, high) with low < high. Received: value_range={value_range}"
        )
    return float(low), float(high)


def normalize_images(images, value_range=(0.0, 1.0)):
    """Maps `uint8` pixels in [0, 255] to float32 in `value_range`."""
    low, high = check_value_range(value_range)
    images = tf.cast(images, tf.float32) / 255.0
    return images * (high - low) + low


def denormalize_images(images, value_range=(0.0, 1.0)):
    """Maps images in `value_range` back to float in [0, 1] for display."""
    low, high = check_value_range(value_range)
    return np.clip((np.asarray(images, np.float32) - low) / (high - low), 0.0, 1.0)


def make_pipeline(
    dataset,
    batch_size=128,
    value_range=(0.0, 1.0),
    with_labels=False,
    shuffle=True,
    cache=True,
    drop_remainder=False,
    seed=None,
):
    """Normalises, caches, shuffles, batches and prefetches `(image, label)`.

    Args:
        dataset: `tf.data.Dataset` of `(uint8 image, int label)` pairs.
        batch_size: int. Batch size.
        value_range: tuple. The range the model expects its pixels in.
        with_labels: bool. Yield `(images, labels)` instead of `images`.
        shuffle: bool. Reshuffle every epoch.
        cache: bool. Cache decoded images in memory after the first epoch.
        drop_remainder: bool. Drop the last partial batch.
        seed: int or None. Shuffle seed.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1. Received: batch_size={batch_size}")
    check_value_range(value_range)
    if cache:
        dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(10_000, seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)

    def prepare(image, label):
        image = normalize_images(image, value_range)
        return (image, tf.cast(label, tf.int32)) if with_labels else image

    dataset = dataset.map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)
