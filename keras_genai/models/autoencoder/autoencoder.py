import keras
from keras import ops

from keras_genai.losses import sigmoid_cross_entropy
from keras_genai.metrics import psnr
from keras_genai.models.examples import example_images
from keras_genai.models.generative_model import GenerativeModel
from keras_genai.models.networks import check_architecture, feature_extractor, image_generator

RECONSTRUCTION_LOSSES = ("bce", "mse")


@keras.saving.register_keras_serializable(package="keras_genai")
class Autoencoder(GenerativeModel):
    """Deterministic autoencoder, convolutional or dense, on images in [0, 1].

    The encoder maps an image to a `latent_dim` code and the decoder maps it
    back. Variants override hooks: `corrupt` (denoising) and `latent_penalty`
    (sparsity). `score(x)` is the per-image mean squared reconstruction
    error, an anomaly score.

    Args:
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of the code. Defaults to `32`.
        architecture: str. `"conv"` (stride-2 convolutions) or `"dense"`.
            Defaults to `"conv"`.
        widths: tuple. Filters per conv layer, or units per dense layer.
            Defaults to `(32, 64)`.
        reconstruction_loss: str. `"bce"` (per-pixel binary cross-entropy
            on logits) or `"mse"`. Defaults to `"bce"`.
        latent_activation: str or None. Activation of the code.
            Defaults to `None`.
        seed: int or None. Seed for random draws. Defaults to `None`.

    Example:

    ```python
    model = keras_genai.models.Autoencoder(latent_dim=16)
    model.compile(optimizer="adam")
    model.fit(keras_genai.data.image_dataset("shapes", batch_size=64), epochs=1)
    codes = model.encode(images)
    ```

    Reference: Hinton & Salakhutdinov, "Reducing the Dimensionality of Data
    with Neural Networks", Science 2006.
    """

    tracker_names = ("loss", "reconstruction_loss", "psnr")

    def __init__(
        self,
        image_shape=(28, 28, 1),
        latent_dim=32,
        architecture="conv",
        widths=(32, 64),
        reconstruction_loss="bce",
        latent_activation=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        image_shape, widths = check_architecture(architecture, image_shape, widths)
        if latent_dim < 1:
            raise ValueError(f"latent_dim must be at least 1. Received: latent_dim={latent_dim}")
        if reconstruction_loss not in RECONSTRUCTION_LOSSES:
            raise ValueError(
                f"reconstruction_loss must be one of {RECONSTRUCTION_LOSSES}. "
                f"Received: reconstruction_loss={reconstruction_loss!r}"
            )
        # === Layers ===
        features = feature_extractor(architecture, image_shape, widths)
        image = keras.Input(image_shape, name="image")
        code = keras.layers.Dense(latent_dim, activation=latent_activation, name="code")(
            features(image)
        )
        self.encoder = keras.Model(image, code, name="encoder")
        self.decoder = image_generator(architecture, latent_dim, image_shape, widths)
        # === Config ===
        self.image_shape = image_shape
        self.latent_dim = latent_dim
        self.architecture = architecture
        self.widths = widths
        self.reconstruction_loss = reconstruction_loss
        self.latent_activation = latent_activation
        self.built = True

    # === Hooks for variants ===

    def corrupt(self, x):
        """The input the encoder sees; identity here, noise in denoising AEs."""
        return x

    def latent_penalty(self, code):
        """Extra losses on the code: `{name: scalar}`; summed into the loss."""
        return {}

    # === Model ===

    def call(self, x, training=False):
        return ops.sigmoid(self.decoder(self.encoder(x, training=training), training=training))

    def compute_losses(self, x, y=None, training=False):
        return self.reconstruction_losses(x, self.corrupt(x), training)

    def reconstruction_losses(self, x, encoder_input, training):
        code = self.encoder(encoder_input, training=training)
        logits = self.decoder(code, training=training)
        reconstruction = ops.mean(self.pixel_losses(x, logits))
        penalties = self.latent_penalty(code)
        loss = reconstruction
        for name, value in penalties.items():
            if name.endswith("_loss"):
                loss = loss + value
        return {
            "loss": loss,
            "reconstruction_loss": reconstruction,
            "psnr": ops.mean(psnr(ops.sigmoid(logits), x)),
            **penalties,
        }

    def pixel_losses(self, x, logits):
        """Per-image mean reconstruction loss, shape `(batch,)`."""
        x = ops.cast(x, "float32")
        if self.reconstruction_loss == "bce":
            values = sigmoid_cross_entropy(x, logits)
        else:
            values = ops.square(ops.sigmoid(logits) - x)
        return ops.mean(ops.reshape(values, (ops.shape(x)[0], -1)), axis=-1)

    def sample_latents(self, num_samples, images=None, seed=0):
        # A deterministic autoencoder has no prior: typical codes are encoded images.
        if images is None:
            return super().sample_latents(num_samples, seed=seed)
        return self.encode(images[:num_samples])

    def encode(self, x):
        return self.encoder.predict(x, verbose=0)

    def decode(self, code):
        return ops.convert_to_numpy(ops.sigmoid(self.decoder.predict(code, verbose=0)))

    def reconstruct(self, x):
        return self.predict(x, verbose=0)

    def score(self, x, batch_size=256):
        """Anomaly score: per-image mean squared reconstruction error."""
        reconstruction = self.predict(x, batch_size=batch_size, verbose=0)
        diff = (reconstruction - ops.convert_to_numpy(x)).reshape(len(reconstruction), -1)
        return (diff**2).mean(axis=-1)

    def serving_endpoints(self):
        image = keras.Input(self.image_shape, name="image")
        code = keras.Input((self.latent_dim,), name="z")
        sigmoid = keras.layers.Activation("sigmoid", dtype="float32")
        return {
            "encode": keras.Model([image], self.float32_output(self.encoder(image)), name="encode"),
            "decode": keras.Model([code], sigmoid(self.decoder(code)), name="decode"),
            "reconstruct": keras.Model([image], self(image), name="reconstruct"),
        }

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint == "decode":
            return {"z": self.sample_latents(num, data, seed)}
        if endpoint in ("encode", "reconstruct"):
            return {"image": example_images(self.image_shape, self.value_range, num, data, seed)}
        return super().example_inputs(endpoint, num, data, seed)

    def grid_images(self, x, y=None):
        x = ops.convert_to_numpy(x)
        return {"input": x, "reconstruction": self.reconstruct(x)}
