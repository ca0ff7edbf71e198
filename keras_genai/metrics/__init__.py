"""Quality metrics."""

from keras_genai.metrics.domain_distance import domain_frechet_distance
from keras_genai.metrics.frechet import feature_statistics, features_frechet_distance, fid, frechet_distance
from keras_genai.metrics.generation_metrics import GENERATION_METRICS, check_generation_metrics, evaluate_generation
from keras_genai.metrics.inception import InceptionV3FID
from keras_genai.metrics.feature_extraction import inception_features, reference_features
from keras_genai.metrics.inception_weights import load_inception_weights
from keras_genai.metrics.kid import kid, polynomial_mmd2_unbiased
from keras_genai.metrics.mode_coverage import mode_coverage
from keras_genai.metrics.precision_recall import precision_recall
from keras_genai.metrics.psnr import psnr
