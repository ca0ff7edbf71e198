import keras
from keras import ops

from keras_genai.distribute.replicas import draw_rows
from keras_genai.metrics import psnr
from keras_genai.models.autoencoder.autoencoder import Autoencoder

NOISE_KINDS = ("gaussian", "salt_and_pepper", "masking")


@keras.saving.register_keras_serializable(package="keras_genai")
class DenoisingAutoencoder(Autoencoder):
    """Autoencoder trained to undo corruption of its input.

    Training (and evaluation) corrupt each image with fresh noise and score
    the reconstruction against the clean image; the metric `noisy_psnr`
    is the PSNR of the corrupted input, `psnr` that of the output. Takes every argument of
    `Autoencoder`, plus:

    Args:
        noise: str. `"gaussian"` (add N(0, noise_level^2), clip to [0, 1]),
            `"salt_and_pepper"` (a `noise_level` share of pixels set to 0 or 1)
            or `"masking"` (a `noise_level` share of pixels set to 0).
            Defaults to `"gaussian"`.
        noise_level: float. Standard deviation or share of pixels.
            Defaults to `0.3`.

    Example:

    ```python
    model = keras_genai.models.DenoisingAutoencoder(noise="masking", noise_level=0.5)
    noisy = model.add_noise(clean_images)
    denoised = model.reconstruct(noisy)
    ```

    Reference: Vincent et al., "Extracting and Composing Robust Features
    with Denoising Autoencoders", ICML 2008.
    """

    tracker_names = Autoencoder.tracker_names + ("noisy_psnr",)

    def __init__(self, noise="gaussian", noise_level=0.3, **kwargs):
        if noise not in NOISE_KINDS:
            raise ValueError(f"noise must be one of {NOISE_KINDS}. Received: noise={noise!r}")
        if noise_level < 0 or (noise != "gaussian" and noise_level > 1):
            raise ValueError(
                "noise_level must be >= 0 (and at most 1 for a share of pixels). "
                f"Received: noise={noise!r}, noise_level={noise_level}"
            )
        super().__init__(**kwargs)
        self.noise = noise
        self.noise_level = noise_level

    def corrupt(self, x):
        x = ops.cast(x, "float32")
        if self.noise == "gaussian":
            noise = draw_rows(keras.random.normal, ops.shape(x), seed=self.seed_generator)
            return ops.clip(x + self.noise_level * noise, 0.0, 1.0)
        hit = draw_rows(keras.random.uniform, ops.shape(x), seed=self.seed_generator) < self.noise_level
        if self.noise == "masking":
            return ops.where(hit, 0.0, x)
        salt = draw_rows(keras.random.uniform, ops.shape(x), seed=self.seed_generator) < 0.5
        return ops.where(hit, ops.cast(salt, "float32"), x)

    def compute_losses(self, x, y=None, training=False):
        # One draw of noise feeds both the encoder and the noisy-input PSNR.
        noisy = self.corrupt(x)
        losses = self.reconstruction_losses(x, noisy, training)
        losses["noisy_psnr"] = ops.mean(psnr(noisy, x))
        return losses

    def add_noise(self, x):
        """The corruption used in training, applied to `x` (numpy)."""
        return ops.convert_to_numpy(self.corrupt(x))

    def grid_images(self, x, y=None):
        noisy = self.add_noise(x)
        return {"clean": ops.convert_to_numpy(x), "noisy": noisy, "denoised": self.reconstruct(noisy)}
