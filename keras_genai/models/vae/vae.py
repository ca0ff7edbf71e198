import keras
import numpy as np
from keras import ops

from keras_genai.distribute.replicas import draw_rows
from keras_genai.losses import bernoulli_nll, gaussian_kl, gaussian_nll
from keras_genai.models.examples import example_images
from keras_genai.models.generative_model import GenerativeModel
from keras_genai.models.networks import check_architecture, feature_extractor, image_generator

DECODER_DISTRIBUTIONS = ("bernoulli", "gaussian")


@keras.saving.register_keras_serializable(package="keras_genai")
class VAE(GenerativeModel):
    """Variational autoencoder with a Gaussian latent, on images in [0, 1].

    The encoder outputs the mean and log-variance of q(z|x); training
    minimises `reconstruction_loss + beta * kl_loss`, both summed over pixels
    and latent units (nats per image). The metric `elbo` is always the true
    evidence lower bound (beta = 1), so it is comparable across betas.
    β-VAE is `VAE(beta=4.0)`.

    Args:
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        latent_dim: int. Size of z. Defaults to `16`.
        beta: float. Weight of the KL term. Defaults to `1.0`.
        decoder_distribution: str. `"bernoulli"` (pixel intensities as
            Bernoulli means, the usual choice for MNIST-like data) or
            `"gaussian"` (mean `sigmoid(logits)` and one learned scale, as
            in the σ-VAE). Defaults to `"bernoulli"`.
        architecture: str. `"conv"` or `"dense"`. Defaults to `"conv"`.
        widths: tuple. Filters per conv layer or units per dense layer.
            Defaults to `(32, 64)`.
        seed: int or None. Seed for the reparameterisation noise and
            sampling. Defaults to `None`.

    Example:

    ```python
    vae = keras_genai.models.VAE(latent_dim=16, beta=1.0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    vae.fit(keras_genai.data.image_dataset("fashion_mnist"), epochs=10)
    images = vae.generate(64)
    ```

    References: Kingma & Welling, "Auto-Encoding Variational Bayes", 2014;
    Higgins et al., "beta-VAE", ICLR 2017; Rybkin et al., "Simple and
    Effective VAE Training with Calibrated Decoders", 2021.
    """

    tracker_names = ("loss", "reconstruction_loss", "kl_loss", "elbo")

    def __init__(
        self,
        image_shape=(28, 28, 1),
        latent_dim=16,
        beta=1.0,
        decoder_distribution="bernoulli",
        architecture="conv",
        widths=(32, 64),
        **kwargs,
    ):
        super().__init__(**kwargs)
        image_shape, widths = check_architecture(architecture, image_shape, widths)
        if latent_dim < 1:
            raise ValueError(f"latent_dim must be at least 1. Received: latent_dim={latent_dim}")
        if beta < 0:
            raise ValueError(f"beta must be >= 0. Received: beta={beta}")
        if decoder_distribution not in DECODER_DISTRIBUTIONS:
            raise ValueError(
                f"decoder_distribution must be one of {DECODER_DISTRIBUTIONS}. "
                f"Received: decoder_distribution={decoder_distribution!r}"
            )
        # === Layers ===
        image = keras.Input(image_shape, name="image")
        conditions = self.condition_inputs()
        h = self.with_condition(feature_extractor(architecture, image_shape, widths)(image), conditions)
        z_mean = keras.layers.Dense(latent_dim, dtype="float32", name="z_mean")(h)
        z_log_var = keras.layers.Dense(latent_dim, dtype="float32", name="z_log_var")(h)
        self.encoder = keras.Model([image] + conditions, [z_mean, z_log_var], name="encoder")

        z = keras.Input((latent_dim,), name="z")
        conditions = self.condition_inputs()
        h = self.with_condition(z, conditions)
        generator = image_generator(architecture, h.shape[-1], image_shape, widths)
        self.decoder = keras.Model([z] + conditions, generator(h), name="decoder")
        if decoder_distribution == "gaussian":
            self.log_sigma = self.add_weight(shape=(), initializer="zeros", name="log_sigma")
        # === Config ===
        self.image_shape = image_shape
        self.latent_dim = latent_dim
        self.beta = beta
        self.decoder_distribution = decoder_distribution
        self.architecture = architecture
        self.widths = widths
        self.built = True

    # === Hooks for conditional variants ===

    def condition_inputs(self):
        """Extra symbolic inputs of encoder and decoder (none here)."""
        return []

    def with_condition(self, h, conditions):
        """Joins the condition to features `h`; nothing to join here."""
        return h

    def condition_values(self, y, num_samples=None):
        """The values fed to the condition inputs for labels `y`."""
        return []

    def example_conditions(self, num, seed=0):
        """Typical values of the condition inputs by name, `num` rows (none here)."""
        return {}

    # === Model ===

    def call(self, x, training=False):
        z_mean, _ = self.encoder([x], training=training)
        return self.mean_image(self.decoder([z_mean], training=training))

    def mean_image(self, logits):
        return ops.sigmoid(logits)

    def reconstruction_nll(self, x, logits):
        if self.decoder_distribution == "bernoulli":
            return bernoulli_nll(x, logits)
        return gaussian_nll(x, ops.sigmoid(logits), self.log_sigma)

    def sample_latent(self, z_mean, z_log_var):
        noise = draw_rows(keras.random.normal, ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * noise

    def negative_elbo_terms(self, x, y=None, training=False):
        """Per-example reconstruction NLL and KL, both in nats."""
        conditions = self.condition_values(y)
        z_mean, z_log_var = self.encoder([x] + conditions, training=training)
        z = self.sample_latent(z_mean, z_log_var)
        logits = self.decoder([z] + conditions, training=training)
        return self.reconstruction_nll(x, logits), gaussian_kl(z_mean, z_log_var)

    def compute_losses(self, x, y=None, training=False):
        reconstruction, kl = self.negative_elbo_terms(x, y, training)
        reconstruction, kl = ops.mean(reconstruction), ops.mean(kl)
        return {
            "loss": reconstruction + self.beta * kl,
            "reconstruction_loss": reconstruction,
            "kl_loss": kl,
            "elbo": -(reconstruction + kl),
        }

    # === Sampling API ===

    def generate(self, num_samples=16, z=None, labels=None, seed=None):
        """Images decoded from z ~ N(0, I) (or the given `z`), in [0, 1]."""
        z = self.sample_latents(num_samples, seed=seed) if z is None else z
        return self.decode(z, labels)

    def decode(self, z, labels=None):
        z = self.check_latent(z)
        logits = self.decoder.predict([z] + self.condition_values(labels, len(z)), verbose=0)
        return ops.convert_to_numpy(self.mean_image(logits))

    def encode(self, x, labels=None):
        """Mean of q(z|x)."""
        return self.encoder.predict([x] + self.condition_values(labels, len(x)), verbose=0)[0]

    def reconstruct(self, x, labels=None):
        return self.decode(self.encode(x, labels), labels)

    def interpolate(self, x_start, x_end, steps=8, labels=None):
        """Decodes `steps` points on the line between the codes of two images."""
        z0, z1 = self.encode(np.stack([x_start, x_end]), labels)
        t = np.linspace(0.0, 1.0, steps, dtype="float32")[:, None]
        label = None if labels is None else np.repeat(np.asarray(labels)[:1], steps)
        return self.decode((1 - t) * z0 + t * z1, label)

    def score(self, x, labels=None, batch_size=256):
        """Anomaly score: the negative ELBO per image (one z sample)."""
        scores = []
        for start in range(0, len(x), batch_size):
            y = None if labels is None else labels[start : start + batch_size]
            rec, kl = self.negative_elbo_terms(x[start : start + batch_size], y)
            scores.append(ops.convert_to_numpy(rec + kl))
        return np.concatenate(scores)

    def serving_endpoints(self):
        image = keras.Input(self.image_shape, name="image")
        z = keras.Input((self.latent_dim,), name="z")
        conditions = self.condition_inputs()
        sigmoid = keras.layers.Activation("sigmoid", dtype="float32")
        z_mean = self.encoder([image] + conditions)[0]
        return {
            "encode": keras.Model([image] + conditions, z_mean, name="encode"),
            "decode": keras.Model(
                [z] + conditions, sigmoid(self.decoder([z] + conditions)), name="decode"
            ),
            "reconstruct": keras.Model(
                [image] + conditions,
                sigmoid(self.decoder([z_mean] + conditions)),
                name="reconstruct",
            ),
        }

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint == "decode":
            first = {"z": self.sample_latents(num, data, seed)}
        elif endpoint in ("encode", "reconstruct"):
            first = {"image": example_images(self.image_shape, self.value_range, num, data, seed)}
        else:
            return super().example_inputs(endpoint, num, data, seed)
        return {**first, **self.example_conditions(num, seed)}

    def grid_images(self, x, y=None):
        x = ops.convert_to_numpy(x)
        labels = None if y is None else ops.convert_to_numpy(y)
        # Fixed noise so that grids from different epochs are comparable.
        samples = self.generate(len(x), labels=labels, seed=0)
        return {"samples": samples, "input": x, "reconstruction": self.reconstruct(x, labels)}
