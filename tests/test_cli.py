import json
import os

import pytest

from keras_genai.cli.main import main

TRAIN = ["train", "vae", "--preset", "tiny", "--dataset", "shapes", "--steps-per-epoch", "3",
         "--batch-size", "16"]


def test_train_resume_sample_eval_export(tmp_path, capsys):
    out = str(tmp_path / "run")
    assert main(TRAIN + ["--epochs", "1", "--out", out]) == 0
    for name in ("config.json", "model.keras", "metrics.json", "checkpoints/epoch_001.keras",
                 "samples/epoch_001.png", "export/report.json",
                 "export/saved_model/saved_model.pb", "export/litert/decode_float32.tflite"):
        assert os.path.exists(os.path.join(out, name)), name
    assert os.listdir(os.path.join(out, "logs"))

    # The folder is protected unless --resume or --overwrite.
    assert main(TRAIN + ["--epochs", "1", "--out", out]) == 2
    assert "--resume" in capsys.readouterr().err

    assert main(TRAIN + ["--epochs", "2", "--out", out, "--resume", "--export", "none"]) == 0
    with open(os.path.join(out, "metrics.json")) as f:
        assert [e["epoch"] for e in json.load(f)] == [1, 2]
    assert os.path.exists(os.path.join(out, "checkpoints", "epoch_002.keras"))
    # The optimizer state came back too: 2 epochs x 3 steps, not 3.
    from keras_genai.training import load_model

    assert int(load_model(out).optimizer.iterations.numpy()) == 6

    grid = str(tmp_path / "grid.png")
    assert main(["sample", out, "--num", "8", "--out", grid]) == 0 and os.path.exists(grid)
    assert main(["sample", out, "--num", "8", "--out", grid]) == 2
    assert main(["sample", out, "--num", "8", "--label", "1", "--out", grid, "--overwrite"]) == 2
    assert "not conditional" in capsys.readouterr().err

    result = str(tmp_path / "eval.json")
    assert main(["eval", out, "--dataset", "shapes", "--split", "test", "--out", result]) == 0
    with open(result) as f:
        assert "elbo" in json.load(f)["metrics"]

    exported = str(tmp_path / "exported")
    assert main(["export", out, "--out", exported, "--quantize", "float32,float16"]) == 0
    assert sorted(os.listdir(os.path.join(exported, "litert")))[:2] == [
        "decode_float16.tflite", "decode_float32.tflite"]


def test_conditional_sample(tmp_path):
    out = str(tmp_path / "cvae")
    assert main(["train", "cvae", "--preset", "tiny", "--dataset", "shapes", "--epochs", "1",
                 "--steps-per-epoch", "2", "--batch-size", "8", "--out", out, "--export", "none",
                 "--validation-split", "none"]) == 0
    grid = str(tmp_path / "c.png")
    assert main(["sample", out, "--num", "4", "--label", "3", "--out", grid]) == 0


def test_corrupt_checkpoint(tmp_path, capsys):
    bad = tmp_path / "model.keras"
    bad.write_bytes(b"not a zip")
    assert main(["sample", str(bad), "--out", str(tmp_path / "x.png")]) == 2
    assert "corrupt" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "vae", "--epochs", "0", "--out", "x"], "expected a positive integer, received '0'"),
        (["train", "gan9", "--out", "x"], "invalid choice"),
        (["train", "vae", "--mixed-precision", "fp8", "--out", "x"], "invalid choice"),
        (["train", "vae", "--export", "int4", "--out", "x"], "unknown quantization"),
        (["train", "vae", "--set", "beta", "--out", "x"], "expected KEY=VALUE"),
    ],
)
def test_bad_cli_values(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--dataset", "fashon_mnist"], "did you mean 'fashion_mnist'"),
        (["--set", "gamma=2"], "has no argument 'gamma'"),
        (["--preset", "huge"], "has presets"),
        (["--resume"], "Cannot resume"),
    ],
)
def test_train_errors_exit_2(extra, message, tmp_path, capsys):
    assert main(["train", "vae", "--out", str(tmp_path / "r"), "--epochs", "1"] + extra) == 2
    assert message in capsys.readouterr().err


def test_help_on_every_subcommand(capsys):
    for command in ("train", "sample", "export", "eval", "models"):
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
    assert "--mixed-precision" in capsys.readouterr().out


@pytest.mark.parametrize("model, label", [("wgan_gp", None), ("cgan", "3")])
def test_train_and_sample_gans(model, label, tmp_path):
    out = str(tmp_path / model)
    assert main(["train", model, "--preset", "tiny", "--dataset", "shapes", "--epochs", "1",
                 "--steps-per-epoch", "2", "--batch-size", "8", "--out", out]) == 0
    assert os.path.exists(os.path.join(out, "export", "litert", "generate_float32.tflite"))
    grid = str(tmp_path / "grid.png")
    assert main(["sample", out, "--num", "8", "--out", grid] + (["--label", label] if label else [])) == 0
