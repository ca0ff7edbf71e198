import keras
import numpy as np

from keras_genai.models.gan.adversarial_model import AdversarialModel

OUTPUT_ACTIVATIONS = ("tanh", "linear")


@keras.saving.register_keras_serializable(package="keras_genai")
class GAN(AdversarialModel):
    """The original GAN with multi-layer perceptrons.

    Works on images (flattened, `tanh` outputs in [-1, 1]) and on points,
    e.g. the 2-D Gaussian mixtures of `keras_genai.data.mixtures` with
    `data_shape=(2,)` and `output_activation="linear"`. Takes every argument
    of `AdversarialModel`, plus:

    Args:
        data_shape: tuple. Shape of one sample. Defaults to `(28, 28, 1)`.
        hidden_units: tuple. Units per hidden layer of both networks.
            Defaults to `(256, 256)`.
        output_activation: str. `"tanh"` for data in [-1, 1] or `"linear"`.
            Defaults to `"tanh"`.
        discriminator_dropout: float. Dropout rate after each hidden layer
            of the discriminator (Goodfellow et al. trained theirs with
            dropout), in [0, 1). Defaults to `0.0`.

    Example:

    ```python
    gan = keras_genai.models.GAN(data_shape=(2,), output_activation="linear", latent_dim=2)
    gan.compile()
    gan.fit(points, batch_size=256, epochs=20)
    ```

    Reference: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """

    def __init__(self, data_shape=(28, 28, 1), hidden_units=(256, 256), output_activation="tanh",
                 discriminator_dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        data_shape = tuple(int(d) for d in data_shape)
        hidden_units = tuple(int(u) for u in hidden_units)
        if not data_shape or min(data_shape) < 1:
            raise ValueError(f"data_shape must be positive integers. Received: data_shape={data_shape}")
        if not hidden_units or min(hidden_units) < 1:
            raise ValueError(f"hidden_units must be positive integers. Received: hidden_units={hidden_units}")
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(
                f"output_activation must be one of {OUTPUT_ACTIVATIONS}. "
                f"Received: output_activation={output_activation!r}"
            )
        if not 0 <= discriminator_dropout < 1:
            raise ValueError(
                f"discriminator_dropout must be in [0, 1). Received: discriminator_dropout={discriminator_dropout}"
            )
        # === Layers ===
        z = keras.Input((self.latent_dim,), name="z")
        h = z
        for units in hidden_units:
            h = keras.layers.Dense(units, activation="relu")(h)
        h = keras.layers.Dense(int(np.prod(data_shape)))(h)
        h = keras.layers.Activation(output_activation, dtype="float32")(h)
        self.generator = keras.Model([z], keras.layers.Reshape(data_shape)(h), name="generator")
        sample = keras.Input(data_shape, name="sample")
        h = keras.layers.Flatten()(sample)
        for units in reversed(hidden_units):
            h = self.discriminator_activation()(keras.layers.Dense(units)(h))
            if discriminator_dropout:
                h = keras.layers.Dropout(discriminator_dropout)(h)
        logits = keras.layers.Dense(1, dtype="float32")(h)
        self.discriminator = keras.Model([sample], logits, name="discriminator")
        # === Config ===
        self.data_shape = data_shape
        self.hidden_units = hidden_units
        self.output_activation = output_activation
        self.discriminator_dropout = discriminator_dropout
        if output_activation == "linear":
            self.value_range = None  # unbounded data: no range check
        self.finish_networks()

    def expected_input_shape(self):
        return self.data_shape
