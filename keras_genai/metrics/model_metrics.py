"""Metrics of a trained model on arrays of images, by name (the `eval` CLI's `--metrics`)."""

import numpy as np
from keras import ops

from keras_genai.metrics.likelihood import bits_per_dim, importance_weighted_bounds
from keras_genai.metrics.psnr import psnr
from keras_genai.metrics.roc_auc import roc_auc
from keras_genai.metrics.ssim import ssim

MODEL_METRICS = ("nll", "auroc", "ssim")


def _require(model, metric, attribute, what):
    if not hasattr(model, attribute):
        raise ValueError(f"Metric {metric!r} needs {what}. Received: a {type(model).__name__}")


def likelihood_metrics(model, images, labels=None, k=5000, seed=0):
    """Mean importance-weighted NLL and `k`-sample negative ELBO of a VAE, nats and bits/dim."""
    _require(model, "nll", "reconstruction_nll", "a VAE (a model with a decoder likelihood)")
    bounds = importance_weighted_bounds(model, images, labels if model.needs_labels else None, k=k, seed=seed)
    num_dims = int(np.prod(np.shape(images)[1:]))
    nll, negative_elbo = float(bounds["nll"].mean()), float(-bounds["elbo"].mean())
    return {
        "iwae_nll": nll,
        "iwae_nll_bits_per_dim": float(bits_per_dim(nll, num_dims)),
        "negative_elbo": negative_elbo,
        "negative_elbo_bits_per_dim": float(bits_per_dim(negative_elbo, num_dims)),
        "iwae_k": k,
    }


def one_class_auroc(model, images, labels, normal_class):
    """AUROC of `model.score` for "not `normal_class`" (the anomalies) on labelled images.

    The one-class protocol: `model` was trained on images of `normal_class`
    only, and a higher score means more anomalous.
    """
    _require(model, "auroc", "score", "a model with an anomaly score(x)")
    if normal_class is None or labels is None:
        raise ValueError(
            "Metric 'auroc' needs labelled images and the class the model was trained on. "
            f"Received: normal_class={normal_class}, labels={'None' if labels is None else 'given'}"
        )
    labels = np.asarray(labels)
    if not np.any(labels == normal_class):
        raise ValueError(
            f"No image has the normal class. Received: normal_class={normal_class}, "
            f"label values {np.unique(labels).tolist()}"
        )
    return roc_auc(model.score(images), labels != normal_class)


def _psnr_and_ssim(images, references):
    return {"psnr": float(np.mean(ops.convert_to_numpy(psnr(images, references)))),
            "ssim": float(np.mean(ssim(images, references)))}


def reconstruction_quality(model, images, labels=None):
    """Mean PSNR (dB) and SSIM of `model.reconstruct` against `images` in [0, 1].

    A denoising model (one with `add_noise`) reconstructs a corrupted copy;
    then `noisy_psnr` and `noisy_ssim` measure the corrupted input too.
    """
    _require(model, "ssim", "reconstruct", "a model that reconstructs images (an autoencoder or VAE)")
    clean = np.asarray(images, np.float32)
    inputs = model.add_noise(clean) if hasattr(model, "add_noise") else clean
    outputs = model.reconstruct(inputs, labels) if model.needs_labels else model.reconstruct(inputs)
    result = _psnr_and_ssim(outputs, clean)
    if inputs is not clean:
        result.update({f"noisy_{key}": value for key, value in _psnr_and_ssim(inputs, clean).items()})
    return result


def model_metrics(model, names, images, labels=None, k=5000, normal_class=None, seed=0):
    """Named metrics of `model` on `images` (in the model's value range) as one flat dict.

    Args:
        names: list of `"nll"` (VAE: IWAE bound with `k` samples and the
            ELBO), `"auroc"` (one-class AUROC of `model.score`, needs
            `labels` and `normal_class`), `"ssim"` (PSNR and SSIM of the
            reconstructions; of the denoised outputs for a denoiser).
    """
    unknown = [name for name in names if name not in MODEL_METRICS]
    if unknown:
        raise ValueError(f"Unknown metrics {unknown}; expected some of {MODEL_METRICS}. Received: names={names}")
    result = {}
    for name in names:
        if name == "nll":
            result.update(likelihood_metrics(model, images, labels, k=k, seed=seed))
        elif name == "auroc":
            result["auroc"] = one_class_auroc(model, images, labels, normal_class)
        else:
            result.update(reconstruction_quality(model, images, labels))
    return result
