"""Quality metrics."""

from keras_genai.metrics.domain_distance import domain_frechet_distance
from keras_genai.metrics.frechet import feature_statistics, features_frechet_distance, frechet_distance
from keras_genai.metrics.mode_coverage import mode_coverage
from keras_genai.metrics.psnr import psnr
