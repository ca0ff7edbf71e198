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


def test_ctrl_c_while_tensorflow_loads_is_one_line(tmp_path):
    # The CLI loaded TensorFlow at import, outside its KeyboardInterrupt handler.
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "keras_genai.cli.main", "train", "vae", "--preset", "tiny", "--dataset",
         "shapes", "--out", str(tmp_path / "run")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.5)  # TensorFlow takes seconds to load
    process.send_signal(signal.SIGINT)
    err = process.communicate(timeout=120)[1]
    assert process.returncode == 130 and "Traceback" not in err, err
    assert "keras-genai train: interrupted." in err, err


TINY = ["train", "vae", "--preset", "tiny", "--steps-per-epoch", "1", "--batch-size", "8",
        "--validation-split", "none", "--export", "none"]


def test_resume_refuses_changed_options_and_records_the_new_epochs(tmp_path, capsys):
    import json

    out = str(tmp_path / "run")
    assert main(TINY + ["--dataset", "shapes", "--epochs", "1", "--out", out]) == 0
    config_path = tmp_path / "run" / "config.json"
    before = config_path.read_text()
    # These were silently ignored: the run went on with shapes at 28x28, gray.
    assert main(TINY + ["--dataset", "mnist", "--image-size", "32", "--channels", "3", "--set", "beta=4",
                        "--epochs", "2", "--out", out, "--resume"]) == 2
    line = one_line_error(capsys, "train")
    for change in ("dataset (CLI: --dataset) recorded 'shapes', received 'mnist'",
                   "image_size (CLI: --image-size) recorded 28, received 32",
                   "channels (CLI: --channels) recorded None, received 3",
                   "overrides (CLI: --set) recorded {}, received {'beta': 4}"):
        assert change in line, line
    assert config_path.read_text() == before
    # The same options (or none of them) resume; config.json then says it trained 2 epochs.
    assert main(["train", "vae", "--epochs", "2", "--out", out, "--resume", "--export", "none"]) == 0
    assert json.loads(config_path.read_text())["training"]["epochs"] == 2
    assert [e["epoch"] for e in json.loads((tmp_path / "run" / "metrics.json").read_text())] == [1, 2]
