"""Crash-safe runs: atomic files, the run lock, backups every N steps, signals, NaN losses,
corrupt backups, a full disk, failed exports, and deterministic runs that resume bit for bit."""

import errno
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from keras_genai.callbacks import RunBackup, StopOnNonFiniteLoss
from keras_genai.callbacks.run_backup import _data_position
from keras_genai.cli.main import main
from keras_genai.models import VAE
from keras_genai.testing import inject_fault
from keras_genai.training import RunDirectory, RunLock, RunLockedError, export_run
from keras_genai.utils import atomic_directory, atomic_write, is_temporary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _train_args(out, *extra):
    return ["train", "vae", "--preset", "tiny", "--dataset", "shapes", "--epochs", "1", "--steps-per-epoch", "3",
            "--validation-split", "none", "--export", "none", "--out", out, *extra]


def _backups(out):
    """`(epoch, batch, step)` of the run's backups, newest first."""
    found = []
    for _, metadata_path, _ in RunBackup(os.path.join(out, "backup")).backups():
        with open(metadata_path) as f:
            saved = json.load(f)
        found.append((saved["epoch"], saved["batch"], saved["step"]))
    return found


def _temporaries(folder):
    return [os.path.join(r, n) for r, dirs, files in os.walk(folder) for n in dirs + files if is_temporary(n)]


@pytest.fixture
def inject(monkeypatch):
    """`inject(fault, step, argv)`: `keras-genai argv` in this process with the fault struck at `step`."""
    monkeypatch.setattr(StopOnNonFiniteLoss, "on_train_batch_end", StopOnNonFiniteLoss.on_train_batch_end)
    from keras_genai.utils import atomic_files

    monkeypatch.setattr(atomic_files, "_fsync", atomic_files._fsync)
    return lambda fault, step, argv: inject_fault.main([fault, str(step), *argv])


# === Files ===


def test_atomic_writes_keep_the_old_file_or_folder_on_failure(tmp_path):
    path = tmp_path / "metrics.json"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(str(path)) as f:
            f.write("new, half written")
            raise RuntimeError("killed")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["metrics.json"]
    with atomic_write(str(path)) as f:
        f.write("new")
    assert path.read_text() == "new" and os.listdir(tmp_path) == ["metrics.json"]
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "report.json").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_directory(str(folder)) as staging:
            open(os.path.join(staging, "report.json"), "w").close()
            raise RuntimeError("killed")
    assert (folder / "report.json").read_text() == "old" and not _temporaries(str(tmp_path))


def test_a_failed_export_leaves_the_earlier_one_or_nothing(tmp_path, monkeypatch):
    import keras_genai.training.export as export_module

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    # The SavedModel is written, then the LiteRT conversion fails.
    monkeypatch.setattr(export_module, "export_litert", full_disk)
    model = VAE(latent_dim=2, widths=(4, 8))
    with pytest.raises(OSError, match="No space left"):
        export_run(model, str(tmp_path / "new"), None, ("float32",))
    assert not os.path.exists(tmp_path / "new")
    earlier = tmp_path / "earlier"
    (earlier / "saved_model").mkdir(parents=True)
    (earlier / "report.json").write_text("{}")
    with pytest.raises(OSError, match="No space left"):
        export_run(model, str(earlier), None, ("float32",))
    assert sorted(os.listdir(earlier)) == ["report.json", "saved_model"]


# === The folder and its lock ===


def test_the_lock_refuses_a_live_process_and_takes_over_a_dead_ones(tmp_path, capsys):
    path = str(tmp_path / ".lock")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with open(path, "w") as f:
            f.write(f"{other.pid}\n")
        with pytest.raises(RunLockedError, match=f"is being trained by process {other.pid}"):
            RunLock(path).acquire()
    finally:
        other.kill()
        other.wait()
    lock = RunLock(path).acquire()
    assert f"taking over the stale lock {path!r} of process {other.pid}" in capsys.readouterr().err
    assert lock.owner() == os.getpid()
    lock.release()
    assert not os.path.exists(path)


def test_what_a_run_without_backup_left_does_not_block_the_rerun(tmp_path):
    out = tmp_path / "run"
    for sub in ("checkpoints", "samples", "backup", "logs/train"):
        (out / sub).mkdir(parents=True)
    (out / "config.json").write_text("{}")
    (out / "logs" / "train" / "events").write_text("x")
    (out / "backup" / ".tmp-1-step_000000001.weights.h5").write_text("half")
    RunDirectory(str(out)).create()
    assert sorted(os.listdir(out)) == [".lock", "backup", "checkpoints", "logs", "samples"]
    (out / "backup" / "step_000000001.json").write_text("{}")
    with pytest.raises(FileExistsError, match="is not empty"):
        RunDirectory(str(out))


# === Faults during training ===


def test_sigterm_saves_a_backup_says_how_to_resume_and_the_resume_loses_nothing(tmp_path, capsys, inject):
    out = str(tmp_path / "run")
    assert inject("SIGTERM", 2, _train_args(out, "--epochs", "2")) == 143
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (f"keras-genai train: stopped by SIGTERM; backup saved at epoch 1, batch 2 (step 2) in "
            f"{out}/backup. Resume with: keras-genai train vae --out {out} --resume") in err
    assert _backups(out)[0] == (0, 2, 2) and not os.path.exists(os.path.join(out, "metrics.json"))
    assert main(["train", "vae", "--out", out, "--resume", "--export", "none"]) == 0
    # 6 steps in all: the 2 before the signal are not trained again.
    assert _backups(out)[0] == (2, 0, 6)
    with open(os.path.join(out, "metrics.json")) as f:
        assert [r["epoch"] for r in json.load(f)] == [1, 2]


def test_sigint_ends_with_its_exit_code_and_a_backup(tmp_path, capsys, inject):
    out = str(tmp_path / "run")
    assert inject("SIGINT", 1, _train_args(out)) == 130
    err = capsys.readouterr().err
    assert "stopped by SIGINT; backup saved at epoch 1, batch 1 (step 1)" in err and "Traceback" not in err
    assert _backups(out) == [(0, 1, 1)]


def test_nan_weights_are_never_saved_as_the_last_good_backup(tmp_path, capsys, inject):
    out = str(tmp_path / "run")
    # The weights become NaN at the end of step 2, whose loss was still finite.
    assert inject("nan", 2, _train_args(out, "--checkpoint-every", "1")) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("keras-genai train: error: Training stopped: the weights became NaN or infinite at "
                          "epoch 1, batch 2; the last good backup, at epoch 1, batch 1 (step 1), is kept in")
    assert _backups(out) == [(0, 1, 1)]
    assert not os.path.exists(os.path.join(out, "model.keras"))


def test_a_nan_loss_before_any_backup_stops_the_run_and_leaves_nothing(tmp_path, capsys, inject):
    out = str(tmp_path / "run")
    assert inject("nan", 1, _train_args(out)) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert re.fullmatch(
        r"keras-genai train: error: Training stopped: \w*loss became nan at epoch 1, batch 2; no backup had been "
        r"saved, so the run folder was removed. Try a lower --learning-rate, or check the data for NaN or "
        r"infinite values.", err), err
    assert not os.path.exists(out)


def test_a_full_disk_stops_the_run_with_the_last_backup_whole(tmp_path, capsys, inject):
    out = str(tmp_path / "run")
    assert inject("disk_full", 2, _train_args(out, "--checkpoint-every", "1")) == 2
    err = capsys.readouterr().err
    assert "Training stopped: no space left on device writing" in err and "Traceback" not in err
    assert f"writing {out}/backup/step_000000002.weights.h5; the last complete backup, at epoch 1, batch 1 " \
           "(step 1), is intact" in err
    assert _backups(out) == [(0, 1, 1)] and not _temporaries(out)


def test_resume_falls_back_from_a_corrupt_backup(tmp_path, capsys):
    out = str(tmp_path / "run")
    assert main(_train_args(out, "--checkpoint-every", "2")) == 0
    assert [b[2] for b in _backups(out)] == [3, 2]
    with open(os.path.join(out, "backup", "step_000000003.weights.h5"), "r+b") as f:
        f.truncate(100)
    capsys.readouterr()
    assert main(["train", "vae", "--out", out, "--resume", "--export", "none"]) == 0
    assert ("backup step_000000003.weights.h5 cannot be read (OSError: " in capsys.readouterr().err)
    # From step 2: the last batch of epoch 1 again.
    assert _backups(out)[0] == (1, 0, 3)


# === Resuming where the data were ===


@pytest.mark.parametrize("epochs, steps_per_epoch, cardinality, expected", [
    (0, None, 3, (0, 0)),
    # Keras makes an iterator at each epoch's start and, the length known, one at its end.
    (2, None, 3, (4, 0)),
    (2, None, -2, (3, 0)),
    # One iterator across epochs, the next made when one is used up.
    (2, 4, 10, (0, 8)),
    (3, 4, 10, (1, 0)),
    (4, 4, 10, (1, 4)),
    (3, 4, -1, (0, 12)),
])
def test_data_position_follows_keras_epoch_iterator(epochs, steps_per_epoch, cardinality, expected):
    assert _data_position(epochs, steps_per_epoch, cardinality) == expected


@pytest.mark.slow
def test_deterministic_runs_are_identical_and_a_killed_run_resumes_to_the_same_weights(tmp_path):
    from PIL import Image

    rng = np.random.default_rng(0)
    for name in ("a", "b"):
        os.makedirs(tmp_path / "images" / name)
        for i in range(8):
            Image.fromarray(rng.integers(0, 256, (8, 8), dtype=np.uint8)).save(tmp_path / "images" / name / f"{i}.png")
    # 12 training images in batches of 4: 3 steps an epoch, no --steps-per-epoch, each epoch a new order.
    args = ["train", "vae", "--preset", "tiny", "--image-folder", str(tmp_path / "images"), "--image-size", "8",
            "--validation-fraction", "0.25", "--batch-size", "4", "--epochs", "3", "--checkpoint-every", "2",
            "--monitor", "none",
            "--deterministic", "--export", "none"]
    env = {**os.environ, "PYTHONPATH": ROOT, "TF_CPP_MIN_LOG_LEVEL": "3"}
    twice = ("import sys; from keras_genai.cli.main import main; "
             "sys.exit(main(sys.argv[1:] + ['--out', 'a']) or main(sys.argv[1:] + ['--out', 'b']))")
    run = dict(cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    uninterrupted = subprocess.Popen([sys.executable, "-c", twice, *args], **run)
    # SIGKILL at the end of step 6 (epoch 2's last batch): the last backup is step 5, mid-epoch.
    killed = subprocess.run([sys.executable, "-m", "keras_genai.testing.inject_fault", "SIGKILL", "6", *args,
                             "--out", "c"], **run)
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert _backups(str(tmp_path / "c"))[0] == (1, 2, 5)
    resumed = subprocess.run([sys.executable, "-m", "keras_genai.cli.main", "train", "vae", "--out", "c",
                              "--resume", "--export", "none"], **run)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "taking over the stale lock" in resumed.stderr
    assert uninterrupted.wait() == 0, uninterrupted.stderr.read()[-2000:]
    weights = {}
    for name in ("a", "b", "c"):
        model = __import__("keras").saving.load_model(str(tmp_path / name / "model.keras"))
        weights[name] = [w.numpy() for w in model.weights]
    for other in ("b", "c"):
        assert all(np.array_equal(x, y) for x, y in zip(weights["a"], weights[other])), other
