"""Two unpaired image domains, for translation models (CycleGAN).

A domain is named by a string:

- a folder of images (PNG/JPEG, searched recursively, hidden files and
  folders skipped): its images, less a seeded held-out fraction that is the
  domain's `"test"` split;
- `DATASET:CLASS`, one class of a labelled image dataset by name or index,
  e.g. `fashion_mnist:sandal` or `fashion_mnist:5`, from the dataset's own
  train and test splits;
- `DATASET:X` for a tfds dataset with the splits `trainX` and `testX`, as
  tfds' `cycle_gan/*` datasets have (`cycle_gan/horse2zebra:A`).

Both domains come out at one size and channel count: every image is resized
to `image_size` and converted to `channels` (and the conversion is
reported); a folder that mixes grayscale and colour files is refused unless
`channels` is given, since either choice changes half of its images.
"""

import os
import re

import numpy as np
import tensorflow as tf

from keras_genai.data import image_datasets
from keras_genai.data.own_data import IMAGE_EXTENSIONS, image_files
from keras_genai.data.pipeline import make_pipeline

SPLITS = ("train", "test")


def held_out(count, fraction, seed):
    """Boolean mask of the `round(fraction * count)` held-out items (at least one if
    `fraction > 0` and `count > 1`), drawn with `seed`."""
    mask = np.zeros(count, bool)
    size = int(round(fraction * count))
    if fraction > 0 and count > 1:
        size = min(max(size, 1), count - 1)
        mask[np.random.default_rng(seed).permutation(count)[:size]] = True
    return mask


def read_image_files(files, channels=None, what="The images"):
    """PIL images of `files`, converted to `channels` (1 gray, 3 RGB, None: their own
    kind, refused if they mix grayscale and colour)."""
    from PIL import Image

    images, modes = [], set()
    for path in files:
        try:
            with Image.open(path) as image:
                image.load()
                gray = image.mode in ("1", "L", "LA", "I", "I;16", "F")
                modes.add("grayscale" if gray else "colour")
                images.append(image.convert("L" if channels == 1 or (channels is None and gray) else "RGB"))
        except OSError as e:
            raise ValueError(f"Image file {path!r} is corrupt or not an image ({e}). Remove or replace it.") from None
    if channels is None and len(modes) > 1:
        raise ValueError(
            f"{what} mix grayscale and colour images. Pass channels=1 (CLI: --channels 1) "
            "to convert all to grayscale or channels=3 for RGB."
        )
    return images


def image_array(pictures, image_size=None, what="The images"):
    """PIL images as one uint8 `(N, H, W, C)` array, resized to `image_size` if given
    (else they must agree in size)."""
    sizes = {p.size[::-1] for p in pictures}
    if image_size is None and len(sizes) > 1:
        raise ValueError(
            f"{what} have {len(sizes)} sizes (e.g. {sorted(sizes)[:3]}); "
            "pass image_size (CLI: --image-size) to resize them."
        )
    target = tuple(image_size or next(iter(sizes), (0, 0)))
    images = np.stack([np.asarray(p.resize(target[::-1]) if p.size[::-1] != target else p) for p in pictures])
    return images[..., None] if images.ndim == 3 else images


def _read_folder(directory, split, channels, test_fraction, seed):
    files = image_files(directory, recursive=True)
    if not files:
        raise ValueError(
            f"Domain folder {directory!r} holds no images (files ending in {', '.join(IMAGE_EXTENSIONS)}, "
            "hidden ones skipped)."
        )
    images = read_image_files(files, channels, f"The files of domain folder {directory!r}")
    mask = held_out(len(images), test_fraction, seed)
    keep = mask if split == "test" else ~mask
    return [image for image, k in zip(images, keep) if k]


def parse_domain(spec):
    """`("folder", path, None)` or `("dataset", name, part)` for a domain string."""
    if os.path.isdir(spec):
        return "folder", spec, None
    if ":" not in spec:
        raise ValueError(
            f"A domain is an existing folder of images or DATASET:CLASS (e.g. fashion_mnist:sandal) or "
            f"DATASET:X for a tfds dataset with trainX/testX splits (e.g. cycle_gan/horse2zebra:A). "
            f"Received: {spec!r} (not a folder)"
        )
    name, part = spec.rsplit(":", 1)
    if not name or not part:
        raise ValueError(f"A domain DATASET:CLASS needs both parts. Received: {spec!r}")
    return "dataset", name, part


def _dataset_images(name, part, split, data_dir, download):
    splits = _tfds_splits(name, data_dir)
    if f"train{part}" in splits:
        return image_datasets.load_image_arrays(name, f"{split}{part}", data_dir, download)[0]
    label = class_index(name, part, data_dir, download)
    images, labels = image_datasets.load_image_arrays(name, split, data_dir, download)
    return images[labels == label]


def _normalized(name):
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def class_index(dataset, part, data_dir=None, download=False):
    """The label of class `part` of `dataset`: its name in any case, with `_` for spaces and
    slashes (`ankle_boot`, `t_shirt_top`), or its index."""
    names = image_datasets.dataset_class_names(dataset, data_dir, download) or []
    matches = [i for i, n in enumerate(names) if _normalized(n) == _normalized(part)]
    if matches:
        return matches[0]
    if part.isdigit() and int(part) < len(names):
        return int(part)
    raise ValueError(
        f"Dataset {dataset!r} has no class {part!r}. Its classes: "
        f"{', '.join(_normalized(n) for n in names) or 'none'} (or their indices 0-{max(len(names) - 1, 0)})."
    )


def _tfds_splits(name, data_dir):
    if name in image_datasets.IDX_DATASETS or name == "shapes":
        return ()
    builder = image_datasets._tfds_builder(name, data_dir)
    return tuple(builder.info.splits) if builder.is_prepared() else ()


def load_domain(spec, split="train", image_size=None, channels=None, data_dir=None, download=False,
                test_fraction=0.1, seed=0):
    """One domain's images of `split` ("train" or "test") as uint8 `(N, H, W, C)`.

    Args:
        spec: str. A folder, `DATASET:CLASS` or `DATASET:X` (see the module).
        image_size: int, `(height, width)` or None. Resize to it (None: keep
            the dataset's size; a folder's images must then agree).
        channels: 1, 3 or None. Convert to it (None: the data's own).
        test_fraction: float. A folder's held-out share (its "test" split).
        seed: int. Seed of a folder's held-out draw.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be 'train' or 'test'. Received: split={split!r}")
    if channels not in (None, 1, 3):
        raise ValueError(f"channels must be 1, 3 or None. Received: channels={channels!r}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    kind, name, part = parse_domain(spec)
    if kind == "folder":
        pictures = _read_folder(name, split, channels, test_fraction, seed)
        images = image_array(pictures, image_size, f"The images of domain folder {name!r}")
    else:
        images = _dataset_images(name, part, split, data_dir, download)
        if len(images) == 0:
            raise ValueError(f"Domain {spec!r} has no images in its {split} split.")
        if image_size is not None and tuple(images.shape[1:3]) != tuple(image_size):
            images = tf.cast(tf.round(tf.image.resize(images, image_size)), tf.uint8).numpy()
        if channels is not None and images.shape[-1] != channels:
            images = (tf.image.rgb_to_grayscale(images) if channels == 1 else tf.image.grayscale_to_rgb(
                tf.constant(images))).numpy()
    if len(images) == 0:
        raise ValueError(f"Domain {spec!r} has no images in its {split} split.")
    return images.astype(np.uint8)


def domains_dataset(images_a, images_b, batch_size=16, value_range=(-1.0, 1.0), seed=0):
    """Unpaired `(x_a, x_b)` batches of two domains, each shuffled on its own.

    One epoch is `ceil(max(len_a, len_b) / batch_size)` batches, as the
    CycleGAN reference code's epoch over the larger domain; the smaller
    domain repeats. The two streams are shuffled with different seeds and
    never paired by index.
    """
    for domain, images in zip("ab", (images_a, images_b)):
        if len(images) == 0:
            raise ValueError(f"Domain {domain} is empty: both domains need images.")
    if images_a.shape[1:] != images_b.shape[1:]:
        raise ValueError(
            f"The domains' images differ in shape: a {images_a.shape[1:]}, b {images_b.shape[1:]}. "
            "Resize or convert one (CLI: --image-size, --channels)."
        )
    steps = -(-max(len(images_a), len(images_b)) // batch_size)

    def stream(images, offset):
        dataset = tf.data.Dataset.from_tensor_slices((images, np.zeros(len(images), np.int32)))
        batches = make_pipeline(dataset, batch_size=batch_size, value_range=value_range, shuffle=True,
                                cache=False, drop_remainder=len(images) >= batch_size, seed=seed + offset)
        return batches.repeat()

    return tf.data.Dataset.zip((stream(images_a, 0), stream(images_b, 1))).take(steps).prefetch(tf.data.AUTOTUNE)
