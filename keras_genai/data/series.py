"""Time series: a CSV column or a numpy array -> checked values -> windows."""

import csv
import os

import numpy as np
import tensorflow as tf

# Cells read as missing values (then reported as NaN by `check_series`).
MISSING = {"", "nan", "na", "n/a", "null", "none", "-"}


def read_series_csv(path, column=None):
    """One numeric column of a CSV file with a header row, as float64.

    Args:
        path: str. The CSV file.
        column: str or None. Header name of the column. May be omitted when
            the file has a single column.

    Returns:
        1-D float64 numpy array; empty cells and `NaN`/`NA` become NaN (which
        `check_series` then reports).
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Series file {path!r} does not exist.")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValueError(f"{path!r} has no header row naming its columns.")
    header = [cell.strip() for cell in rows[0]]
    if column is None:
        if len(header) != 1:
            raise ValueError(
                f"{path!r} has {len(header)} columns; name one with column= (CLI: --column). "
                f"Available columns: {', '.join(header)}. Received: column=None"
            )
        column = header[0]
    if column not in header:
        raise ValueError(
            f"{path!r} has no column {column!r}. Available columns: {', '.join(header)}. "
            f"Received: column={column!r}"
        )
    index = header.index(column)
    values = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank line, e.g. at the end of the file
        cell = row[index].strip() if index < len(row) else ""
        if cell.lower() in MISSING:
            values.append(np.nan)
            continue
        try:
            values.append(float(cell))
        except ValueError:
            raise ValueError(
                f"{path!r}, line {line}, column {column!r}: expected a number. Received: {cell!r}"
            ) from None
    return np.asarray(values, np.float64)


def check_series(series, min_length=1, name="series"):
    """`series` as a finite 1-D float64 array of at least `min_length` values.

    Raises a ValueError naming what was received otherwise.
    """
    values = np.asarray(series)
    if values.ndim == 2 and 1 in values.shape:
        values = values.reshape(-1)
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per time step). Received: shape={values.shape}")
    if not (np.issubdtype(values.dtype, np.number) or values.dtype == bool):
        raise ValueError(f"{name} must hold numbers. Received: dtype={values.dtype}")
    values = values.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        raise ValueError(
            f"{name} holds {len(bad)} NaN or infinite values (first at positions "
            f"{bad[:5].tolist()}); fill or drop them first, e.g. pandas' interpolate()."
        )
    if len(values) < min_length:
        raise ValueError(
            f"{name} is too short: at least {min_length} values are needed. "
            f"Received: {name} with length={len(values)}"
        )
    return values


def load_series(source, column=None, min_length=1):
    """A checked 1-D float64 series from a CSV path or an array-like."""
    if isinstance(source, (str, os.PathLike)):
        name = f"column {column!r} of {os.fspath(source)!r}" if column else os.fspath(source)
        return check_series(read_series_csv(os.fspath(source), column), min_length, name)
    if column is not None:
        raise ValueError(f"column= applies to CSV files only. Received: column={column!r} with an array")
    return check_series(source, min_length)


def series_window_arrays(series, lags, horizon=1):
    """All `(window, target)` pairs of a series, as float64 arrays.

    Row `i` is `series[i : i + lags]` and the `horizon` values after it.

    Returns:
        `(windows, targets)` of shapes `(N, lags)` and `(N, horizon)`,
        `N = len(series) - lags - horizon + 1`.
    """
    if lags < 1 or horizon < 1:
        raise ValueError(f"lags and horizon must be >= 1. Received: lags={lags}, horizon={horizon}")
    series = check_series(series, lags + horizon)
    pairs = np.lib.stride_tricks.sliding_window_view(series, lags + horizon)
    return pairs[:, :lags].copy(), pairs[:, lags:].copy()


def series_windows(series, lags, horizon=1, batch_size=32, shuffle=True, seed=None):
    """A batched `tf.data.Dataset` of float32 `(window, target)` pairs.

    The windows are in the series' own units: keras-genai forecasters
    standardise inside the model (so exports take raw values); see
    `Forecaster.windows`, which differences the series first.
    """
    windows, targets = series_window_arrays(series, lags, horizon)
    dataset = tf.data.Dataset.from_tensor_slices(
        (windows.astype(np.float32), targets.astype(np.float32))
    )
    if shuffle:
        dataset = dataset.shuffle(len(windows), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
