import numpy as np
import tensorflow as tf

from keras_genai.metrics.value_range import check_value_range

# tf.image.ssim's default Gaussian window; images must be at least this large.
FILTER_SIZE = 11


def ssim(images, references, max_value=1.0):
    """Structural similarity per image, shape `(batch,)`: `tf.image.ssim` with checks.

    Uses `tf.image.ssim`'s defaults (11x11 Gaussian window, sigma 1.5,
    k1 0.01, k2 0.03), as in Wang et al. 2004. Multi-channel images give the
    mean over channels.

    Args:
        images, references: arrays `(batch, H, W, C)` of the same shape,
            values in `[0, max_value]`, with `H, W >= 11`.
        max_value: float. The dynamic range, `1.0` for images in [0, 1],
            `255.0` for uint8 values. Defaults to `1.0`.

    Reference: Wang, Bovik, Sheikh & Simoncelli, "Image Quality
    Assessment: From Error Visibility to Structural Similarity", 2004.
    """
    if not max_value > 0:
        raise ValueError(f"max_value must be positive. Received: max_value={max_value}")
    images = np.asarray(images, np.float32)
    references = np.asarray(references, np.float32)
    if images.shape != references.shape or images.ndim != 4:
        raise ValueError(
            "images and references must both be (batch, height, width, channels) with the same "
            f"shape. Received: images with shape={images.shape}, references with shape={references.shape}"
        )
    if min(images.shape[1:3]) < FILTER_SIZE:
        raise ValueError(
            f"SSIM's {FILTER_SIZE}x{FILTER_SIZE} window needs images at least {FILTER_SIZE} pixels "
            f"high and wide. Received: shape={images.shape}"
        )
    check_value_range("images", images, max_value)
    check_value_range("references", references, max_value)
    return tf.image.ssim(images, references, max_val=max_value).numpy()
