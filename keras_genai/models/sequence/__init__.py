"""Autoregressive sequence models: language models and time-series forecasters."""

from keras_genai.models.sequence.gpt import GPT
from keras_genai.models.sequence.language_model import LanguageModel
from keras_genai.models.sequence.rnn_language_model import RNNLanguageModel
from keras_genai.models.sequence.auto_regressive import AutoRegressive
from keras_genai.models.sequence.forecaster import Forecaster
from keras_genai.models.sequence.lstm_forecaster import LSTMForecaster
