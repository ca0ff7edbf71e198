"""Importance-weighted likelihood bounds of a VAE, and nats -> bits."""

import math

import keras
import numpy as np
from keras import ops

from keras_genai.losses import gaussian_nll


def bits_per_dim(nats, num_dims):
    """Negative log-likelihood in nats per example -> bits per dimension.

    Args:
        nats: float or array. -log p(x) per example, in nats.
        num_dims: int. Dimensions per example, e.g. 784 for 28x28x1.
    """
    if num_dims < 1:
        raise ValueError(f"num_dims must be at least 1. Received: num_dims={num_dims}")
    return np.asarray(nats, np.float64) / (num_dims * math.log(2.0))


def _check_int(name, value, low=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}. Received: {name}={value!r}")


def _log_weights(vae, x, conditions, z_mean, z_log_var, num_samples, seed_generator):
    """log p(x|z) + log p(z) - log q(z|x) for `num_samples` z per image, `(B, num_samples)`."""
    batch, latent_dim = ops.shape(z_mean)
    noise = keras.random.normal((batch, num_samples, latent_dim), seed=seed_generator)
    z = z_mean[:, None] + ops.exp(0.5 * z_log_var)[:, None] * noise
    z = ops.reshape(z, (batch * num_samples, latent_dim))

    def repeat(t):
        return ops.repeat(t, num_samples, axis=0)

    logits = vae.decoder([z] + [repeat(c) for c in conditions])
    log_likelihood = -vae.reconstruction_nll(repeat(x), logits)
    # -log N(z; 0, I) and -log N(z; mean, exp(log_var)) through the same Gaussian NLL.
    log_prior = -gaussian_nll(z, ops.zeros_like(z), ops.zeros_like(z))
    log_posterior = -gaussian_nll(z, repeat(z_mean), 0.5 * repeat(z_log_var))
    return ops.reshape(log_likelihood + log_prior - log_posterior, (batch, num_samples))


def importance_weighted_bounds(vae, images, labels=None, k=5000, batch_size=8, chunk_size=512, seed=0):
    """Importance-weighted bound and ELBO of a VAE, per image, in nats.

    With `z_1..z_k ~ q(z|x)` and weights `w_i = p(x|z_i) p(z_i) / q(z_i|x)`,
    `log (1/k) sum_i w_i` is a lower bound on `log p(x)` that tightens as
    `k` grows (Burda et al. 2016); `k = 1` is the ELBO. The `k` samples are
    drawn in chunks of `chunk_size` per image and combined with a running
    log-sum-exp, so memory does not grow with `k`. The mean of the same log
    weights is a `k`-sample Monte Carlo ELBO.

    "Likelihood" is the VAE's own decoder likelihood (`vae.reconstruction_nll`):
    for a Bernoulli decoder on grey-level images it is the cross-entropy, not
    the probability of discrete pixel values, so it is comparable only with
    numbers computed the same way.

    Args:
        vae: a `keras_genai.models.VAE` (or `ConditionalVAE`).
        images: array `(N, H, W, C)` in [0, 1], the shape the VAE was built for.
        labels: int array `(N,)` or None. Class labels for conditional VAEs.
        k: int. Importance samples per image. Defaults to `5000`, as in
            the IWAE paper.
        batch_size: int. Images per step. Defaults to `8`.
        chunk_size: int. Samples per image per step; a step decodes
            `batch_size * chunk_size` codes. Defaults to `512`.
        seed: int. Seed of the importance samples. Defaults to `0`.

    Returns:
        dict of float64 arrays `(N,)`: `"nll"` (the importance-weighted
        estimate of -log p(x)) and `"elbo"` (the `k`-sample ELBO).

    Reference: Burda, Grosse & Salakhutdinov, "Importance Weighted
    Autoencoders", ICLR 2016.
    """
    _check_int("k", k)
    _check_int("batch_size", batch_size)
    _check_int("chunk_size", chunk_size)
    vae.check_data(images, labels)
    images = np.asarray(images, np.float32)
    if vae.needs_labels:
        labels = np.asarray(labels)
        if len(labels) != len(images):
            raise ValueError(
                f"images and labels differ in length. Received: {len(images)} images, {len(labels)} labels"
            )
    seed_generator = keras.random.SeedGenerator(seed)
    nll, elbo = [], []
    for start in range(0, len(images), batch_size):
        x = images[start : start + batch_size]
        y = None if labels is None else labels[start : start + batch_size]
        conditions = vae.condition_values(y, len(x))
        z_mean, z_log_var = vae.encoder([x] + conditions)
        chunk_lse, weight_sum = [], 0.0
        for done in range(0, k, chunk_size):
            w = _log_weights(vae, x, conditions, z_mean, z_log_var, min(chunk_size, k - done), seed_generator)
            chunk_lse.append(ops.logsumexp(w, axis=1))
            weight_sum = weight_sum + ops.sum(w, axis=1)
        log_mean = ops.logsumexp(ops.stack(chunk_lse, axis=1), axis=1) - math.log(k)
        nll.append(-ops.convert_to_numpy(log_mean).astype(np.float64))
        elbo.append(ops.convert_to_numpy(weight_sum).astype(np.float64) / k)
    return {"nll": np.concatenate(nll), "elbo": np.concatenate(elbo)}


def iwae_nll(vae, images, labels=None, k=5000, batch_size=8, chunk_size=512, seed=0):
    """Importance-weighted estimate of -log p(x) per image, in nats.

    The `"nll"` of `importance_weighted_bounds`; see there for the arguments.
    """
    return importance_weighted_bounds(vae, images, labels, k, batch_size, chunk_size, seed)["nll"]
