"""A user's own images: numpy arrays or a folder of PNG/JPEG files."""

import os

import numpy as np
import tensorflow as tf

from keras_genai.data.pipeline import make_pipeline

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def check_image_array(images, name="images"):
    """Validates an image array and returns it as `(N, H, W, C)` in [0, 255].

    Accepts `uint8` in [0, 255] or floats in [0, 1]; a 3-D array is taken as
    gray images and gets a channel axis.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(
            f"{name} must have shape (N, H, W) or (N, H, W, C) with C in 1, 3, 4. "
            f"Received: shape={images.shape}"
        )
    if len(images) == 0:
        raise ValueError(f"{name} is empty. Received: shape={images.shape}")
    if images.dtype == np.uint8:
        return images
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"{name} must be uint8 in [0, 255] or float in [0, 1]. Received: dtype={images.dtype}"
        )
    bad = int(np.sum(~np.isfinite(images)))
    if bad:
        raise ValueError(
            f"{name} contains {bad} NaN or infinite values; clean or drop those images first."
        )
    low, high = float(images.min()), float(images.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"Float {name} must lie in [0, 1]. Received values in [{low:g}, {high:g}]"
            + ("; divide by 255 first." if high <= 255 and low >= 0 else ".")
        )
    return (images * 255.0).astype(np.float32)


def array_dataset(
    images,
    labels=None,
    batch_size=128,
    value_range=(0.0, 1.0),
    shuffle=True,
    drop_remainder=False,
    seed=None,
):
    """A batched `tf.data.Dataset` from numpy images (and optional labels).

    Yields `(images, labels)` when `labels` is given, else `images`.
    """
    images = check_image_array(images)
    with_labels = labels is not None
    if with_labels:
        labels = np.asarray(labels)
        if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"labels must be integers of shape ({len(images)},), one per image. "
                f"Received: shape={labels.shape}, dtype={labels.dtype}"
            )
    else:
        labels = np.zeros(len(images), np.int32)
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    return make_pipeline(
        dataset,
        batch_size=batch_size,
        value_range=value_range,
        with_labels=with_labels,
        shuffle=shuffle,
        cache=False,
        drop_remainder=drop_remainder,
        seed=seed,
    )


def _check_folder(directory):
    from PIL import Image

    if not os.path.isdir(directory):
        raise FileNotFoundError(f"Image folder {directory!r} does not exist.")
    files = [
        os.path.join(root, f)
        for root, _, names in os.walk(directory)
        for f in names
        if f.lower().endswith(IMAGE_EXTENSIONS)
    ]
    if not files:
        raise ValueError(
            f"Image folder {directory!r} holds no images. Expected files ending in "
            f"{', '.join(IMAGE_EXTENSIONS)}, directly or in one sub-folder per class."
        )
    for path in files:
        try:
            with Image.open(path) as image:
                image.verify()
        except Exception as e:  # PIL raises many types for broken files.
            raise ValueError(
                f"Image file {path!r} is corrupt or not an image ({e}). "
                "Remove or replace it."
            ) from None
    subdirs = [d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d))]
    return bool(subdirs)


def image_folder_dataset(
    directory,
    image_size=(28, 28),
    channels=1,
    batch_size=128,
    value_range=(0.0, 1.0),
    with_labels=False,
    shuffle=True,
    seed=None,
):
    """A batched `tf.data.Dataset` from a folder of images.

    Images are resized to `image_size` and converted to `channels`. With one
    sub-folder per class, labels are the sorted sub-folder indices. Every
    file is checked up front, so a corrupt file fails before training.
    """
    import keras

    if channels not in (1, 3, 4):
        raise ValueError(f"channels must be 1, 3 or 4. Received: channels={channels}")
    has_classes = _check_folder(directory)
    if with_labels and not has_classes:
        raise ValueError(
            f"Labels were asked for but {directory!r} has no class sub-folders. "
            "Put each class's images in a sub-folder named after the class."
        )
    dataset = keras.utils.image_dataset_from_directory(
        directory,
        labels="inferred" if has_classes else None,
        label_mode="int" if has_classes else None,
        color_mode={1: "grayscale", 3: "rgb", 4: "rgba"}[channels],
        image_size=tuple(image_size),
        batch_size=None,
        shuffle=False,
        verbose=False,
    )
    if not has_classes:
        dataset = dataset.map(lambda image: (image, 0))
    return make_pipeline(
        dataset.map(lambda image, label: (tf.cast(tf.round(image), tf.uint8), label)),
        batch_size=batch_size,
        value_range=value_range,
        with_labels=with_labels,
        shuffle=shuffle,
        cache=True,
        seed=seed,
    )
