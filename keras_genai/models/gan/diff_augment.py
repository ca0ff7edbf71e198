"""Differentiable augmentation (DiffAugment, Zhao et al. 2020) of a GAN's discriminator inputs.

The same random colour, translation and cutout are differentiable in the
image, so a GAN trained on a small set augments real *and* generated
batches (in both the discriminator's and the generator's update) and the
generator still gets gradients through them; the discriminator then cannot
memorise the few real images. The operations follow the paper's reference
(`DiffAugment_tf.py`) for images in [-1, 1]: brightness +U(-0.5, 0.5),
saturation x U(0, 2), contrast x U(0.5, 1.5); translation by up to 1/8 of
the size with zero fill; cutout of a square half the size. Each image
draws its own values.
"""

import keras
from keras import ops

from keras_genai.distribute.replicas import draw_rows

POLICIES = ("color", "translation", "cutout")


def parse_policy(policy):
    """`"color,translation,cutout"` (or a list) -> a tuple of known names; None or "" -> ()."""
    if not policy:
        return ()
    names = tuple(p.strip() for p in (policy.split(",") if isinstance(policy, str) else policy) if p.strip())
    unknown = [name for name in names if name not in POLICIES]
    if unknown:
        raise ValueError(f"DiffAugment policies are {', '.join(POLICIES)} (comma list). Received: {policy!r}")
    return names


def diff_augment(images, policy, seed_generator):
    """`images` (batch, height, width, channels) with each of `policy`'s augmentations applied."""
    for name in parse_policy(policy):
        images = {"color": _color, "translation": _translation, "cutout": _cutout}[name](images, seed_generator)
    return images


def _uniform(images, seed_generator, low=0.0, high=1.0):
    batch = ops.shape(images)[0]
    return draw_rows(keras.random.uniform, (batch, 1, 1, 1), minval=low, maxval=high, dtype=images.dtype,
                     seed=seed_generator)


def _color(images, seed_generator):
    images = images + _uniform(images, seed_generator, -0.5, 0.5)
    mean = ops.mean(images, axis=-1, keepdims=True)
    images = (images - mean) * _uniform(images, seed_generator, 0.0, 2.0) + mean
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    return (images - mean) * _uniform(images, seed_generator, 0.5, 1.5) + mean


def _shifted_grid(size, shift):
    """Per image, the source index of each output position along one axis, `(batch, size)`."""
    return ops.arange(size)[None, :] + shift[:, None]


def _translation(images, seed_generator, ratio=0.125):
    batch, height, width = ops.shape(images)[0], images.shape[1], images.shape[2]
    shifts = []
    for size in (height, width):
        limit = int(size * ratio + 0.5)
        shifts.append(draw_rows(keras.random.randint, (batch,), minval=-limit, maxval=limit + 1, seed=seed_generator))
    rows, columns = _shifted_grid(height, shifts[0]), _shifted_grid(width, shifts[1])
    inside = ((rows >= 0) & (rows < height))[:, :, None] & ((columns >= 0) & (columns < width))[:, None, :]
    rows = ops.clip(rows, 0, height - 1)
    columns = ops.clip(columns, 0, width - 1)
    channels = images.shape[3]
    moved = ops.take_along_axis(images, ops.broadcast_to(rows[:, :, None, None], (batch, height, width, channels)),
                                axis=1)
    moved = ops.take_along_axis(moved, ops.broadcast_to(columns[:, None, :, None], (batch, height, width, channels)),
                                axis=2)
    return moved * ops.cast(inside, images.dtype)[..., None]


def _cutout(images, seed_generator, ratio=0.5):
    batch, height, width = ops.shape(images)[0], images.shape[1], images.shape[2]
    cut_h, cut_w = int(height * ratio + 0.5), int(width * ratio + 0.5)
    # The square's top-left corner, as in the reference: centre in [0, size + (1 - size % 2)), minus half.
    top = draw_rows(keras.random.randint, (batch,), minval=0, maxval=height + (1 - cut_h % 2), seed=seed_generator) - cut_h // 2
    left = draw_rows(keras.random.randint, (batch,), minval=0, maxval=width + (1 - cut_w % 2), seed=seed_generator) - cut_w // 2
    rows = ops.arange(height)[None, :]
    columns = ops.arange(width)[None, :]
    in_rows = (rows >= top[:, None]) & (rows < top[:, None] + cut_h)
    in_columns = (columns >= left[:, None]) & (columns < left[:, None] + cut_w)
    keep = 1.0 - ops.cast(in_rows[:, :, None] & in_columns[:, None, :], images.dtype)
    return images * keep[..., None]
