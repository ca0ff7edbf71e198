"""A small procedural image dataset that needs no files or network."""

import numpy as np

SHAPE_NAMES = ("square", "disk", "triangle", "cross")


def make_shapes(num_images, image_size=28, channels=1, seed=0):
    """Draws `num_images` images of simple shapes with their class labels.

    Each image holds one filled shape (square, disk, triangle or cross) of
    random size, position and brightness on a dark background, so models
    can learn something real in a few steps. Pixel values are `uint8`.

    Args:
        num_images: int. Number of images.
        image_size: int. Height and width in pixels, at least 8.
        channels: int. 1 (gray) or 3 (the shape gets a random colour).
        seed: int. Seed of the generator; the same seed gives the same set.

    Returns:
        `(images, labels)`: `uint8` array of shape
        `(num_images, image_size, image_size, channels)` and `int32` labels
        in `[0, 4)` indexing `SHAPE_NAMES`.
    """
    if image_size < 8:
        raise ValueError(f"image_size must be at least 8. Received: image_size={image_size}")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3. Received: channels={channels}")
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:image_size, 0:image_size].astype(np.float32) + 0.5
    images = np.zeros((num_images, image_size, image_size, channels), np.uint8)
    labels = rng.integers(0, len(SHAPE_NAMES), size=num_images).astype(np.int32)
    for i, label in enumerate(labels):
        half = rng.uniform(0.2, 0.4) * image_size
        cy, cx = rng.uniform(half, image_size - half, size=2)
        dy, dx = yy - cy, xx - cx
        if label == 0:
            mask = (np.abs(dy) < half) & (np.abs(dx) < half)
        elif label == 1:
            mask = dy**2 + dx**2 < half**2
        elif label == 2:
            mask = (dy < half) & (dy > -half) & (np.abs(dx) < (dy + half) / 2)
        else:
            arm = half / 3
            mask = ((np.abs(dy) < half) & (np.abs(dx) < arm)) | (
                (np.abs(dx) < half) & (np.abs(dy) < arm)
            )
        colour = rng.uniform(150, 255, size=channels)
        images[i][mask] = colour.astype(np.uint8)
    return images, labels
