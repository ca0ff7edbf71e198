"""Training callbacks: sample grids and a metrics JSON."""

from keras_genai.callbacks.image_grid import save_grid, tile_images
from keras_genai.callbacks.linear_learning_rate_decay import LinearLearningRateDecay
from keras_genai.callbacks.metrics_json import MetricsJSON
from keras_genai.callbacks.sample_grid import SampleGrid
from keras_genai.callbacks.text_sample import TextSample
