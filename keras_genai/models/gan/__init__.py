"""Adversarial models: GAN, DCGAN, the conditional GAN, WGAN, WGAN-GP, SAGAN and BigGAN."""

from keras_genai.models.gan.big_gan import BigGAN
from keras_genai.models.gan.big_gan_presets import model_presets as big_gan_presets
from keras_genai.models.gan.conditional_gan import ConditionalGAN
from keras_genai.models.gan.conditional_gan_presets import model_presets as conditional_gan_presets
from keras_genai.models.gan.conditional_sagan import ConditionalSAGAN
from keras_genai.models.gan.conditional_sagan_presets import model_presets as conditional_sagan_presets
from keras_genai.models.gan.dcgan import DCGAN
from keras_genai.models.gan.dcgan_presets import model_presets as dcgan_presets
from keras_genai.models.gan.gan import GAN
from keras_genai.models.gan.gan_presets import model_presets as gan_presets
from keras_genai.models.gan.sagan import SAGAN
from keras_genai.models.gan.sagan_presets import model_presets as sagan_presets
from keras_genai.models.gan.wgan import WGAN
from keras_genai.models.gan.wgan_gp import WGANGP
from keras_genai.models.gan.wgan_gp_presets import model_presets as wgan_gp_presets
from keras_genai.models.gan.wgan_presets import model_presets as wgan_presets
from keras_genai.models.presets import register_presets

register_presets(gan_presets, GAN)
register_presets(dcgan_presets, DCGAN)
register_presets(conditional_gan_presets, ConditionalGAN)
register_presets(wgan_presets, WGAN)
register_presets(wgan_gp_presets, WGANGP)
register_presets(sagan_presets, SAGAN)
register_presets(conditional_sagan_presets, ConditionalSAGAN)
register_presets(big_gan_presets, BigGAN)
