"""`keras-genai forecast MODEL ...` -> `keras_genai.training.forecast.forecast_series`."""

import argparse
import sys

from keras_genai.cli import arguments, names


def _forecasters():
    """One line per forecaster: name, class, the first line of its docstring."""
    width = max(len(name) for name in names.FORECASTERS) + 2
    return "\n".join(f"  {name:<{width}}{class_name}: {summary}"
                     for name, (class_name, summary) in names.FORECASTERS.items())


def register(subparsers):
    p = subparsers.add_parser(
        "forecast", help="fit a forecaster to a CSV column and forecast its next values",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Fit MODEL to one column of a CSV file (header row required) and forecast the "
                    "next --horizon values.\n\n" + _forecasters() + "\n\n"
                    "ar fits by exact least squares (as statsmodels AutoReg), p by AIC unless --lags;\n"
                    "it has no MA terms: use a longer AR instead (it approximates them). The recurrent\n"
                    "nets read the last --lags differenced values and predict --horizon values at once\n"
                    "(direct); they train with Adam.\n\n"
                    "--out gets forecast.csv (with dates when the CSV has a date column), forecast.json\n"
                    "(settings, fit, coefficients, test metrics), model.keras (the model the forecast\n"
                    "comes from) and forecast.png (plus test_forecast.png with --test-size).",
        epilog="example:\n  keras-genai forecast ar --series co2.csv --column co2 --horizon 24 "
               "--d 1 --seasonal-d 1 --period 12 --test-size 120 --out runs/co2_ar",
    )
    # Each dest is the name of a `forecast_series()` parameter.
    # No argparse `choices`: the registry's error names the known forecasters and, for a name of
    # `train` such as lstm, the forecaster meant (lstm_forecaster).
    p.add_argument("model_name", metavar="MODEL", help=f"one of: {', '.join(sorted(names.FORECASTERS))}")
    p.add_argument("--series", required=True, help="CSV file with a header row")
    p.add_argument("--column", help="column to forecast (may be omitted if the file has one column)")
    p.add_argument("--date-column",
                   help="column of dates; forecast.csv then gets the dates after the last one (default: "
                        "a column named date, time, year, month, ds, ...; the frequency is inferred by "
                        "pandas, else the step of the last two dates; without dates: steps only, and "
                        "the output says why)")
    p.add_argument("--horizon", type=arguments.positive_int, required=True, help="values to forecast")
    p.add_argument("--lags", type=arguments.positive_int,
                   help="window length p (default: ar picks p by AIC up to --max-lags; "
                        "the recurrent nets use the preset's 24, shortened on short series to "
                        "one lag per 20 training values)")
    p.add_argument("--max-lags", type=arguments.positive_int,
                   help="ar: largest p the AIC search tries (default: 24)")
    p.add_argument("--d", type=int, choices=(0, 1, 2), default=0, help="lag-1 differences (default: 0)")
    p.add_argument("--seasonal-d", type=int, choices=(0, 1, 2), default=0,
                   help="seasonal differences D (needs --period; default: 0)")
    p.add_argument("--period", type=arguments.positive_int, help="season length s, e.g. 12 for monthly data")
    p.add_argument("--method", choices=("least_squares", "gradient"),
                   help="ar only: closed-form least squares (default) or Adam on windows")
    p.add_argument("--test-size", type=arguments.positive_int,
                   help="hold out the last N values and report rolling-origin test RMSE on them "
                        "(and the naive forecast's); the final forecast is then refitted on the whole "
                        "series unless --no-refit")
    p.add_argument("--no-refit", dest="refit", action="store_false",
                   help="with --test-size: forecast with the model fitted on the training part only")
    p.add_argument("--epochs", type=arguments.positive_int, help="gradient training epochs (default: 100)")
    p.add_argument("--batch-size", type=arguments.positive_int,
                   help="gradient training batch size (default: 32)")
    p.add_argument("--learning-rate", type=arguments.positive_float, help="Adam learning rate")
    p.add_argument("--preset", default="cpu", help="model preset (default: cpu; 'tiny' for smoke tests)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it holds files")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.training.forecast import forecast_series

    report = forecast_series(**arguments.library_kwargs(args))
    config = report["config"]
    print(f"{report['class']} lags={config['lags']} d={config['d']} seasonal_d={config['seasonal_d']} "
          f"period={config['period']}, fit: {report['fit']['method']}, "
          f"training loss (standardised MSE) {report['fit']['loss']:.4f}")
    if "test" in report:
        test = report["test"]
        seasonal = (f", seasonal naive {test['seasonal_naive_rmse']:.4f}"
                    if "seasonal_naive_rmse" in test else "")
        print(f"test: last {test['size']} values, {test['origins']} origins, "
              f"{test['horizon']}-step RMSE {test['rmse']:.4f}, MAE {test['mae']:.4f} "
              f"(naive: RMSE {test['naive_rmse']:.4f}{seasonal})")
    for warning in report["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"forecast from {report['forecast_from']}: " + ", ".join(f"{v:.4g}" for v in report["forecast"]))
    if report.get("dates", {}).get("forecast_dates"):
        dates = report["dates"]
        print(f"dates: {dates['forecast_dates'][0]} .. {dates['forecast_dates'][-1]} "
              f"({dates['note']}; column {dates['column']!r})")
    print(f"wrote {args.out}/forecast.csv, forecast.json, model.keras, forecast.png")
