"""Convolutional and dense stacks shared by the image models.

These build plain functional `keras.Model`s; the models in this package own
them as sub-models, so their weights save and export with the model.
"""

import keras

ARCHITECTURES = ("conv", "dense")


def check_architecture(architecture, image_shape, widths):
    if architecture not in ARCHITECTURES:
        raise ValueError(
            f"architecture must be one of {ARCHITECTURES}. Received: architecture={architecture!r}"
        )
    image_shape = tuple(image_shape)
    if len(image_shape) != 3 or min(image_shape) < 1:
        raise ValueError(
            f"image_shape must be (height, width, channels). Received: image_shape={image_shape}"
        )
    widths = tuple(int(w) for w in widths)
    if not widths or min(widths) < 1:
        raise ValueError(f"widths must be positive integers. Received: widths={widths}")
    factor = 2 ** len(widths)
    if architecture == "conv" and (image_shape[0] % factor or image_shape[1] % factor):
        raise ValueError(
            f"A conv stack with {len(widths)} stride-2 layers needs height and width "
            f"divisible by {factor}. Received: image_shape={image_shape}, widths={widths}"
        )
    return image_shape, widths


def feature_extractor(architecture, image_shape, widths, name="features"):
    """image -> flat features: stride-2 3x3 convs, or dense layers."""
    image = keras.Input(image_shape, name="image")
    h = image
    if architecture == "conv":
        for width in widths:
            h = keras.layers.Conv2D(width, 3, strides=2, padding="same", activation="relu")(h)
        h = keras.layers.Flatten()(h)
    else:
        h = keras.layers.Flatten()(h)
        for width in widths:
            h = keras.layers.Dense(width, activation="relu")(h)
    return keras.Model(image, h, name=name)


def image_generator(architecture, input_dim, image_shape, widths, name="decoder"):
    """vector -> image logits: the mirror of `feature_extractor`.

    The last layer is linear and float32, so callers choose the output
    distribution (sigmoid for [0, 1], tanh for [-1, 1]).
    """
    height, width, channels = image_shape
    z = keras.Input((input_dim,), name="z")
    if architecture == "conv":
        factor = 2 ** len(widths)
        h = keras.layers.Dense(
            (height // factor) * (width // factor) * widths[-1], activation="relu"
        )(z)
        h = keras.layers.Reshape((height // factor, width // factor, widths[-1]))(h)
        for w in reversed(widths):
            h = keras.layers.Conv2DTranspose(w, 3, strides=2, padding="same", activation="relu")(h)
        h = keras.layers.Conv2D(channels, 3, padding="same")(h)
    else:
        h = z
        for w in reversed(widths):
            h = keras.layers.Dense(w, activation="relu")(h)
        h = keras.layers.Dense(height * width * channels)(h)
        h = keras.layers.Reshape(image_shape)(h)
    logits = keras.layers.Activation("linear", dtype="float32", name="logits")(h)
    return keras.Model(z, logits, name=name)
