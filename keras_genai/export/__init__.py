"""Export to SavedModel and LiteRT, each verified by running it."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.export.endpoints import checked_example_inputs, endpoints_of, float32_copy
from keras_genai.export.litert import QUANTIZATIONS, check_litert, export_litert, run_litert
from keras_genai.export.saved_model import check_saved_model, export_saved_model
from keras_genai.export.generation import (
    StateStep,
    check_greedy_generation,
    greedy_generate,
    litert_step,
    saved_model_step,
)
