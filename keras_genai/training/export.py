"""Export of a model or a run: SavedModel + LiteRT, each checked against Keras."""

import os
import shutil

from keras_genai.export import (
    check_greedy_generation,
    check_litert,
    check_saved_model,
    checked_example_inputs,
    endpoints_of,
    export_litert,
    export_saved_model,
    float32_copy,
    litert_step,
    saved_model_step,
)
from keras_genai.models.pretrained import refuse_savedmodels_output
from keras_genai.training.datasets import load_data, load_domain_data
from keras_genai.training.load import load_model
from keras_genai.training.run_data import find_run_config
from keras_genai.utils import remove_temporaries, replace_directory, temporary_name, write_json

DEFAULT_QUANTIZATIONS = ("float32", "dynamic", "float16", "int8")


def calibration_images(model, dataset=None, data_dir=None, download=False, run_config=None):
    """A fixed batch of real images in `model`'s value range, for int8
    calibration and parity checks: the run's own (its sample-grid batch, from
    its validation images) when `run_config` (a run's config.json, see
    `find_run_config`) is given and `dataset` is not, else `dataset`'s
    (default fashion_mnist). None for a model that does not take images
    (text models and forecasters calibrate on their own inputs)."""
    if model.input_kind != "images":
        return None
    training = (run_config or {}).get("training", {})
    if getattr(model, "data_form", None) == "domains":
        if not training.get("domain_a"):
            raise ValueError(f"{type(model).__name__} calibrates on its two domains: export its run folder "
                             "(with config.json), or export without int8.")
        # (x_a, x_b): each direction's endpoint calibrates on its own source domain.
        return load_domain_data(type(model), training["domain_a"], training["domain_b"], "test",
                                data_dir or training.get("data_dir"), training["image_size"],
                                training["channels"], download=download, seed=training["seed"])["grid"][0]
    if dataset is None and training.get("image_folder"):
        source = f"the run's image folder {training['image_folder']!r}"
        images = load_data(
            type(model), image_folder=training["image_folder"], image_size=training["image_size"],
            channels=training["channels"], validation_fraction=training.get("validation_fraction") or 0.0,
            validation_seed=training.get("validation_seed", 0),
        )["grid"][0]
    else:
        if dataset is None and training.get("dataset"):
            dataset, data_dir = training["dataset"], data_dir or training.get("data_dir")
        source = f"dataset {dataset or 'fashion_mnist'!r}"
        images = load_data(type(model), dataset or "fashion_mnist", validation_split=None,
                           data_dir=data_dir, download=download)["grid"][0]
    expected = tuple(getattr(model, "image_shape", images.shape[1:]))
    if tuple(images.shape[1:]) != expected:
        raise ValueError(
            f"{type(model).__name__} takes images of shape {expected}, but {source} has "
            f"{tuple(images.shape[1:])}: export the run folder it was trained in, or pass --dataset "
            "with images of its shape."
        )
    return images


def export_model(model_or_path, out, quantizations=DEFAULT_QUANTIZATIONS, dataset=None,
                 data_dir=None, download=False, overwrite=False):
    """`export_run` of a model, a `.keras` file or a run folder into `out`.

    int8 calibrates on real images (see `calibration_images`): the run's
    own when `model_or_path` is a run folder (or a model file in one) and no
    `dataset` is given. The parity checks run on the same images; without
    int8 they do only if the run's image folder is at hand (else on the
    model's typical inputs, e.g. noise), so that a float export needs no data.

    Returns:
        the parity report (also written to `out/report.json`).
    """
    refuse_savedmodels_output(out)
    if os.path.isdir(out):
        remove_temporaries(out)  # what a killed export left
    if os.path.isdir(out) and os.listdir(out) and not overwrite:
        raise FileExistsError(f"{out!r} is not empty. Pass --overwrite or another --out.")
    model = load_model(model_or_path) if isinstance(model_or_path, (str, os.PathLike)) else model_or_path
    run_config = find_run_config(model_or_path)
    folder = ((run_config or {}).get("training") or {}).get("image_folder")
    images = None
    if "int8" in quantizations or (dataset is None and folder and os.path.isdir(folder)):
        images = calibration_images(model, dataset, data_dir, download, run_config)
    return export_run(model, out, images, quantizations)


def export_run(model, directory, images, quantizations):
    """SavedModel + LiteRT into `directory`, each checked against Keras.

    Writes and returns the parity report (`report.json`). The inputs of
    every endpoint are checked before anything is written; the export is
    built in a temporary folder inside `directory` and its parts moved into
    place only once all are written and checked, `report.json` last (an
    earlier one is removed first): a failed or killed export leaves the
    previous one or nothing, never half, and `report.json` exists only
    beside a complete export.
    """
    exported = float32_copy(model)
    for name, endpoint in endpoints_of(exported).items():
        checked_example_inputs(exported, name, endpoint, data=images)
    created = not os.path.exists(directory)
    os.makedirs(directory, exist_ok=True)
    staging = temporary_name(os.path.join(directory, "export"))
    os.makedirs(staging)
    try:
        report = _relocated(_export_run(model, staging, images, quantizations), staging, directory)
        report_path = os.path.join(directory, "report.json")
        if os.path.exists(report_path):
            os.remove(report_path)
        for part in ("saved_model", "litert"):
            replace_directory(os.path.join(staging, part), os.path.join(directory, part))
        write_json(report_path, report)
        return report
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not os.listdir(directory):
            os.rmdir(directory)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _relocated(value, old, new):
    """`value` (the report) with paths under `old` moved under `new`."""
    if isinstance(value, dict):
        return {k: _relocated(v, old, new) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_relocated(v, old, new) for v in value)
    if isinstance(value, str) and value.startswith(old):
        return new + value[len(old):]
    return value


def _export_run(model, directory, images, quantizations):
    saved_model = export_saved_model(model, os.path.join(directory, "saved_model"), overwrite=True)
    report = {
        "saved_model": {"path": saved_model,
                        "max_abs_diff": check_saved_model(model, saved_model, images)},
        "litert": check_litert(
            model, export_litert(model, os.path.join(directory, "litert"), quantizations,
                                 data=images, overwrite=True), data=images),
    }
    if model.input_kind == "tokens":
        # Names: "saved_model", "litert_float32" for next_token; the endpoint
        # is added for others ("saved_model_next_token_state", ...).
        steps = {}
        for endpoint in model.serving_endpoints():
            suffix = "" if endpoint == "next_token" else f"_{endpoint}"
            steps[f"saved_model{suffix}"] = saved_model_step(saved_model, endpoint)
            steps.update({f"litert{suffix}_{row['quantization']}": litert_step(row["path"])
                          for row in report["litert"]
                          if row["quantization"] == "float32" and row["endpoint"] == endpoint})
        report["greedy_generation"] = check_greedy_generation(model, steps)
    return report
