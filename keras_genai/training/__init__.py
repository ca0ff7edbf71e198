"""Training runs: data -> fit -> checkpoints, grids, logs, exports; and the
sample, evaluate and export steps that follow, as the CLI's commands call them."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.training.determinism import set_determinism
from keras_genai.training.evaluate import evaluate
from keras_genai.training.export import calibration_images, export_model, export_run
from keras_genai.training.load import load_model
from keras_genai.training.precision import set_mixed_precision
from keras_genai.training.run_data import find_run_config
from keras_genai.training.run_directory import RunDirectory
from keras_genai.training.run_lock import RunLock, RunLockedError
from keras_genai.training.run_safety import DiskFullError, RunSafety
from keras_genai.training.sample import resolve_label, sample
from keras_genai.training.translate import translate
from keras_genai.overrides import parse_setting
from keras_genai.training.train import build_model, load_data, train
