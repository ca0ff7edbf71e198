"""Layer construction shared by the SAGAN / BigGAN blocks."""

import keras
from keras import ops


def maybe_spectral(layer, spectral_norm):
    """`layer` wrapped in Keras' `SpectralNormalization` when `spectral_norm`."""
    return keras.layers.SpectralNormalization(layer) if spectral_norm else layer


def conv(filters, kernel_size, spectral_norm, use_bias=True):
    """A stride-1 `"same"` convolution, spectrally normalised on request."""
    return maybe_spectral(keras.layers.Conv2D(filters, kernel_size, padding="same", use_bias=use_bias),
                          spectral_norm)


def upsample_nearest(x):
    """2x nearest-neighbour upsampling of NHWC `x`; `ops.repeat` twice, which XLA
    differentiates (it cannot `UpSampling2D`'s resize gradient, tf #60203)."""
    return ops.repeat(ops.repeat(x, 2, axis=1), 2, axis=2)


def average_pool_2x2(x):
    return ops.average_pool(x, 2, strides=2, padding="valid")


def check_positive_int(name, value):
    """`value` if it is an integer >= 1 (not a bool), else a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1. Received: {name}={value!r}")
    return value


def check_image_input(layer, shape):
    if len(shape) != 4:
        raise ValueError(f"{type(layer).__name__} takes (batch, height, width, channels) inputs. "
                         f"Received: input_shape={tuple(shape)}")
