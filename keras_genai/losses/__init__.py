"""Losses as pure functions in `keras.ops`."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.losses.adversarial import (
    ADVERSARIAL_LOSSES,
    hinge_discriminator_loss,
    hinge_generator_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_generator_loss,
    wasserstein_critic_loss,
    wasserstein_generator_loss,
)
from keras_genai.losses.gradient_penalty import gradient_penalty, r1_penalty
from keras_genai.losses.path_length import path_lengths
from keras_genai.losses.likelihood import bernoulli_nll, gaussian_kl, gaussian_nll, sigmoid_cross_entropy
from keras_genai.losses.translation import cycle_consistency_loss, identity_loss
