"""Reusable layers, one public layer per file."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.layers.cached_causal_self_attention import CachedCausalSelfAttention
from keras_genai.layers.image_history_pool import ImageHistoryPool
from keras_genai.layers.maximum_leaky_relu import MaximumLeakyReLU
from keras_genai.layers.transformer_decoder_block import TransformerDecoderBlock
from keras_genai.layers.reflection_padding_2d import ReflectionPadding2D
from keras_genai.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_genai.layers.projection_discriminator_head import ProjectionDiscriminatorHead
from keras_genai.layers.residual_down_block import ResidualDownBlock
from keras_genai.layers.residual_up_block import ResidualUpBlock
from keras_genai.layers.self_attention_2d import SelfAttention2D
