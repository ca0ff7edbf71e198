"""Every model through the shared harness, plus mixed precision."""

import numpy as np
import pytest

from keras_genai.models import (
    VAE,
    Autoencoder,
    CNNClassifier,
    ConditionalVAE,
    DenoisingAutoencoder,
    MLPClassifier,
    SparseAutoencoder,
)
from keras_genai.testing import run_model_test, run_precision_test

TINY = {
    "mlp": (MLPClassifier, {"num_classes": 4, "hidden_units": (16,)}),
    "cnn": (CNNClassifier, {"num_classes": 4, "filters": (4,), "dense_units": 8}),
    "autoencoder": (Autoencoder, {"latent_dim": 4, "widths": (4, 8)}),
    "dense_autoencoder": (Autoencoder, {"latent_dim": 4, "architecture": "dense", "widths": (16,)}),
    "denoising_autoencoder": (DenoisingAutoencoder, {"latent_dim": 4, "widths": (4, 8), "noise": "masking"}),
    "sparse_autoencoder_kl": (SparseAutoencoder, {"latent_dim": 8, "widths": (4, 8)}),
    "sparse_autoencoder_l1": (SparseAutoencoder, {"latent_dim": 8, "widths": (4, 8), "sparsity": "l1"}),
    "vae": (VAE, {"latent_dim": 2, "widths": (4, 8)}),
    "vae_gaussian": (VAE, {"latent_dim": 2, "widths": (4, 8), "decoder_distribution": "gaussian", "beta": 4.0}),
    "cvae": (ConditionalVAE, {"num_classes": 4, "latent_dim": 2, "widths": (4, 8), "label_embedding_dim": 2}),
}


@pytest.mark.parametrize("name", sorted(TINY))
def test_harness(name, tmp_path):
    model_class, kwargs = TINY[name]
    run_model_test(model_class, kwargs, tmp_path)


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("name", ["vae", "cnn", "denoising_autoencoder", "cvae"])
def test_mixed_precision(name, policy):
    model_class, kwargs = TINY[name]
    run_precision_test(model_class, kwargs, policy)


def test_fp16_scales_the_loss():
    import keras

    from keras_genai.testing import tiny_images

    keras.config.set_dtype_policy("mixed_float16")
    x, _ = tiny_images(64)
    model = VAE(latent_dim=2, widths=(4, 8))
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    assert float(model.optimizer.scale_loss(1.0)) == 2.0**15
    history = model.fit(x, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
    # A VAE loss of ~540 nats times 2**15 overflows float16 gradients: the
    # optimizer must skip those steps and halve the scale until they fit,
    # then apply updates.
    scale = float(model.optimizer.dynamic_scale)
    assert scale < 2.0**15
    assert 0 < int(model.optimizer.iterations.numpy()) < 16
