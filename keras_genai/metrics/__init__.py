"""Quality metrics."""

from keras_genai.metrics.domain_distance import domain_frechet_distance
from keras_genai.metrics.frechet import feature_statistics, features_frechet_distance, frechet_distance
from keras_genai.metrics.likelihood import bits_per_dim, importance_weighted_bounds, iwae_nll
from keras_genai.metrics.mode_coverage import mode_coverage
from keras_genai.metrics.perplexity import bits_per_character, perplexity
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
