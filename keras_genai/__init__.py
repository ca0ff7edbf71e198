"""keras-genai: Keras 3 reference implementations of generative models."""

__version__ = "0.1.0"

try:
    import tensorflow  # noqa: F401
except ImportError:
    raise ImportError(
        "keras-genai needs TensorFlow 2.21, which comes with an extra: "
        "`pip install -e \".[cpu]\"` on machines without a GPU, or "
        "`pip install -e \".[gpu]\"` for CUDA GPUs."
    ) from None
import keras  # noqa: E402

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        f"keras-genai runs on Keras' TensorFlow backend; KERAS_BACKEND is "
        f"{keras.backend.backend()!r}. Set KERAS_BACKEND=tensorflow."
    )

from keras_genai import data, export, layers, losses, models, regularizers, samplers
from keras_genai.models import (
    DCGAN,
    GAN,
    GPT,
    VAE,
    WGAN,
    WGANGP,
    AdversarialModel,
    AutoRegressive,
    ConditionalGAN,
    CycleGAN,
    Autoencoder,
    CNNClassifier,
    ConditionalVAE,
    DenoisingAutoencoder,
    Forecaster,
    GenerativeModel,
    LSTMForecaster,
    LanguageModel,
    MLPClassifier,
    MultiNetworkModel,
    SparseAutoencoder,
)
