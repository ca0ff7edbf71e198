"""The data a run was trained on, as its config.json records it, for the
commands that follow training (sample, evaluate, export)."""

import json
import os
import warnings

from keras_genai import data as data_lib
from keras_genai.models.pretrained import resolve_source


def find_run_config(model_or_path):
    """The config.json of the run folder `model_or_path` belongs to, or None.

    That folder is the path itself (or a pretrained model's folder, given
    its name), the folder of its `model.keras`, or the
    run folder above `checkpoints/epoch_NNN.keras`; a model object or a
    `.keras` file elsewhere has none.
    """
    if not isinstance(model_or_path, (str, os.PathLike)):
        return None
    try:
        path = os.path.abspath(resolve_source(model_or_path))
    except FileNotFoundError:
        return None
    if not os.path.isdir(path):
        path = os.path.dirname(path)
        if os.path.basename(path) == "checkpoints":
            path = os.path.dirname(path)
    config_path = os.path.join(path, "config.json")
    if not os.path.isfile(config_path):
        return None
    with open(config_path) as f:
        return json.load(f)


def folder_run_files(config, subset="validation"):
    """`(paths, labels, description)` of an image-folder run's held-out
    validation files (`subset="validation"`) or training files (`"train"`),
    split again from the folder with the fraction and seed config.json records.

    A run that held nothing out gives all of its (training) images for
    either subset, and the description says so. A folder that no longer
    splits into the number of files the run held out gets a `DataWarning`:
    it changed since training, so its validation files may have been trained on.
    """
    if subset not in ("validation", "train"):
        raise ValueError(f"A run trained on an image folder has the splits 'validation' (its held-out "
                         f"images) and 'train'. Received: split={subset!r}")
    training = config["training"]
    folder = training["image_folder"]
    fraction = training.get("validation_fraction") or 0.0
    seed = training.get("validation_seed", 0)
    paths, labels, _ = data_lib.list_image_folder(folder)
    train, validation = data_lib.split_image_files(paths, labels, fraction, seed)
    recorded = training.get("validation_files")
    if recorded is not None and recorded != len(validation[0]):
        warnings.warn(
            f"Image folder {folder!r} now splits into {len(validation[0])} validation files, but the run "
            f"held out {recorded}: the folder changed since training, so the validation files may "
            "include images the model was trained on.", data_lib.DataWarning, stacklevel=2)
    if not validation[0]:
        return (*train, f"all {len(train[0])} images of the run's image folder {folder!r} "
                        "(the run held none out, so these are its training images)")
    paths, labels = validation if subset == "validation" else train
    part = ("held-out validation" if subset == "validation" else "training")
    return (paths, labels, f"the {len(paths)} {part} images of the run's image folder {folder!r} "
                           f"(validation fraction {fraction}, seed {seed})")


def folder_run_image_args(config):
    """`image_size` and `channels` of an image-folder run, as `image_files_*` take them."""
    training = config["training"]
    # No --channels at training: the folder was read as gray (train's default).
    return {"image_size": (training["image_size"], training["image_size"]),
            "channels": training["channels"] or 1}
