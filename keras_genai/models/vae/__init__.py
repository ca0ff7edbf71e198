"""Variational autoencoders: VAE (and beta-VAE by its `beta`) and the conditional VAE."""

from keras_genai.models.presets import register_presets
from keras_genai.models.vae.conditional_vae import ConditionalVAE
from keras_genai.models.vae.conditional_vae_presets import model_presets as conditional_vae_presets
from keras_genai.models.vae.vae import VAE
from keras_genai.models.vae.vae_presets import model_presets as vae_presets

register_presets(vae_presets, VAE)
register_presets(conditional_vae_presets, ConditionalVAE)
