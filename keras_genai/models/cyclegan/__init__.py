"""Unpaired image-to-image translation: CycleGAN."""

from keras_genai.models.cyclegan.cycle_gan import CycleGAN
from keras_genai.models.cyclegan.cycle_gan_presets import model_presets as cycle_gan_presets
from keras_genai.models.presets import register_presets

register_presets(cycle_gan_presets, CycleGAN)
