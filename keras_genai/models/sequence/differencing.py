"""Differencing `(1 - B)^d (1 - B^s)^D` and its exact inverse, in `keras.ops`.

Both work on the last axis of eager tensors or numpy arrays of any float
dtype (float64 keeps the series' precision) and on symbolic Keras tensors,
so the same code runs in `Forecaster.forecast` and in exported graphs.
"""

from keras import ops


def difference_lags(d=0, seasonal_d=0, period=None):
    """The lag of each differencing pass: `period` D times, then 1 d times."""
    if seasonal_d and (period is None or period < 2):
        raise ValueError(
            f"seasonal_d={seasonal_d} needs the season length period >= 2 (CLI: --period). Received: period={period}"
        )
    return [period] * seasonal_d + [1] * d


def difference(series, lag=1):
    """`series[t] - series[t - lag]` along the last axis (`lag` values shorter)."""
    return series[..., lag:] - series[..., :-lag]


def difference_levels(series, lags):
    """`[series, once differenced, twice differenced, ...]`, one per lag in `lags`."""
    levels = [series]
    for lag in lags:
        levels.append(difference(levels[-1], lag))
    return levels


def integrate(increments, tail, lag=1):
    """Inverts `difference`: the values that follow `tail` given their differences.

    Args:
        increments: `(..., horizon)` differenced values after the end of the
            undifferenced series.
        tail: `(..., >= lag)` the undifferenced series so far (its last
            `lag` values are used).
        lag: int. The differencing lag.

    Returns:
        `(..., horizon)`: `y[t] = increments[t] + y[t - lag]`, exactly the
        sums a hand recursion gives (no cumulative-sum reordering).
    """
    horizon = increments.shape[-1]
    tail = tail[..., -lag:]
    values = []
    for t in range(horizon):
        previous = tail[..., t] if t < lag else values[t - lag]
        values.append(increments[..., t] + previous)
    return ops.stack(values, axis=-1)


def undifference(increments, levels, lags):
    """Integrates forecasts of the last level back through every level."""
    for level, lag in zip(reversed(levels[:-1]), reversed(lags)):
        increments = integrate(increments, level, lag)
    return increments
