"""Export of a model or a run: SavedModel + LiteRT, each checked against Keras."""

import json
import os

from keras_genai.export import (
    check_greedy_generation,
    check_litert,
    check_saved_model,
    export_litert,
    export_saved_model,
    litert_step,
    saved_model_step,
)
from keras_genai.training.datasets import load_data
from keras_genai.training.load import load_model

DEFAULT_QUANTIZATIONS = ("float32", "dynamic", "float16", "int8")


def calibration_images(model, dataset=None, data_dir=None, download=False):
    """The fixed sample batch of `dataset` in `model`'s value range, for int8
    calibration and parity checks; None for a model that does not take images
    (text models and forecasters calibrate on their own inputs)."""
    if model.input_kind != "images":
        return None
    return load_data(type(model), dataset or "fashion_mnist", validation_split=None,
                     data_dir=data_dir, download=download)["grid"][0]


def export_model(model_or_path, out, quantizations=DEFAULT_QUANTIZATIONS, dataset=None,
                 data_dir=None, download=False, overwrite=False):
    """`export_run` of a model, a `.keras` file or a run folder into `out`.

    int8 calibrates on the first images of `dataset` (see
    `calibration_images`); the other quantizations need no data.

    Returns:
        the parity report (also written to `out/report.json`).
    """
    if os.path.isdir(out) and os.listdir(out) and not overwrite:
        raise FileExistsError(f"{out!r} is not empty. Pass --overwrite or another --out.")
    model = load_model(model_or_path) if isinstance(model_or_path, (str, os.PathLike)) else model_or_path
    images = None
    if "int8" in quantizations:
        images = calibration_images(model, dataset, data_dir, download)
    return export_run(model, out, images, quantizations)


def export_run(model, directory, images, quantizations):
    """SavedModel + LiteRT into `directory`, each checked against Keras.

    Writes and returns the parity report (`report.json`).
    """
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
    with open(os.path.join(directory, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    return report
