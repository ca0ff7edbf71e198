"""Autoencoders: plain, denoising and sparse."""

from keras_genai.models.autoencoder.autoencoder import Autoencoder
from keras_genai.models.autoencoder.autoencoder_presets import model_presets as autoencoder_presets
from keras_genai.models.autoencoder.denoising_autoencoder import DenoisingAutoencoder
from keras_genai.models.autoencoder.denoising_autoencoder_presets import (
    model_presets as denoising_autoencoder_presets,
)
from keras_genai.models.autoencoder.sparse_autoencoder import SparseAutoencoder
from keras_genai.models.autoencoder.sparse_autoencoder_presets import (
    model_presets as sparse_autoencoder_presets,
)
from keras_genai.models.presets import register_presets

register_presets(autoencoder_presets, Autoencoder)
register_presets(denoising_autoencoder_presets, DenoisingAutoencoder)
register_presets(sparse_autoencoder_presets, SparseAutoencoder)
