"""keras-genai: Keras 3 reference implementations of generative models."""

__version__ = "0.1.0"

from keras_genai import data, export, losses, models
from keras_genai.models import (
    VAE,
    Autoencoder,
    CNNClassifier,
    ConditionalVAE,
    DenoisingAutoencoder,
    GenerativeModel,
    MLPClassifier,
    SparseAutoencoder,
)
