import keras
import tensorflow as tf
from keras import ops

from keras_genai.distribute.replicas import draw_rows


def path_lengths(synthesize, latents, seed_generator):
    """Per-example Jacobian norms `||J_w^T y||_2` of StyleGAN2's path-length regularizer.

    `y` is image-space Gaussian noise scaled by `1 / sqrt(height * width)`
    (Karras et al. 2020, sec. 3.2), so the lengths do not grow with the
    resolution. For latents of shape `(batch, num_ws, w_dim)` the squared
    norm is summed over `w_dim` and averaged over the `num_ws` copies.

    Args:
        synthesize: callable `latents -> samples` (the generator from the
            latent the penalty is taken with respect to).
        latents: a batch of latents (z, or StyleGAN's w).
        seed_generator: `keras.random.SeedGenerator` for `y`.

    Returns:
        float32 tensor of shape `(batch,)`.
    """
    latents = ops.cast(latents, "float32")
    # GradientTape: the penalty needs d samples / d latents inside the step.
    with tf.GradientTape() as tape:
        tape.watch(latents)
        samples = ops.cast(synthesize(latents), "float32")
        pixels = 1
        for size in samples.shape[1:-1]:
            pixels *= size
        noise = draw_rows(keras.random.normal, ops.shape(samples), seed=seed_generator) / (float(pixels) ** 0.5)
        projected = ops.sum(samples * noise)
    gradients = ops.cast(tape.gradient(projected, latents), "float32")
    squared = ops.sum(ops.square(gradients), axis=-1)
    if len(squared.shape) > 1:
        squared = ops.mean(ops.reshape(squared, (ops.shape(squared)[0], -1)), axis=-1)
    return ops.sqrt(squared + 1e-12)
