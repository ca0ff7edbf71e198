"""The shared test harness every model goes through."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.testing.test_case import (
    run_config_test,
    run_incremental_generation_test,
    run_layer_test,
    run_model_test,
    run_precision_test,
    tiny_images,
    tiny_tokens,
)
