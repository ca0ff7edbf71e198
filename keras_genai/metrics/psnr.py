import tensorflow as tf
from keras import ops

from keras_genai.metrics.value_range import check_value_range


def psnr(images, references, max_value=1.0):
    """Peak signal-to-noise ratio per image in dB, shape `(batch,)`.

    `images` and `references` hold values in `[0, max_value]` (1.0 for
    images in [0, 1], 255.0 for uint8 values); given eagerly, values outside
    it are a ValueError (a [0, 1] image against a [0, 255] one gave -40 dB).
    Identical images give +inf, as in `tf.image.psnr`.
    """
    if tf.executing_eagerly():  # inside a traced train step there are no values to check
        check_value_range("images", images, max_value)
        check_value_range("references", references, max_value)
    images = ops.cast(images, "float32")
    references = ops.cast(references, "float32")
    mse = ops.mean(ops.reshape(ops.square(images - references), (ops.shape(images)[0], -1)), axis=-1)
    return 10.0 * ops.log(max_value**2 / mse) / ops.log(10.0)
