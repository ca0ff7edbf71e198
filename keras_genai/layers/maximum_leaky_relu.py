import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_genai")
class MaximumLeakyReLU(keras.layers.Layer):
    """Leaky ReLU computed as `maximum(x, negative_slope * x)`.

    The same function as `keras.layers.LeakyReLU` for a slope in [0, 1],
    for a cheaper second derivative: TensorFlow's gradient of the
    `LeakyRelu` gradient returns an explicit zero tensor for the
    pre-activation, and the double backward pass of a gradient penalty then
    runs every earlier layer's backward pass on zeros. `maximum`'s gradient
    is a select on a mask with no gradient, so that branch does not exist
    (on the keras.io WGAN-GP critic the penalty's weight gradient takes
    about a third less time, see `tools/studies/bench_gan.py`).

    Args:
        negative_slope: float in [0, 1]. Slope for negative inputs.
            Defaults to `0.2`.

    Example:

    >>> MaximumLeakyReLU(0.2)(np.array([-1.0, 2.0]))
    array([-0.2,  2. ], dtype=float32)
    """

    def __init__(self, negative_slope=0.2, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= negative_slope <= 1.0:
            raise ValueError(
                "negative_slope must be in [0, 1] (max(x, a * x) is a leaky ReLU only there). "
                f"Received: negative_slope={negative_slope}"
            )
        self.negative_slope = float(negative_slope)

    def call(self, inputs):
        return ops.maximum(inputs, ops.multiply(ops.cast(self.negative_slope, inputs.dtype), inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
