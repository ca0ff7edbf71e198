"""Training callbacks: sample grids, a metrics JSON, checkpoint upkeep and crash safety."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.callbacks.atomic_model_checkpoint import AtomicModelCheckpoint
from keras_genai.callbacks.image_grid import save_grid, tile_images
from keras_genai.callbacks.linear_learning_rate_decay import LinearLearningRateDecay
from keras_genai.callbacks.metrics_json import MetricsJSON
from keras_genai.callbacks.prune_checkpoints import PruneCheckpoints
from keras_genai.callbacks.resume_monitors import ResumeMonitors, best_epoch
from keras_genai.callbacks.run_backup import RunBackup
from keras_genai.callbacks.sample_grid import SampleGrid
from keras_genai.callbacks.stop_on_non_finite_loss import NonFiniteLossError, StopOnNonFiniteLoss
from keras_genai.callbacks.stop_on_signal import StopOnSignal, TrainingInterrupted
from keras_genai.callbacks.text_sample import TextSample
from keras_genai.callbacks.time_budget import TimeBudget
