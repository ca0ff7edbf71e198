import keras

from keras_genai.layers import ProjectionDiscriminatorHead
from keras_genai.models.gan.sagan import SAGAN
from keras_genai.models.labels import LabelConditioning


@keras.saving.register_keras_serializable(package="keras_genai")
class ConditionalSAGAN(LabelConditioning, SAGAN):
    """Class-conditional SAGAN: conditional batch norm in G, a projection discriminator.

    Every batch normalisation of the generator's up blocks has a per-class
    gain and bias (`ConditionalBatchNormalization`), and the discriminator
    scores `psi(phi(x)) + embed(y) . phi(x)` (`ProjectionDiscriminatorHead`),
    as the SAGAN paper's ImageNet model. Trains on `(images, labels)` pairs;
    `generate` takes `labels`. Takes every argument of `SAGAN`, plus:

    Args:
        num_classes: int. Number of classes. Defaults to `10`.

    Example:

    ```python
    gan = keras_genai.models.ConditionalSAGAN(num_classes=10)
    gan.compile()
    gan.fit(keras_genai.data.image_dataset("fashion_mnist", value_range=(-1, 1), with_labels=True))
    sneakers = gan.generate(16, labels=7)
    ```

    References: Zhang et al. 2019; Miyato & Koyama, "cGANs with
    Projection Discriminator", ICLR 2018.
    """

    block_condition = "label"

    def __init__(self, num_classes=10, **kwargs):
        # Read by the condition hooks while the parent builds the networks.
        self.set_label_config(num_classes, 1)
        super().__init__(**kwargs)

    def generator_input(self, z, conditions):
        return z, [conditions[0]] * len(self.generator_widths)

    def block_num_classes(self):
        return self.num_classes

    def discriminator_head(self, features, conditions):
        return ProjectionDiscriminatorHead(self.num_classes, name="logits")([features, conditions[0]])
