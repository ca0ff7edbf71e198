"""Quality metrics."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.metrics.domain_distance import domain_frechet_distance
from keras_genai.metrics.frechet import feature_statistics, features_frechet_distance, fid, frechet_distance
from keras_genai.metrics.generation_metrics import GENERATION_METRICS, check_generation_metrics, evaluate_generation
from keras_genai.metrics.inception import InceptionV3FID
from keras_genai.metrics.feature_extraction import inception_features, reference_features
from keras_genai.metrics.inception_weights import load_inception_weights
from keras_genai.metrics.kid import kid, polynomial_mmd2_unbiased
from keras_genai.metrics.likelihood import bits_per_dim, importance_weighted_bounds, iwae_nll
from keras_genai.metrics.mode_coverage import mode_coverage
from keras_genai.metrics.perplexity import bits_per_character, perplexity
from keras_genai.metrics.precision_recall import precision_recall
from keras_genai.metrics.psnr import psnr
from keras_genai.metrics.roc_auc import roc_auc
from keras_genai.metrics.ssim import ssim
from keras_genai.metrics.model_metrics import (
    MODEL_METRICS,
    likelihood_metrics,
    model_metrics,
    one_class_auroc,
    reconstruction_quality,
)
