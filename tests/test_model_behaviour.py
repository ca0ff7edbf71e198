"""Targeted checks of the models' numbers and errors."""

import keras
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
from keras_genai.testing import tiny_images


def test_vae_losses_are_consistent():
    x, _ = tiny_images(8)
    model = VAE(latent_dim=2, widths=(4, 8), beta=4.0, seed=1)
    losses = {k: float(v) for k, v in model.compute_losses(x).items()}
    assert losses["loss"] == pytest.approx(losses["reconstruction_loss"] + 4.0 * losses["kl_loss"], rel=1e-5)
    assert losses["elbo"] == pytest.approx(-(losses["reconstruction_loss"] + losses["kl_loss"]), rel=1e-5)
    # An untrained decoder outputs p ~ 0.5: about 784 * log 2 nats per image.
    assert losses["reconstruction_loss"] == pytest.approx(784 * np.log(2), rel=0.1)


def test_beta_vae_is_an_argument():
    model = VAE(beta=4.0, latent_dim=2, widths=(4, 8))
    assert VAE.from_config(model.get_config()).beta == 4.0


def test_vae_sampling_api():
    x, _ = tiny_images(4)
    model = VAE(latent_dim=3, widths=(4, 8))
    assert model.generate(5, seed=0).shape == (5, 28, 28, 1)
    np.testing.assert_array_equal(model.generate(2, seed=7), model.generate(2, seed=7))
    assert model.encode(x).shape == (4, 3)
    path = model.interpolate(x[0], x[1], steps=6)
    assert path.shape == (6, 28, 28, 1) and 0 <= path.min() and path.max() <= 1
    np.testing.assert_allclose(path[0], model.reconstruct(x[:1])[0], atol=1e-5)
    assert model.score(x).shape == (4,)


def test_cvae_needs_labels_and_checks_range():
    x, y = tiny_images(4)
    model = ConditionalVAE(num_classes=4, latent_dim=2, widths=(4, 8))
    with pytest.raises(ValueError, match="needs labels"):
        model.fit(x, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="Received: labels=None"):
        model.generate(2)
    with pytest.raises(ValueError, match=r"Labels must be in \[0, 4\)"):
        model.generate(2, labels=[0, 7])
    images = model.generate(3, labels=2)
    assert images.shape == (3, 28, 28, 1)


def test_conditional_samples_depend_on_label():
    model = ConditionalVAE(num_classes=4, latent_dim=2, widths=(4, 8), label_embedding_dim=4)
    z = np.zeros((1, 2), np.float32)
    assert not np.allclose(model.decode(z, [0]), model.decode(z, [3]))


def test_denoising_noise_kinds():
    x = np.full((4, 28, 28, 1), 0.5, np.float32)
    masking = DenoisingAutoencoder(noise="masking", noise_level=0.25, widths=(4, 8), seed=0)
    share = float(np.mean(masking.add_noise(x) == 0.0))
    assert 0.2 < share < 0.3
    salt = DenoisingAutoencoder(noise="salt_and_pepper", noise_level=0.5, widths=(4, 8), seed=0)
    noisy = salt.add_noise(x)
    assert set(np.unique(noisy)) == {0.0, 0.5, 1.0}
    gaussian = DenoisingAutoencoder(noise="gaussian", noise_level=0.1, widths=(4, 8), seed=0)
    noisy = gaussian.add_noise(x)
    assert abs(float(np.std(noisy - x)) - 0.1) < 0.01
    losses = gaussian.compute_losses(x)
    assert 15 < float(losses["noisy_psnr"]) < 25  # about 20 dB for sigma 0.1


def test_sparse_kl_penalty_hand_computed():
    model = SparseAutoencoder(latent_dim=2, widths=(4, 8), sparsity_weight=1.0, target_sparsity=0.1)
    code = np.array([[0.1, 0.5], [0.1, 0.5]], np.float32)
    rho = 0.1
    expected = rho * np.log(rho / 0.5) + (1 - rho) * np.log((1 - rho) / 0.5)  # unit 1; unit 0 is 0
    penalty = model.latent_penalty(code)
    assert float(penalty["sparsity_loss"]) == pytest.approx(expected, rel=1e-5)
    assert float(penalty["mean_activation"]) == pytest.approx(0.3)
    l1 = SparseAutoencoder(latent_dim=2, widths=(4, 8), sparsity="l1", sparsity_weight=0.5)
    assert float(l1.latent_penalty(code)["sparsity_loss"]) == pytest.approx(0.5 * 0.6)


def test_classifier_accuracy_metric():
    model = MLPClassifier(num_classes=4, hidden_units=(8,))
    x, y = tiny_images(8)
    losses = model.compute_losses(x, y)
    predicted = model.predict_classes(x)
    assert float(losses["accuracy"]) == pytest.approx(np.mean(predicted == y))


def test_cnn_features_shape():
    model = CNNClassifier(num_classes=4, filters=(4,), dense_units=6)
    x, _ = tiny_images(3)
    assert model.features(x).shape == (3, 6)


def _batch_norm_lag(momentum, steps=40):
    """After `steps` updates on one batch, the first batch norm's moving mean against the mean
    of its input (what inference uses against what training normalised with), relative, by channel."""
    keras.utils.set_random_seed(0)
    model = CNNClassifier(num_classes=4, filters=(4,), dense_units=6, batch_norm_momentum=momentum, seed=0)
    x, y = tiny_images(8)
    model.compile(optimizer=keras.optimizers.SGD(0.0))  # fixed weights: the statistics are the only change
    model.fit(np.tile(x, (steps, 1, 1, 1)), np.tile(y, steps), batch_size=8, epochs=1, verbose=0, shuffle=False)
    norm = next(layer for layer in model.network.layers if isinstance(layer, keras.layers.BatchNormalization))
    inputs = keras.Model(model.network.input, norm.input)(x)
    actual = np.mean(np.asarray(inputs), axis=(0, 1, 2))
    return np.abs(np.asarray(norm.moving_mean) - actual) / np.abs(actual)


def test_cnn_batch_norm_statistics_follow_a_short_run():
    # A small image folder gives ~13 steps an epoch: inference must not use mostly initial statistics.
    assert CNNClassifier().batch_norm_momentum == 0.9
    np.testing.assert_allclose(_batch_norm_lag(0.9), 0.9 ** 40, rtol=1e-3)  # 1.5% of the initial 0 left
    np.testing.assert_allclose(_batch_norm_lag(0.99), 0.99 ** 40, rtol=1e-3)  # Keras' default: 67%
    with pytest.raises(ValueError, match="batch_norm_momentum must be in"):
        CNNClassifier(batch_norm_momentum=1.0)


def test_autoencoder_score_is_reconstruction_error():
    model = Autoencoder(latent_dim=2, widths=(4, 8))
    x, _ = tiny_images(3)
    expected = ((model.reconstruct(x) - x) ** 2).reshape(3, -1).mean(-1)
    np.testing.assert_allclose(model.score(x), expected, rtol=1e-5)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: VAE(latent_dim=0), "latent_dim must be at least 1. Received: latent_dim=0"),
        (lambda: VAE(beta=-1), "beta must be >= 0"),
        (lambda: VAE(decoder_distribution="poisson"), "decoder_distribution must be one of"),
        (lambda: VAE(image_shape=(30, 30, 1)), "divisible by 4. Received: image_shape=\\(30, 30, 1\\)"),
        (lambda: Autoencoder(architecture="mlp"), "architecture must be one of"),
        (lambda: Autoencoder(reconstruction_loss="l1"), "reconstruction_loss must be one of"),
        (lambda: DenoisingAutoencoder(noise="pink"), "noise must be one of"),
        (lambda: DenoisingAutoencoder(noise="masking", noise_level=1.5), "noise_level must be >= 0"),
        (lambda: SparseAutoencoder(target_sparsity=1.0), "target_sparsity must be in \\(0, 1\\)"),
        (lambda: SparseAutoencoder(sparsity="l2"), "sparsity must be one of"),
        (lambda: MLPClassifier(dropout=1.0), "dropout must be in \\[0, 1\\)"),
        (lambda: CNNClassifier(num_classes=1), "num_classes must be at least 2"),
        (lambda: ConditionalVAE(num_classes=1), "num_classes must be at least 2"),
    ],
)
def test_constructor_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_fit_rejects_wrong_shape_dtype_range_and_nan():
    model = VAE(latent_dim=2, widths=(4, 8))
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match=r"shape \(batch, 28, 28, 1\).*shape=\(2, 32, 32, 3\)"):
        model.fit(np.zeros((2, 32, 32, 3), np.float32), verbose=0)
    with pytest.raises(ValueError, match="as floats in .*uint8"):
        model.fit(np.zeros((2, 28, 28, 1), np.uint8), verbose=0)
    with pytest.raises(ValueError, match="values in \\(0.0, 1.0\\). Received values in \\[255, 255\\]; scale"):
        model.fit(np.full((2, 28, 28, 1), 255.0, np.float32), verbose=0)
    bad = np.zeros((2, 28, 28, 1), np.float32)
    bad[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="1 NaN"):
        model.fit(bad, verbose=0)


def test_fit_rejects_dataset_without_labels_for_classifier():
    import tensorflow as tf

    model = CNNClassifier(num_classes=4, filters=(4,), dense_units=4)
    model.compile(optimizer="adam")
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((4, 28, 28, 1), np.float32)).batch(2)
    with pytest.raises(ValueError, match="needs labels"):
        model.fit(ds, verbose=0)


def test_float32_export_copy_of_bf16_model():
    from keras_genai.export import float32_copy

    keras.config.set_dtype_policy("mixed_bfloat16")
    model = VAE(latent_dim=2, widths=(4, 8))
    keras.config.set_dtype_policy("float32")
    copy = float32_copy(model)
    assert copy.dtype_policy.compute_dtype == "float32"
    for a, b in zip(model.get_weights(), copy.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_load_model_keeps_the_saved_policy(tmp_path):
    from keras_genai.training import load_model

    model = VAE(latent_dim=2, widths=(4, 8))  # float32
    model.save(tmp_path / "m.keras")
    keras.config.set_dtype_policy("mixed_bfloat16")
    loaded = load_model(str(tmp_path / "m.keras"))
    kernels = [layer for layer in loaded._flatten_layers()
               if isinstance(layer, (keras.layers.Dense, keras.layers.Conv2D))]
    assert kernels and {layer.compute_dtype for layer in kernels} == {"float32"}
    assert keras.config.dtype_policy().name == "mixed_bfloat16"
