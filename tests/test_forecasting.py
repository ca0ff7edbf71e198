"""Series forecasters: harness, statsmodels reference, differencing, bad input."""

import numpy as np
import pytest

from keras_genai.data import load_series, read_series_csv, series_window_arrays, series_windows
from keras_genai.models import AutoRegressive, LSTMForecaster
from keras_genai.models.sequence.differencing import (
    difference_lags,
    difference_levels,
    undifference,
)
from keras_genai.testing import run_model_test

TINY = {
    "ar": (AutoRegressive, {"lags": 3, "horizon": 4}),
    "sarima_style_ar": (AutoRegressive, {"lags": 2, "horizon": 5, "d": 1, "seasonal_d": 1, "period": 3}),
    "lstm": (LSTMForecaster, {"cell": "lstm", "units": 4, "lags": 5, "horizon": 3, "d": 1}),
    "gru": (LSTMForecaster, {"cell": "gru", "units": 4, "lags": 5, "horizon": 2}),
    "rnn": (LSTMForecaster, {"cell": "rnn", "units": 4, "num_layers": 2, "lags": 4, "horizon": 2}),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TINY))
def test_harness(name, tmp_path):
    model_class, kwargs = TINY[name]
    run_model_test(model_class, kwargs, tmp_path)


def simulate_ar(coefficients, const, n, seed=0, burn_in=200):
    rng = np.random.default_rng(seed)
    p = len(coefficients)
    y = np.zeros(n + burn_in)
    noise = rng.standard_normal(n + burn_in)
    for t in range(p, n + burn_in):
        y[t] = const + np.dot(coefficients, y[t - p : t][::-1]) + noise[t]
    return y[burn_in:]


def sunspots():
    sm = pytest.importorskip("statsmodels.api")
    return sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()


@pytest.mark.parametrize("lags", [1, 9])
def test_autoreg_matches_statsmodels_on_sunspots(lags):
    from statsmodels.tsa.ar_model import AutoReg

    y = sunspots()
    reference = AutoReg(y, lags=lags, trend="c").fit()
    model = AutoRegressive(lags=lags)
    model.fit_least_squares(y)
    relative = np.abs(model.coefficients() - reference.params) / np.abs(reference.params)
    assert relative.max() <= 1e-6, relative
    # Recursive (dynamic) forecasts: float32 weights, float64 history.
    np.testing.assert_allclose(model.forecast(y, 20), reference.forecast(20), rtol=1e-5, atol=1e-4)
    # One-step predictions in the training sample.
    windows, _ = series_window_arrays(y, lags)
    np.testing.assert_allclose(
        model.predict(windows, verbose=0)[:, 0], reference.fittedvalues, rtol=1e-5, atol=1e-4
    )


def test_lag_selection_matches_statsmodels():
    from statsmodels.tsa.ar_model import ar_select_order

    y = sunspots()
    for criterion in ("aic", "bic"):
        reference = ar_select_order(y, 15, ic=criterion, trend="c", glob=False)
        assert AutoRegressive.select_lags(y, 15, criterion=criterion) == max(reference.ar_lags)


def test_least_squares_recovers_a_simulated_ar2():
    y = simulate_ar([0.6, -0.3], const=2.0, n=5000)
    model = AutoRegressive(lags=2)
    model.fit_least_squares(y)
    np.testing.assert_allclose(model.coefficients(), [2.0, 0.6, -0.3], atol=0.06)


def test_gradient_fit_reaches_the_least_squares_solution():
    y = simulate_ar([0.5, 0.2], const=1.0, n=2000, seed=1)
    exact = AutoRegressive(lags=2)
    exact.fit_least_squares(y)
    model = AutoRegressive(lags=2, seed=0)
    model.adapt(y)
    model.compile(**model.default_optimizers())
    model.fit(model.windows(y, batch_size=64, seed=0), epochs=40, verbose=0)
    np.testing.assert_allclose(model.coefficients()[1:], exact.coefficients()[1:], atol=0.03)
    # OLS minimises the one-step squared error; SGD gets within 1% of it.
    windows, targets = model.window_arrays(y)
    mse = [np.mean((m.predict(windows, verbose=0) - targets) ** 2) for m in (model, exact)]
    assert mse[1] <= mse[0] <= 1.01 * mse[1], mse


@pytest.mark.parametrize("d,seasonal_d,period", [(1, 0, None), (2, 0, None), (0, 1, 4), (1, 1, 12), (1, 2, 3)])
def test_differencing_inverts_exactly(d, seasonal_d, period):
    rng = np.random.default_rng(0)
    # Integers keep every float64 sum exact, so equality must be exact.
    y = np.cumsum(rng.integers(-50, 50, size=80)).astype(np.float64)
    lags = difference_lags(d, seasonal_d, period)
    split = 60
    history, future = y[:split], y[split:]
    levels = difference_levels(history, lags)
    increments = np.asarray(difference_levels(y, lags)[-1])[-len(future):]
    np.testing.assert_array_equal(np.asarray(undifference(increments, levels, lags)), future)
    # Real-valued data: equal to float64 rounding.
    y = np.cumsum(rng.standard_normal(80)) * 100.0
    levels = difference_levels(y[:split], lags)
    increments = np.asarray(difference_levels(y, lags)[-1])[-20:]
    np.testing.assert_allclose(np.asarray(undifference(increments, levels, lags)), y[split:], rtol=1e-12)


def test_forecast_of_a_trend_and_season_is_exact():
    # y = trend + season: (1 - B)(1 - B^12) y = 0, so AR on the differences
    # predicts zeros and the integrated forecast continues the pattern.
    t = np.arange(120, dtype=np.float64)
    y = 300.0 + 0.1 * t + 3.0 * np.sin(2 * np.pi * t / 12)
    model = AutoRegressive(lags=2, d=1, seasonal_d=1, period=12)
    model.set_coefficients([0.0, 0.3, 0.1])
    t_future = np.arange(120, 144, dtype=np.float64)
    expected = 300.0 + 0.1 * t_future + 3.0 * np.sin(2 * np.pi * t_future / 12)
    np.testing.assert_allclose(model.forecast(y, 24), expected, rtol=1e-12)


def test_direct_and_recursive_forecasts_have_the_asked_horizon():
    y = 5.0 + np.sin(np.arange(60) / 4.0)
    model = LSTMForecaster(cell="gru", units=4, lags=6, horizon=4, seed=0)
    model.adapt(y)
    assert model.forecast(y).shape == (4,)
    # 10 = 3 blocks of 4 fed back, the last block cut.
    assert model.forecast(y, 10).shape == (10,)
    np.testing.assert_allclose(model.forecast(y, 10)[:4], model.forecast(y), rtol=1e-6)
    assert model.forecast(np.stack([y, y + 1.0]), 3).shape == (2, 3)


def test_series_windows():
    series = np.arange(10.0)
    windows, targets = series_window_arrays(series, lags=3, horizon=2)
    assert windows.shape == (6, 3) and targets.shape == (6, 2)
    np.testing.assert_array_equal(windows[1], [1, 2, 3])
    np.testing.assert_array_equal(targets[1], [4, 5])
    batch = next(iter(series_windows(series, 3, 2, batch_size=4, shuffle=False)))
    assert batch[0].shape == (4, 3) and batch[1].shape == (4, 2)


def test_csv_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("date,value,other\n2000,1.5,x\n2001,2.5,y\n\n")
    np.testing.assert_array_equal(read_series_csv(str(path), "value"), [1.5, 2.5])
    with pytest.raises(ValueError, match=r"no column 'sales'. Available columns: date, value, other"):
        load_series(str(path), "sales")
    with pytest.raises(ValueError, match="3 columns; name one"):
        load_series(str(path))
    with pytest.raises(ValueError, match=r"line 2, column 'other': expected a number. Received: 'x'"):
        load_series(str(path), "other")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_series(str(tmp_path / "missing.csv"), "value")
    path.write_text("value\n1\n\n2\nNaN\n4\n")
    with pytest.raises(ValueError, match=r"1 NaN or infinite values \(first at positions \[2\]\)"):
        load_series(str(path))


def test_bad_series_errors():
    model = AutoRegressive(lags=5, d=1)
    with pytest.raises(ValueError, match=r"too short: at least 7 values.*length=4"):
        model.fit_least_squares(np.arange(4.0))
    with pytest.raises(ValueError, match=r"history is too short: at least 6 values.*length=5"):
        model.forecast(np.arange(5.0), 3)
    with pytest.raises(ValueError, match=r"2 NaN or infinite values \(first at positions \[3, 7\]\)"):
        model.fit_least_squares(np.where(np.isin(np.arange(20), [3, 7]), np.nan, np.arange(20.0)))
    with pytest.raises(ValueError, match="must be 1-D"):
        model.adapt(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="horizon must be an integer >= 1. Received: horizon=0"):
        model.forecast(np.arange(20.0), 0)
    model.compile(**model.default_optimizers())
    with pytest.raises(ValueError, match=r"pairs of shapes \(batch, 5\).*Received shapes \(3,\)"):
        model.fit(np.zeros((8, 3)), np.zeros((8, 1)), verbose=0)
    with pytest.raises(ValueError, match="without targets"):
        model.fit(np.zeros((8, 5)), verbose=0)


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"period >= 2 \(CLI: --period\). Received: period=None"):
        AutoRegressive(seasonal_d=1)
    with pytest.raises(ValueError, match="lags must be an integer >= 1. Received: lags=0"):
        AutoRegressive(lags=0)
    with pytest.raises(ValueError, match=r"cell must be one of \['gru', 'lstm', 'rnn'\]. Received: cell='tcn'"):
        LSTMForecaster(cell="tcn")
    with pytest.raises(ValueError, match="criterion must be one of"):
        AutoRegressive.select_lags(np.arange(50.0), 3, criterion="hqic")


def test_forecast_cli(tmp_path, capsys):
    import json

    from keras_genai.cli.main import main

    t = np.arange(90)
    path = tmp_path / "s.csv"
    path.write_text("t,value\n" + "".join(f"{i},{10 + np.sin(i / 2) + 0.01 * i}\n" for i in t))
    out = str(tmp_path / "ar")
    assert main(["forecast", "ar", "--series", str(path), "--column", "value", "--horizon", "6",
                 "--max-lags", "6", "--test-size", "20", "--out", out]) == 0
    with open(tmp_path / "ar" / "forecast.json") as f:
        report = json.load(f)
    assert len(report["forecast"]) == 6 and report["test"]["origins"] == 15
    assert 1 <= report["config"]["lags"] <= 6 and len(report["coefficients"]) == report["config"]["lags"] + 1
    for name in ("forecast.csv", "model.keras", "forecast.png", "test_forecast.png"):
        assert (tmp_path / "ar" / name).exists(), name
    assert main(["forecast", "gru_forecaster", "--preset", "tiny", "--series", str(path), "--column", "value",
                 "--horizon", "3", "--lags", "5", "--d", "1", "--epochs", "1", "--out",
                 str(tmp_path / "gru")]) == 0
    assert (tmp_path / "gru" / "forecast.csv").read_text().count("\n") == 4
    capsys.readouterr()
    assert main(["forecast", "ar", "--series", str(path), "--column", "sales", "--horizon", "3",
                 "--out", str(tmp_path / "x")]) == 2
    assert "Available columns: t, value" in capsys.readouterr().err
    assert main(["forecast", "ar", "--series", str(path), "--column", "value", "--horizon", "3",
                 "--lags", "80", "--test-size", "20", "--out", str(tmp_path / "x")]) == 2
    assert "the training part (70 values) is too short" in capsys.readouterr().err
    assert main(["forecast", "ar", "--series", str(path), "--column", "value", "--horizon", "3",
                 "--out", out]) == 2
    assert "not empty" in capsys.readouterr().err


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_language_model_names_are_not_forecasters(cell):
    from keras_genai.training.forecast import build_forecaster

    with pytest.raises(ValueError, match=rf"^Unknown forecaster '{cell}'\. Expected one of: ar, .*; "
                                         rf"did you mean '{cell}_forecaster'\?$"):
        build_forecaster(cell)
    assert build_forecaster(f"{cell}_forecaster", "tiny").cell == cell


def test_differenced_forecast_matches_statsmodels_sarimax():
    sm = pytest.importorskip("statsmodels.api")
    from statsmodels.tsa.ar_model import AutoReg
    from statsmodels.tsa.statespace.sarimax import SARIMAX
    from statsmodels.tsa.statespace.tools import diff

    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().ffill().to_numpy()
    model = AutoRegressive(lags=3, d=1, seasonal_d=1, period=12)
    model.fit_least_squares(co2)
    # statsmodels' own differencing, then AutoReg: the same OLS.
    reference = AutoReg(diff(co2, k_diff=1, k_seasonal_diff=1, seasonal_periods=12), lags=3, trend="c").fit()
    relative = np.abs(model.coefficients() - reference.params) / np.abs(reference.params)
    assert relative.max() <= 1e-6, relative
    # SARIMAX(3,1,0)x(0,1,0,12) at our coefficients integrates its own way.
    sarimax = SARIMAX(co2, order=(3, 1, 0), seasonal_order=(0, 1, 0, 12), trend="c")
    expected = sarimax.filter(np.r_[model.coefficients(), reference.sigma2]).forecast(36)
    np.testing.assert_allclose(model.forecast(co2, 36), expected, rtol=1e-9)
