"""Per-example negative log-likelihoods and KL terms, in nats."""

import math

from keras import ops


def _sum_per_example(values):
    return ops.sum(ops.reshape(values, (ops.shape(values)[0], -1)), axis=-1)


def sigmoid_cross_entropy(x, logits):
    """Element-wise -[x log s(l) + (1 - x) log(1 - s(l))] for `x` in [0, 1].

    Numerically stable form: max(l, 0) - l*x + log(1 + exp(-|l|)).
    """
    x = ops.cast(x, "float32")
    logits = ops.cast(logits, "float32")
    return ops.relu(logits) - logits * x + ops.log1p(ops.exp(-ops.abs(logits)))


def bernoulli_nll(x, logits):
    """-log p(x | logits) summed over all pixels of each example.

    `x` in [0, 1]; non-binary values give the usual cross-entropy.
    """
    return _sum_per_example(sigmoid_cross_entropy(x, logits))


def gaussian_nll(x, mean, log_sigma):
    """-log N(x; mean, sigma^2) summed over all pixels of each example."""
    x = ops.cast(x, "float32")
    mean = ops.cast(mean, "float32")
    log_sigma = ops.cast(log_sigma, "float32")
    values = 0.5 * ops.square((x - mean) * ops.exp(-log_sigma)) + log_sigma
    return _sum_per_example(values + 0.5 * math.log(2 * math.pi))


def gaussian_kl(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, I)) per example, closed form."""
    mean = ops.cast(mean, "float32")
    log_var = ops.cast(log_var, "float32")
    return 0.5 * ops.sum(ops.exp(log_var) + ops.square(mean) - 1.0 - log_var, axis=-1)
