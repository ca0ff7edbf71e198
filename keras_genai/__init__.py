"""keras-genai: Keras 3 reference implementations of generative models.

The sub-packages and the model classes below are loaded on first use
(`keras_genai.VAE`, `from keras_genai import data`), so that `import
keras_genai` alone, and the `keras-genai` CLI's `--help`, do not load
TensorFlow. A `.keras` file of a keras-genai model loads with
`keras_genai.training.load_model`, or with `keras.saving.load_model` once
`keras_genai.models` is imported (that registers the model classes).
"""

import importlib

__version__ = "0.1.0"

_SUBPACKAGES = ("data", "export", "layers", "losses", "models", "regularizers", "samplers")
_MODELS = (
    "DCGAN",
    "GAN",
    "GPT",
    "SAGAN",
    "VAE",
    "WGAN",
    "WGANGP",
    "AdversarialModel",
    "AutoRegressive",
    "BigGAN",
    "ConditionalGAN",
    "ConditionalSAGAN",
    "CycleGAN",
    "Autoencoder",
    "CNNClassifier",
    "ConditionalVAE",
    "DenoisingAutoencoder",
    "Forecaster",
    "GenerativeModel",
    "LSTMForecaster",
    "LanguageModel",
    "MLPClassifier",
    "MultiNetworkModel",
    "SparseAutoencoder",
)
__all__ = [*_SUBPACKAGES, *_MODELS]


def __getattr__(name):
    # PEP 562: called only for names not yet set, i.e. on first use.
    if name in _SUBPACKAGES:
        return importlib.import_module(f"keras_genai.{name}")
    if name in _MODELS:
        return getattr(importlib.import_module("keras_genai.models"), name)
    raise AttributeError(f"module 'keras_genai' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})
