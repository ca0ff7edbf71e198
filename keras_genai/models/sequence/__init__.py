"""Autoregressive sequence models."""

from keras_genai.models.sequence.gpt import GPT
from keras_genai.models.sequence.language_model import LanguageModel
from keras_genai.models.sequence.rnn_language_model import RNNLanguageModel
