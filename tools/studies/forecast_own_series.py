"""`keras-genai forecast` on a short public annual series: the recurrent window, RMSE vs naive.

    nice -n 15 python -m tools.studies.forecast_own_series --seeds 0 1 2 \
        --out tools/results/forecast_own_series.json

Supports the README's "Your own series" paragraph and `VALUES_PER_LAG` in
`keras_genai/training/forecast.py`.

The Nile's annual flow at Aswan (statsmodels' `nile` dataset, 1871-1970, 100
values, written to a CSV with its `year` column), from the CLI alone:
`forecast MODEL --series nile.csv --column volume --horizon 5 --test-size 20`,
i.e. trained on 1871-1950 (80 values) and scored by rolling-origin 5-step
forecasts over 1951-1970 (16 origins), beside the naive forecast from the
same origins. `lstm_forecaster` and `gru_forecaster` with the window the CLI
chose before (`--lags 24`, the preset's) and with today's default (no
`--lags`: shortened to one lag per `VALUES_PER_LAG` training values),
`--seeds` seeds each; `ar` (order by AIC) once.
"""

import argparse
import json
import os
import tempfile

from tools.record import command, write_json


def nile_csv(path):
    import statsmodels.api as sm

    data = sm.datasets.nile.load_pandas().data
    data["year"] = data["year"].astype(int)
    data.to_csv(path, index=False)
    return len(data)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    from keras_genai.cli.main import main as cli

    rows = []
    with tempfile.TemporaryDirectory() as directory:
        series = os.path.join(directory, "nile.csv")
        length = nile_csv(series)
        base = ["--series", series, "--column", "volume", "--horizon", "5", "--test-size", "20"]
        runs = [("ar", [], 0)]
        for model in ("lstm_forecaster", "gru_forecaster"):
            for window, extra in (("--lags 24 (before)", ["--lags", "24"]), ("default (after)", [])):
                runs += [(model, extra, seed, window) for seed in args.seeds]
        for model, extra, seed, *window in runs:
            out = os.path.join(directory, f"{model}_{len(rows)}")
            argv_run = ["forecast", model, *base, *extra, "--seed", str(seed), "--out", out]
            assert cli(argv_run) == 0, argv_run
            with open(os.path.join(out, "forecast.json")) as f:
                report = json.load(f)
            test = report["test"]
            rows.append({"model": model, "window": window[0] if window else "AIC", "seed": seed,
                         "lags": report["config"]["lags"], "rmse": round(test["rmse"], 2),
                         "naive_rmse": round(test["naive_rmse"], 2),
                         "forecast_from": report["forecast_from"], "warnings": report["warnings"],
                         "dates": report.get("dates"),
                         "cli": "keras-genai " + " ".join(argv_run).replace(series, "nile.csv")
                                                               .replace(out, "OUT")})
            print(json.dumps({k: rows[-1][k] for k in ("model", "window", "seed", "lags", "rmse",
                                                       "naive_rmse")}), flush=True)
    summary = {}
    for row in rows:
        summary.setdefault(f"{row['model']} {row['window']}", []).append(row["rmse"])
    write_json(args.out, {
        "command": command(__spec__, argv),
        "data": f"statsmodels nile (annual, 1871-1970, {length} values); train 80, test 20, horizon 5",
        "summary_rmse": {k: {"mean": round(sum(v) / len(v), 2), "runs": v} for k, v in summary.items()},
        "naive_rmse": rows[0]["naive_rmse"],
        "rows": rows,
    })


if __name__ == "__main__":
    main()
