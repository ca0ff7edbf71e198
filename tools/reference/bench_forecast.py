"""Forecasters vs statsmodels, and AR(p) vs LSTM / GRU / RNN on real series.

    nice -n 5 python -m tools.reference.bench_forecast --out tools/results/forecast.json

1. statsmodels match on yearly sunspots (statsmodels' copy, 1700-2008, 309
   values): `AutoRegressive.fit_least_squares` vs `AutoReg(trend="c")` for
   several p (coefficients, in-sample fitted values, 20-step forecasts),
   the AIC/BIC order vs `ar_select_order`; and with differencing on monthly
   CO2: our (1-B)(1-B^12) + OLS vs statsmodels' own `diff` + `AutoReg`, and
   our integrated forecasts vs `SARIMAX(p,1,0)x(0,1,0,12)` filtered at the
   same coefficients.
2. Forecast accuracy on held-out tails, rolling origin: from every origin
   in the test part, forecast `horizon` steps from the true history; RMSE
   over all origins and steps (and per step). Every model is fitted on the
   training part only; no validation-based selection.
   - CO2 (Mauna Loa, weekly -> monthly means, months without data carried
     forward, 526 months 1958-03..2001-12): train to 1989-12 (382), test
     1990-01..2001-12 (144), horizon 12. All models use d=1, D=1, s=12.
   - Sunspots: train 1700-1979 (280), test 1980-2008 (29), horizon 5, no
     differencing.
   AR: p by AIC on the training part, OLS. Recurrent: `--epochs` epochs of
   Adam (lr 3e-3, batch 32, 32 units, lags 24 on CO2 / 20 on sunspots),
   `--seeds` seeds each. Baselines: seasonal naive (CO2) / last value.
"""

import argparse
import json
import os
import time

import numpy as np

from tools.record import command, write_json


def sunspots():
    import statsmodels.api as sm

    data = sm.datasets.sunspots.load_pandas().data
    return data["YEAR"].to_numpy().astype(int), data["SUNACTIVITY"].to_numpy(np.float64)


def co2_monthly():
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().ffill()
    return monthly.index, monthly.to_numpy(np.float64)


def relative(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)) / np.abs(np.asarray(b))))


def statsmodels_match():
    from statsmodels.tsa.ar_model import AutoReg, ar_select_order
    from statsmodels.tsa.statespace.sarimax import SARIMAX
    from statsmodels.tsa.statespace.tools import diff

    from keras_genai.data import series_window_arrays
    from keras_genai.models import AutoRegressive

    _, y = sunspots()
    rows = []
    for p in (1, 2, 9, 15):
        reference = AutoReg(y, lags=p, trend="c").fit()
        model = AutoRegressive(lags=p)
        model.fit_least_squares(y)
        windows, _ = series_window_arrays(y, p)
        fitted = model.predict(windows, verbose=0)[:, 0]
        forecast = model.forecast(y, 20)
        rows.append({
            "data": "sunspots (309 yearly values)", "p": p,
            "max_relative_coefficient_diff": relative(model.coefficients(), reference.params),
            "max_abs_fitted_diff": float(np.max(np.abs(fitted - reference.fittedvalues))),
            "max_abs_forecast_diff_20_steps": float(np.max(np.abs(forecast - reference.forecast(20)))),
            "max_relative_forecast_diff_20_steps": relative(forecast, reference.forecast(20)),
        })
    selection = {
        criterion: {
            "ours": AutoRegressive.select_lags(y, 15, criterion=criterion),
            "statsmodels": max(ar_select_order(y, 15, ic=criterion, trend="c", glob=False).ar_lags),
        }
        for criterion in ("aic", "bic")
    }

    _, co2 = co2_monthly()
    p = 3
    model = AutoRegressive(lags=p, d=1, seasonal_d=1, period=12)
    model.fit_least_squares(co2)
    z = diff(co2, k_diff=1, k_seasonal_diff=1, seasonal_periods=12)
    reference = AutoReg(z, lags=p, trend="c").fit()
    params = model.coefficients()
    sarimax = SARIMAX(co2, order=(p, 1, 0), seasonal_order=(0, 1, 0, 12), trend="c")
    filtered = sarimax.filter(np.r_[params, reference.sigma2])
    horizon = 36
    differenced = {
        "data": "CO2 monthly (526 values)", "p": p, "d": 1, "seasonal_d": 1, "period": 12,
        "max_relative_coefficient_diff_vs_autoreg_on_statsmodels_diff": relative(params, reference.params),
        "max_abs_forecast_diff_vs_sarimax_36_steps": float(
            np.max(np.abs(model.forecast(co2, horizon) - filtered.forecast(horizon)))
        ),
    }
    return {"autoreg": rows, "lag_selection_max_lags_15": selection, "differenced": differenced}


def rolling(model, series, start, horizon):
    from keras_genai.training.forecast import rolling_origin_errors

    scores = rolling_origin_errors(model, series, start, horizon)
    scores.pop("forecasts")
    return scores


def baseline(series, start, horizon, lag):
    """Repeat the value `lag` steps back (lag 12: seasonal naive; 1: last value)."""
    origins = np.arange(start, len(series) - horizon + 1)
    errors = []
    for t in origins:
        history = list(series[:t])
        for h in range(horizon):
            history.append(history[-lag])
        errors.append(np.asarray(history[t:]) - series[t : t + horizon])
    errors = np.asarray(errors)
    return {"origins": int(len(origins)), "rmse": float(np.sqrt(np.mean(errors**2))),
            "mae": float(np.mean(np.abs(errors))),
            "rmse_by_step": np.sqrt(np.mean(errors**2, axis=0)).tolist()}


def compare(name, series, train_size, horizon, differencing, recurrent_lags, max_lags, args,
            naive_lag):
    from keras_genai.models import AutoRegressive, LSTMForecaster
    from keras_genai.training.forecast import fit_forecaster

    train = series[:train_size]
    rows = [{"model": f"naive (repeat value {naive_lag} back)", **baseline(series, train_size, horizon, naive_lag)}]
    p = AutoRegressive.select_lags(train, max_lags, criterion="aic", **differencing)
    started = time.time()
    model = AutoRegressive(lags=p, horizon=horizon, **differencing)
    fit = fit_forecaster(model, train, "least_squares")
    rows.append({"model": "ar", "lags": p, "lags_by": f"AIC, max {max_lags}", "fit": fit,
                 "train_seconds": time.time() - started, **rolling(model, series, train_size, horizon)})
    for cell in ("lstm", "gru", "rnn"):
        runs = []
        for seed in range(args.seeds):
            started = time.time()
            model = LSTMForecaster(cell=cell, units=32, lags=recurrent_lags, horizon=horizon,
                                   seed=seed, **differencing)
            fit = fit_forecaster(model, train, "gradient", args.epochs, 32, 3e-3)
            runs.append({"seed": seed, "fit": fit, "train_seconds": time.time() - started,
                         **rolling(model, series, train_size, horizon)})
            print(f"  {name} {cell} seed {seed}: rmse {runs[-1]['rmse']:.4f} "
                  f"({runs[-1]['train_seconds']:.0f} s)", flush=True)
        rmse = [r["rmse"] for r in runs]
        rows.append({"model": cell, "lags": recurrent_lags, "units": 32, "epochs": args.epochs,
                     "batch_size": 32, "learning_rate": 3e-3, "rmse": float(np.mean(rmse)),
                     "rmse_std_over_seeds": float(np.std(rmse)), "runs": runs})
    return {"dataset": name, "length": int(len(series)), "train_size": int(train_size),
            "test_size": int(len(series) - train_size), "horizon": horizon,
            "differencing": differencing, "rows": rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="tools/results/forecast.json")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import statsmodels

    started = time.time()
    result = {
        "command": command(__spec__),
        "statsmodels_version": statsmodels.__version__,
        "statsmodels_match": statsmodels_match(),
    }
    print(json.dumps(result["statsmodels_match"], indent=1), flush=True)
    dates, co2 = co2_monthly()
    train_size = int(np.sum(dates.year <= 1989))
    comparisons = [compare("co2_monthly", co2, train_size, 12,
                           {"d": 1, "seasonal_d": 1, "period": 12}, 24, 24, args, naive_lag=12)]
    comparisons[0]["split"] = "train 1958-03..1989-12, test 1990-01..2001-12"
    years, spots = sunspots()
    train_size = int(np.sum(years <= 1979))
    comparisons.append(compare("sunspots_yearly", spots, train_size, 5, {}, 20, 15, args, naive_lag=1))
    comparisons[1]["split"] = "train 1700..1979, test 1980..2008"
    result["comparison"] = comparisons
    result["wall_seconds"] = time.time() - started
    write_json(args.out, result)
    for comparison in comparisons:
        print(f"{comparison['dataset']} ({comparison['split']}, horizon {comparison['horizon']}):")
        for row in comparison["rows"]:
            print(f"  {row['model']:<28} RMSE {row['rmse']:.4f}")
    print(f"{result['wall_seconds']:.0f} s")


if __name__ == "__main__":
    main()
