"""Image datasets by name: local IDX files, prepared tfds data, or `shapes`.

Nothing here downloads unless `download=True`: on a machine without network
a missing dataset fails at once with an error that names the remedies.
"""

import difflib
import os
import re

import numpy as np
import tensorflow as tf

from keras_genai.data.download import download_and_prepare
from keras_genai.data.errors import DatasetNotAvailableError
from keras_genai.data.idx import find_idx_files, read_idx
from keras_genai.data.pipeline import make_pipeline
from keras_genai.data.shapes import SHAPE_NAMES, make_shapes

# Datasets that ship as IDX files, with the folder names they are found under.
IDX_DATASETS = {
    "fashion_mnist": ("fashion-mnist", "fashion_mnist"),
    "mnist": ("mnist",),
}
# Folders searched when no `data_dir` is given (after $KERAS_GENAI_DATA_DIR).
# `/usr/share/datasets` is where Debian's `dataset-fashion-mnist` installs;
# `~/.keras/datasets` is where `keras.datasets.fashion_mnist` caches its files.
DEFAULT_SEARCH_ROOTS = (
    "/usr/share/datasets",
    os.path.join(os.path.expanduser("~"), ".keras", "datasets"),
)
SHAPES_SPLITS = {"train": (4096, 0), "test": (1024, 1)}
IDX_SPLITS = ("train", "test")
# The label names of the datasets read without tfds, in label order (tfds knows its own).
CLASS_NAMES = {
    "fashion_mnist": ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
    "mnist": tuple(str(digit) for digit in range(10)),
    "shapes": SHAPE_NAMES,
}
_SPLIT_RE = re.compile(r"^(\w+)(?:\[(-?\d*%?):(-?\d*%?)\])?$")


def _parse_split(split):
    match = _SPLIT_RE.match(split.replace(" ", ""))
    if not match:
        raise ValueError(
            f"Cannot read split {split!r}. Expected a name such as 'train' or "
            "'test', optionally sliced like 'train[:90%]' or 'train[54000:]'."
        )
    return match.group(1), match.group(2) or "", match.group(3) or ""


def _slice(arrays, start, stop):
    n = len(arrays[0])

    def index(text, default):
        if not text:
            return default
        if text.endswith("%"):
            return int(round(n * int(text[:-1]) / 100))
        return int(text)

    window = slice(index(start, 0), index(stop, n))
    return tuple(a[window] for a in arrays)


def _idx_dirs(name, data_dir):
    roots = [data_dir] if data_dir else []
    if not data_dir:
        if os.environ.get("KERAS_GENAI_DATA_DIR"):
            roots.append(os.environ["KERAS_GENAI_DATA_DIR"])
        roots.extend(DEFAULT_SEARCH_ROOTS)
    for root in roots:
        yield root
        for folder in IDX_DATASETS[name]:
            yield os.path.join(root, folder)


def _unavailable(name, data_dir, split):
    where = f"data_dir={data_dir!r}" if data_dir else "the default locations"
    hints = [
        f"pass data_dir (CLI: --data-dir) pointing at a tfds data_dir in which "
        f"'{name}' is prepared",
        f"prepare it once on a machine with network: "
        f"`python -c \"import tensorflow_datasets as tfds; tfds.builder('{name}').download_and_prepare()\"` "
        "and copy ~/tensorflow_datasets",
        "or pass download=True (CLI: --download) to let tfds download it here",
    ]
    if name in IDX_DATASETS:
        # Debian packages Fashion-MNIST's IDX files; the other IDX datasets come as files only.
        debian = ("install Debian's IDX files: `apt-get install dataset-fashion-mnist` (found at "
                  "/usr/share/datasets/fashion-mnist), or " if name == "fashion_mnist" else "")
        hints.insert(0, f"{debian}pass data_dir pointing at a folder with train-images-idx3-ubyte.gz etc. "
                        f"for '{name}'")
    return DatasetNotAvailableError(
        f"Dataset '{name}' (split {split!r}) is not available in {where} and "
        "nothing is downloaded without asking. To get it:\n  - "
        + "\n  - ".join(hints)
    )


def _tfds_builder(name, data_dir):
    import tensorflow_datasets as tfds

    try:
        return tfds.builder(name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError:
        known = list(IDX_DATASETS) + ["shapes"] + list(tfds.list_builders())
        close = difflib.get_close_matches(name, known, n=3)
        raise ValueError(
            f"Unknown dataset {name!r}. Expected 'shapes', 'fashion_mnist', "
            "'mnist' or any tfds image dataset name"
            + (f"; did you mean {', '.join(map(repr, close))}?" if close else ".")
        ) from None


def load_image_arrays(name, split="train", data_dir=None, download=False):
    """Loads a whole image dataset split into memory as numpy arrays.

    Looks, in order, for: the embedded `shapes` set; IDX files of
    `fashion_mnist` / `mnist` in `data_dir` (or its `fashion-mnist/`
    sub-folder), `$KERAS_GENAI_DATA_DIR`, `/usr/share/datasets` and
    `~/.keras/datasets`; a tfds dataset already prepared in `data_dir` (or
    tfds' default folder). Only with `download=True` does tfds download.

    Args:
        name: str. `"shapes"`, `"fashion_mnist"`, `"mnist"` or any tfds
            dataset with `image` and `label` features.
        split: str. `"train"`, `"test"` (or any split tfds knows), optionally
            sliced: `"train[:90%]"`, `"train[54000:]"`.
        data_dir: str or None. Folder with IDX files or a tfds data_dir.
        download: bool. Allow tfds to download and prepare the dataset.

    Returns:
        `(images, labels)`: `uint8` array `(N, H, W, C)` and `int32` labels.
    """
    base, start, stop = _parse_split(split)
    if name == "shapes":
        if base not in SHAPES_SPLITS:
            raise ValueError(
                f"Dataset 'shapes' has splits 'train' and 'test'. Received: split={split!r}"
            )
        count, seed = SHAPES_SPLITS[base]
        return _slice(make_shapes(count, seed=seed), start, stop)
    if name in IDX_DATASETS and base in IDX_SPLITS:
        for directory in _idx_dirs(name, data_dir):
            paths = find_idx_files(directory, base)
            if paths:
                images = read_idx(paths[0])[..., None]
                labels = read_idx(paths[1]).astype(np.int32)
                if len(images) != len(labels):
                    raise ValueError(
                        f"IDX files in {directory!r} disagree: {len(images)} "
                        f"images but {len(labels)} labels."
                    )
                return _slice((images, labels), start, stop)
    builder = _prepared_builder(name, split, data_dir, download)
    data = builder.as_dataset(split=split, batch_size=-1)
    images = data["image"].numpy()
    if "label" in builder.info.features:
        return images, data["label"].numpy().astype(np.int32)
    return images, np.zeros(len(images), np.int32)


def _prepared_builder(name, split, data_dir, download):
    base = _parse_split(split)[0]
    # A misspelt split is not missing data: say so before looking for the data.
    if name in IDX_DATASETS and base not in IDX_SPLITS:
        raise ValueError(f"Dataset {name!r} has splits {', '.join(map(repr, IDX_SPLITS))}. Received: split={split!r}")
    builder = _tfds_builder(name, data_dir)
    if not builder.is_prepared():
        known = sorted(builder.info.splits)  # empty for most datasets until they are prepared
        if known and base not in known:
            raise ValueError(f"Dataset {name!r} has splits {known}. Received: split={split!r}")
        if not download:
            raise _unavailable(name, data_dir, split)
        download_and_prepare(builder, f"dataset {name!r}")
    if base not in builder.info.splits:
        raise ValueError(
            f"Dataset {name!r} has splits {sorted(builder.info.splits)}. Received: split={split!r}"
        )
    features = builder.info.features
    if "image" not in features:
        raise ValueError(
            f"Dataset {name!r} has no 'image' feature (its features are "
            f"{sorted(features)}); expected an image dataset."
        )
    return builder


def _is_in_memory(name, split, data_dir):
    base = _parse_split(split)[0]
    return name == "shapes" or (
        name in IDX_DATASETS
        and base in IDX_SPLITS
        and any(find_idx_files(d, base) for d in _idx_dirs(name, data_dir))
    )


def num_classes_of(labels):
    return int(np.max(labels)) + 1 if len(labels) else 0


def image_dataset(
    name,
    split="train",
    data_dir=None,
    batch_size=128,
    value_range=(0.0, 1.0),
    with_labels=False,
    shuffle=None,
    drop_remainder=False,
    download=False,
    seed=None,
):
    """A batched `tf.data.Dataset` of a named image dataset.

    Images are scaled to `value_range` (the range a model declares as
    `model.value_range`). With `with_labels=True` it yields
    `(images, labels)`, as conditional models and classifiers need.

    Example:

    ```python
    train = keras_genai.data.image_dataset(
        "fashion_mnist", "train", batch_size=128, value_range=(0, 1)
    )
    ```
    """
    if shuffle is None:
        shuffle = _parse_split(split)[0] == "train"
    if _is_in_memory(name, split, data_dir):
        dataset = tf.data.Dataset.from_tensor_slices(
            load_image_arrays(name, split, data_dir, download)
        )
        cache = False
    else:
        # Stream from tfds; decoded images are cached only if they fit in 1 GiB.
        builder = _prepared_builder(name, split, data_dir, download)
        has_label = "label" in builder.info.features
        dataset = builder.as_dataset(split=split).map(
            lambda ex: (ex["image"], ex["label"] if has_label else 0),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
        shape = builder.info.features["image"].shape
        count = builder.info.splits[split].num_examples
        cache = None not in shape and count * int(np.prod(shape)) < 2**30
    return make_pipeline(
        dataset,
        batch_size=batch_size,
        value_range=value_range,
        with_labels=with_labels,
        shuffle=shuffle,
        cache=cache,
        drop_remainder=drop_remainder,
        seed=seed,
    )


def dataset_info(name, data_dir=None, download=False):
    """`(image_shape, num_classes)` of a named dataset, without loading it all."""
    if name == "shapes" or _is_in_memory(name, "train", data_dir):
        images, labels = load_image_arrays(name, "test" if name != "shapes" else "train", data_dir)
        return tuple(images.shape[1:]), num_classes_of(labels)
    builder = _prepared_builder(name, "train", data_dir, download)
    features = builder.info.features
    classes = features["label"].num_classes if "label" in features else 0
    return tuple(features["image"].shape), classes


def dataset_class_names(name, data_dir=None, download=False):
    """The label names of a named dataset in label order, or None if it has none."""
    if name in CLASS_NAMES:
        return list(CLASS_NAMES[name])
    features = _prepared_builder(name, "train", data_dir, download).info.features
    names = getattr(features["label"], "names", None) if "label" in features else None
    return list(names) if names else None
