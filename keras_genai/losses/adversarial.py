"""Adversarial losses as pure functions of discriminator/critic outputs.

Each pair takes raw (pre-sigmoid) outputs in float32 and returns a scalar.
`-log sigmoid(x) = softplus(-x)` and `-log(1 - sigmoid(x)) = softplus(x)`
keep the cross-entropy forms stable.
"""

from keras import ops


def _f32(x):
    return ops.cast(x, "float32")


def minimax_discriminator_loss(real_logits, fake_logits):
    """-E[log D(x)] - E[log(1 - D(G(z)))] (Goodfellow et al. 2014)."""
    return ops.mean(ops.softplus(-_f32(real_logits))) + ops.mean(ops.softplus(_f32(fake_logits)))


def minimax_generator_loss(fake_logits):
    """E[log(1 - D(G(z)))], the saturating original objective."""
    return -ops.mean(ops.softplus(_f32(fake_logits)))


def non_saturating_generator_loss(fake_logits):
    """-E[log D(G(z))], the usual practical generator loss."""
    return ops.mean(ops.softplus(-_f32(fake_logits)))


def least_squares_discriminator_loss(real_logits, fake_logits):
    """LSGAN (Mao et al. 2017): 0.5 E[(D(x) - 1)^2] + 0.5 E[D(G(z))^2]."""
    return 0.5 * ops.mean(ops.square(_f32(real_logits) - 1.0)) + 0.5 * ops.mean(ops.square(_f32(fake_logits)))


def least_squares_generator_loss(fake_logits):
    return 0.5 * ops.mean(ops.square(_f32(fake_logits) - 1.0))


def hinge_discriminator_loss(real_logits, fake_logits):
    """E[relu(1 - D(x))] + E[relu(1 + D(G(z)))] (Lim & Ye 2017; SAGAN, BigGAN)."""
    return ops.mean(ops.relu(1.0 - _f32(real_logits))) + ops.mean(ops.relu(1.0 + _f32(fake_logits)))


def hinge_generator_loss(fake_logits):
    return -ops.mean(_f32(fake_logits))


def wasserstein_critic_loss(real_scores, fake_scores):
    """E[f(G(z))] - E[f(x)]: minimising it maximises the critic's W1 estimate."""
    return ops.mean(_f32(fake_scores)) - ops.mean(_f32(real_scores))


def wasserstein_generator_loss(fake_scores):
    return -ops.mean(_f32(fake_scores))


# name -> (discriminator loss, generator loss)
ADVERSARIAL_LOSSES = {
    "minimax": (minimax_discriminator_loss, minimax_generator_loss),
    "non_saturating": (minimax_discriminator_loss, non_saturating_generator_loss),
    "least_squares": (least_squares_discriminator_loss, least_squares_generator_loss),
    "hinge": (hinge_discriminator_loss, hinge_generator_loss),
    "wasserstein": (wasserstein_critic_loss, wasserstein_generator_loss),
}
