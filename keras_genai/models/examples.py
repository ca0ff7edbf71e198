"""Typical endpoint inputs shared by the model families' `example_inputs`."""

import numpy as np


def example_images(image_shape, value_range, num, data=None, seed=0):
    """The first `num` images of `data`, or uniform noise in `value_range` without data."""
    if data is None:
        low, high = value_range
        return np.random.default_rng(seed).uniform(low, high, (num,) + tuple(image_shape)).astype("float32")
    return np.asarray(data[:num], "float32")


def example_labels(num_classes, num, seed=0):
    """`num` class ids drawn uniformly from `[0, num_classes)`, int32."""
    return np.random.default_rng(seed).integers(0, num_classes, size=(num,)).astype("int32")
