import keras

from keras_genai.distribute.replicas import batch_normalization
from keras_genai.models.classifier.classifier import Classifier


@keras.saving.register_keras_serializable(package="keras_genai")
class CNNClassifier(Classifier):
    """Convolutional image classifier (VGG-style blocks with batch norm).

    Each block is `[Conv 3x3 -> BatchNorm -> ReLU] x 2 -> MaxPool -> Dropout`;
    then `Dense(dense_units) -> ReLU` (the features) `-> Dropout -> Dense`.
    Its penultimate features double as a cheap, domain-specific feature
    space for monitoring generative models (not comparable with Inception).

    Args:
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to `10`.
        filters: tuple. Filters per block. Defaults to `(32, 64)`.
        dense_units: int. Size of the feature layer. Defaults to `256`.
        dropout: float. Dropout before the output layer; blocks use half
            of it. Defaults to `0.4`.
        batch_norm_momentum: float. Momentum of the batch norm layers'
            moving statistics, which inference uses. Defaults to `0.9`
            (PyTorch's 0.1): they then follow the training statistics
            within ~40 steps, where Keras' 0.99 keeps 67% of their initial
            values after 40 steps (a small image folder's first 3 epochs)
            and a short run scores near chance on its own held-out images.
        seed: int or None. Defaults to `None`.

    Example:

    ```python
    model = keras_genai.models.CNNClassifier()
    model.compile(optimizer="adam")
    model.fit(keras_genai.data.image_dataset("fashion_mnist", with_labels=True))
    features = model.features(images)
    ```

    Reference: Simonyan & Zisserman, "Very Deep Convolutional Networks",
    ICLR 2015; Ioffe & Szegedy, "Batch Normalization", ICML 2015.
    """

    def __init__(self, filters=(32, 64), dense_units=256, dropout=0.4, batch_norm_momentum=0.9, **kwargs):
        super().__init__(**kwargs)
        filters = tuple(int(f) for f in filters)
        if not filters or min(filters) < 1:
            raise ValueError(f"filters must be positive integers. Received: filters={filters}")
        if min(self.image_shape[:2]) < 2 ** len(filters):
            raise ValueError(
                f"{len(filters)} pooling blocks need images of at least {2 ** len(filters)} pixels "
                f"a side. Received: image_shape={self.image_shape}"
            )
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1). Received: dropout={dropout}")
        if not 0 <= batch_norm_momentum < 1:
            raise ValueError(f"batch_norm_momentum must be in [0, 1). Received: batch_norm_momentum={batch_norm_momentum}")
        # === Layers ===
        image = keras.Input(self.image_shape, name="image")
        h = image
        for width in filters:
            for _ in range(2):
                h = keras.layers.Conv2D(width, 3, padding="same", use_bias=False)(h)
                h = batch_normalization(momentum=batch_norm_momentum)(h)
                h = keras.layers.Activation("relu")(h)
            h = keras.layers.MaxPooling2D()(h)
            h = keras.layers.Dropout(dropout / 2)(h)
        h = keras.layers.Flatten()(h)
        features = keras.layers.Dense(dense_units, activation="relu", name="features")(h)
        h = keras.layers.Dropout(dropout)(features)
        logits = keras.layers.Dense(self.num_classes, dtype="float32", name="logits")(h)
        self.network = keras.Model(image, logits, name="network")
        self.feature_model = keras.Model(image, features, name="feature_model")
        # === Config ===
        self.filters = filters
        self.dense_units = dense_units
        self.dropout = dropout
        self.batch_norm_momentum = float(batch_norm_momentum)
        self.built = True
