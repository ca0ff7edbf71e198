"""The losses of unpaired image-to-image translation (Zhu et al. 2017)."""

from keras import ops


def _l1(x, y):
    return ops.mean(ops.abs(ops.cast(x, "float32") - ops.cast(y, "float32")))


def cycle_consistency_loss(real, reconstructed):
    """E|F(G(a)) - a|: a translated and back-translated image matches the original (L1)."""
    return _l1(real, reconstructed)


def identity_loss(real, mapped):
    """E|G(b) - b|: an image already in the target domain passes through unchanged (L1)."""
    return _l1(real, mapped)
