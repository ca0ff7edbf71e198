"""Image classifiers: the feature models of the domain distance, and baselines."""

from keras_genai.models.classifier.classifier import Classifier
from keras_genai.models.classifier.cnn_classifier import CNNClassifier
from keras_genai.models.classifier.cnn_classifier_presets import model_presets as cnn_presets
from keras_genai.models.classifier.mlp_classifier import MLPClassifier
from keras_genai.models.classifier.mlp_classifier_presets import model_presets as mlp_presets
from keras_genai.models.presets import register_presets

register_presets(mlp_presets, MLPClassifier)
register_presets(cnn_presets, CNNClassifier)
