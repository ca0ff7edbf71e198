"""tf.distribute: every base gives one device's steps on 2 logical CPU devices and on 2 local
workers; the CLI trains and resumes under both strategies. Devices are fixed when
TensorFlow starts, so each check runs in processes of its own."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from keras_genai.cli.main import main
from keras_genai.testing import distribute_check
from keras_genai.testing.distribute_check import CASES, local_cluster, run_check

# One case per base (tools/bench/distribute_equivalence.py runs every case of CASES, float32
# WGAN-GP and DCGAN included): the single-optimizer base (VAE); the adversarial base with a
# gradient penalty, critic steps, a synchronised batch-norm generator and fp16 loss scaling
# (WGAN-GP under mixed_float16); the multi-network base (CycleGAN, four networks and the history
# pool); the language-model base (GPT) and the forecaster base.
BASES = ("vae", "wgan_gp_fp16", "cyclegan", "gpt", "lstm_forecaster")
MIRRORED = ["--strategy", "mirrored", "--cpu-devices", "2"]
MULTI_WORKER = ["--strategy", "multi_worker", "--local-workers", "2"]
# The default run: the single-optimizer base and the adversarial one (gradient penalty, critic
# steps, synchronised batch norm, fp16 loss scaling) on 2 devices, the single-optimizer base on 2
# workers (the worker path is the same for every base: sharding, collectives, the chief's
# comparison). The rest, and every case of CASES, with --exhaustive or
# tools/bench/distribute_equivalence.py (the README's table).
QUICK = {"mirrored_2_devices": (MIRRORED, ("vae", "wgan_gp_fp16")),
         "multi_worker_2_workers": (MULTI_WORKER, ("vae",))}


@pytest.mark.parametrize("strategy_args, cases", list(QUICK.values()), ids=list(QUICK))
def test_the_bases_give_one_devices_steps(strategy_args, cases):
    check_equal(strategy_args, cases)


@pytest.mark.exhaustive
@pytest.mark.parametrize("strategy_args, cases", [
    (MIRRORED, tuple(b for b in BASES if b not in QUICK["mirrored_2_devices"][1])),
    (MULTI_WORKER, tuple(b for b in BASES if b not in QUICK["multi_worker_2_workers"][1]))],
    ids=list(QUICK))
def test_every_other_base_gives_one_devices_steps(strategy_args, cases):
    check_equal(strategy_args, cases)


def check_equal(strategy_args, cases):
    completed, results = run_check([*strategy_args, "--cases", *cases], timeout=1500)
    assert set(results) == set(cases), completed.stderr[-3000:]
    for case, result in results.items():
        assert result["replicas"] == 2, result
        assert result["steps"] == distribute_check.STEPS, result
        assert result["equal"], result
    assert completed.returncode == 0, completed.stderr[-3000:]


def test_a_difference_is_reported():
    # The comparison itself: a changed loss or weight beyond the tolerance is not equal.
    steps, weights = [{"loss": 1.0}], [np.zeros(3)]
    assert distribute_check.compare("vae", (steps, weights), (steps, weights))["equal"]
    assert not distribute_check.compare("vae", (steps, weights), ([{"loss": 1.01}], weights))["equal"]
    assert not distribute_check.compare("vae", (steps, weights), (steps, [np.full(3, 1e-2)]))["equal"]
    assert not distribute_check.compare("vae", (steps, weights), ([{"d_loss": 1.0}], weights))["equal"]


def _image_folder(tmp_path):
    from PIL import Image

    from keras_genai.testing import tiny_images

    images, labels = tiny_images(48)
    for i, (image, label) in enumerate(zip(images, labels)):
        folder = tmp_path / "images" / f"class_{label}"
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray((image[..., 0] * 255).astype(np.uint8)).save(folder / f"{i}.png")
    return str(tmp_path / "images")


def _train(*args):
    return [sys.executable, "-m", "keras_genai.cli.main", "train", *args]


def test_cli_trains_and_resumes_mirrored_on_two_cpu_devices(tmp_path):
    out = str(tmp_path / "run")
    common = ["--out", out, "--distribute", "mirrored", "--cpu-devices", "2"]
    first = subprocess.run(_train("gan", "--preset", "tiny", "--image-folder", _image_folder(tmp_path),
                                  "--epochs", "1", "--batch-size", "8", "--export", "none", *common),
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-3000:]
    resumed = subprocess.run(_train("gan", "--resume", "--epochs", "2", *common),
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    training = json.load(open(os.path.join(out, "config.json")))["training"]
    assert (training["distribute"], training["cpu_devices"], training["replicas"]) == ("mirrored", 2, 2)
    assert [e["epoch"] for e in json.load(open(os.path.join(out, "metrics.json")))] == [1, 2]


def test_cli_trains_and_resumes_on_two_local_workers(tmp_path):
    out = str(tmp_path / "run")
    folder = _image_folder(tmp_path)
    env = {"TMPDIR": str(tmp_path / "tmp")}
    os.makedirs(env["TMPDIR"])
    for extra in (["--preset", "tiny", "--image-folder", folder, "--epochs", "1", "--batch-size", "8",
                   "--export", "none"], ["--resume", "--epochs", "2"]):
        results = local_cluster(_train("vae", "--out", out, "--distribute", "multi_worker", *extra), 2,
                                timeout=600, env=env)
        for code, _, err in results:
            assert code == 0, err[-3000:]
    training = json.load(open(os.path.join(out, "config.json")))["training"]
    assert (training["distribute"], training["replicas"]) == ("multi_worker", 2)
    assert [e["epoch"] for e in json.load(open(os.path.join(out, "metrics.json")))] == [1, 2]
    assert os.path.exists(os.path.join(out, "model.keras"))
    assert os.listdir(env["TMPDIR"]) == []  # the second worker's copy of the run is gone


def test_strategy_errors_name_what_was_received(monkeypatch, capsys):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    assert main(["train", "vae", "--distribute", "multi_worker", "--out", "unused"]) == 2
    assert "TF_CONFIG, which is not set" in capsys.readouterr().err
    monkeypatch.setenv("TF_CONFIG", "{not json")
    assert main(["train", "vae", "--distribute", "multi_worker", "--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert "Received: TF_CONFIG='{not json'" in err and "Traceback" not in err
    assert main(["train", "vae", "--cpu-devices", "2", "--out", "unused"]) == 2
    assert "without a strategy" in capsys.readouterr().err
    assert not os.path.exists("unused")


def test_one_device_leaves_steps_unchanged():
    import keras

    from keras_genai.distribute import draw_rows, replica_count, scale_for_replicas

    assert replica_count() == 1
    assert float(scale_for_replicas(keras.ops.convert_to_tensor(3.0))) == 3.0
    a = draw_rows(keras.random.normal, (4, 2), seed=keras.random.SeedGenerator(1))
    b = keras.random.normal((4, 2), seed=keras.random.SeedGenerator(1))
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
