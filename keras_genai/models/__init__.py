"""Models of the tour, one public class per file."""

from keras_genai.models.autoencoder.autoencoder import Autoencoder
from keras_genai.models.autoencoder.denoising_autoencoder import DenoisingAutoencoder
from keras_genai.models.autoencoder.sparse_autoencoder import SparseAutoencoder
from keras_genai.models.classifier.classifier import Classifier
from keras_genai.models.classifier.cnn_classifier import CNNClassifier
from keras_genai.models.classifier.mlp_classifier import MLPClassifier
from keras_genai.models.generative_model import GenerativeModel
from keras_genai.models.vae.conditional_vae import ConditionalVAE
from keras_genai.models.vae.vae import VAE
