"""Models of the tour, one public class per file.

Importing a family's package registers its presets (`registry.MODELS`
lists them in this import order).
"""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.models.classifier.classifier import Classifier
from keras_genai.models.classifier.cnn_classifier import CNNClassifier
from keras_genai.models.classifier.mlp_classifier import MLPClassifier
from keras_genai.models.autoencoder.autoencoder import Autoencoder
from keras_genai.models.autoencoder.denoising_autoencoder import DenoisingAutoencoder
from keras_genai.models.autoencoder.sparse_autoencoder import SparseAutoencoder
from keras_genai.models.vae.conditional_vae import ConditionalVAE
from keras_genai.models.vae.vae import VAE
from keras_genai.models.cyclegan.cycle_gan import CycleGAN
from keras_genai.models.gan.adversarial_model import AdversarialModel
from keras_genai.models.gan.big_gan import BigGAN
from keras_genai.models.gan.conditional_gan import ConditionalGAN
from keras_genai.models.gan.conditional_sagan import ConditionalSAGAN
from keras_genai.models.gan.dcgan import DCGAN
from keras_genai.models.gan.gan import GAN
from keras_genai.models.gan.multi_network_model import MultiNetworkModel
from keras_genai.models.gan.sagan import SAGAN
from keras_genai.models.gan.wgan import WGAN
from keras_genai.models.gan.wgan_gp import WGANGP
from keras_genai.models.generative_model import GenerativeModel
from keras_genai.models.sequence.auto_regressive import AutoRegressive
from keras_genai.models.sequence.forecaster import Forecaster
from keras_genai.models.sequence.gpt import GPT
from keras_genai.models.sequence.language_model import LanguageModel
from keras_genai.models.sequence.lstm_forecaster import LSTMForecaster
from keras_genai.models.sequence.rnn_language_model import RNNLanguageModel
from keras_genai.models.pretrained import pretrained_names
