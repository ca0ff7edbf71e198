import keras
from keras import ops

from keras_genai.losses import path_lengths
from keras_genai.regularizers.regularizer import Regularizer


@keras.saving.register_keras_serializable(package="keras_genai")
class PathLengthPenalty(Regularizer):
    """StyleGAN2's path-length regularizer on the generator.

    `weight * E[(||J_w^T y|| - a)^2]`, where `a` is an exponential moving
    average of the path lengths (a non-trainable weight saved with the
    model). The latents and the map from them to samples come from the
    model's `path_length_latents(step)` and `synthesize_from_latents(latents,
    conditions)` hooks (z and the generator for the plain GAN; w and the
    synthesis network for StyleGAN).

    Args:
        weight: float. Defaults to `2.0`, StyleGAN2's.
        interval: int. Lazy: every k-th generator update, weight x k.
            Defaults to `4`, StyleGAN2's.
        decay: float. Update rate of the running mean `a`, in (0, 1].
            Defaults to `0.01`.

    Reference: Karras et al., "Analyzing and Improving the Image Quality of
    StyleGAN", CVPR 2020, sec. 3.2.
    """

    side = "generator"

    def __init__(self, weight=2.0, interval=4, decay=0.01, **kwargs):
        kwargs.setdefault("name", "path_length_penalty")
        super().__init__(weight, interval, **kwargs)
        if not 0 < decay <= 1:
            raise ValueError(f"PathLengthPenalty decay must be in (0, 1]. Received: decay={decay}")
        self.decay = float(decay)
        self.mean_path_length = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                                name="mean_path_length")

    def compute(self, model, step, training):
        lengths = path_lengths(
            lambda latents: model.synthesize_from_latents(latents, step["conditions"]),
            model.path_length_latents(step), model.seed_generator,
        )
        mean = ops.stop_gradient(self.mean_path_length + self.decay * (ops.mean(lengths) - self.mean_path_length))
        if training:
            self.mean_path_length.assign(mean)
        return ops.mean(ops.square(lengths - mean))

    def get_config(self):
        return {**super().get_config(), "decay": self.decay}
