"""`evaluate`: a model's losses and metrics on a split, or its samples' quality."""

import json
import math
import os

from keras_genai import data as data_lib
from keras_genai.export.saved_model import saved_model_samples
from keras_genai.metrics import (
    GENERATION_METRICS,
    MODEL_METRICS,
    check_generation_metrics,
    evaluate_generation,
    model_metrics,
)
from keras_genai.training.load import load_model


def evaluate(model_or_path, dataset=None, split="test", data_dir=None, download=False,
             batch_size=None, metrics=(), num_samples=None, k=5000, normal_class=None, seed=0,
             out=None, overwrite=False):
    """Evaluates a model, a `.keras` file, a run folder or (for fid, kid, pr)
    an exported SavedModel folder of an unconditional generator.

    - Without `metrics`: the model's own losses (`model.evaluate`) on
      `split`; for a text model also its perplexity.
    - `metrics` from `MODEL_METRICS` (nll, auroc, ssim): also those, on the
      first `num_samples` images of the split (default: all).
    - `metrics` from `GENERATION_METRICS` (fid, kid, pr): InceptionV3
      feature metrics of `num_samples` (default 10000) generated images
      against as many of the split, see `evaluate_generation`.

    `dataset` defaults to fashion_mnist for image models and embedded for
    text models; `batch_size` to 256 (50 for Inception features). Writes
    the result to the JSON file `out` if given; an existing file is
    replaced only with `overwrite` (checked before any work).

    Returns:
        dict: `model`, `class`, `dataset`, `split` and either `metrics`
        (name -> value) or the generation metrics' fields.
    """
    if out and os.path.exists(out) and not overwrite:
        raise FileExistsError(f"{out!r} already exists. Pass --overwrite to replace it, or another --out.")
    metrics = tuple(metrics)
    unknown = [m for m in metrics if m not in GENERATION_METRICS + MODEL_METRICS]
    if unknown:
        raise ValueError(f"unknown metric {unknown}; expected some of "
                         f"{', '.join(GENERATION_METRICS + MODEL_METRICS)}. Received: metrics={metrics}")
    generation = [m for m in metrics if m in GENERATION_METRICS]
    if generation and len(generation) < len(metrics):
        raise ValueError(
            "fid,kid,pr are measured on generated samples and nll,auroc,ssim on the split's images: "
            f"ask for them in two eval calls. Received: --metrics {','.join(metrics)}"
        )
    name = model_or_path if isinstance(model_or_path, (str, os.PathLike)) else None
    if generation and name and os.path.isfile(os.path.join(name, "saved_model.pb")):
        model = None
    else:
        model = load_model(model_or_path) if name else model_or_path
    options = dict(dataset=dataset, split=split, data_dir=data_dir, download=download,
                   batch_size=batch_size, num_samples=num_samples)
    if generation:
        result = _generation(model, name, metrics, seed=seed, **options)
    elif getattr(model, "data_form", None) == "domains":
        result = _domains(model, name, metrics, **options)
    elif model.input_kind == "series":
        raise ValueError(f"{type(model).__name__} is a forecaster: score it on a held-out tail with "
                         "keras_genai.training.forecast.forecast_series(test_size=N) "
                         "(CLI: keras-genai forecast --test-size N).")
    elif model.input_kind == "tokens":
        if metrics:
            raise ValueError(f"{type(model).__name__} is a text model: nll, auroc and ssim are image "
                             "metrics; without --metrics eval reports its loss and perplexity. "
                             f"Received: --metrics {','.join(metrics)}")
        result = _text(model, **options)
    else:
        result = _images(model, metrics, k=k, normal_class=normal_class, **options)
    result = {"model": name or type(model).__name__, "class": result.pop("class"), **result}
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=1)
    return result


def _domains(model, name, metrics, dataset, split, data_dir, download, batch_size, num_samples):
    """A translation model's losses on the held-out images of the two domains it was trained on."""
    from keras_genai.training.datasets import load_domain_data

    config_path = os.path.join(name, "config.json") if name and os.path.isdir(name) else None
    if metrics or dataset or not config_path or not os.path.exists(config_path):
        raise ValueError(
            f"{type(model).__name__} is scored on its own two domains: pass its run folder (with config.json) "
            "and no --dataset/--metrics; for the translation protocol (target-class rate, cycle PSNR, FID) run "
            "`python -m tools.bench.translation_protocol --runs RUN`."
        )
    with open(config_path) as f:
        training = json.load(f)["training"]
    data = load_domain_data(type(model), training["domain_a"], training["domain_b"], "test", data_dir or training["data_dir"],
                            training["image_size"], training["channels"], batch_size or training["batch_size"],
                            download, training["seed"])
    losses = model.evaluate(data["validation"], verbose=0, return_dict=True)
    return {"class": type(model).__name__, "dataset": f"{training['domain_a']} <-> {training['domain_b']}",
            "split": "test (held out)", "metrics": {key: float(value) for key, value in losses.items()}}


def _images(model, metrics, dataset, split, data_dir, download, batch_size, num_samples, k,
            normal_class):
    dataset = dataset or "fashion_mnist"
    pipeline = data_lib.image_dataset(
        dataset, split, data_dir, batch_size=batch_size or 256, value_range=model.value_range,
        with_labels=model.needs_labels, shuffle=False, download=download,
    )
    losses = model.evaluate(pipeline, verbose=0, return_dict=True)
    result = {"class": type(model).__name__, "dataset": dataset, "split": split,
              "metrics": {key: float(value) for key, value in losses.items()}}
    if metrics:
        images, labels = data_lib.load_image_arrays(dataset, split, data_dir, download)
        images, labels = images[:num_samples], labels[:num_samples]
        images = data_lib.normalize_images(images, model.value_range).numpy()
        result["num_samples"] = len(images)
        result["metrics"].update(model_metrics(model, metrics, images, labels, k=k,
                                               normal_class=normal_class))
    return result


def _text(model, dataset, split, data_dir, download, batch_size, num_samples):
    dataset = dataset or "embedded"
    ids = model.get_vocabulary().encode(data_lib.load_text(dataset, split, data_dir, download=download))
    windows = data_lib.text_dataset(ids, model.sequence_length, batch_size or 256, shuffle=False)
    loss = float(model.evaluate(windows, verbose=0, return_dict=True)["loss"])
    predicted = (len(ids) - 1) // model.sequence_length * model.sequence_length
    return {"class": type(model).__name__, "dataset": dataset, "split": split,
            "predicted_tokens": int(predicted), "metrics": {"loss": loss, "perplexity": math.exp(loss)}}


def _generation(model, path, metrics, dataset, split, data_dir, download, batch_size, num_samples,
                seed):
    num_samples = num_samples or 10000
    check_generation_metrics(metrics, num_samples)
    if model is None:
        source, kind = saved_model_samples(path, num_samples, seed=seed), "SavedModel"
    elif not hasattr(model, "generate") or model.input_kind != "images":
        raise ValueError(f"{type(model).__name__} does not generate images; --metrics "
                         f"{','.join(metrics)} needs a generative model such as dcgan or vae.")
    else:
        source, kind = model, type(model).__name__
    result = evaluate_generation(
        source, metrics, dataset=dataset or "fashion_mnist", split=split, num_samples=num_samples,
        data_dir=data_dir, batch_size=batch_size or 50, seed=seed,
    )
    return {"class": kind, **result}
