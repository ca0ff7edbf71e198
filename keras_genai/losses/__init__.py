"""Losses as pure functions in `keras.ops`."""

from keras_genai.losses.likelihood import bernoulli_nll, gaussian_kl, gaussian_nll, sigmoid_cross_entropy
