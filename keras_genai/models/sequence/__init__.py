"""Autoregressive sequence models: language models and time-series forecasters."""

from keras_genai.models.presets import register_presets
from keras_genai.models.sequence.gpt import GPT
from keras_genai.models.sequence.gpt_presets import model_presets as gpt_presets
from keras_genai.models.sequence.language_model import LanguageModel
from keras_genai.models.sequence.rnn_language_model import RNNLanguageModel
from keras_genai.models.sequence.rnn_language_model_presets import model_presets as rnn_presets
from keras_genai.models.sequence.auto_regressive import AutoRegressive
from keras_genai.models.sequence.auto_regressive_presets import forecaster_presets as ar_presets
from keras_genai.models.sequence.forecaster import Forecaster
from keras_genai.models.sequence.lstm_forecaster import LSTMForecaster
from keras_genai.models.sequence.lstm_forecaster_presets import (
    forecaster_presets as lstm_forecaster_presets,
)

register_presets(gpt_presets, GPT)
register_presets(rnn_presets, RNNLanguageModel)
register_presets(ar_presets, AutoRegressive, command="forecast")
register_presets(lstm_forecaster_presets, LSTMForecaster, command="forecast")
