"""What a new user typed wrong, and the one-line errors they now get (issue 12, item 4)."""

import pytest

from keras_genai.cli.main import main


def one_line_error(capsys, command):
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith(f"keras-genai {command}: error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_forecast_seasonal_difference_without_period(tmp_path, capsys):
    # With p chosen automatically (no --lags), this was a TypeError from the AIC search.
    series = tmp_path / "s.csv"
    series.write_text("v\n" + "\n".join(str(i % 7 + 0.1 * i) for i in range(80)), encoding="utf-8")
    assert main(["forecast", "ar", "--series", str(series), "--horizon", "3", "--seasonal-d", "1",
                 "--out", str(tmp_path / "f")]) == 2
    line = one_line_error(capsys, "forecast")
    assert "seasonal_d=1 needs the season length period >= 2 (CLI: --period)" in line, line
    assert not (tmp_path / "f").exists()
