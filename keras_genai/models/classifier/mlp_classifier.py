import keras

from keras_genai.models.classifier.classifier import Classifier


@keras.saving.register_keras_serializable(package="keras_genai")
class MLPClassifier(Classifier):
    """Multi-layer perceptron image classifier.

    Flattens the image, then `Dense -> ReLU -> Dropout` per hidden layer.

    Args:
        image_shape: tuple. `(height, width, channels)`. Defaults to
            `(28, 28, 1)`.
        num_classes: int. Number of classes. Defaults to `10`.
        hidden_units: tuple. Units per hidden layer. Defaults to `(512, 256)`.
        dropout: float. Dropout rate after each hidden layer.
            Defaults to `0.2`.
        seed: int or None. Defaults to `None`.

    Example:

    ```python
    model = keras_genai.models.MLPClassifier()
    model.compile(optimizer="adam")
    model.fit(keras_genai.data.image_dataset("fashion_mnist", with_labels=True))
    ```

    Reference: Rumelhart, Hinton & Williams, "Learning representations by
    back-propagating errors", Nature 1986.
    """

    def __init__(self, hidden_units=(512, 256), dropout=0.2, **kwargs):
        super().__init__(**kwargs)
        hidden_units = tuple(int(u) for u in hidden_units)
        if not hidden_units or min(hidden_units) < 1:
            raise ValueError(f"hidden_units must be positive integers. Received: hidden_units={hidden_units}")
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1). Received: dropout={dropout}")
        # === Layers ===
        image = keras.Input(self.image_shape, name="image")
        h = keras.layers.Flatten()(image)
        for units in hidden_units:
            h = keras.layers.Dense(units, activation="relu")(h)
            features = h
            h = keras.layers.Dropout(dropout)(h)
        logits = keras.layers.Dense(self.num_classes, dtype="float32", name="logits")(h)
        self.network = keras.Model(image, logits, name="network")
        self.feature_model = keras.Model(image, features, name="feature_model")
        # === Config ===
        self.hidden_units = hidden_units
        self.dropout = dropout
        self.built = True
