"""TimeBudget and `train --time-budget/--snapshot-minutes`."""

import json
import os

import keras
import numpy as np
import pytest

from keras_genai.callbacks import TimeBudget
from keras_genai.cli.main import main
from keras_genai.models import DCGAN


def _fit(budget, epochs=2):
    model = DCGAN(latent_dim=2, widths=(4, 8))
    model.compile(**model.default_optimizers())
    x = np.zeros((16, 28, 28, 1), "float32")
    return model.fit(x, batch_size=2, epochs=epochs, callbacks=[budget], verbose=0)


def test_stops_after_the_batch_that_spends_the_budget_and_saves_snapshots(tmp_path):
    budget = TimeBudget(minutes=1e-6, snapshot_minutes=[5e-7], directory=str(tmp_path))
    history = _fit(budget)
    assert len(history.history["d_loss"]) == 1  # the first epoch ended early, the second never ran
    assert budget.stopped_at["step"] == 1 and budget.stopped_at["epoch"] == 1
    listed = json.load(open(tmp_path / "snapshots.json"))
    assert [s["minute"] for s in listed] == [5e-7] and listed[0]["step"] == 1
    assert type(keras.saving.load_model(tmp_path / listed[0]["path"])) is DCGAN


def test_without_a_budget_it_only_snapshots_and_a_resumed_run_keeps_them(tmp_path):
    budget = TimeBudget(snapshot_minutes=[1e-7, 2e-7], directory=str(tmp_path))
    history = _fit(budget, epochs=1)
    assert len(history.history["d_loss"]) == 1 and budget.stopped_at is None
    assert sorted(os.listdir(tmp_path)) == ["minute_1e-07.keras", "minute_2e-07.keras", "snapshots.json"]
    before = os.path.getmtime(tmp_path / "minute_1e-07.keras")
    again = TimeBudget(snapshot_minutes=[1e-7, 2e-7, 3e-7], directory=str(tmp_path))  # e.g. after --resume
    _fit(again, epochs=1)
    assert [s["minute"] for s in json.load(open(tmp_path / "snapshots.json"))] == [1e-7, 2e-7, 3e-7]
    assert os.path.getmtime(tmp_path / "minute_1e-07.keras") == before  # not taken again


@pytest.mark.parametrize("kwargs, match", [
    ({"minutes": 0}, "The time budget must be > 0 minutes. Received: minutes=0"),
    ({"minutes": 10, "snapshot_minutes": [5, 15], "directory": "x"}, r"within the budget \(10 minutes\)"),
    ({"snapshot_minutes": [5]}, "Snapshots need a directory"),
    ({"clock": "gpu"}, "clock must be one of"),
])
def test_errors_name_what_was_received(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TimeBudget(**kwargs)


@pytest.mark.parametrize("flags, message", [
    (["--time-budget", "2", "--snapshot-minutes", "1,3"], "within the budget (2.0 minutes)"),
    (["--snapshot-minutes", "0"], "expected a positive number"),
])
def test_cli_refuses_bad_budgets_before_making_the_folder(flags, message, tmp_path, capsys):
    out = tmp_path / "run"
    try:  # argparse's errors exit, the library's are returned
        code = main(["train", "dcgan", "--preset", "tiny", "--dataset", "shapes", "--out", str(out), *flags])
    except SystemExit as exit:
        code = exit.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
