"""`evaluate`: a model's losses and metrics on a split, or its samples' quality."""

import json
import math
import os

import numpy as np

from keras_genai import data as data_lib
from keras_genai.export.saved_model import saved_model_samples
from keras_genai.metrics import (
    GENERATION_METRICS,
    MODEL_METRICS,
    check_generation_metrics,
    evaluate_generation,
    model_metrics,
)
from keras_genai.models.pretrained import refuse_savedmodels_output
from keras_genai.training.load import load_model
from keras_genai.training.run_data import find_run_config, folder_run_files, folder_run_image_args


def evaluate(model_or_path, dataset=None, split=None, data_dir=None, download=False,
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
      against as many of the split, see `evaluate_generation`; for a run
      trained on an image folder, against its own images (the held-out
      ones by default, `split="train"` for the rest; default: all of them).

    `dataset` defaults to the data of the run `model_or_path` belongs to (see
    `find_run_config`): for a run trained on an image folder, its held-out
    validation images (split `"validation"`; `"train"` for the rest), split
    again with the fraction and seed its config.json records; for a run on a
    named image dataset, that dataset. Otherwise fashion_mnist for image
    models and embedded for text models; `split` defaults to test.
    `batch_size` defaults to 256 (50 for Inception features). Writes
    the result to the JSON file `out` if given; an existing file is
    replaced only with `overwrite` (checked before any work).

    Returns:
        dict: `model`, `class`, `dataset`, `split`, `data` (in words, which
        images were used) and either `metrics` (name -> value) or the
        generation metrics' fields.
    """
    refuse_savedmodels_output(out)
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
    run_config = find_run_config(name) if name and dataset is None else None
    folder = run_config and run_config["training"].get("image_folder")
    translation = getattr(model, "data_form", None) == "domains"
    if run_config and not folder and not translation and (model is None or model.input_kind == "images"):
        dataset = run_config["training"].get("dataset")
        data_dir = data_dir or run_config["training"].get("data_dir")
    options = dict(dataset=dataset, split=split, data_dir=data_dir, download=download,
                   batch_size=batch_size, num_samples=num_samples)
    if generation:
        result = _generation(model, name, metrics, seed=seed, run_config=run_config if folder else None,
                             **options)
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
        result = _text(model, run_config=run_config, **options)
    else:
        result = _images(model, metrics, k=k, normal_class=normal_class,
                         run_config=run_config if folder else None, **options)
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
            "split": "test (held out)",
            "data": (f"the held-out test images of domain a {training['domain_a']!r} and domain b "
                     f"{training['domain_b']!r}"), "metrics": {key: float(value) for key, value in losses.items()}}


def _images(model, metrics, dataset, split, data_dir, download, batch_size, num_samples, k,
            normal_class, run_config):
    options = dict(batch_size=batch_size or 256, value_range=model.value_range,
                   with_labels=model.needs_labels, shuffle=False)
    if run_config:
        split = split or "validation"
        paths, labels, description = folder_run_files(run_config, split)
        image_args = folder_run_image_args(run_config)
        pipeline = data_lib.image_files_dataset(paths, labels, **image_args, **options)
        dataset = run_config["training"]["image_folder"]
    else:
        dataset, split = dataset or "fashion_mnist", split or "test"
        pipeline = data_lib.image_dataset(dataset, split, data_dir, download=download, **options)
        description = f"the {split} split of {dataset}"
    losses = model.evaluate(pipeline, verbose=0, return_dict=True)
    result = {"class": type(model).__name__, "dataset": dataset, "split": split, "data": description,
              "metrics": {key: float(value) for key, value in losses.items()}}
    if metrics:
        if run_config:
            images, labels = data_lib.image_files_arrays(paths[:num_samples], labels[:num_samples],
                                                         **image_args)
        else:
            images, labels = data_lib.load_image_arrays(dataset, split, data_dir, download)
            images, labels = images[:num_samples], labels[:num_samples]
        images = data_lib.normalize_images(images, model.value_range).numpy()
        result["num_samples"] = len(images)
        result["metrics"].update(model_metrics(model, metrics, images, labels, k=k,
                                               normal_class=normal_class))
    return result


def _text(model, dataset, split, data_dir, download, batch_size, num_samples, run_config=None):
    training = (run_config or {}).get("training", {})
    own = dataset is None and training.get("dataset") not in (None, *data_lib.text.TEXT_DATASETS)
    if own:
        # A run trained on the user's text file: its held-out end ("validation"), as training cut it.
        dataset, split = training["dataset"], split or "validation"
        fraction = training.get("validation_fraction", 0.1)
        if split not in ("validation", "train"):
            raise ValueError(f"A run trained on the text file {dataset!r} has the splits 'validation' (its last "
                             f"{fraction:.0%}, held out) and 'train'. Received: split={split!r}")
        parts = data_lib.text.holdout_split(data_lib.load_text(dataset, "train+validation+test"), fraction)
        text = parts[split == "validation"]
        if not text:
            raise ValueError(f"The run held none of {dataset!r} out (validation fraction {fraction}): "
                             "evaluate on split 'train' or another text.")
        data = (f"the last {fraction:.0%} of {dataset} ({len(text)} characters), held out from training"
                if split == "validation" else f"the first {1 - fraction:.0%} of {dataset}, trained on")
    else:
        dataset = dataset or training.get("dataset") or "embedded"
        split = split or "test"
        text = data_lib.load_text(dataset, split, data_dir or training.get("data_dir"), download=download)
        data = f"the {split} split of {dataset}"
    ids = model.get_vocabulary().encode(text)
    windows = data_lib.text_dataset(ids, model.sequence_length, batch_size or 256, shuffle=False)
    loss = float(model.evaluate(windows, verbose=0, return_dict=True)["loss"])
    predicted = (len(ids) - 1) // model.sequence_length * model.sequence_length
    return {"class": type(model).__name__, "dataset": dataset, "split": split,
            "data": data, "predicted_tokens": int(predicted),
            "metrics": {"loss": loss, "perplexity": math.exp(loss)}}


def _generation(model, path, metrics, dataset, split, data_dir, download, batch_size, num_samples,
                seed, run_config=None):
    reference = None
    if run_config:
        # An image-folder run is compared with its own images: the held-out ones by default.
        split = split or "validation"
        paths, labels, description = folder_run_files(run_config, split)
        num_samples = num_samples or len(paths)
        if num_samples > len(paths):
            raise ValueError(f"{description} are {len(paths)}: --num-samples can be at most that "
                             f"(or --split train). Received: --num-samples {num_samples}")
        try:
            check_generation_metrics(metrics, num_samples)
        except ValueError as e:
            hint = ": kid and pr work with fewer images (KID is unbiased in the sample count)" if "fid" in metrics else ""
            raise ValueError(f"{e}. Compared with {description}{hint}.") from None
        # The first num_samples of the classes in turn, as the generated side draws its labels.
        picked = data_lib.classes_in_turn(labels)[:num_samples]
        reference = data_lib.image_files_arrays([paths[i] for i in picked], np.asarray(labels)[picked],
                                                **folder_run_image_args(run_config))[0]
        dataset = run_config["training"]["image_folder"]
    num_samples = num_samples or 10000
    check_generation_metrics(metrics, num_samples)
    if model is None:
        source, kind = saved_model_samples(path, num_samples, seed=seed), "SavedModel"
    elif not hasattr(model, "generate") or model.input_kind != "images":
        raise ValueError(f"{type(model).__name__} does not generate images; --metrics "
                         f"{','.join(metrics)} needs a generative model such as dcgan or vae.")
    else:
        source, kind = model, type(model).__name__
    dataset, split = dataset or "fashion_mnist", split or "test"
    result = evaluate_generation(
        source, metrics, dataset=dataset, split=split, num_samples=num_samples,
        data_dir=data_dir, batch_size=batch_size or 50, seed=seed, reference=reference,
    )
    data = description if run_config else f"the {split} split of {dataset}"
    return {"class": kind, "data": data, **result}
