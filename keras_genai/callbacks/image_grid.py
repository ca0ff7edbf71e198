"""Tiling image batches into one PNG."""

import os

import keras
import numpy as np

from keras_genai.utils import atomic_path


def tile_images(images, columns=8):
    """`(N, H, W, C)` in [0, 1] -> one `(rows*H, columns*W, C)` image."""
    images = np.asarray(images, np.float32)
    n, h, w, c = images.shape
    rows = -(-n // columns)
    grid = np.ones((rows * (h + 1) - 1, columns * (w + 1) - 1, c), np.float32)
    for i, image in enumerate(images):
        r, col = divmod(i, columns)
        grid[r * (h + 1) : r * (h + 1) + h, col * (w + 1) : col * (w + 1) + w] = image
    return grid


def save_grid(path, named_batches, columns=8, overwrite=False):
    """Saves batches (dict name -> images in [0, 1]) as stacked grid rows."""
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path!r} already exists. Pass overwrite=True (CLI: --overwrite).")
    blocks = [tile_images(images, columns) for images in named_batches.values()]
    width = max(b.shape[1] for b in blocks)
    padded = [np.pad(b, ((0, 3), (0, width - b.shape[1]), (0, 0)), constant_values=1.0) for b in blocks]
    grid = np.concatenate(padded, axis=0)[:-3]
    with atomic_path(path) as temporary:
        keras.utils.save_img(temporary, (grid * 255).round().astype(np.uint8), scale=False)
    return path
