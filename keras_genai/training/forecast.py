"""`forecast`: a series -> a fitted forecaster -> forecasts, metrics, a plot."""

import csv
import json
import os
import shutil

import keras
import numpy as np

from keras_genai.data.series import future_dates, load_series, read_date_column
from keras_genai.models.registry import get_forecaster
from keras_genai.training.train import construct

METHODS = ("least_squares", "gradient")


def build_forecaster(name, preset="cpu", overrides=None, seed=0):
    """A registry forecaster with its preset and `overrides` (None values skipped)."""
    entry = get_forecaster(name)
    presets = entry["presets"]
    if preset not in presets:
        raise ValueError(f"Forecaster {name!r} has presets {sorted(presets)}. Received: preset={preset!r}")
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    return construct(entry["class"], dict(presets[preset]), overrides, seed)


def fit_forecaster(model, series, method="gradient", epochs=100, batch_size=32, learning_rate=None,
                   validation_series=None, verbose=0):
    """Fits `model` on `series`: exact least squares (AR only) or Adam on windows.

    Returns:
        dict: method, epochs, final training loss (standardised MSE) and,
        with `validation_series`, its validation loss.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}. Received: method={method!r}")
    if method == "least_squares":
        if not hasattr(model, "fit_least_squares"):
            raise ValueError(
                f"{type(model).__name__} has no closed-form fit; use method='gradient'. "
                f"Received: method={method!r}"
            )
        model.fit_least_squares(series)
        windows, targets = model.window_arrays(series)
        loss = model.compute_losses(windows.astype("float32"), targets.astype("float32"))["loss"]
        return {"method": method, "loss": float(loss)}
    model.adapt(series)
    model.compile(**model.default_optimizers(learning_rate))
    validation = None
    if validation_series is not None:
        validation = model.windows(validation_series, batch_size, shuffle=False)
    history = model.fit(
        model.windows(series, batch_size, seed=model.seed), epochs=epochs,
        validation_data=validation, verbose=verbose,
    )
    result = {"method": method, "epochs": epochs, "batch_size": batch_size,
              "learning_rate": float(model.optimizer.learning_rate.numpy()),
              "loss": float(history.history["loss"][-1])}
    if validation is not None:
        result["val_loss"] = float(history.history["val_loss"][-1])
    return result


def rolling_origin_errors(model, series, start, horizon):
    """Forecast errors from every origin `t` in `[start, len(series) - horizon]`.

    Each forecast sees `series[:t]` only (the true values, not earlier
    forecasts) and is scored on `series[t : t + horizon]`.

    Returns:
        dict: origins, rmse (all steps), mae, rmse_by_step (list), and
        the `(origins, horizon)` forecasts.
    """
    series = np.asarray(series, np.float64)
    if start < model.history_length:
        raise ValueError(
            f"The first origin needs {model.history_length} values of history. Received: start={start}"
        )
    origins = np.arange(start, len(series) - horizon + 1)
    if len(origins) == 0:
        raise ValueError(
            f"No origin leaves {horizon} values to score: the test part has "
            f"{len(series) - start} values. Use a larger test part or a smaller horizon."
        )
    histories = np.stack([series[t - model.history_length : t] for t in origins])
    forecasts = model.forecast(histories, horizon)
    actual = np.stack([series[t : t + horizon] for t in origins])
    errors = forecasts - actual
    return {
        "origins": int(len(origins)),
        "rmse": float(np.sqrt(np.mean(errors**2))),
        "mae": float(np.mean(np.abs(errors))),
        "rmse_by_step": np.sqrt(np.mean(errors**2, axis=0)).tolist(),
        "forecasts": forecasts,
    }


def plot_forecast(path, history, forecast, actual=None, size=(800, 360)):
    """Line plot with PIL: history (black), forecast (red), held-out truth (green)."""
    from PIL import Image, ImageDraw

    history = np.asarray(history, np.float64)
    parts = [history, np.asarray(forecast, np.float64)]
    if actual is not None:
        parts.append(np.asarray(actual, np.float64))
    low = min(p.min() for p in parts)
    high = max(p.max() for p in parts)
    high = high if high > low else low + 1.0
    width, height = size
    margin = 40
    total = len(history) + max(len(p) for p in parts[1:])
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)

    def points(values, offset):
        return [
            (margin + (offset + i) * (width - 2 * margin) / max(total - 1, 1),
             height - margin - (v - low) * (height - 2 * margin) / (high - low))
            for i, v in enumerate(values)
        ]

    draw.rectangle([margin, margin, width - margin, height - margin], outline="gray")
    draw.text((4, margin - 14), f"{high:.4g}", fill="black")
    draw.text((4, height - margin + 2), f"{low:.4g}", fill="black")
    start = len(history) - 1  # forecasts continue from the last observed value
    draw.line(points(history, 0), fill="black", width=1)
    if actual is not None:
        draw.line(points(np.concatenate([history[-1:], parts[2]]), start), fill="green", width=2)
    draw.line(points(np.concatenate([history[-1:], parts[1]]), start), fill="red", width=2)
    draw.text((margin + 4, height - margin + 12),
              "black: series   red: forecast" + ("   green: held-out values" if actual is not None else ""),
              fill="black")
    image.save(path)
    return path


# A recurrent window of `lags` values is read by weights for each lag: on short series (the
# Nile's 80 training years) 24 lags did worse than the naive forecast and 2 to 4 better
# (tools/results/forecast_own_series.json), so the default window has at most one lag per this
# many values of the (differenced) training series.
VALUES_PER_LAG = 20


def window_for_length(preset_lags, length):
    """The recurrent forecasters' default window: the preset's `lags`, shortened to one lag
    per `VALUES_PER_LAG` values of a differenced training series of `length` values."""
    return max(1, min(int(preset_lags), length // VALUES_PER_LAG))


def naive_errors(series, start, horizon, period=None):
    """Rolling-origin RMSE of the naive forecast (the last value repeated) from the same
    origins as `rolling_origin_errors`, and of the seasonal naive one (the value `period`
    steps before) when `period` is given."""
    series = np.asarray(series, np.float64)
    origins = np.arange(start, len(series) - horizon + 1)
    actual = np.stack([series[t : t + horizon] for t in origins])
    result = {"naive_rmse": float(np.sqrt(np.mean((actual - series[origins - 1][:, None]) ** 2)))}
    if period and start >= period:
        steps = np.arange(horizon)
        # The value one season before each forecast step, from the history before the origin.
        seasonal = np.stack([series[t - period + steps % period] for t in origins])
        result["seasonal_naive_rmse"] = float(np.sqrt(np.mean((actual - seasonal) ** 2)))
    return result


def _write_forecast_csv(path, forecast, dates):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["step", "date", "forecast"] if dates else ["step", "forecast"])
        for i, value in enumerate(forecast):
            writer.writerow([i + 1, dates[i], repr(float(value))] if dates else [i + 1, repr(float(value))])


def forecast_series(model_name, series, out, horizon, column=None, date_column=None, preset="cpu",
                    lags=None, max_lags=None, d=0, seasonal_d=0, period=None, method=None, epochs=None,
                    batch_size=None, learning_rate=None, test_size=None, refit=True, overwrite=False,
                    seed=0, plot_points=200):
    """The `keras-genai forecast` run: fit, score on a held-out tail, forecast.

    With `test_size`, a model is fitted on all but the last `test_size`
    values and scored by rolling-origin `horizon`-step forecasts over them,
    beside the naive forecast from the same origins. The forecast after
    the end of the series then comes from a model of the same settings
    refitted on the whole series, or with `refit=False` from the model
    fitted on the training part (the report's `forecast_from` says which).

    Without `lags`, `ar` picks its order by AIC; the recurrent forecasters
    take the preset's window shortened to `window_for_length` of the
    training part; a given `lags` longer than that (fewer than
    `VALUES_PER_LAG` training values per lag) adds a warning to the report.

    When a CSV `series` has a date column (`date_column`, or a header named
    as in `keras_genai.data.series.DATE_COLUMN_NAMES`), `forecast.csv`
    carries the dates after the last one (`future_dates`; the report's
    `dates` says how they were found, or why there are none).

    Writes into `out`: `forecast.csv` (step, date when known, value),
    `forecast.json` (settings, fit, test metrics, forecast), `model.keras`
    (the model the forecast comes from) and `forecast.png`.

    Returns:
        the dict written to `forecast.json`.
    """
    if os.path.isdir(out) and os.listdir(out):
        if not overwrite:
            raise FileExistsError(f"Output folder {out!r} is not empty. Pass --overwrite or another --out.")
        shutil.rmtree(out)
    entry = get_forecaster(model_name)
    defaults = entry["fit"]
    method = method or defaults["method"]
    values = load_series(series, column)
    from_csv = isinstance(series, (str, os.PathLike))
    if date_column is not None and not from_csv:
        raise ValueError(f"date_column applies to CSV files only. Received: date_column={date_column!r} "
                         "with an array")
    if test_size is not None and not 0 < test_size < len(values):
        raise ValueError(
            f"test_size must be in [1, {len(values) - 1}] for a series of {len(values)} values. "
            f"Received: test_size={test_size}"
        )
    train = values[:-test_size] if test_size else values
    differenced_length = len(train) - d - seasonal_d * (period or 0)
    cautions = []
    if lags is None and hasattr(entry["class"], "select_lags"):
        limit = max_lags or defaults.get("max_lags", 24)
        limit = max(1, min(limit, differenced_length // 3))
        lags = max(1, entry["class"].select_lags(train, limit, d, seasonal_d, period))
    elif lags is None:
        lags = window_for_length(build_forecaster(model_name, preset).lags, differenced_length)
    elif not hasattr(entry["class"], "select_lags") and differenced_length < VALUES_PER_LAG * lags:
        cautions.append(
            f"a window of {lags} lags on {differenced_length} (differenced) training values, fewer than "
            f"{VALUES_PER_LAG} per lag: on a series this short a shorter window usually forecasts "
            f"better (the default would be --lags {window_for_length(lags, differenced_length)}); "
            "compare the test RMSE with the naive one"
        )
    settings = {"lags": lags, "horizon": horizon, "d": d, "seasonal_d": seasonal_d, "period": period}
    fit_settings = (method, epochs or defaults.get("epochs", 100), batch_size or defaults.get("batch_size", 32),
                    learning_rate or defaults.get("learning_rate"))
    # The initialisers draw from Keras' global seed, not the model's: without it --seed repeats nothing.
    keras.utils.set_random_seed(seed)
    model = build_forecaster(model_name, preset, settings, seed=seed)
    what = "the training part" if test_size else "the series"
    model.check_series(train, model.output_steps + 1, f"{what} ({len(train)} values)")
    fit = fit_forecaster(model, train, *fit_settings)
    report = {
        "model": model_name, "class": type(model).__name__, "config": model.get_config(),
        "series": {"source": str(series) if from_csv else "array",
                   "column": column, "length": int(len(values)), "train_length": int(len(train))},
        "fit": fit, "horizon": horizon,
    }
    if test_size:
        test_horizon = min(horizon, test_size)
        scores = rolling_origin_errors(model, values, len(train), test_horizon)
        scores.pop("forecasts")
        report["test"] = {"size": test_size, "horizon": test_horizon, **scores,
                          **naive_errors(values, len(train), test_horizon, period)}
    final = model
    if test_size and refit:
        keras.utils.set_random_seed(seed)
        final = build_forecaster(model_name, preset, settings, seed=seed)
        report["refit"] = fit_forecaster(final, values, *fit_settings)
        report["forecast_from"] = f"the model refitted on the whole series ({len(values)} values)"
    elif test_size:
        report["forecast_from"] = (f"the model fitted on the training part only (the first {len(train)} "
                                   f"of {len(values)} values; refit=False)")
    else:
        report["forecast_from"] = f"the model fitted on the whole series ({len(values)} values)"
    if hasattr(final, "coefficients"):
        report["coefficients"] = final.coefficients().tolist()
    forecast = final.forecast(values, horizon)
    report["forecast"] = forecast.tolist()
    dates = None
    if from_csv:
        name, cells = read_date_column(os.fspath(series), column, date_column)
        if name is not None:
            dates, note = future_dates(cells, horizon)
            report["dates"] = {"column": name, "note": note, "forecast_dates": dates}
            if dates is None:
                cautions.append(f"forecast.csv has steps only: {note}")
    report["warnings"] = cautions

    os.makedirs(out, exist_ok=True)
    _write_forecast_csv(os.path.join(out, "forecast.csv"), forecast, dates)
    with open(os.path.join(out, "forecast.json"), "w") as f:
        json.dump(report, f, indent=1)
    final.save(os.path.join(out, "model.keras"))
    if test_size:
        # The held-out tail next to the forecast made from the training part.
        actual = values[len(train):]
        plot_forecast(os.path.join(out, "test_forecast.png"), train[-plot_points:],
                      model.forecast(train, len(actual)), actual)
    plot_forecast(os.path.join(out, "forecast.png"), values[-plot_points:], forecast)
    return report
