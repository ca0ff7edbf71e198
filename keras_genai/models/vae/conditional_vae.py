import keras

from keras_genai.models.labels import LabelConditioning
from keras_genai.models.vae.vae import VAE


@keras.saving.register_keras_serializable(package="keras_genai")
class ConditionalVAE(LabelConditioning, VAE):
    """Class-conditional VAE: encoder and decoder both see the label.

    Labels enter through a learned embedding joined to the image features
    (encoder) and to z (decoder), so `generate(labels=...)` draws images of
    the asked classes. Trains on `(images, labels)` pairs. Takes every
    argument of `VAE`, plus:

    Args:
        num_classes: int. Number of classes; labels are in
            `[0, num_classes)`. Defaults to `10`.
        label_embedding_dim: int. Size of the label embedding.
            Defaults to `16`.

    Example:

    ```python
    cvae = keras_genai.models.ConditionalVAE(num_classes=10)
    cvae.compile(optimizer="adam")
    cvae.fit(keras_genai.data.image_dataset("fashion_mnist", with_labels=True))
    boots = cvae.generate(16, labels=[9] * 16)
    ```

    Reference: Sohn et al., "Learning Structured Output Representation
    using Deep Conditional Generative Models", NeurIPS 2015.
    """

    def __init__(self, num_classes=10, label_embedding_dim=16, **kwargs):
        # Read by the condition hooks while the parent builds the networks.
        self.set_label_config(num_classes, label_embedding_dim)
        super().__init__(**kwargs)
