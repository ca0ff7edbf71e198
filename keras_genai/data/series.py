"""Time series: a CSV column or a numpy array -> checked values -> windows;
a CSV's date column -> the dates after its end."""

import csv
import datetime
import os
import warnings

import numpy as np
import tensorflow as tf

# Cells read as missing values (then reported as NaN by `check_series`).
MISSING = {"", "nan", "na", "n/a", "null", "none", "-"}
# Header names read as a date column when none is named (compared in lower case).
DATE_COLUMN_NAMES = ("date", "datetime", "timestamp", "time", "ds", "year", "month", "week", "day", "period")


def _read_rows(path):
    """The header and the non-blank data rows `(line number, cells)` of a CSV file."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Series file {path!r} does not exist.")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValueError(f"{path!r} has no header row naming its columns.")
    # Blank lines (e.g. at the end of the file) are no time steps.
    data = [(line, row) for line, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    return [cell.strip() for cell in rows[0]], data


def _column_index(path, header, name, argument):
    if name not in header:
        raise ValueError(
            f"{path!r} has no column {name!r}. Available columns: {', '.join(header)}. "
            f"Received: {argument}={name!r}"
        )
    return header.index(name)


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
    header, rows = _read_rows(path)
    if column is None:
        if len(header) != 1:
            raise ValueError(
                f"{path!r} has {len(header)} columns; name one with column= (CLI: --column). "
                f"Available columns: {', '.join(header)}. Received: column=None"
            )
        column = header[0]
    index = _column_index(path, header, column, "column")
    values = []
    for line, row in rows:
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


def read_date_column(path, column=None, date_column=None):
    """The date cells of a series CSV, one per value `read_series_csv` reads.

    Args:
        path: str. The CSV file.
        column: str or None. The value column, never taken as the dates.
        date_column: str or None. Header name of the date column. None
            looks for a header in `DATE_COLUMN_NAMES` (any case).

    Returns:
        `(name, cells)`: the column's name and its cells as str, or
        `(None, None)` when `date_column` is None and no header is a date name.
    """
    header, rows = _read_rows(path)
    if date_column is None:
        candidates = [name for name in header if name.lower() in DATE_COLUMN_NAMES and name != column]
        if not candidates:
            return None, None
        date_column = candidates[0]
    index = _column_index(path, header, date_column, "date_column")
    return date_column, [row[index].strip() if index < len(row) else "" for _, row in rows]


def _parse_dates(cells):
    """`cells` as datetimes (pandas when installed, else ISO 8601), or None."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        try:
            with warnings.catch_warnings():
                # "Could not infer format": the ValueError below says it for cells that are no dates.
                warnings.simplefilter("ignore", UserWarning)
                return pd.to_datetime(pd.Series(cells)).dt.to_pydatetime().tolist(), pd
        except (ValueError, TypeError, OverflowError):
            return None, pd
    try:
        return [datetime.datetime.fromisoformat(cell) for cell in cells], None
    except ValueError:
        return None, None


def future_dates(cells, horizon):
    """The `horizon` dates after a series' date cells, and how they were found.

    Whole numbers (years such as `1970`, or step counts) continue by the
    difference of the last two. Other dates are parsed (pandas when
    installed, else ISO 8601): pandas' `infer_freq` gives the frequency
    (monthly, quarterly, business days, ...); without pandas, or when
    pandas finds no regular frequency, the step is the difference of the
    last two dates.

    Returns:
        `(dates, note)`: a list of `horizon` str (in the cells' style:
        years stay years, dates without a time stay dates), or None when no
        dates can be made, and a one-line note saying how or why not.
    """
    cells = [str(cell).strip() for cell in cells]
    if len(cells) < 2:
        return None, f"no dates: {len(cells)} date cell(s), two are needed to find the step"
    if all(cell.lstrip("-").isdigit() for cell in cells[-2:]):
        step = int(cells[-1]) - int(cells[-2])
        if step <= 0:
            return None, f"no dates: the last two values of the date column do not increase ({cells[-2]}, {cells[-1]})"
        return [str(int(cells[-1]) + step * k) for k in range(1, horizon + 1)], \
            f"whole numbers, step {step} (the last two)"
    dates, pd = _parse_dates(cells)
    if dates is None:
        reader = "pandas" if pd is not None else "ISO 8601 (pandas is not installed)"
        return None, f"no dates: the date column does not parse as dates with {reader}, e.g. {cells[-1]!r}"
    with_time = any(d.time() != datetime.time(0) for d in dates)
    style = (lambda d: d.isoformat(sep=" ")) if with_time else (lambda d: d.date().isoformat())
    frequency = None
    if pd is not None and len(dates) >= 3:
        frequency = pd.infer_freq(pd.DatetimeIndex(dates))
    if frequency:
        future = pd.date_range(dates[-1], periods=horizon + 1, freq=frequency)[1:].to_pydatetime()
        return [style(d) for d in future], f"frequency {frequency} (inferred by pandas)"
    step = dates[-1] - dates[-2]
    if step <= datetime.timedelta(0):
        return None, f"no dates: the last two dates do not increase ({cells[-2]}, {cells[-1]})"
    why = "pandas inferred no regular frequency" if pd is not None else "pandas is not installed"
    return [style(dates[-1] + step * k) for k in range(1, horizon + 1)], \
        f"step {step} (the last two dates; {why})"


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
