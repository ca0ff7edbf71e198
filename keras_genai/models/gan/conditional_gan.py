import keras

from keras_genai.models.gan.dcgan import DCGAN
from keras_genai.models.labels import label_inputs


@keras.saving.register_keras_serializable(package="keras_genai")
class ConditionalGAN(DCGAN):
    """Class-conditional DCGAN with a projection discriminator.

    The generator sees a learned label embedding joined to z; the
    discriminator's output is `w . phi(x) + embed(y) . phi(x)` (Miyato &
    Koyama's projection). Trains on `(images, labels)` pairs; `generate`
    takes `labels`. Takes every argument of `DCGAN`, plus:

    Args:
        num_classes: int. Number of classes. Defaults to `10`.
        label_embedding_dim: int. Size of the generator's label embedding.
            Defaults to `16`.

    Example:

    ```python
    cgan = keras_genai.models.ConditionalGAN(num_classes=10)
    cgan.compile()
    cgan.fit(keras_genai.data.image_dataset("fashion_mnist", value_range=(-1, 1), with_labels=True))
    sneakers = cgan.generate(16, labels=7)
    ```

    References: Mirza & Osindero, "Conditional Generative Adversarial
    Nets", 2014; Miyato & Koyama, "cGANs with Projection Discriminator",
    ICLR 2018.
    """

    needs_labels = True

    def __init__(self, num_classes=10, label_embedding_dim=16, **kwargs):
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2. Received: num_classes={num_classes}")
        if label_embedding_dim < 1:
            raise ValueError(
                f"label_embedding_dim must be at least 1. Received: label_embedding_dim={label_embedding_dim}"
            )
        # Read by the condition hooks while the parent builds the networks.
        self.num_classes = num_classes
        self.label_embedding_dim = label_embedding_dim
        super().__init__(**kwargs)

    def condition_inputs(self):
        return [keras.Input((), dtype="int32", name="label")]

    def with_condition(self, z, conditions):
        embedding = keras.layers.Embedding(self.num_classes, self.label_embedding_dim)(conditions[0])
        return keras.layers.Concatenate()([z, embedding])

    def discriminator_head(self, features, conditions):
        unconditional = keras.layers.Dense(1)(features)
        projection = keras.layers.Dot(axes=1)(
            [keras.layers.Embedding(self.num_classes, features.shape[-1])(conditions[0]), features]
        )
        return keras.layers.Add(dtype="float32", name="logits")([unconditional, projection])

    def condition_values(self, y, num_samples=None):
        return label_inputs("ConditionalGAN", y, self.num_classes, num_samples)
