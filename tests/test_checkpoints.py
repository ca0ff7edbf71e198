"""Checkpoints of a run: the last K, the best by a metric, early stopping, what model.keras holds."""

import json
import os

import keras
import numpy as np
import pytest

from keras_genai.callbacks import PruneCheckpoints, best_epoch
from keras_genai.cli.main import main
from keras_genai.models import DCGAN, VAE
from keras_genai.training.checkpoints import CheckpointPolicy
from keras_genai.training.run_directory import RunDirectory

TINY_VAE = {"latent_dim": 2, "widths": (4, 8)}


def test_prune_keeps_the_newest_epochs_by_number_and_nothing_else(tmp_path):
    names = ["epoch_002.keras", "epoch_999.keras", "epoch_1000.keras", "epoch_010.keras",
             "best.keras", "epoch_003.keras.tmp", "notes.txt"]
    for name in names:
        (tmp_path / name).write_text("x")
    PruneCheckpoints(str(tmp_path), keep=2).on_epoch_end(0)
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["epoch_999.keras", "epoch_1000.keras", "best.keras", "epoch_003.keras.tmp", "notes.txt"])
    PruneCheckpoints(str(tmp_path), keep=0).on_epoch_end(0)
    assert sorted(os.listdir(tmp_path)) == ["best.keras", "epoch_003.keras.tmp", "notes.txt"]


def test_best_epoch_counts_only_strict_improvements():
    history = [{"epoch": 1, "v": 3.0}, {"epoch": 2, "v": 1.0}, {"epoch": 3, "v": 1.0},
               {"epoch": 4}, {"epoch": 5, "v": 2.0}]
    assert best_epoch(history, "v", "min") == (2, 1.0)
    assert best_epoch(history, "v", "max") == (1, 3.0)
    assert best_epoch(history, "w", "min") == (None, None)


@pytest.mark.parametrize(
    "model, validation, monitor, expected",
    [
        (VAE, True, "auto", ("val_loss", "min")),
        (VAE, False, "auto", (None, None)),
        (VAE, True, "none", (None, None)),
        (VAE, True, "val_elbo", ("val_elbo", "max")),
        (VAE, False, "kl_loss:max", ("kl_loss", "max")),
        (DCGAN, True, "auto", (None, None)),
        (DCGAN, True, "val_g_loss", ("val_g_loss", "min")),
    ],
)
def test_monitor_defaults_and_modes(model, validation, monitor, expected, tmp_path):
    model = model(**TINY_VAE) if model is VAE else model(latent_dim=2, widths=(4, 8))
    policy = CheckpointPolicy(RunDirectory(str(tmp_path / "r")), model, validation, monitor=monitor)
    assert (policy.monitor, policy.mode) == expected
    assert policy.keep == ("best" if expected[0] else "last")


@pytest.mark.parametrize(
    "model, kwargs, message",
    [
        (VAE, {"monitor": "val_fid"}, r"'val_fid' is not a metric of this run; expected one of: loss, "),
        (VAE, {"monitor": "val_loss", "validation": False}, "this run has no validation data"),
        (VAE, {"monitor": "loss:lowest"}, "mode is 'min' or 'max'. Received: monitor='loss:lowest'"),
        (DCGAN, {"monitor": "d_loss", "regularizers": True}, None),
        (VAE, {"monitor": "none", "keep": "best"}, r"keep='best' needs a monitored metric; this run "
                                                   r"has none \(monitor='none' was asked\)"),
        (DCGAN, {"early_stopping": 3}, r"early_stopping=3 needs a monitored metric; this run has none "
                                       r"\(DCGAN reports no loss that measures the model"),
        (VAE, {"keep": "first"}, "keep must be one of"),
        (VAE, {"keep_checkpoints": -1}, r"keep_checkpoints must be an integer >= 0 or None \(all\). Received: keep_checkpoints=-1"),
        (VAE, {"early_stopping": 0}, "early_stopping must be a patience"),
    ],
)
def test_policy_errors(model, kwargs, message, tmp_path):
    kwargs = dict(kwargs)
    validation = kwargs.pop("validation", True)
    if kwargs.pop("regularizers", False):
        # A regularizer's metric is monitored like any other, but its mode must be given.
        from keras_genai.regularizers import R1Penalty

        model = DCGAN(latent_dim=2, widths=(4, 8), regularizers=[R1Penalty(gamma=1.0)])
        kwargs["monitor"] = "r1_penalty"
        message = r"Cannot tell whether 'r1_penalty' is better smaller or larger: give it as 'r1_penalty:min'"
    else:
        model = model(**TINY_VAE) if model is VAE else model(latent_dim=2, widths=(4, 8))
    with pytest.raises(ValueError, match=message):
        CheckpointPolicy(RunDirectory(str(tmp_path / "r")), model, validation, **kwargs)


# val_loss by epoch (1-based): best at 2, never better after; patience 2 stops after epoch 4.
SCRIPTED = [3.0, 1.0, 2.0, 2.5, 2.7, 2.9, 3.1]


class ScriptedValidation(keras.callbacks.Callback):
    """Replaces the epoch's val_loss with SCRIPTED's before the checkpoints see it."""

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = SCRIPTED[epoch]


@pytest.fixture
def scripted_val_loss(monkeypatch):
    callbacks = CheckpointPolicy.callbacks
    monkeypatch.setattr(CheckpointPolicy, "callbacks", lambda self: [ScriptedValidation()] + callbacks(self))


TRAIN = ["train", "vae", "--preset", "tiny", "--dataset", "shapes", "--steps-per-epoch", "2",
         "--batch-size", "8", "--export", "none", "--early-stopping", "2"]


def weights_of(path):
    return keras.saving.load_model(path).get_weights()


def check_run(out, capsys):
    with open(os.path.join(out, "run.json")) as f:
        record = json.load(f)
    assert record["model.keras"] == {"epoch": 2, "reason": "the best val_loss (min): 1 at epoch 2 of 4"}
    assert record["best"] == {"epoch": 2, "value": 1.0, "path": "checkpoints/best.keras"}
    assert record["early_stopping"] == {"patience": 2, "stopped_after_epoch": 4}
    assert record["checkpoints"] == ["checkpoints/epoch_003.keras", "checkpoints/epoch_004.keras"]
    assert sorted(os.listdir(os.path.join(out, "checkpoints"))) == [
        "best.keras", "epoch_003.keras", "epoch_004.keras"]
    # Nothing else of the run folder is lost.
    assert {"config.json", "metrics.json", "model.keras", "run.json", "backup", "logs"} <= set(os.listdir(out))
    assert sorted(os.listdir(os.path.join(out, "samples"))) == [f"epoch_00{i}.png" for i in range(1, 5)]
    with open(os.path.join(out, "metrics.json")) as f:
        assert [(e["epoch"], e["val_loss"]) for e in json.load(f)] == list(enumerate(SCRIPTED[:4], 1))
    model, best, last = (weights_of(os.path.join(out, p)) for p in (
        "model.keras", "checkpoints/best.keras", "checkpoints/epoch_004.keras"))
    assert all(np.array_equal(a, b) for a, b in zip(model, best))
    assert not all(np.array_equal(a, b) for a, b in zip(model, last))
    printed = capsys.readouterr().out
    assert "stopped after epoch 4" in printed
    assert "model.keras: epoch 2, the best val_loss (min): 1 at epoch 2 of 4 (run.json)" in printed


@pytest.mark.slow
def test_best_checkpoint_early_stopping_and_resume(tmp_path, capsys, scripted_val_loss):
    out = str(tmp_path / "run")
    assert main(TRAIN + ["--epochs", "3", "--out", out]) == 0
    with open(os.path.join(out, "run.json")) as f:
        assert json.load(f)["model.keras"]["epoch"] == 2
    capsys.readouterr()
    # The resumed run ends as an uninterrupted `--epochs 7` run would. Epoch 4 (2.5)
    # is worse than epoch 2's 1.0: without the resumed best it would be saved as
    # best and restart the patience.
    assert main(["train", "vae", "--epochs", "7", "--out", out, "--resume", "--export", "none"]) == 0
    check_run(out, capsys)
    from keras_genai.training import load_model

    # The optimizer state of the last finished epoch came back: 4 epochs x 2 steps.
    assert int(load_model(os.path.join(out, "checkpoints", "epoch_004.keras")).optimizer.iterations.numpy()) == 8
    # Resumed again with the same patience it would stop after one more epoch: refused, nothing changes.
    with open(os.path.join(out, "run.json")) as f:
        before = f.read()
    assert main(["train", "vae", "--epochs", "9", "--out", out, "--resume", "--export", "none"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "stopped early after epoch 4" in err
    assert "resume with --early-stopping larger than 2" in err
    with open(os.path.join(out, "run.json")) as f:
        assert f.read() == before
    # More patience continues it: epoch 5 (2.7) is no better, so patience 3 stops after it.
    assert main(["train", "vae", "--epochs", "9", "--out", out, "--resume", "--export", "none",
                 "--early-stopping", "3"]) == 0
    with open(os.path.join(out, "run.json")) as f:
        record = json.load(f)
    assert record["early_stopping"] == {"patience": 3, "stopped_after_epoch": 5}
    assert record["model.keras"]["epoch"] == 2


@pytest.mark.slow
def test_keep_last(tmp_path, capsys, scripted_val_loss):
    out = str(tmp_path / "run")
    assert main(TRAIN[:-1] + ["1", "--epochs", "7", "--keep", "last", "--keep-checkpoints", "1",
                              "--out", out]) == 0
    with open(os.path.join(out, "run.json")) as f:
        record = json.load(f)
    assert record["model.keras"] == {"epoch": 3, "reason": "the last epoch, as keep='last' asked"}
    assert record["best"]["epoch"] == 2
    assert record["early_stopping"] == {"patience": 1, "stopped_after_epoch": 3}
    assert sorted(os.listdir(os.path.join(out, "checkpoints"))) == ["best.keras", "epoch_003.keras"]
    model, last = weights_of(os.path.join(out, "model.keras")), weights_of(os.path.join(out, "checkpoints", "epoch_003.keras"))
    assert all(np.array_equal(a, b) for a, b in zip(model, last))


def test_gan_run_keeps_the_last_epoch_and_says_why(tmp_path):
    run = RunDirectory(str(tmp_path / "r"))
    run.create()
    model = DCGAN(latent_dim=2, widths=(4, 8))
    policy = CheckpointPolicy(run, model, True)
    record = policy.finish(model, [{"epoch": 1, "d_loss": 1.0}, {"epoch": 2, "d_loss": 0.5}])
    assert record["model.keras"] == {
        "epoch": 2, "reason": "the last epoch: no metric is monitored (DCGAN reports no loss that "
                              "measures the model; its metrics: d_loss, g_loss)"}
    assert os.path.exists(run.model_path) and record["monitor"] is None


def test_cli_checks_the_checkpoint_flags(tmp_path, capsys):
    from keras_genai.cli.arguments import count_or_all

    assert count_or_all("all") is None and count_or_all("0") == 0
    with pytest.raises(SystemExit) as info:
        main(["train", "vae", "--keep-checkpoints", "-1", "--out", str(tmp_path / "r")])
    assert info.value.code == 2
    assert "expected an integer >= 0 or 'all', received '-1'" in capsys.readouterr().err
    out = tmp_path / "r"
    assert main(["train", "vae", "--preset", "tiny", "--dataset", "shapes", "--monitor", "val_fid",
                 "--out", str(out)]) == 2
    assert "monitor 'val_fid' is not a metric of this run" in capsys.readouterr().err
    assert not out.exists()
