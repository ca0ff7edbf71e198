import json
import os

import pytest

from keras_genai.cli.main import main

TRAIN = ["train", "vae", "--preset", "tiny", "--dataset", "shapes", "--steps-per-epoch", "3",
         "--batch-size", "16"]


@pytest.mark.slow
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
    # A failed run leaves no folder that a corrected one would call "not empty".
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "vae", "--set", "gamma=2"], "VAE has no argument 'gamma'"),
        (["train", "vae", "--preset", "huge"], "Model 'vae' has presets"),
        (["train", "gpt", "--set", "units=8"], "GPT has no argument 'units'"),
        (["train", "cnn", "--image-folder", "nowhere", "--preset", "gpu"], "has presets"),
    ],
)
def test_train_checks_model_arguments_before_loading_data(argv, message, tmp_path, capsys, monkeypatch):
    import importlib

    # The module, not the `train` function that `keras_genai.training` exports under its name.
    train_module = importlib.import_module("keras_genai.training.train")

    def no_data(*args, **kwargs):
        raise AssertionError("train() loaded data before checking the model arguments")

    monkeypatch.setattr(train_module, "load_data", no_data)
    monkeypatch.setattr(train_module, "load_text_data", no_data)
    assert main(argv + ["--out", str(tmp_path / "r")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_failed_overwrite_keeps_the_earlier_run(tmp_path, capsys):
    out = tmp_path / "r"
    out.mkdir()
    (out / "model.keras").write_bytes(b"an earlier run")
    assert main(["train", "vae", "--dataset", "fashon_mnist", "--overwrite", "--out", str(out)]) == 2
    assert "did you mean 'fashion_mnist'" in capsys.readouterr().err
    assert (out / "model.keras").read_bytes() == b"an earlier run"


# The flags of each command before the CLI was split into command modules.
FLAGS = {
    "train": ["--dataset", "--data-dir", "--download", "--image-folder", "--domain-a", "--domain-b",
              "--image-size", "--channels",
              "--preset", "--set", "--epochs", "--batch-size", "--learning-rate", "--steps-per-epoch",
              "--validation-split", "--mixed-precision", "--xla", "--out", "--resume", "--overwrite",
              "--seed", "--export", "--validation-fraction", "--validation-seed", "--vocabulary",
              "--keep-checkpoints", "--monitor", "--keep", "--early-stopping", "--from", "--freeze",
              "--checkpoint-every", "--checkpoint-minutes", "--time-budget", "--snapshot-minutes", "--budget-clock", "--deterministic", "--distribute", "--cpu-devices"],
    "sample": ["--num", "--label", "--seed", "--truncation", "--columns", "--out", "--overwrite", "--prompt",
               "--max-new-tokens", "--temperature", "--top-k", "--top-p"],
    "export": ["--out", "--quantize", "--dataset", "--data-dir", "--download", "--overwrite"],
    "eval": ["--dataset", "--data-dir", "--download", "--split", "--batch-size", "--metrics",
             "--num-samples", "--k", "--normal-class", "--seed", "--out", "--overwrite"],
    "forecast": ["--series", "--column", "--date-column", "--horizon", "--lags", "--max-lags", "--d", "--seasonal-d",
                 "--period", "--method", "--test-size", "--no-refit", "--epochs", "--batch-size", "--learning-rate",
                 "--preset", "--seed", "--out", "--overwrite"],
    "models": ["--pretrained"],
    "translate": ["--direction", "--input", "--out", "--overwrite"],
}


@pytest.mark.parametrize("command", sorted(FLAGS))
def test_help_of_every_command_names_and_explains_its_flags(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for flag in FLAGS[command]:
        assert f"{flag} " in text or f"{flag}\n" in text, flag
    from keras_genai.cli.main import build_parser

    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    actions = subparsers.choices[command]._actions
    assert sorted(s for a in actions for s in a.option_strings if s.startswith("--")) == sorted(
        FLAGS[command] + ["--help"])
    assert all(a.help for a in actions), [a.dest for a in actions if not a.help]


def test_train_help_points_to_each_models_budget_and_optimizer(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "learning rate of the model's optimizers" in text
    # The budgets are listed by `models` (they need the registry, which loads TensorFlow).
    assert "`keras-genai models` lists each model's budget" in text
    assert main(["models"]) == 0
    wgan = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("wgan "))
    assert "budget: 8 epochs, batch 64   optimizer: D and G: RMSprop(lr=1e-4)" in wgan, wgan


def test_each_command_passes_its_flags_to_its_library_function():
    """The flags' dests are the library function's parameter names: binding them checks it."""
    import inspect

    from keras_genai import training
    from keras_genai.cli.arguments import library_kwargs
    from keras_genai.cli.main import build_parser
    from keras_genai.training.forecast import forecast_series

    cases = [
        (["train", "vae", "--out", "x"], training.train),
        (["sample", "run"], training.sample),
        (["export", "run", "--out", "x"], training.export_model),
        (["eval", "run"], training.evaluate),
        (["translate", "run", "--direction", "a2b", "--input", "in", "--out", "x"], training.translate),
        (["forecast", "ar", "--series", "s.csv", "--horizon", "3", "--out", "x"], forecast_series),
    ]
    for argv, function in cases:
        kwargs = library_kwargs(build_parser().parse_args(argv))
        bound = inspect.signature(function).bind(**kwargs)  # raises TypeError on a stray flag
        # Every flag reaches its parameter; the positional becomes the first one.
        assert bound.arguments == kwargs and next(iter(inspect.signature(function).parameters)) in kwargs
        assert kwargs[next(iter(inspect.signature(function).parameters))] == argv[1]


def test_forecast_help_lists_the_registry_forecasters(capsys):
    from keras_genai.models.registry import FORECASTERS

    with pytest.raises(SystemExit):
        main(["forecast", "--help"])
    lines = capsys.readouterr().out.splitlines()
    for name, entry in FORECASTERS.items():
        assert any(line.split()[:2] == [name, entry["class"].__name__ + ":"] for line in lines if line.strip()), name


def test_models_lists_every_model_and_its_optimizer(capsys):
    from keras_genai.models import registry

    assert main(["models"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == len(registry.MODELS) + len(registry.FORECASTERS)
    assert rows[0].split()[:2] == [next(iter(registry.MODELS)), next(iter(registry.MODELS.values()))["class"].__name__]
    wgan = next(row for row in rows if row.startswith("wgan "))
    assert wgan.endswith("optimizer: D and G: RMSprop(lr=1e-4)"), wgan
    assert "least squares" in next(row for row in rows if row.startswith("ar (forecast)"))


@pytest.mark.slow
@pytest.mark.parametrize("model, label", [("wgan_gp", None), ("cgan", "3")])
def test_train_and_sample_gans(model, label, tmp_path):
    out = str(tmp_path / model)
    assert main(["train", model, "--preset", "tiny", "--dataset", "shapes", "--epochs", "1",
                 "--steps-per-epoch", "2", "--batch-size", "8", "--out", out]) == 0
    assert os.path.exists(os.path.join(out, "export", "litert", "generate_float32.tflite"))
    grid = str(tmp_path / "grid.png")
    assert main(["sample", out, "--num", "8", "--out", grid] + (["--label", label] if label else [])) == 0


def test_forecast_with_a_train_name_says_which_forecaster_is_meant(tmp_path, capsys):
    series = tmp_path / "s.csv"
    series.write_text("v\n" + "\n".join(str(i % 7) for i in range(60)), encoding="utf-8")
    assert main(["forecast", "lstm", "--series", str(series), "--horizon", "2", "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert "Unknown forecaster 'lstm'" in err and "did you mean 'lstm_forecaster'" in err, err
    assert not (tmp_path / "f").exists()


def test_eval_refuses_to_overwrite_an_existing_out_file(tmp_path, capsys):
    # It once replaced a run's metrics.json and model.keras with its JSON.
    precious = tmp_path / "model.keras"
    precious.write_bytes(b"not to be lost")
    assert main(["eval", str(tmp_path / "no_run"), "--out", str(precious)]) == 2
    assert "already exists. Pass --overwrite" in capsys.readouterr().err
    assert precious.read_bytes() == b"not to be lost"


@pytest.mark.parametrize("setting", ["latent_dim=abc", "widths=5"])
def test_train_with_a_wrongly_typed_setting_is_an_error_not_a_traceback(setting, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "vae", "--preset", "tiny", "--dataset", "shapes", "--epochs", "1",
                 "--set", setting, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "VAE could not be built from its arguments" in err and setting.split("=")[0] in err, err
    assert "Traceback" not in err and not out.exists()


def test_ctrl_c_ends_with_a_line_not_a_traceback(monkeypatch, tmp_path, capsys):
    from keras_genai import training

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "train", interrupted)
    assert main(["train", "vae", "--out", str(tmp_path / "run")]) == 130
    err = capsys.readouterr().err
    assert err.startswith("keras-genai train: interrupted.") and "--resume" in err
