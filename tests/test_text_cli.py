import json
import os

import numpy as np
import pytest

from keras_genai.cli.main import main


def test_train_gpt_on_embedded_corpus_then_sample(tmp_path, capsys):
    out = str(tmp_path / "gpt")
    assert main(["train", "gpt", "--preset", "tiny", "--epochs", "1", "--steps-per-epoch", "3",
                 "--export", "none", "--out", out]) == 0
    for name in ("config.json", "model.keras", "metrics.json", "checkpoints/epoch_001.keras",
                 "samples/epoch_001.txt"):
        assert os.path.exists(os.path.join(out, name)), name
    with open(os.path.join(out, "config.json")) as f:
        assert json.load(f)["training"]["dataset"] == "embedded"
    with open(os.path.join(out, "metrics.json")) as f:
        record = json.load(f)[0]
    assert record["loss"] > 0 and record["val_loss"] > 0
    capsys.readouterr()

    assert main(["sample", out, "--prompt", "def ", "--max-new-tokens", "20", "--top-k", "5",
                 "--temperature", "0.8", "--seed", "3"]) == 0
    first = capsys.readouterr().out
    assert first.startswith("def ") and len(first.rstrip("\n")) >= 24
    assert main(["sample", out, "--prompt", "def ", "--max-new-tokens", "20", "--top-k", "5",
                 "--temperature", "0.8", "--seed", "3"]) == 0
    assert capsys.readouterr().out == first

    result = os.path.join(str(tmp_path), "eval.json")
    assert main(["eval", out, "--split", "validation", "--out", result]) == 0
    with open(result) as f:
        metrics = json.load(f)["metrics"]
    assert abs(metrics["perplexity"] - np.exp(metrics["loss"])) < 1e-3 * metrics["perplexity"]

    for flags, message in (
        (["--prompt", "x" * 17], "context is 16"),
        (["--prompt", "\u2603"], "outside the vocabulary"),
        (["--temperature", "0"], "temperature=0.0"),
        (["--top-p", "1.5"], "p=1.5"),
        (["--top-k", "0"], "k=0"),
    ):
        assert main(["sample", out] + flags) == 2, flags
        assert message in capsys.readouterr().err, flags


@pytest.mark.slow
def test_train_lstm_on_a_text_file(tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("the cat sat on the mat. " * 40, encoding="utf-8")
    out = str(tmp_path / "lstm")
    assert main(["train", "lstm", "--preset", "tiny", "--dataset", str(corpus), "--epochs", "1",
                 "--export", "float32", "--out", out]) == 0
    with open(os.path.join(out, "samples", "epoch_001.txt")) as f:
        assert set(f.read()) <= set("the cat sat on the mat. ")
    # The state loop (next_token_state) runs 2 windows of 16 past a 4-token prompt.
    with open(os.path.join(out, "export", "report.json")) as f:
        rows = json.load(f)["greedy_generation"]
    for name in ("saved_model_next_token_state", "litert_next_token_state_float32"):
        assert rows[name]["loop"] == "state" and rows[name]["equal"], rows
        assert rows[name]["new_tokens"] == 32 and rows[name]["max_abs_logit_diff"] < 1e-4, rows
    assert rows["litert_float32"]["loop"] == "window" and rows["litert_float32"]["equal"], rows
    assert "litert_next_token_state_float32 (state loop): 32/32 tokens as Keras (same text" in capsys.readouterr().out
