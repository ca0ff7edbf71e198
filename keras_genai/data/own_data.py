"""A user's own images: numpy arrays or a folder of PNG/JPEG files."""

import os
import warnings

import numpy as np
import tensorflow as tf

from keras_genai.data.errors import DataWarning
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


def _visible(name):
    # Hidden files and folders (.DS_Store, .thumbs/, .ipynb_checkpoints/) are not data.
    return not name.startswith(".")


def image_files(folder, recursive):
    """Sorted image files in `folder` (and its sub-folders if `recursive`), hidden ones skipped."""
    if not recursive:
        names = sorted(n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n)))
        return [os.path.join(folder, n) for n in names if _visible(n) and n.lower().endswith(IMAGE_EXTENSIONS)]
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if _visible(d))
        files.extend(os.path.join(root, n) for n in sorted(names)
                     if _visible(n) and n.lower().endswith(IMAGE_EXTENSIONS))
    return files


def list_image_folder(directory):
    """The image files of a folder, their labels and the class names.

    With one sub-folder per class, the classes are the sorted names of the
    sub-folders that hold images (at any depth below them) and labels index
    them; without sub-folders, the images at the top level get label 0 and
    there are no class names. Names starting with "." are ignored; an empty
    class folder is skipped with a `DataWarning` naming it; images at the top
    level beside class folders are an error (they would have no class). Every
    file is opened, so a corrupt one fails here, before training.

    Returns:
        `(paths, labels, class_names)`: sorted paths, `int32` labels and a
        list of names (empty for a folder without classes).
    """
    from PIL import Image

    if not os.path.isdir(directory):
        raise FileNotFoundError(f"Image folder {directory!r} does not exist.")
    subdirs = sorted(d for d in os.listdir(directory)
                     if _visible(d) and os.path.isdir(os.path.join(directory, d)))
    top_level = image_files(directory, recursive=False)
    per_class = {d: image_files(os.path.join(directory, d), recursive=True) for d in subdirs}
    empty = [d for d in subdirs if not per_class[d]]
    class_names = [d for d in subdirs if per_class[d]]
    if empty:
        warnings.warn(f"Image folder {directory!r}: skipping the class folder(s) {empty}, which "
                      "hold no images; they are not counted as classes.", DataWarning, stacklevel=2)
    if class_names and top_level:
        raise ValueError(
            f"Image folder {directory!r} has {len(top_level)} image(s) at its top level (e.g. "
            f"{os.path.basename(top_level[0])!r}) beside the class sub-folders {class_names}: move "
            "them into a class sub-folder or out of the folder."
        )
    if class_names:
        paths = [path for name in class_names for path in per_class[name]]
        labels = [i for i, name in enumerate(class_names) for _ in per_class[name]]
    else:
        paths, labels = top_level, [0] * len(top_level)
    if not paths:
        raise ValueError(
            f"Image folder {directory!r} holds no images. Expected files ending in "
            f"{', '.join(IMAGE_EXTENSIONS)}, directly or in one sub-folder per class "
            "(names starting with '.' are ignored)."
        )
    for path in paths:
        try:
            with Image.open(path) as image:
                image.verify()
        except Exception as e:  # PIL raises many types for broken files.
            raise ValueError(
                f"Image file {path!r} is corrupt or not an image ({e}). "
                "Remove or replace it."
            ) from None
    return paths, np.asarray(labels, np.int32), class_names


def classes_in_turn(labels):
    """Indices of `labels` taking the classes in turn: the first of each class, then the second
    of each, ... A folder lists its files class by class, so its first N files are one or two
    classes; the first N of this order are spread over all of them."""
    labels = np.asarray(labels)
    rank = np.zeros(len(labels), int)
    for label in np.unique(labels):
        rank[labels == label] = np.arange(np.sum(labels == label))
    return np.lexsort((labels, rank))


def split_image_files(paths, labels, validation_fraction, seed=0):
    """A seeded, per-class stratified split of a file list into training and validation.

    Each class with at least two images gives `round(validation_fraction * n)`
    of them to validation (at least one, and never all), chosen by a shuffle
    seeded with `seed`, so the same folder, fraction and seed always hold out
    the same files.

    Returns:
        `((train_paths, train_labels), (validation_paths, validation_labels))`.
    """
    if not 0.0 <= validation_fraction < 1.0:
        raise ValueError("validation_fraction must be in [0, 1), the share of each class held out. "
                         f"Received: validation_fraction={validation_fraction}")
    labels = np.asarray(labels, np.int32)
    rng = np.random.default_rng(seed)
    held_out = np.zeros(len(labels), bool)
    if validation_fraction > 0:
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            count = min(max(1, int(round(validation_fraction * len(members)))), len(members) - 1)
            held_out[rng.permutation(members)[:count]] = True
        if not held_out.any():
            raise ValueError(
                f"validation_fraction={validation_fraction} of {len(labels)} images holds out none (every "
                "class has a single image): add images or pass validation_fraction=0 "
                "(CLI: --validation-fraction 0)."
            )
    paths = np.asarray(paths, object)
    return ((list(paths[~held_out]), labels[~held_out]), (list(paths[held_out]), labels[held_out]))


def _decode_images(paths, labels, image_size, channels):
    if channels not in (1, 3, 4):
        raise ValueError(f"channels must be 1, 3 or 4. Received: channels={channels}")

    def load(path, label):
        # As keras.utils.image_dataset_from_directory decodes and resizes (bilinear).
        image = tf.io.decode_image(tf.io.read_file(path), channels=channels, expand_animations=False)
        image = tf.image.resize(image, tuple(image_size))
        image.set_shape(tuple(image_size) + (channels,))
        return tf.cast(tf.round(image), tf.uint8), label

    dataset = tf.data.Dataset.from_tensor_slices((list(paths), np.asarray(labels, np.int32)))
    return dataset.map(load, num_parallel_calls=tf.data.AUTOTUNE)


def image_files_dataset(paths, labels, image_size=(28, 28), channels=1, batch_size=128,
                        value_range=(0.0, 1.0), with_labels=False, shuffle=True, seed=None):
    """A batched `tf.data.Dataset` of image files (e.g. one part of `split_image_files`)."""
    return make_pipeline(_decode_images(paths, labels, image_size, channels), batch_size, value_range,
                         with_labels, shuffle, cache=True, seed=seed)


def image_files_arrays(paths, labels, image_size=(28, 28), channels=1):
    """`(uint8 images (N, H, W, C), int32 labels)` of image files, in memory."""
    images = [image.numpy() for image, _ in _decode_images(paths, labels, image_size, channels)]
    return np.stack(images), np.asarray(labels, np.int32)


def image_folder_dataset(
    directory,
    image_size=(28, 28),
    channels=1,
    batch_size=128,
    value_range=(0.0, 1.0),
    with_labels=False,
    shuffle=True,
    seed=None,
    validation_fraction=0.0,
    validation_seed=0,
    subset=None,
):
    """A batched `tf.data.Dataset` from a folder of images.

    Images are resized to `image_size` and converted to `channels`. With one
    sub-folder per class, labels are the sorted sub-folder indices (see
    `list_image_folder` for what is skipped and refused). Every file is
    checked up front, so a corrupt file fails before training.

    With `validation_fraction` > 0, `subset="train"` or `"validation"` takes
    that part of `split_image_files(..., validation_fraction, validation_seed)`;
    `subset=None` takes every image.
    """
    if subset not in (None, "train", "validation"):
        raise ValueError(f"subset must be None, 'train' or 'validation'. Received: subset={subset!r}")
    paths, labels, class_names = list_image_folder(directory)
    if with_labels and not class_names:
        raise ValueError(
            f"Labels were asked for but {directory!r} has no class sub-folders. "
            "Put each class's images in a sub-folder named after the class."
        )
    if subset is not None:
        train, validation = split_image_files(paths, labels, validation_fraction, validation_seed)
        paths, labels = train if subset == "train" else validation
        if not paths:
            raise ValueError(f"subset='validation' of {directory!r} is empty: pass validation_fraction > 0. "
                             f"Received: validation_fraction={validation_fraction}")
    return image_files_dataset(paths, labels, image_size, channels, batch_size, value_range,
                               with_labels, shuffle, seed)
