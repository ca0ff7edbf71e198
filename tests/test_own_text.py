"""`keras-genai train` on a user's text file: held-out validation text, byte vocabulary."""

import json
import os

import pytest

from keras_genai.cli.main import main
from keras_genai.data import CharacterVocabulary


@pytest.fixture
def text_file(tmp_path):
    # 2,000 characters whose last 10% holds characters the first 90% lacks.
    path = tmp_path / "own.txt"
    path.write_text("the cat sat on the mat. " * 75 + "QUIZ JUMPS " * 18 + "QU", encoding="utf-8")
    return str(path)


def train_tiny_gpt(text_file, out, *flags):
    """A two-step tiny GPT run on `text_file`; its config.json."""
    assert main(["train", "gpt", "--preset", "tiny", "--dataset", text_file, *flags,
                 "--epochs", "1", "--steps-per-epoch", "2", "--out", out]) == 0
    with open(os.path.join(out, "config.json")) as f:
        return json.load(f)


def test_a_text_file_validates_on_its_last_fraction(text_file):
    from keras_genai.training.datasets import load_text_data

    with open(text_file, encoding="utf-8") as f:
        text = f.read()
    data = load_text_data(text_file)
    vocabulary = data["vocabulary"]
    # The whole held-out end, not its last 5%: every character of it is predicted.
    assert vocabulary.decode(data["validation"]) == text[1800:]
    assert vocabulary.decode(data["train"]) == text[:1800]
    assert data["description"]["validation"] == f"the last 10% of {text_file} (200 characters)"
    fifth = load_text_data(text_file, validation_fraction=0.2)
    assert len(fifth["validation"]) == 400 and len(fifth["train"]) == 1600
    everything = load_text_data(text_file, validation_fraction=0)
    assert everything["validation"] is None and len(everything["train"]) == 2000
    assert load_text_data(text_file, validation_split=None)["validation"] is None
    with pytest.raises(ValueError, match=r"validation_fraction must be in \[0, 1\).*Received: validation_fraction=1"):
        load_text_data(text_file, validation_fraction=1)
    with pytest.raises(ValueError, match=r"vocabulary must be one of \('characters', 'bytes'\)\. "
                                         r"Received: vocabulary='words'"):
        load_text_data(text_file, vocabulary="words")


def test_train_on_a_text_file_records_its_validation_text(text_file, tmp_path, capsys):
    out = str(tmp_path / "gpt")
    config = train_tiny_gpt(text_file, out, "--validation-fraction", "0.2", "--export", "none")
    assert config["training"]["validation_fraction"] == 0.2
    # --steps-per-epoch says how long an epoch is: no passes added for a short text.
    assert config["training"]["steps_per_epoch"] == 2 and "passes_per_epoch" not in config["training"]
    assert config["training"]["learning_rate_schedule"] == {"warmup_steps": 100, "min_ratio": 0.1}
    assert config["data"] == {"train_characters": 1600, "validation": f"the last 20% of {text_file} (400 characters)",
                              "validation_characters": 400, "vocabulary": "CharacterVocabulary(19 characters)"}
    with open(os.path.join(out, "metrics.json")) as f:
        val_loss = json.load(f)[0]["val_loss"]
    assert val_loss > 0
    # eval of the run scores the text it held out, as training did, not the embedded corpus.
    from keras_genai import training

    held_out = training.evaluate(out)
    assert held_out["dataset"] == text_file and held_out["split"] == "validation"
    assert held_out["data"] == f"the last 20% of {text_file} (400 characters), held out from training"
    assert held_out["metrics"]["loss"] == pytest.approx(val_loss, rel=1e-4)
    assert training.evaluate(out, split="train")["metrics"]["loss"] != held_out["metrics"]["loss"]
    assert main(["eval", out, "--split", "test"]) == 2
    assert "has the splits 'validation' (its last 20%, held out) and 'train'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["train", "gpt", "--dataset", text_file, "--validation-fraction", "1", "--out", out])
    assert info.value.code == 2
    assert "expected a fraction in [0, 1), received '1'" in capsys.readouterr().err


@pytest.mark.slow
def test_train_with_a_byte_vocabulary_then_sample_and_export(text_file, tmp_path, capsys):
    out = str(tmp_path / "bytes")
    config = train_tiny_gpt(text_file, out, "--vocabulary", "bytes", "--export", "float32")
    assert config["training"]["vocabulary"] == "bytes"
    assert config["model_config"]["vocabulary"] == CharacterVocabulary(byte_level=True).get_config()
    assert config["model_config"]["vocabulary_size"] == 256
    with open(os.path.join(out, "export", "report.json")) as f:
        report = json.load(f)
    assert report["greedy_generation"]["litert_float32"]["equal"], report["greedy_generation"]
    capsys.readouterr()
    # A prompt of characters the text never had: a character vocabulary refuses it, bytes take it.
    assert main(["sample", out, "--prompt", "\u00e9t\u00e9 ", "--max-new-tokens", "8"]) == 0
    assert capsys.readouterr().out.startswith("\u00e9t\u00e9 ")


def test_a_short_texts_epoch_passes_over_it_several_times(text_file, tmp_path):
    from keras_genai.training import load_model
    from keras_genai.training.train import passes_per_epoch

    # The GPT budget's 2,000 steps in 5 epochs over 31,600 characters (41 steps a pass): 10 passes.
    assert passes_per_epoch(2000, 5, 31_600, 12, 64) == 10
    assert passes_per_epoch(2000, 5, 1_000_000, 12, 64) == 1 and passes_per_epoch(None, 5, 31_600, 12, 64) == 1
    out = str(tmp_path / "gpt")
    assert main(["train", "gpt", "--preset", "tiny", "--dataset", text_file, "--epochs", "1", "--export", "none",
                 "--out", out]) == 0
    with open(os.path.join(out, "config.json")) as f:
        training = json.load(f)["training"]
    # 1,800 training characters: 111 windows of 16, 10 batches of 12 a pass; 2,000 / (5 x 10) passes,
    # batched across their boundaries: 40 x 111 / 12 steps.
    assert training["passes_per_epoch"] == 40
    assert int(load_model(out).optimizer.iterations.numpy()) == 370


def test_the_vocabulary_error_names_the_cli_flag():
    with pytest.raises(ValueError, match=r"byte_level=True \(CLI: train --vocabulary bytes\)"):
        CharacterVocabulary.from_text("abc").encode("\u00e9")


def nanogpt_lr(step, learning_rate=1e-3, warmup=100, decay_steps=2000, min_lr=1e-4):
    """nanoGPT train.py's get_lr, line for line."""
    import math

    if step < warmup:
        return learning_rate * (step + 1) / (warmup + 1)
    if step > decay_steps:
        return min_lr
    ratio = (step - warmup) / (decay_steps - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (learning_rate - min_lr)


def test_the_gpt_budget_has_nanogpts_schedule_over_the_run():
    from keras_genai.data import text_dataset
    from keras_genai.models.registry import get_entry
    from keras_genai.training.schedules import run_learning_rate

    schedule = get_entry("gpt")["fit"]["learning_rate_schedule"]
    # 5 epochs of 400 steps: the schedule ends at step 2000, as the benchmark's 2000 iterations.
    rate = run_learning_rate(1e-3, schedule, 5, 400, None)
    for step in (0, 50, 99, 100, 101, 700, 1999, 2000):
        assert float(rate(step)) == pytest.approx(nanogpt_lr(step), rel=1e-5), step
    # Without --steps-per-epoch: the windows' declared count per epoch.
    windows = text_dataset(list(range(12 * 65 * 4)), 64, batch_size=12, shuffle=True)
    steps = int(windows.cardinality())
    rate = run_learning_rate(1e-3, schedule, 2, None, windows)
    assert float(rate(2 * steps)) == pytest.approx(1e-4, rel=1e-5)
    assert run_learning_rate(1e-3, None, 2, None, windows) == 1e-3
