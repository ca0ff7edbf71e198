"""Quality metrics."""

from keras_genai.metrics.psnr import psnr
