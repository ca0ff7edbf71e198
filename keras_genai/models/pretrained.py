"""The published pretrained models: one folder per model in `savedmodels/`.

A published folder holds `model.keras` (every network a fine-tune needs,
without optimizer state), `config.json` (the run's: data, classes, budget),
`card.json` and its rendering `README.md`, and `litert/` with the LiteRT
files of its endpoints. `tools/publish_model.py` writes them; nothing in
the library writes there.

The folder is `savedmodels/` beside the `keras_genai` package (a clone
installed with `pip install -e .`), or `$KERAS_GENAI_SAVEDMODELS`.
"""

import json
import os

ENVIRONMENT_VARIABLE = "KERAS_GENAI_SAVEDMODELS"


def savedmodels_dir():
    """The folder of the published models (it may not exist)."""
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return os.path.abspath(os.environ[ENVIRONMENT_VARIABLE])
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(os.path.dirname(package), "savedmodels")


def pretrained_names():
    """Sorted names of the published models (folders with model.keras and card.json)."""
    root = savedmodels_dir()
    if not os.path.isdir(root):
        return []
    return sorted(name for name in os.listdir(root)
                  if all(os.path.isfile(os.path.join(root, name, f)) for f in ("model.keras", "card.json")))


def pretrained_folder(name):
    """The folder of the published model `name`, or a ValueError listing those that exist."""
    if name in pretrained_names():
        return os.path.join(savedmodels_dir(), name)
    available = ", ".join(pretrained_names()) or f"none (no models in {savedmodels_dir()!r})"
    raise ValueError(f"No pretrained model named {name!r}. Available: {available}. "
                     "`keras-genai models --pretrained` lists them with their data and metrics.")


def pretrained_card(name):
    """The `card.json` of the published model `name` as a dict."""
    with open(os.path.join(pretrained_folder(name), "card.json")) as f:
        return json.load(f)


def resolve_source(name_or_path):
    """A path as given if it exists, else the folder of the published model
    of that name; a string that is neither gets a ValueError saying both."""
    path = os.fspath(name_or_path)
    if os.path.exists(path):
        return path
    if os.sep not in path and path in pretrained_names():
        return pretrained_folder(path)
    available = ", ".join(pretrained_names()) or "none"
    raise FileNotFoundError(
        f"{path!r} is neither a file or folder nor a pretrained model name. Expected a run folder, "
        f"a .keras file or one of the pretrained models: {available}.")


def is_inside_savedmodels(path):
    """True if `path` is in the published models' folder (which only tools/publish_model.py writes)."""
    root = os.path.realpath(savedmodels_dir())
    target = os.path.realpath(os.path.abspath(path))
    return target == root or target.startswith(root + os.sep)


def refuse_savedmodels_output(path, option="--out"):
    """Raises a ValueError if `path` would write into the published models' folder."""
    if path and is_inside_savedmodels(path):
        raise ValueError(
            f"{option} {path!r} is inside {savedmodels_dir()!r}, which holds the published models and "
            "is never written by train, export, sample or evaluate. Write to another folder; to "
            "fine-tune a published model, pass it as --from NAME.")
