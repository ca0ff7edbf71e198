"""Our WGAN-GP against a keras.io-style train step, same networks and batch.

    python -m tools.studies.bench_gan --out tools/results/bench_gan.json

Supports docs/gan_speed.md and the README's "keras.io WGAN-GP side by side".
Per-model throughput in float32 / bf16 / fp16 / XLA for every model,
GANs included, is `tools/bench/bench_precision.py`. This tool compares, side by
side in the same process, the keras.io WGAN-GP architecture
(critic 64-128-256-512 5x5 stride-2 convolutions on 28x28 padded to 32x32,
generator Dense-4x4x256 then UpSampling2D+Conv blocks, latent 128, 3 critic
steps, gradient penalty weight 10) trained by
  - `reference`: the straightforward keras.io-style `train_step` (one
    GradientTape loop that also records the generator in critic steps), and
  - `ours_*`: `keras_genai.models.WGANGP` with the same two networks, one
    cell per lever (see OURS): `ours_keras_leaky_relu` is the library
    before the levers (keras.io's `LeakyReLU` layer); `ours_maximum_leaky_relu`
    its default now, `keras_genai.layers.MaximumLeakyReLU` in the critic (the
    same function; its double backward skips the zero branch that
    TensorFlow's gradient of `LeakyReluGrad` sends through every earlier
    layer); `ours_joint_call` one critic call on concat([real, fake]);
    `ours_inter_op_1` one inter-op thread; `ours_exact` the activation and
    the joint call together (both keep the algorithm); `*_lazy3` the lazy penalty (every 3rd critic
    update, weight x3; changes the algorithm).
The step-time breakdown behind the levers is `tools/studies/gan_step_profile.py`.
An "images/s" is one real image consumed by a training step (one generator
update and `critic_steps` critic updates per batch), as keras.io counts it:
batch size / median step time over `--steps` timed steps after `--warmup`
steps. Each cell runs in a fresh process (its own peak RSS), reference and
ours alternate for `--rounds` rounds, and the summary gives each cell's
median and its speedup over the reference in float32 and in bf16.
Real data: the first Fashion-MNIST training images scaled to [-1, 1].
"""

import argparse
import json
import resource
import subprocess
import sys
import time

import keras
import numpy as np
import tensorflow as tf

from keras_genai.models import WGANGP
from tools.machine import machine_note
from tools.record import command, write_json


def keras_io_critic(activation=lambda: keras.layers.LeakyReLU(0.2)):
    image = keras.Input((28, 28, 1), name="sample")
    h = keras.layers.ZeroPadding2D((2, 2))(image)
    for i, filters in enumerate((64, 128, 256, 512)):
        h = keras.layers.Conv2D(filters, 5, strides=2, padding="same", use_bias=i != 0)(h)
        h = activation()(h)
        if i in (1, 2):
            h = keras.layers.Dropout(0.3)(h)
    h = keras.layers.Dropout(0.2)(keras.layers.Flatten()(h))
    return keras.Model([image], keras.layers.Dense(1, dtype="float32")(h), name="discriminator")


def keras_io_generator(latent_dim=128):
    z = keras.Input((latent_dim,), name="z")
    h = keras.layers.Dense(4 * 4 * 256, use_bias=False)(z)
    h = keras.layers.LeakyReLU(0.2)(keras.layers.BatchNormalization()(h))
    h = keras.layers.Reshape((4, 4, 256))(h)
    for filters, last in ((128, False), (64, False), (1, True)):
        h = keras.layers.UpSampling2D()(h)
        h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
        h = keras.layers.BatchNormalization()(h)
        h = keras.layers.Activation("tanh")(h) if last else keras.layers.LeakyReLU(0.2)(h)
    h = keras.layers.Cropping2D((2, 2))(h)
    return keras.Model([z], keras.layers.Activation("linear", dtype="float32")(h), name="generator")


class KerasIOStyleWGANGP(keras.Model):
    """The keras.io WGAN-GP training loop, written plainly (with a uniform
    interpolation weight and the epsilon fix, so that it trains correctly)."""

    def __init__(self, latent_dim=128, critic_steps=3, gp_weight=10.0):
        super().__init__()
        self.discriminator = keras_io_critic()
        self.generator = keras_io_generator(latent_dim)
        self.latent_dim, self.critic_steps, self.gp_weight = latent_dim, critic_steps, gp_weight

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    def gradient_penalty(self, batch_size, real, fake):
        alpha = tf.random.uniform([batch_size, 1, 1, 1], 0.0, 1.0)
        interpolated = real + alpha * (fake - real)
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(interpolated)
            pred = self.discriminator(interpolated, training=True)
        grads = gp_tape.gradient(pred, [interpolated])[0]
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
        return tf.reduce_mean((norm - 1.0) ** 2)

    def train_step(self, real):
        batch_size = tf.shape(real)[0]
        for _ in range(self.critic_steps):
            z = tf.random.normal((batch_size, self.latent_dim))
            with tf.GradientTape() as tape:
                fake = self.generator(z, training=True)
                fake_logits = self.discriminator(fake, training=True)
                real_logits = self.discriminator(real, training=True)
                d_cost = tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits)
                d_loss = d_cost + self.gp_weight * self.gradient_penalty(batch_size, real, fake)
            grads = tape.gradient(d_loss, self.discriminator.trainable_variables)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))
        z = tf.random.normal((batch_size, self.latent_dim))
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.discriminator(self.generator(z, training=True), training=True))
        grads = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
        return {"d_loss": d_loss, "g_loss": g_loss}


class KerasIOArchitectureWGANGP(WGANGP):
    """Our WGANGP driving the keras.io networks (it overrides the two builders).

    The critic's activation comes from the model's `discriminator_activation`
    hook (`MaximumLeakyReLU(0.2)` for gradient-penalty models: the same
    function as keras.io's `LeakyReLU(0.2)`); `keras_leaky_relu=True` keeps
    keras.io's layer, i.e. the library before that lever.
    """

    def __init__(self, keras_leaky_relu=False, **kwargs):
        self.keras_leaky_relu = keras_leaky_relu
        super().__init__(**kwargs)

    def discriminator_activation(self):
        if self.keras_leaky_relu:
            return keras.layers.LeakyReLU(0.2)
        return super().discriminator_activation()

    def build_generator(self):
        return keras_io_generator(self.latent_dim)

    def build_discriminator(self):
        return keras_io_critic(self.discriminator_activation)


def _optimizers():
    return {"d_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
            "g_optimizer": keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9)}


class StepTimes(keras.callbacks.Callback):
    def on_train_batch_begin(self, batch, logs=None):
        self.started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)

    def on_train_begin(self, logs=None):
        self.seconds = []


def time_fit(make_model, compile_kwargs, x, args, policy="float32"):
    keras.config.set_dtype_policy(policy)
    try:
        model = make_model()
        model.compile(**compile_kwargs)
        n = args.batch_size
        started = time.time()
        model.fit(x[: n * args.warmup], batch_size=n, epochs=1, verbose=0, shuffle=False)
        warmup = time.time() - started
        times = StepTimes()
        model.fit(x[: n * args.steps], batch_size=n, epochs=1, verbose=0, shuffle=False, callbacks=[times])
    finally:
        keras.config.set_dtype_policy("float32")
    # The median step: robust to other processes on a shared machine.
    median = float(np.median(times.seconds))
    return {"images_per_second": round(n / median, 1), "median_step_seconds": round(median, 4),
            "step_seconds": [round(t, 4) for t in times.seconds], "warmup_seconds": round(warmup, 1),
            "batch_size": n, "steps": args.steps,
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


# Our cells: model arguments and TensorFlow's inter-op thread count (None:
# its default, one per core). `ours_keras_leaky_relu` is the library before
# the levers; each `ours_*` lever cell adds one lever to it, `ours_exact`
# combines the levers that keep the algorithm, `*_lazy3` adds the lazy
# penalty (every 3rd critic update, weight x3), which changes it. One
# inter-op thread is measured alone only: it gained nothing (62 vs 75
# images/s, tools/results/bench_gan_with_inter_op_1.json, an earlier run in
# which `ours_exact` also had it), so `ours_exact` leaves TensorFlow's default.
OURS = {
    "ours_keras_leaky_relu": ({"keras_leaky_relu": True}, None),
    "ours_maximum_leaky_relu": ({}, None),
    "ours_joint_call": ({"keras_leaky_relu": True, "joint_discriminator_call": True}, None),
    "ours_inter_op_1": ({"keras_leaky_relu": True}, 1),
    "ours_lazy3": ({"keras_leaky_relu": True, "penalty_interval": 3}, None),
    "ours_exact": ({"joint_discriminator_call": True}, None),
    "ours_exact_lazy3": ({"joint_discriminator_call": True, "penalty_interval": 3}, None),
}
MODELS = {"reference_keras_io_step": lambda: KerasIOStyleWGANGP(),
          **{name: (lambda kwargs=kwargs: KerasIOArchitectureWGANGP(latent_dim=128, critic_steps=3, **kwargs))
             for name, (kwargs, _) in OURS.items()}}
POLICIES = {"float32": ("float32", False), "bf16": ("mixed_bfloat16", False), "xla": ("float32", True)}
# The cells timed in each mode by default: every lever alone in float32, the
# baseline and the combinations in bf16 too.
DEFAULT_CELLS = {
    "float32": list(MODELS),
    "bf16": ["reference_keras_io_step", "ours_keras_leaky_relu", "ours_exact", "ours_exact_lazy3"],
}


def run_cell(args):
    from keras_genai.data import load_image_arrays

    inter_op = OURS.get(args.cell, ({}, None))[1]
    if inter_op:
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
    images, _ = load_image_arrays("fashion_mnist", "train", args.data_dir)
    x = (images[: args.batch_size * max(args.steps, args.warmup)] / 127.5 - 1.0).astype("float32")
    policy, xla = POLICIES[args.mode]
    row = time_fit(MODELS[args.cell], {**_optimizers(), "jit_compile": xla}, x, args, policy)
    # The cell's own process: its machine note is the one that goes with its timing.
    print("ROW " + json.dumps({"model": args.cell, "mode": args.mode, **row, "machine": machine_note()}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--modes", nargs="*", default=["float32", "bf16"], choices=list(POLICIES))
    parser.add_argument("--cells", nargs="*", choices=list(MODELS),
                        help="cells to time in every mode (default: DEFAULT_CELLS per mode)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternate reference and ours this many times (noise shows as spread)")
    parser.add_argument("--data-dir")
    parser.add_argument("--out", default="tools/results/bench_gan.json")
    parser.add_argument("--cell", choices=list(MODELS), help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=list(POLICIES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cell:
        return run_cell(args)
    cells = {mode: args.cells or DEFAULT_CELLS.get(mode, list(MODELS)) for mode in args.modes}
    rows = []
    for round_index in range(args.rounds):
        for mode in args.modes:
            for cell in cells[mode]:
                # A fresh process per cell: its own peak RSS, no state carried over.
                cell_command = [sys.executable, "-m", __spec__.name, "--cell", cell, "--mode", mode,
                                "--batch-size", str(args.batch_size), "--steps", str(args.steps),
                                "--warmup", str(args.warmup)] + (["--data-dir", args.data_dir] if args.data_dir else [])
                output = subprocess.run(cell_command, capture_output=True, text=True, check=True).stdout
                row = json.loads(next(line[4:] for line in output.splitlines() if line.startswith("ROW ")))
                rows.append({"round": round_index, **row})
                print(json.dumps({k: v for k, v in rows[-1].items() if k != "step_seconds"}), flush=True)
    def median_rate(cell, mode):
        rates = [r["images_per_second"] for r in rows if r["model"] == cell and r["mode"] == mode]
        return float(np.median(rates)) if rates else None

    baselines = {mode: median_rate("reference_keras_io_step", mode) for mode in ("float32", "bf16")}
    summary = []
    for mode in args.modes:
        for cell in cells[mode]:
            median = median_rate(cell, mode)
            speedups = {f"speedup_vs_reference_{base}": None if rate is None else round(median / rate, 2)
                        for base, rate in baselines.items()}
            summary.append({"model": cell, "mode": mode, "images_per_second_median": round(median, 1),
                            "images_per_second_all": [r["images_per_second"] for r in rows
                                                      if r["model"] == cell and r["mode"] == mode],
                            **speedups})
            print(f"{cell:<26} {mode:<8} {median:7.1f} images/s  "
                  + "  ".join(f"{k[8:]} x{v}" for k, v in speedups.items() if v is not None))
    write_json(args.out, {"command": command(__spec__), "data": "fashion_mnist train split, first images, scaled to [-1, 1]",
                          "arguments": vars(args), "summary": summary, "rows": rows})


if __name__ == "__main__":
    main()
