"""The names the CLI's arguments take, listed statically so that `--help` and argument
errors answer without loading TensorFlow. tests/test_cli_names.py checks each list against
the library (the registry, `keras_genai.export`, `keras_genai.metrics`): add a model there
and the test names what to add here."""

# `keras-genai train` MODEL, in the registry's order (a family registered in Python before
# `main` runs is accepted too: see `arguments.model_name`).
MODELS = (
    "mlp", "cnn", "autoencoder", "denoising_autoencoder", "sparse_autoencoder", "vae", "cvae",
    "gan", "dcgan", "cgan", "wgan", "wgan_gp", "sagan", "csagan", "biggan", "cyclegan", "gpt", "lstm", "gru", "rnn",
)
# The models of MODELS that train on text (`input_kind == "tokens"`).
TEXT_MODELS = ("gpt", "lstm", "gru", "rnn")
# `keras-genai forecast` MODEL -> its class and the first line of the class's docstring.
FORECASTERS = {
    "ar": ("AutoRegressive", "AR(p) with an intercept, on a differenced series: ARIMA(p, d, 0) x (0, D, 0)_s."),
    "lstm_forecaster": ("LSTMForecaster", "Recurrent multi-step forecaster (simple RNN, GRU or LSTM cells)."),
    "gru_forecaster": ("LSTMForecaster", "Recurrent multi-step forecaster (simple RNN, GRU or LSTM cells)."),
    "rnn_forecaster": ("LSTMForecaster", "Recurrent multi-step forecaster (simple RNN, GRU or LSTM cells)."),
}
# `keras_genai.export.QUANTIZATIONS`.
QUANTIZATIONS = ("float32", "dynamic", "float16", "int8")
# `keras_genai.distribute.STRATEGIES`: `keras-genai train --distribute`.
STRATEGIES = ("mirrored", "multi_worker")
# `keras_genai.metrics.GENERATION_METRICS` and `MODEL_METRICS`.
GENERATION_METRICS = ("fid", "kid", "pr")
MODEL_METRICS = ("nll", "auroc", "ssim")
