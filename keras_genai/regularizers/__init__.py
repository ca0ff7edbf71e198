"""Penalties that join one network's loss, each with a laziness interval."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.regularizers.gradient_penalty import GradientPenalty
from keras_genai.regularizers.orthogonal_regularization import OrthogonalRegularization
from keras_genai.regularizers.path_length_penalty import PathLengthPenalty
from keras_genai.regularizers.r1_penalty import R1Penalty
from keras_genai.regularizers.regularizer import Regularizer
