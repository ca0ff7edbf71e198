"""Quality metrics."""

from keras_genai.metrics.mode_coverage import mode_coverage
from keras_genai.metrics.psnr import psnr
