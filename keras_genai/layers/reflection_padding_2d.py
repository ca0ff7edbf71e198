import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_genai")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads height and width by reflecting the image at its border.

    `keras.ops.pad(mode="reflect")` on the two spatial axes, as numpy's
    `pad(mode="reflect")`: the border pixel is not repeated. CycleGAN's
    ResNet generator pads this way before its 7x7 and 3x3 convolutions so
    that the borders of translated images carry no zero-padding artefacts;
    LiteRT runs it as its builtin `MIRROR_PAD`.

    Args:
        padding: int. Pixels added on each side; less than the height and
            width of the input. Defaults to `1`.

    Example:

    >>> ReflectionPadding2D(1)(np.arange(4.0).reshape(1, 2, 2, 1))[0, :, :, 0]
    array([[3., 2., 3., 2.],
           [1., 0., 1., 0.],
           [3., 2., 3., 2.],
           [1., 0., 1., 0.]], dtype=float32)
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, bool) or not isinstance(padding, int) or padding < 0:
            raise ValueError(f"padding must be an integer >= 0. Received: padding={padding!r}")
        self.padding = padding

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"ReflectionPadding2D takes (batch, height, width, channels) inputs. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        height, width = input_shape[1:3]
        if any(size is not None and size <= self.padding for size in (height, width)):
            raise ValueError(
                f"Reflection padding of {self.padding} needs height and width above {self.padding}. "
                f"Received: input_shape={tuple(input_shape)}"
            )

    def call(self, inputs):
        p = self.padding
        return ops.pad(inputs, [[0, 0], [p, p], [p, p], [0, 0]], mode="reflect")

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        grow = lambda size: None if size is None else size + 2 * self.padding  # noqa: E731
        return (batch, grow(height), grow(width), channels)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}
