"""CLI names -> model classes, presets (constructor kwargs) and fit defaults.

A registry and nothing more: behaviour lives in the classes.
"""

from keras_genai.models.autoencoder.autoencoder import Autoencoder
from keras_genai.models.autoencoder.denoising_autoencoder import DenoisingAutoencoder
from keras_genai.models.autoencoder.sparse_autoencoder import SparseAutoencoder
from keras_genai.models.classifier.cnn_classifier import CNNClassifier
from keras_genai.models.classifier.mlp_classifier import MLPClassifier
from keras_genai.models.gan.conditional_gan import ConditionalGAN
from keras_genai.models.gan.dcgan import DCGAN
from keras_genai.models.gan.gan import GAN
from keras_genai.models.gan.wgan import WGAN
from keras_genai.models.gan.wgan_gp import WGANGP
from keras_genai.models.sequence.auto_regressive import AutoRegressive
from keras_genai.models.sequence.lstm_forecaster import LSTMForecaster
from keras_genai.models.vae.conditional_vae import ConditionalVAE
from keras_genai.models.vae.vae import VAE
from keras_genai.models.sequence.gpt import GPT
from keras_genai.models.sequence.rnn_language_model import RNNLanguageModel

# "cpu" presets train on Fashion-MNIST on a 2-core CPU in minutes; "tiny"
# ones exist for smoke tests. "fit" holds the defaults of `train`.
MODELS = {
    "mlp": {
        "class": MLPClassifier,
        "presets": {"cpu": {"hidden_units": [512, 256], "dropout": 0.2}, "tiny": {"hidden_units": [16]}},
        "fit": {"epochs": 20, "batch_size": 128, "learning_rate": 1e-3},
    },
    "cnn": {
        "class": CNNClassifier,
        "presets": {
            "cpu": {"filters": [32, 64], "dense_units": 256, "dropout": 0.4},
            "tiny": {"filters": [4], "dense_units": 8},
        },
        "fit": {"epochs": 15, "batch_size": 128, "learning_rate": 1e-3},
    },
    "autoencoder": {
        "class": Autoencoder,
        "presets": {
            "cpu": {"latent_dim": 32, "widths": [32, 64]},
            "dense": {"latent_dim": 32, "architecture": "dense", "widths": [512, 256]},
            "tiny": {"latent_dim": 4, "widths": [4, 8]},
        },
        "fit": {"epochs": 10, "batch_size": 128, "learning_rate": 1e-3},
    },
    "denoising_autoencoder": {
        "class": DenoisingAutoencoder,
        "presets": {
            "cpu": {"latent_dim": 32, "widths": [32, 64], "noise": "gaussian", "noise_level": 0.3},
            "tiny": {"latent_dim": 4, "widths": [4, 8]},
        },
        "fit": {"epochs": 10, "batch_size": 128, "learning_rate": 1e-3},
    },
    "sparse_autoencoder": {
        "class": SparseAutoencoder,
        "presets": {
            "cpu": {"latent_dim": 128, "widths": [32, 64], "sparsity": "kl",
                    "sparsity_weight": 0.1, "target_sparsity": 0.05},
            "l1": {"latent_dim": 128, "widths": [32, 64], "sparsity": "l1", "sparsity_weight": 1e-3},
            "tiny": {"latent_dim": 8, "widths": [4, 8]},
        },
        "fit": {"epochs": 10, "batch_size": 128, "learning_rate": 1e-3},
    },
    "vae": {
        "class": VAE,
        "presets": {
            "cpu": {"latent_dim": 16, "widths": [32, 64], "beta": 1.0},
            "beta4": {"latent_dim": 16, "widths": [32, 64], "beta": 4.0},
            "tiny": {"latent_dim": 2, "widths": [4, 8]},
        },
        "fit": {"epochs": 20, "batch_size": 128, "learning_rate": 1e-3},
    },
    "cvae": {
        "class": ConditionalVAE,
        "presets": {
            "cpu": {"latent_dim": 16, "widths": [32, 64], "label_embedding_dim": 16},
            "tiny": {"latent_dim": 2, "widths": [4, 8], "label_embedding_dim": 2},
        },
        "fit": {"epochs": 20, "batch_size": 128, "learning_rate": 1e-3},
    },
    # GANs: learning_rate None means the class's default optimizers' rate.
    # "paper" presets are sized for GPUs (DCGAN paper / keras.io WGAN-GP widths).
    "gan": {
        "class": GAN,
        "presets": {
            "cpu": {"latent_dim": 64, "hidden_units": [256, 512, 1024], "discriminator_dropout": 0.3,
                    "ema_decay": 0.999},
            "tiny": {"latent_dim": 4, "hidden_units": [16], "discriminator_dropout": 0.1},
        },
        "fit": {"epochs": 20, "batch_size": 64, "learning_rate": None},
    },
    "dcgan": {
        "class": DCGAN,
        "presets": {
            "cpu": {"latent_dim": 64, "widths": [64, 128], "ema_decay": 0.999},
            "paper": {"latent_dim": 100, "widths": [128, 256], "ema_decay": 0.999},
            "tiny": {"latent_dim": 4, "widths": [4, 8]},
        },
        "fit": {"epochs": 10, "batch_size": 64, "learning_rate": None},
    },
    "cgan": {
        "class": ConditionalGAN,
        "presets": {
            "cpu": {"latent_dim": 64, "widths": [64, 128], "ema_decay": 0.999},
            "paper": {"latent_dim": 100, "widths": [128, 256], "ema_decay": 0.999},
            "tiny": {"latent_dim": 4, "widths": [4, 8], "label_embedding_dim": 2},
        },
        "fit": {"epochs": 10, "batch_size": 64, "learning_rate": None},
    },
    "wgan": {
        "class": WGAN,
        "presets": {
            # The paper's clip 0.01 and RMSprop 5e-5 gave blobs after 8 epochs
            # here; clip 0.05 and 1e-4 give clothing shapes within 2,000 steps.
            "cpu": {"latent_dim": 64, "widths": [64, 128], "clip_value": 0.05},
            "paper": {"latent_dim": 100, "widths": [128, 256]},
            "tiny": {"latent_dim": 4, "widths": [4, 8], "critic_steps": 2},
        },
        # ~490 images/s in float32 here: 8 epochs is about 16 minutes.
        "fit": {"epochs": 8, "batch_size": 64, "learning_rate": 1e-4},
    },
    "wgan_gp": {
        "class": WGANGP,
        "presets": {
            "cpu": {"latent_dim": 64, "widths": [64, 128], "critic_steps": 3},
            "paper": {"latent_dim": 128, "widths": [64, 128, 256, 512], "critic_steps": 5},
            "tiny": {"latent_dim": 4, "widths": [4, 8], "critic_steps": 2},
        },
        # The measured run (tools/results/wgan_gp.json): 8 epochs in bf16,
        # 135 s per epoch (~440 images/s) here, 18 minutes in all.
        "fit": {"epochs": 8, "batch_size": 64, "learning_rate": None, "mixed_precision": "bf16"},
    },
}

# Character language models; "dataset" is the `train` default (embedded:
# the stdlib corpus, no download). "cpu" is nanoGPT's baby GPT
# (tools/bench_baby_gpt.py), "paper" nanoGPT's shakespeare_char config.
MODELS.update({
    "gpt": {
        "class": GPT,
        "presets": {
            "cpu": {"sequence_length": 64, "num_layers": 4, "num_heads": 4, "hidden_dim": 128,
                    "dropout": 0.0, "use_bias": False},
            "paper": {"sequence_length": 256, "num_layers": 6, "num_heads": 6, "hidden_dim": 384,
                      "dropout": 0.2, "use_bias": False},
            "tiny": {"sequence_length": 16, "num_layers": 1, "num_heads": 2, "hidden_dim": 16},
        },
        "fit": {"epochs": 5, "batch_size": 12, "learning_rate": 1e-3, "dataset": "embedded"},
    },
})
for _cell in ("lstm", "gru", "rnn"):
    MODELS[_cell] = {
        "class": RNNLanguageModel,
        "presets": {
            "cpu": {"cell": _cell, "sequence_length": 64, "units": 512},
            # char-rnn's tinyshakespeare setting: 3 layers of 512, dropout 0.5.
            "paper": {"cell": _cell, "sequence_length": 100, "units": 512, "num_layers": 3, "dropout": 0.5},
            "tiny": {"cell": _cell, "sequence_length": 16, "units": 16},
        },
        "fit": {"epochs": 5, "batch_size": 32, "learning_rate": 2e-3, "dataset": "embedded"},
    }


# Series forecasters (`keras-genai forecast`). "fit" holds the defaults of
# `keras_genai.training.forecast`: AR solves least squares (lags chosen by
# AIC up to max_lags unless given); the recurrent ones train with Adam.
_RECURRENT_FIT = {"method": "gradient", "epochs": 100, "batch_size": 32, "learning_rate": 3e-3}
FORECASTERS = {
    "ar": {
        "class": AutoRegressive,
        "presets": {"cpu": {}, "tiny": {}},
        "fit": {"method": "least_squares", "max_lags": 24, "epochs": 100, "batch_size": 32,
                "learning_rate": 1e-2},
    },
    "lstm": {
        "class": LSTMForecaster,
        "presets": {"cpu": {"cell": "lstm", "units": 32, "lags": 24}, "tiny": {"cell": "lstm", "units": 4}},
        "fit": _RECURRENT_FIT,
    },
    "gru": {
        "class": LSTMForecaster,
        "presets": {"cpu": {"cell": "gru", "units": 32, "lags": 24}, "tiny": {"cell": "gru", "units": 4}},
        "fit": _RECURRENT_FIT,
    },
    "rnn": {
        "class": LSTMForecaster,
        "presets": {"cpu": {"cell": "rnn", "units": 32, "lags": 24}, "tiny": {"cell": "rnn", "units": 4}},
        "fit": _RECURRENT_FIT,
    },
}


def get_forecaster(name):
    if name not in FORECASTERS:
        raise ValueError(f"Unknown forecaster {name!r}. Expected one of: {', '.join(FORECASTERS)}.")
    return FORECASTERS[name]


def get_entry(name):
    if name not in MODELS:
        raise ValueError(f"Unknown model {name!r}. Expected one of: {', '.join(MODELS)}.")
    return MODELS[name]


def get_preset(name, preset):
    presets = get_entry(name)["presets"]
    if preset not in presets:
        raise ValueError(
            f"Model {name!r} has presets {sorted(presets)}. Received: preset={preset!r}"
        )
    return dict(presets[preset])
