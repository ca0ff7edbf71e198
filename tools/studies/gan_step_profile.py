"""Where the time of a WGAN-GP train step goes: its pieces timed in isolation.

    python -m tools.studies.gan_step_profile --out tools/results/gan_step_profile.json

Supports docs/gan_speed.md ("Where the step time goes").
Same networks, batch and data as `tools/studies/bench_gan.py` (the keras.io WGAN-GP
architecture, batch 64, 3 critic steps, gradient penalty weight 10). Each
piece is its own `tf.function` (graph mode, no XLA), timed as the median of
`--repeats` calls after two warm-up calls, in float32 and `mixed_bfloat16`,
with keras.io's `LeakyReLU` in the critic (the library before the levers of
`tools/studies/bench_gan.py`) and with the library's `MaximumLeakyReLU` (the same
function, a cheaper double backward):

- `generator_forward`: G(z) in training mode (the critic step's fakes);
- `critic_forward_real_fake`: D(real) and D(fake), two calls of 64;
- `critic_forward_real_fake_joint`: D(concat([real, fake])), one call of 128;
- `critic_wasserstein_weight_gradient`: the Wasserstein loss's forward and
  backward to the critic's weights (no penalty), two calls;
- `..._joint`: the same with one call on the concatenation;
- `penalty_forward_input_gradient`: D(x_hat) and d D / d x_hat only;
- `penalty_weight_gradient`: the penalty's forward, input gradient and the
  double backward to the critic's weights;
- `critic_loss_weight_gradient`: Wasserstein loss + penalty, backward to the
  weights (what one critic step differentiates);
- `critic_optimizer_apply`: Adam on the critic's weights, gradients given;
- `critic_step`: `WGANGP.discriminator_step` (fakes + loss + penalty +
  backward + Adam);
- `generator_step`: `WGANGP.generator_step`;
- `train_step`: `WGANGP.train_step` (3 critic steps + 1 generator step).

The JSON gives each piece's milliseconds and its share of `train_step`
(pieces overlap: e.g. `critic_step` contains `generator_forward`; the
`critic_step` share is per critic step, the step runs 3 of them).
"""

import argparse
import json
import time

import keras
import numpy as np
import tensorflow as tf

from tools.record import command, write_json
from tools.studies.bench_gan import KerasIOArchitectureWGANGP


def median_ms(fn, repeats):
    fn()
    fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(1000 * float(np.median(times)), 2)


def pieces(model, real, z):
    critic, generator = model.discriminator, model.generator
    weights = critic.trainable_variables
    real = tf.constant(real)

    def penalty(x_hat):
        with tf.GradientTape() as inner:
            inner.watch(x_hat)
            scores = tf.cast(critic(x_hat, training=True), "float32")
        g = tf.cast(inner.gradient(scores, x_hat), "float32")
        return tf.reduce_mean(tf.square(tf.sqrt(tf.reduce_sum(tf.square(g), [1, 2, 3]) + 1e-12) - 1.0))

    fake = generator(z, training=False)
    x_hat = 0.5 * real + 0.5 * fake

    def wasserstein(joint):
        if joint:
            logits = critic(tf.concat([real, fake], 0), training=True)
            real_logits, fake_logits = tf.split(logits, 2)
        else:
            real_logits, fake_logits = critic(real, training=True), critic(fake, training=True)
        return tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits)

    def weight_gradient(loss_fn):
        def run():
            with tf.GradientTape() as tape:
                loss = loss_fn()
            return tape.gradient(loss, weights)
        return run

    gradients = [tf.zeros_like(w) for w in weights]
    functions = {
        "generator_forward": lambda: generator(z, training=True),
        "critic_forward_real_fake": lambda: (critic(real, training=True), critic(fake, training=True)),
        "critic_forward_real_fake_joint": lambda: critic(tf.concat([real, fake], 0), training=True),
        "critic_wasserstein_weight_gradient": weight_gradient(lambda: wasserstein(False)),
        "critic_wasserstein_weight_gradient_joint": weight_gradient(lambda: wasserstein(True)),
        "penalty_forward_input_gradient": lambda: penalty(x_hat),
        "penalty_weight_gradient": weight_gradient(lambda: penalty(x_hat)),
        "critic_loss_weight_gradient": weight_gradient(lambda: wasserstein(False) + 10.0 * penalty(x_hat)),
        "critic_optimizer_apply": lambda: model.d_optimizer.apply(gradients, weights),
        "critic_step": lambda: model.discriminator_step(real, []),
        "generator_step": lambda: model.generator_step(tf.shape(real)[0], []),
        "train_step": lambda: model.train_step(real),
    }
    return {name: tf.function(fn) for name, fn in functions.items()}


def profile(policy, activation, real, args):
    keras.config.set_dtype_policy(policy)
    try:
        keras.utils.set_random_seed(0)
        model = KerasIOArchitectureWGANGP(latent_dim=128, critic_steps=3,
                                          keras_leaky_relu=activation == "keras_leaky_relu")
        model.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
                      g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9))
        z = tf.random.normal((args.batch_size, 128))
        timings = {name: median_ms(fn, args.repeats) for name, fn in pieces(model, real, z).items()}
    finally:
        keras.config.set_dtype_policy("float32")
    total = timings["train_step"]
    shares = {name: round(ms / total, 3) for name, ms in timings.items()}
    return {"policy": policy, "critic_activation": activation, "milliseconds": timings,
            "share_of_train_step": shares, "images_per_second_train_step": round(1000 * args.batch_size / total, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--policies", nargs="+", default=["float32", "mixed_bfloat16"])
    parser.add_argument("--data-dir")
    parser.add_argument("--out", default="tools/results/gan_step_profile.json")
    args = parser.parse_args()
    from keras_genai.data import load_image_arrays

    images, _ = load_image_arrays("fashion_mnist", "train", args.data_dir)
    real = (images[: args.batch_size] / 127.5 - 1.0).astype("float32")
    rows = []
    for policy in args.policies:
        for activation in ("keras_leaky_relu", "maximum_leaky_relu"):
            rows.append(profile(policy, activation, real, args))
            print(json.dumps(rows[-1]), flush=True)
    write_json(args.out, {"command": command(__spec__),
                          "data": f"fashion_mnist train split, first {args.batch_size} images, scaled to [-1, 1]",
                          "arguments": vars(args), "rows": rows})


if __name__ == "__main__":
    main()
