"""Reusable layers, one public layer per file."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.layers.cached_causal_self_attention import CachedCausalSelfAttention
from keras_genai.layers.image_history_pool import ImageHistoryPool
from keras_genai.layers.maximum_leaky_relu import MaximumLeakyReLU
from keras_genai.layers.transformer_decoder_block import TransformerDecoderBlock
from keras_genai.layers.reflection_padding_2d import ReflectionPadding2D
