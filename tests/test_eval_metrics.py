"""Likelihood bounds, AUROC, SSIM, perplexity: hand-computed cases and bad input."""

import json
import math

import keras
import numpy as np
import pytest

from keras_genai.cli.main import main
from keras_genai.metrics import (
    bits_per_character,
    bits_per_dim,
    importance_weighted_bounds,
    iwae_nll,
    model_metrics,
    one_class_auroc,
    perplexity,
    reconstruction_quality,
    roc_auc,
    ssim,
)
from keras_genai.models import GAN, VAE, Autoencoder, ConditionalVAE, DenoisingAutoencoder
from keras_genai.testing.test_case import tiny_images


@pytest.fixture(scope="module")
def trained_vae():
    keras.utils.set_random_seed(0)
    x, _ = tiny_images(512)
    vae = VAE(latent_dim=2, architecture="dense", widths=(64,), seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(3e-3))
    vae.fit(x, batch_size=64, epochs=15, verbose=0)
    return vae, tiny_images(128, seed=1)[0]


# === Importance-weighted bound ===


def test_iwae_bound_is_tighter_than_the_elbo(trained_vae):
    vae, x = trained_vae
    negative_elbo = np.mean([vae.score(x) for _ in range(4)], axis=0)
    bounds = importance_weighted_bounds(vae, x, k=64, batch_size=32, chunk_size=16)
    assert np.all(np.isfinite(bounds["nll"]))
    # Same samples: log-mean-exp >= mean (Jensen), image by image.
    assert np.all(bounds["nll"] <= -bounds["elbo"] + 1e-6)
    # Independent samples of the model's own (analytic-KL) ELBO: a clear gap on average.
    gap = negative_elbo - bounds["nll"]
    assert gap.mean() > 4 * gap.std() / math.sqrt(len(gap)), (gap.mean(), gap.std())
    assert iwae_nll(vae, x, k=1024, batch_size=32, chunk_size=256).mean() < bounds["nll"].mean()


def test_iwae_with_one_sample_is_the_elbo_in_expectation(trained_vae):
    vae, x = trained_vae
    one_sample = np.mean([iwae_nll(vae, x, k=1, batch_size=64, seed=s) for s in range(4)], axis=0)
    negative_elbo = np.mean([vae.score(x) for _ in range(4)], axis=0)
    difference = one_sample - negative_elbo
    standard_error = difference.std() / math.sqrt(len(difference))
    assert standard_error < 0.01 * negative_elbo.mean()
    assert abs(difference.mean()) < 4 * standard_error, (difference.mean(), standard_error)


def test_iwae_is_seeded_and_handles_labels():
    x, y = tiny_images(6)
    vae = ConditionalVAE(num_classes=4, latent_dim=2, widths=(4, 8), seed=0)
    a = iwae_nll(vae, x, y, k=10, batch_size=4, chunk_size=3, seed=7)
    assert a.shape == (6,) and np.all(np.isfinite(a))
    np.testing.assert_array_equal(a, iwae_nll(vae, x, y, k=10, batch_size=4, chunk_size=3, seed=7))
    with pytest.raises(ValueError, match="needs labels"):
        iwae_nll(vae, x, k=2)


def test_iwae_bad_input_is_named():
    vae = VAE(latent_dim=2, widths=(4, 8))
    x, _ = tiny_images(2)
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match=f"k must be an integer >= 1. Received: k={bad!r}"):
            iwae_nll(vae, x, k=bad)
    with pytest.raises(ValueError, match="chunk_size must be an integer >= 1"):
        iwae_nll(vae, x, k=4, chunk_size=0)
    with pytest.raises(ValueError, match=r"expects batches of images of shape \(batch, 28, 28, 1\)"):
        iwae_nll(vae, np.zeros((2, 32, 32, 1), "float32"), k=2)
    with pytest.raises(ValueError, match=r"with values in \(0.0, 1.0\). Received values in \[0, 2\d\d\]"):
        iwae_nll(vae, x * 255.0, k=2)


def test_bits_per_dim():
    assert bits_per_dim(784 * math.log(2), 784) == pytest.approx(1.0)
    np.testing.assert_allclose(bits_per_dim([0.0, 2 * math.log(2)], 2), [0.0, 1.0])
    with pytest.raises(ValueError, match="Received: num_dims=0"):
        bits_per_dim(1.0, 0)


# === Perplexity ===


def test_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    vocabulary = 65
    targets = np.arange(200) % vocabulary
    cross_entropy = keras.losses.sparse_categorical_crossentropy(
        targets, np.zeros((200, vocabulary), "float32"), from_logits=True
    )
    assert perplexity(cross_entropy) == pytest.approx(vocabulary, rel=1e-5)
    assert bits_per_character(cross_entropy) == pytest.approx(math.log2(vocabulary), rel=1e-5)
    assert perplexity(0.0) == 1.0
    assert bits_per_character(math.log(2)) == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), []])
def test_perplexity_bad_input_is_named(bad):
    with pytest.raises(ValueError, match="cross_entropy must be finite, non-negative nats"):
        perplexity(bad)
    with pytest.raises(ValueError, match="Received: cross_entropy="):
        bits_per_character(bad)


# === AUROC ===


@pytest.mark.parametrize(
    "scores, labels, expected",
    [
        ([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75),
        # A tie between a positive and a negative counts one half: (1 + 0.5 + 1 + 1) / 4.
        ([1, 2, 2, 3], [0, 1, 0, 1], 0.875),
        ([5, 5, 5, 5], [0, 1, 0, 1], 0.5),
        ([1, 2, 3, 4, 5], [False, False, True, True, True], 1.0),
        ([5, 4, 3, 2, 1], [0, 0, 1, 1, 1], 0.0),
        # Positives tied with each other count as usual; each also ties one negative: (2.5 + 2.5) / 6.
        ([3, 3, 1, 2, 3], [1, 1, 0, 0, 0], 5 / 6),
    ],
)
def test_roc_auc_hand_computed(scores, labels, expected):
    assert roc_auc(scores, labels) == pytest.approx(expected, abs=1e-12)


def test_roc_auc_matches_the_mann_whitney_statistic():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 300)
    scores = rng.integers(0, 12, 300) + labels * 2  # many ties
    u = stats.mannwhitneyu(scores[labels == 1], scores[labels == 0]).statistic
    assert roc_auc(scores, labels) == pytest.approx(u / (labels.sum() * (300 - labels.sum())), rel=1e-12)


def test_roc_auc_bad_input_is_named():
    with pytest.raises(ValueError, match=r"labels must be binary.*Received: label values \[0, 1, 2\]"):
        roc_auc([0.1, 0.2, 0.3], [0, 1, 2])
    with pytest.raises(ValueError, match="needs both classes. Received: 3 positive and 0 negative"):
        roc_auc([0.1, 0.2, 0.3], [1, 1, 1])
    with pytest.raises(ValueError, match=r"same length. Received: scores with shape=\(3,\), labels with shape=\(2,\)"):
        roc_auc([0.1, 0.2, 0.3], [0, 1])
    with pytest.raises(ValueError, match="scores must be finite. Received: 1 NaN"):
        roc_auc([0.1, float("nan")], [0, 1])


# === SSIM ===


def test_ssim_identical_noisy_and_scaled():
    x, _ = tiny_images(4)
    noisy = np.clip(x + np.random.default_rng(0).normal(0, 0.2, x.shape), 0, 1).astype("float32")
    np.testing.assert_allclose(ssim(x, x), 1.0, atol=1e-6)
    values = ssim(noisy, x)
    assert values.shape == (4,) and np.all(values < 0.9)
    np.testing.assert_allclose(values, ssim(x, noisy), atol=1e-6)
    np.testing.assert_allclose(ssim(noisy * 255, x * 255, max_value=255.0), values, atol=1e-4)


def test_ssim_bad_input_is_named():
    x, _ = tiny_images(2)
    with pytest.raises(ValueError, match=r"same shape. Received: images with shape=\(2, 28, 28, 1\), references with shape=\(1, 28, 28, 1\)"):
        ssim(x, x[:1])
    with pytest.raises(ValueError, match=r"\(batch, height, width, channels\).*shape=\(28, 28, 1\)"):
        ssim(x[0], x[0])
    with pytest.raises(ValueError, match=r"at least 11 pixels .* Received: shape=\(2, 8, 8, 1\)"):
        ssim(x[:, :8, :8], x[:, :8, :8])
    with pytest.raises(ValueError, match=r"images must be finite and in \[0, 1.0\].*Received: values in \[0, 2\d\d\]"):
        ssim(x * 255, x)
    with pytest.raises(ValueError, match="Received: max_value=0"):
        ssim(x, x, max_value=0)


# === Named model metrics and the eval CLI ===


def test_reconstruction_quality_measures_the_noisy_input_of_a_denoiser():
    x, _ = tiny_images(8)
    denoiser = DenoisingAutoencoder(latent_dim=4, widths=(4, 8), noise_level=0.3, seed=0)
    quality = reconstruction_quality(denoiser, x)
    assert set(quality) == {"psnr", "ssim", "noisy_psnr", "noisy_ssim"}
    assert all(np.isfinite(v) for v in quality.values())
    assert quality["noisy_ssim"] < 0.9  # the input really was corrupted
    assert set(reconstruction_quality(Autoencoder(latent_dim=4, widths=(4, 8)), x)) == {"psnr", "ssim"}


def test_one_class_auroc_flags_noise_as_anomalous():
    keras.utils.set_random_seed(0)
    model = Autoencoder(latent_dim=8, architecture="dense", widths=(64,), seed=0)
    model.compile(optimizer=keras.optimizers.Adam(3e-3))
    model.fit(tiny_images(256)[0], batch_size=32, epochs=8, verbose=0)
    shapes = tiny_images(64, seed=1)[0]
    noise = np.random.default_rng(0).uniform(0, 1, shapes.shape).astype("float32")
    images, labels = np.concatenate([shapes, noise]), np.repeat([0, 1], 64)
    auroc = one_class_auroc(model, images, labels, normal_class=0)
    assert auroc == roc_auc(model.score(images), labels != 0)
    assert auroc > 0.95, auroc  # untrained, this network scores noise as more normal (AUROC ~0)


def test_model_metrics_bad_input_is_named():
    x, y = tiny_images(4)
    autoencoder = Autoencoder(latent_dim=4, widths=(4, 8))
    with pytest.raises(ValueError, match="'nll' needs a VAE .* Received: a Autoencoder"):
        model_metrics(autoencoder, ["nll"], x)
    with pytest.raises(ValueError, match="needs labelled images .* Received: normal_class=None"):
        model_metrics(autoencoder, ["auroc"], x, y)
    with pytest.raises(ValueError, match=r"No image has the normal class. Received: normal_class=7"):
        model_metrics(autoencoder, ["auroc"], x, y, normal_class=7)
    with pytest.raises(ValueError, match="Unknown metrics \\['fld'\\]"):
        model_metrics(autoencoder, ["fld"], x)
    with pytest.raises(ValueError, match=r"'ssim' needs a model that reconstructs images \(an autoencoder or VAE\). Received: a GAN"):
        model_metrics(GAN(latent_dim=4, hidden_units=(8,)), ["ssim"], x)


def test_eval_cli_metrics(tmp_path, capsys):
    vae_path, ae_path = str(tmp_path / "vae.keras"), str(tmp_path / "ae.keras")
    for model, path in ((VAE(latent_dim=2, widths=(4, 8), seed=0), vae_path),
                        (Autoencoder(latent_dim=4, widths=(4, 8)), ae_path)):
        model.compile(**model.default_optimizers())
        model.save(path)
    out = str(tmp_path / "eval.json")
    common = ["--dataset", "shapes", "--num-samples", "8", "--out", out]
    assert main(["eval", vae_path, "--metrics", "nll,ssim", "--k", "4"] + common) == 0
    with open(out) as f:
        result = json.load(f)
    assert result["num_samples"] == 8 and result["metrics"]["iwae_k"] == 4
    assert result["metrics"]["iwae_nll"] <= result["metrics"]["negative_elbo"] + 1e-6
    assert {"elbo", "psnr", "ssim", "iwae_nll_bits_per_dim"} <= set(result["metrics"])
    common.append("--overwrite")  # the same --out again
    assert main(["eval", ae_path, "--metrics", "auroc", "--normal-class", "1"] + common) == 0
    with open(out) as f:
        assert 0.0 <= json.load(f)["metrics"]["auroc"] <= 1.0
    assert main(["eval", ae_path, "--metrics", "auroc"] + common) == 2
    assert "needs labelled images and the class" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["eval", ae_path, "--metrics", "fid2"] + common)
    assert "unknown metric ['fid2']" in capsys.readouterr().err
