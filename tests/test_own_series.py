"""`keras-genai forecast` on a user's series: refit for the final forecast, dates, short series."""

import csv
import json

import numpy as np
import pytest

from keras_genai.models import AutoRegressive
from keras_genai.training.forecast import forecast_series


def noisy_ar(length, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(length)
    for t in range(1, length):
        y[t] = 0.7 * y[t - 1] + rng.standard_normal()
    return 10.0 + y


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return str(path)


def test_the_final_forecast_is_refitted_on_the_whole_series(tmp_path):
    y = noisy_ar(120)
    common = dict(horizon=4, lags=2, test_size=30)
    report = forecast_series("ar", y, str(tmp_path / "refit"), **common)
    whole, part = AutoRegressive(lags=2, horizon=4), AutoRegressive(lags=2, horizon=4)
    whole.fit_least_squares(y)
    part.fit_least_squares(y[:-30])
    np.testing.assert_allclose(report["forecast"], whole.forecast(y, 4), rtol=1e-6)
    assert not np.allclose(report["forecast"], part.forecast(y, 4), rtol=1e-6)
    assert report["forecast_from"] == "the model refitted on the whole series (120 values)"
    # The test scores are still those of the model that never saw the test part.
    kept = forecast_series("ar", y, str(tmp_path / "kept"), refit=False, **common)
    assert kept["test"] == report["test"]
    np.testing.assert_allclose(kept["forecast"], part.forecast(y, 4), rtol=1e-6)
    assert "training part only (the first 90 of 120 values" in kept["forecast_from"]


def test_naive_rmse_by_hand():
    from keras_genai.training.forecast import naive_errors

    y = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 6.0])
    # Origins 4 and 5 (horizon 1): naive forecasts 3 and 5 for 5 and 6.
    assert naive_errors(y, 4, 1)["naive_rmse"] == pytest.approx(np.sqrt((4 + 1) / 2))
    # Period 2, origin 4, horizon 2: seasonal naive [4, 3] for [5, 6].
    assert naive_errors(y, 4, 2, period=2)["seasonal_naive_rmse"] == pytest.approx(np.sqrt((1 + 9) / 2))


@pytest.mark.parametrize("cells, expected, how", [
    (["1969", "1970"], ["1971", "1972", "1973"], "whole numbers, step 1"),
    (["2001-01-01", "2001-02-01", "2001-03-01"], ["2001-04-01", "2001-05-01", "2001-06-01"], "frequency MS"),
    (["2001-01-31", "2001-02-28", "2001-03-31"], ["2001-04-30", "2001-05-31", "2001-06-30"], "frequency ME"),
    (["2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"], ["2024-01-11", "2024-01-12", "2024-01-15"],
     "frequency B"),
    (["2020-01-01", "2020-01-05", "2020-01-06"], ["2020-01-07", "2020-01-08", "2020-01-09"],
     "step 1 day, 0:00:00 (the last two dates; pandas inferred no regular frequency)"),
    (["2020-01-01 10:00", "2020-01-01 11:00", "2020-01-01 12:00"],
     ["2020-01-01 13:00:00", "2020-01-01 14:00:00", "2020-01-01 15:00:00"], "frequency h"),
])
def test_future_dates(cells, expected, how):
    from keras_genai.data.series import future_dates

    pytest.importorskip("pandas")
    dates, note = future_dates(cells, 3)
    assert dates == expected and note.startswith(how), note


@pytest.mark.parametrize("cells, why", [
    (["spring", "summer"], "no dates: the date column does not parse as dates with pandas, e.g. 'summer'"),
    (["2020-01-02", "2020-01-01"], "no dates: the last two dates do not increase (2020-01-02, 2020-01-01)"),
    (["1970", "1970"], "no dates: the last two values of the date column do not increase (1970, 1970)"),
    (["1970"], "no dates: 1 date cell(s), two are needed to find the step"),
])
def test_future_dates_that_cannot_be_made_say_why(cells, why):
    from keras_genai.data.series import future_dates

    pytest.importorskip("pandas")
    assert future_dates(cells, 2) == (None, why)


def test_future_dates_without_pandas(monkeypatch):
    import sys

    from keras_genai.data.series import future_dates

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    dates, note = future_dates(["2020-01-01", "2020-01-08"], 2)
    assert dates == ["2020-01-15", "2020-01-22"]
    assert note == "step 7 days, 0:00:00 (the last two dates; pandas is not installed)"
    assert future_dates(["1 May", "2 May"], 1)[1] == (
        "no dates: the date column does not parse as dates with ISO 8601 (pandas is not installed), e.g. '2 May'")


def test_date_column_by_name_or_given(tmp_path):
    from keras_genai.data.series import read_date_column

    path = write_csv(tmp_path / "s.csv", ["Year", "value", "when"], [[1, 2.0, "a"], [2, 3.0, "b"]])
    assert read_date_column(path, "value") == ("Year", ["1", "2"])
    assert read_date_column(path, "value", "when") == ("when", ["a", "b"])
    assert read_date_column(write_csv(tmp_path / "t.csv", ["t", "value"], [[1, 2.0]]), "value") == (None, None)
    with pytest.raises(ValueError, match=r"has no column 'date'\. Available columns: Year, value, when\. "
                                         r"Received: date_column='date'"):
        read_date_column(path, "value", "date")


def test_forecast_csv_carries_the_dates(tmp_path, capsys):
    from keras_genai.cli.main import main

    pytest.importorskip("pandas")
    months = [f"{1990 + i // 12}-{i % 12 + 1:02d}-01" for i in range(60)]
    path = write_csv(tmp_path / "m.csv", ["date", "sales"], zip(months, noisy_ar(60)))
    assert main(["forecast", "ar", "--series", path, "--column", "sales", "--horizon", "3", "--lags", "1",
                 "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "dates: 1995-01-01 .. 1995-03-01 (frequency MS (inferred by pandas); column 'date')" in out
    with open(tmp_path / "out" / "forecast.csv") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["step", "date", "forecast"] and [r[1] for r in rows[1:]] == [
        "1995-01-01", "1995-02-01", "1995-03-01"]
    # Dates that do not parse: steps only, and the warning says why.
    seasons = ["spring", "summer", "autumn", "winter"] * 15
    path = write_csv(tmp_path / "q.csv", ["period", "sales"], zip(seasons, noisy_ar(60)))
    assert main(["forecast", "ar", "--series", path, "--column", "sales", "--horizon", "2", "--lags", "1",
                 "--out", str(tmp_path / "q")]) == 0
    err = capsys.readouterr().err
    assert "warning: forecast.csv has steps only: no dates: the date column does not parse" in err, err
    assert (tmp_path / "q" / "forecast.csv").read_text().splitlines()[0] == "step,forecast"


def test_recurrent_window_scales_with_a_short_series(tmp_path, capsys):
    from keras_genai.cli.main import main

    y = noisy_ar(100)
    # refit=False: the window is chosen before any fit, and the refit would train the net again.
    report = forecast_series("lstm_forecaster", y, str(tmp_path / "short"), horizon=2, test_size=20,
                             epochs=1, refit=False)
    # 80 training values, one lag per 20: 4 lags instead of the preset's 24.
    assert report["config"]["lags"] == 4 and report["warnings"] == []
    long = forecast_series("lstm_forecaster", noisy_ar(800), str(tmp_path / "long"), horizon=2, epochs=1,
                           refit=False)
    assert long["config"]["lags"] == 24
    path = write_csv(tmp_path / "s.csv", ["value"], [[v] for v in y])
    assert main(["forecast", "lstm_forecaster", "--series", path, "--horizon", "2", "--lags", "24",
                 "--test-size", "20", "--epochs", "1", "--no-refit", "--out", str(tmp_path / "cli")]) == 0
    captured = capsys.readouterr()
    assert ("warning: a window of 24 lags on 80 (differenced) training values, fewer than 20 per lag"
            in captured.err), captured.err
    assert "(naive: RMSE " in captured.out
    with open(tmp_path / "cli" / "forecast.json") as f:
        assert "fewer than 20 per lag" in json.load(f)["warnings"][0]


def test_the_seed_repeats_a_recurrent_forecast(tmp_path):
    y = noisy_ar(60)
    first, second = (forecast_series("gru_forecaster", y, str(tmp_path / name), horizon=3, preset="tiny",
                                     lags=3, epochs=2, seed=5) for name in ("a", "b"))
    assert first["forecast"] == second["forecast"]
