import keras
import tensorflow as tf
from keras import ops

from keras_genai.distribute.replicas import draw_rows


def _input_gradient_squared_norms(critic, x, conditions):
    """`||grad_x critic(x)||^2` per example, in float32."""
    # GradientTape: the penalties need d critic / d input inside the step.
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = ops.cast(critic([x] + list(conditions), training=True), "float32")
    gradients = ops.cast(tape.gradient(scores, x), "float32")
    return ops.sum(ops.reshape(ops.square(gradients), (ops.shape(x)[0], -1)), axis=-1)


def gradient_penalty(critic, real, fake, seed_generator, conditions=(), target=1.0):
    """WGAN-GP penalty E[(||grad_x f(x_hat)||_2 - target)^2] (Gulrajani et al. 2017).

    `x_hat = eps * real + (1 - eps) * fake` with one `eps ~ U(0, 1)` per
    example. The norm is computed in float32 with a small constant inside
    the square root, so a zero gradient gives a finite gradient of the
    penalty instead of NaN.

    Args:
        critic: callable taking `[x_hat] + conditions`.
        real, fake: batches of the same shape.
        seed_generator: `keras.random.SeedGenerator` for `eps`.
        conditions: extra critic inputs (e.g. labels), passed through.
        target: float. The norm the penalty pulls towards.

    Returns:
        Scalar float32 penalty.
    """
    real = ops.cast(real, "float32")
    fake = ops.cast(fake, "float32")
    shape = [ops.shape(real)[0]] + [1] * (len(real.shape) - 1)
    eps = draw_rows(keras.random.uniform, shape, seed=seed_generator)
    interpolated = eps * real + (1.0 - eps) * fake
    norm = ops.sqrt(_input_gradient_squared_norms(critic, interpolated, conditions) + 1e-12)
    return ops.mean(ops.square(norm - target))


def r1_penalty(critic, real, conditions=()):
    """R1 penalty E[||grad_x f(x)||_2^2] on real samples only (Mescheder et al. 2018).

    Multiply by gamma / 2 for the paper's regularizer.

    Args:
        critic: callable taking `[x] + conditions`.
        real: a batch of real samples.
        conditions: extra critic inputs (e.g. labels), passed through.

    Returns:
        Scalar float32 penalty.
    """
    return ops.mean(_input_gradient_squared_norms(critic, ops.cast(real, "float32"), conditions))
