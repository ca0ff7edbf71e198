"""Argument types and flag groups shared by the `keras-genai` commands."""

import argparse
import sys

from keras_genai.cli import names
from keras_genai.overrides import parse_setting


def model_name(text):
    """A `train` MODEL: one of `names.MODELS`, or of the registry if this process has loaded it
    (a family registered in Python, as `register_presets` does, then `main([...])`)."""
    registry = sys.modules.get("keras_genai.models.registry")
    known = sorted(registry.MODELS if registry else names.MODELS)
    if text not in known:
        raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {', '.join(known)})")
    return text


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    return value


def count_or_all(text):
    """An integer >= 0, or None for 'all'."""
    if text == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0 or 'all', received {text!r}")
    return value


def _number(text, accept, expected):
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not accept(value):
        raise argparse.ArgumentTypeError(f"expected {expected}, received {text!r}")
    return value


def positive_float(text):
    return _number(text, lambda value: value > 0, "a positive number")


def positive_float_list(text):
    """A comma list of positive numbers, e.g. `15,30,45`."""
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise argparse.ArgumentTypeError(f"expected a comma list of positive numbers, received {text!r}")
    return tuple(positive_float(v) for v in values)


def fraction(text):
    """A number in [0, 1)."""
    return _number(text, lambda value: 0 <= value < 1, "a fraction in [0, 1)")


def setting(text):
    """`--set KEY=VALUE`, see `keras_genai.training.parse_setting`."""
    try:
        return parse_setting(text)
    except ValueError as e:
        # argparse prints an ArgumentTypeError's message; a ValueError's it replaces.
        raise argparse.ArgumentTypeError(str(e))


def split_or_none(text):
    """A split name, or None for 'none'."""
    return None if text == "none" else text


def quantizations(text):
    values = [] if text == "none" else [v for v in text.split(",") if v]
    unknown = [v for v in values if v not in names.QUANTIZATIONS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown quantization {unknown}; expected 'none' or a comma list of {', '.join(names.QUANTIZATIONS)}"
        )
    return tuple(values)


def comma_list(text):
    """A comma list of names, e.g. `encoder,decoder`; empty items are dropped."""
    values = tuple(v.strip() for v in text.split(",") if v.strip())
    if not values:
        raise argparse.ArgumentTypeError(f"expected a comma list of names, received {text!r}")
    return values


def metric_names(text):
    known = names.GENERATION_METRICS + names.MODEL_METRICS
    values = tuple(v for v in text.split(",") if v)
    unknown = [v for v in values if v not in known]
    if unknown or not values:
        raise argparse.ArgumentTypeError(
            f"unknown metric {unknown or text!r}; expected a comma list of {', '.join(known)}"
        )
    return values


def add_data_args(parser):
    parser.add_argument("--dataset",
                        help="image models: 'fashion_mnist', 'mnist', 'shapes' (embedded, no files) or "
                             "any tfds image dataset (default: fashion_mnist; eval and export of an image run: "
                             "the run's own data, an image folder's held-out images); text models "
                             f"({', '.join(names.TEXT_MODELS)}): "
                             "'embedded' (the Python reference manual from the stdlib, no "
                             "files; default), 'tiny_shakespeare' or a text FILE")
    parser.add_argument("--data-dir",
                        help="folder with the dataset's IDX files, or a tfds data_dir where it is "
                             "prepared (default: /usr/share/datasets, ~/.keras/datasets, tfds' own)")
    parser.add_argument("--download", action="store_true",
                        help="allow tfds to download a dataset that is not on disk")


def library_kwargs(args):
    """The parsed flags as keyword arguments of the command's library function.

    Each command names its flags' `dest` after that function's parameters,
    so the function's signature is the one list of options; `command` and
    `run` are the parser's own.
    """
    return {key: value for key, value in vars(args).items() if key not in ("command", "run")}
