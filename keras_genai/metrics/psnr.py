from keras import ops


def psnr(images, references, max_value=1.0):
    """Peak signal-to-noise ratio per image in dB, shape `(batch,)`.

    Identical images give +inf, as in `tf.image.psnr`.
    """
    images = ops.cast(images, "float32")
    references = ops.cast(references, "float32")
    mse = ops.mean(ops.reshape(ops.square(images - references), (ops.shape(images)[0], -1)), axis=-1)
    return 10.0 * ops.log(max_value**2 / mse) / ops.log(10.0)
