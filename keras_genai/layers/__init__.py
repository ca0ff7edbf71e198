"""Reusable layers, one public layer per file."""

from keras_genai.layers.cached_causal_self_attention import CachedCausalSelfAttention
from keras_genai.layers.maximum_leaky_relu import MaximumLeakyReLU
from keras_genai.layers.transformer_decoder_block import TransformerDecoderBlock
