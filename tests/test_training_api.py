"""The library functions the CLI commands call, used without the CLI."""

import json
import math
import os

import numpy as np
import pytest

from keras_genai import training


def test_train_sample_evaluate_export_an_image_model(tmp_path):
    run = str(tmp_path / "vae")
    result = training.train("vae", run, preset="tiny", dataset="shapes", epochs=1, steps_per_epoch=2,
                            batch_size=8, validation_split=None, export_quantizations=(),
                            overrides=[("beta", 2.0)], verbose=0)
    assert "loss" in result and "export" not in result
    with open(os.path.join(run, "config.json")) as f:
        assert json.load(f)["model_config"]["beta"] == 2.0

    png = str(tmp_path / "grid.png")
    samples = training.sample(run, num=4, out=png)
    assert os.path.exists(png) and samples["kind"] == "images" and samples["class"] == "VAE"
    assert len(samples["samples"]) == 4 and 0.0 <= samples["samples"].min() <= samples["samples"].max() <= 1.0
    with pytest.raises(FileExistsError, match="grid.png' already exists"):
        training.sample(run, num=4, out=png)
    model = training.load_model(run)
    with pytest.raises(ValueError, match="VAE is not conditional"):
        training.sample(model, num=4, label=1, out=png, overwrite=True)
    with pytest.raises(ValueError, match="VAE generates images: pass --out"):
        training.sample(model, num=4)

    report = str(tmp_path / "eval.json")
    evaluation = training.evaluate(model, dataset="shapes", out=report)
    assert evaluation["class"] == "VAE" and "elbo" in evaluation["metrics"]
    with open(report) as f:
        assert json.load(f)["metrics"] == evaluation["metrics"]
    with pytest.raises(ValueError, match=r"unknown metric \['iou'\]"):
        training.evaluate(model, metrics=["iou"])

    images = training.calibration_images(model, "shapes")
    assert images.shape[0] == 16 and model.value_range[0] <= images.min() <= images.max() <= model.value_range[1]
    exported = training.export_model(run, str(tmp_path / "export"), quantizations=("float32",))
    assert {row["quantization"] for row in exported["litert"]} == {"float32"}
    assert os.path.exists(tmp_path / "export" / "report.json")
    with pytest.raises(FileExistsError, match="is not empty"):
        training.export_model(run, str(tmp_path / "export"), quantizations=("float32",))


def test_sample_and_evaluate_a_text_model(tmp_path):
    from keras_genai.data import CharacterVocabulary

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("the cat sat on the mat. " * 40, encoding="utf-8")
    vocabulary = CharacterVocabulary.from_text(corpus.read_text(encoding="utf-8"))
    model = training.build_model("gpt", "tiny", vocabulary_size=vocabulary.size,
                                 vocabulary=vocabulary.get_config())
    out = str(tmp_path / "text.txt")
    result = training.sample(model, prompt="the ", max_new_tokens=6, out=out)
    assert result["kind"] == "tokens" and result["samples"].startswith("the ")
    with open(out, encoding="utf-8") as f:
        assert f.read() == result["samples"]
    assert training.calibration_images(model) is None

    model.compile(**model.default_optimizers())
    evaluation = training.evaluate(model, dataset=str(corpus), split="test", batch_size=4)
    metrics = evaluation["metrics"]
    assert evaluation["predicted_tokens"] > 0
    assert abs(metrics["perplexity"] - math.exp(metrics["loss"])) < 1e-6 * metrics["perplexity"]
    with pytest.raises(ValueError, match="GPT is a text model: nll, auroc and ssim are image metrics"):
        training.evaluate(model, dataset=str(corpus), metrics=["nll"])


def test_sample_and_evaluate_refuse_a_forecaster():
    from keras_genai.models import AutoRegressive

    model = AutoRegressive(lags=2, horizon=1)
    with pytest.raises(ValueError, match="AutoRegressive does not generate images"):
        training.sample(model, out="never.png")
    with pytest.raises(ValueError, match="AutoRegressive is a forecaster: .*--test-size"):
        training.evaluate(model)


@pytest.mark.parametrize(
    "text, expected",
    [("beta=4.0", ("beta", 4.0)), ("widths=[8,16]", ("widths", [8, 16])), ("noise=gaussian", ("noise", "gaussian")),
     ("name=a=b", ("name", "a=b"))],
)
def test_parse_setting(text, expected):
    assert training.parse_setting(text) == expected


def test_parse_setting_says_what_it_expects():
    with pytest.raises(ValueError, match="expected KEY=VALUE, received 'beta'"):
        training.parse_setting("beta")
    assert np.isclose(training.parse_setting("lr=1e-3")[1], 1e-3)
