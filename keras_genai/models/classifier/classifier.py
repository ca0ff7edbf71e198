import keras
import numpy as np
from keras import ops

from keras_genai.models.examples import example_images
from keras_genai.models.generative_model import GenerativeModel


@keras.saving.register_keras_serializable(package="keras_genai")
class Classifier(GenerativeModel):
    """Base of the image classifiers: softmax cross-entropy on `self.network`.

    Subclasses build `self.network` (image -> logits) and `self.feature_model`
    (image -> the penultimate features, used as a cheap feature space for
    metrics). Trains on `(images, labels)`; metrics `loss` and `accuracy`.
    """

    tracker_names = ("loss", "accuracy")
    needs_labels = True

    def __init__(self, image_shape=(28, 28, 1), num_classes=10, **kwargs):
        super().__init__(**kwargs)
        image_shape = tuple(image_shape)
        if len(image_shape) != 3 or min(image_shape) < 1:
            raise ValueError(
                f"image_shape must be (height, width, channels). Received: image_shape={image_shape}"
            )
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2. Received: num_classes={num_classes}")
        self.image_shape = image_shape
        self.num_classes = num_classes

    def call(self, x, training=False):
        return ops.softmax(ops.cast(self.network(x, training=training), "float32"))

    def compute_losses(self, x, y=None, training=False):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} needs labels: pass (images, labels) pairs. Received: labels=None"
            )
        logits = ops.cast(self.network(x, training=training), "float32")
        labels = ops.cast(ops.reshape(y, (-1,)), "int32")
        loss = keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)
        correct = ops.cast(ops.equal(ops.argmax(logits, axis=-1), labels), "float32")
        return {"loss": ops.mean(loss), "accuracy": ops.mean(correct)}

    def predict_classes(self, x, batch_size=256):
        return np.argmax(self.predict(x, batch_size=batch_size, verbose=0), axis=-1)

    def features(self, x, batch_size=256):
        """Penultimate-layer features, shape `(N, feature_dim)`."""
        return self.feature_model.predict(x, batch_size=batch_size, verbose=0)

    def serving_endpoints(self):
        image = keras.Input(self.image_shape, name="image")
        probabilities = keras.layers.Activation("softmax", dtype="float32")(self.network(image))
        return {
            "classify": keras.Model([image], probabilities, name="classify"),
            "features": keras.Model(
                [image], self.float32_output(self.feature_model(image)), name="features"
            ),
        }

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint in ("classify", "features"):
            return {"image": example_images(self.image_shape, self.value_range, num, data, seed)}
        return super().example_inputs(endpoint, num, data, seed)
