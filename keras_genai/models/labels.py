"""Class conditioning shared by the conditional models."""

import keras
import numpy as np

from keras_genai.models.examples import example_labels


def label_inputs(model_name, y, num_classes, num_samples=None):
    """Checks labels and returns them as the model's condition inputs `[y]`.

    A scalar label is repeated `num_samples` times; numpy or list labels
    are range-checked; symbolic tensors (inside `fit`) pass through.
    """
    if y is None:
        raise ValueError(
            f"{model_name} needs labels: pass (images, labels) pairs to fit, or labels=... "
            "to generate, encode and decode. Received: labels=None"
        )
    if isinstance(y, (list, tuple, np.ndarray, int, np.integer)):
        if np.ndim(y) == 0 and num_samples is not None:
            y = np.full(num_samples, y)
        y = np.asarray(y).reshape(-1)
        if y.size and (y.min() < 0 or y.max() >= num_classes):
            raise ValueError(
                f"Labels must be in [0, {num_classes}). Received labels in [{y.min()}, {y.max()}]."
            )
        y = y.astype("int32")
    return [y]


class LabelConditioning:
    """Mixin for the condition hooks of VAE and DCGAN: an integer `label`
    input whose learned embedding is joined to the features (or z).

    Call `set_label_config` before the parent constructor builds networks.
    """

    needs_labels = True

    def set_label_config(self, num_classes, label_embedding_dim):
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2. Received: num_classes={num_classes}")
        if label_embedding_dim < 1:
            raise ValueError(
                f"label_embedding_dim must be at least 1. Received: label_embedding_dim={label_embedding_dim}"
            )
        self.num_classes = num_classes
        self.label_embedding_dim = label_embedding_dim

    def condition_inputs(self):
        return [keras.Input((), dtype="int32", name="label")]

    def with_condition(self, h, conditions):
        embedding = keras.layers.Embedding(self.num_classes, self.label_embedding_dim)
        return keras.layers.Concatenate()([h, embedding(conditions[0])])

    def condition_values(self, y, num_samples=None):
        return label_inputs(type(self).__name__, y, self.num_classes, num_samples)

    def example_conditions(self, num, seed=0):
        return {"label": example_labels(self.num_classes, num, seed)}
