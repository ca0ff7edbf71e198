import keras

from keras_genai.models.gan.dcgan import DCGAN
from keras_genai.models.labels import LabelConditioning


@keras.saving.register_keras_serializable(package="keras_genai")
class ConditionalGAN(LabelConditioning, DCGAN):
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

    def __init__(self, num_classes=10, label_embedding_dim=16, **kwargs):
        # Read by the condition hooks while the parent builds the networks.
        self.set_label_config(num_classes, label_embedding_dim)
        super().__init__(**kwargs)

    def discriminator_head(self, features, conditions):
        unconditional = keras.layers.Dense(1)(features)
        projection = keras.layers.Dot(axes=1)(
            [keras.layers.Embedding(self.num_classes, features.shape[-1])(conditions[0]), features]
        )
        return keras.layers.Add(dtype="float32", name="logits")([unconditional, projection])
