"""Training runs: data -> fit -> checkpoints, grids, logs, exports."""

from keras_genai.training.load import load_model
from keras_genai.training.precision import set_mixed_precision
from keras_genai.training.run_directory import RunDirectory
from keras_genai.training.train import build_model, export_run, load_data, train
