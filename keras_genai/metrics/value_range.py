"""The value range image metrics expect, checked before they compute a plausible-looking wrong number."""

import numpy as np


def check_value_range(name, values, max_value=1.0, hint="scale them or set max_value"):
    """Raises a ValueError unless `values` are finite and in `[0, max_value]`.

    Allows `1e-3 * max_value` of float round-off. The message gives the
    range received, e.g. [0, 255] for uint8 values passed as [0, 1] images.
    """
    values = np.asarray(values, np.float32)
    slack = 1e-3 * max_value
    if not np.all(np.isfinite(values)) or values.min() < -slack or values.max() > max_value + slack:
        raise ValueError(
            f"{name} must be finite and in [0, {max_value}] (max_value={max_value}). Received: "
            f"values in [{np.nanmin(values):g}, {np.nanmax(values):g}]; {hint}."
        )
    return values
