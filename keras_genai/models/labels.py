"""Label handling shared by the class-conditional models."""

import numpy as np


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
