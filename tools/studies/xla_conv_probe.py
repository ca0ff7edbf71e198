"""Why XLA slows the keras.io WGAN-GP step on CPU: per-convolution timings.

    python -m tools.studies.xla_conv_probe --out tools/results/xla_conv_probe.json

Supports the README's XLA paragraph and docs/gan_speed.md ("XLA on CPU").

Times, for each convolution of the keras.io WGAN-GP critic (5x5, stride 2,
"same", on 32/16/8/4-pixel maps) and of our DCGAN/WGAN-GP critic (4x4,
stride 2, on 28/14-pixel maps), the three computations a WGAN-GP step needs
(forward, gradient w.r.t. the input, gradient w.r.t. the kernel; the
gradient penalty differentiates the input gradient again), once as a plain
TensorFlow graph and once compiled with XLA (`jit_compile=True`), at the
same batch. Also the whole critic's weight gradient and its gradient-penalty
step, and `UpSampling2D`'s gradient (tf #60203 was about it failing to
compile; here it compiles and is fast).

Each time is the median of `--repeats` calls after one warm-up call.
"""

import argparse
import json
import time

import keras
import numpy as np
import tensorflow as tf

from tools.record import command, write_json
from tools.studies.bench_gan import keras_io_critic

KERAS_IO_CONVS = [(1, 64, 32, 5), (64, 128, 16, 5), (128, 256, 8, 5), (256, 512, 4, 5)]
OURS_CONVS = [(1, 64, 28, 4), (64, 128, 14, 4)]


def median_ms(fn, x, jit, repeats):
    compiled = tf.function(fn, jit_compile=jit)
    compiled(x)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        compiled(x)
        times.append(time.perf_counter() - started)
    return round(1000 * float(np.median(times)), 2)


def conv_computations(conv):
    def forward(x):
        return tf.reduce_sum(conv(x))

    def input_gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.square(conv(x)))
        return tape.gradient(y, x)

    def kernel_gradient(x):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.square(conv(x)))
        return tape.gradient(y, conv.kernel)

    return {"forward": forward, "input_gradient": input_gradient, "kernel_gradient": kernel_gradient}


def critic_computations(critic):
    def weight_gradient(x):
        with tf.GradientTape() as tape:
            y = tf.reduce_mean(critic(x, training=True))
        return tape.gradient(y, critic.trainable_variables)

    def gradient_penalty_step(x):
        with tf.GradientTape() as tape:
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = critic(x, training=True)
            g = inner.gradient(y, x)
            penalty = tf.reduce_mean(tf.square(tf.sqrt(tf.reduce_sum(tf.square(g), [1, 2, 3]) + 1e-12) - 1.0))
        return tape.gradient(penalty, critic.trainable_variables)

    return {"critic_weight_gradient": weight_gradient, "critic_gradient_penalty_step": gradient_penalty_step}


def row(name, shape, computations, args):
    x = tf.random.normal(shape)
    out = {"name": name, "input_shape": list(shape)}
    for label, fn in computations.items():
        graph = median_ms(fn, x, False, args.repeats)
        xla = median_ms(fn, x, True, args.repeats)
        out[label] = {"graph_ms": graph, "xla_ms": xla, "xla_slowdown": round(xla / graph, 2)}
    print(json.dumps(out), flush=True)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default="tools/results/xla_conv_probe.json")
    args = parser.parse_args()
    b = args.batch_size
    rows = []
    for family, convs in (("keras_io_critic", KERAS_IO_CONVS), ("ours_dcgan_critic", OURS_CONVS)):
        for c_in, c_out, size, kernel in convs:
            conv = keras.layers.Conv2D(c_out, kernel, strides=2, padding="same")
            name = f"{family}: conv {kernel}x{kernel}/2 {c_in}->{c_out} on {size}x{size}"
            rows.append(row(name, (b, size, size, c_in), conv_computations(conv), args))
    rows.append(row("keras_io_critic: whole", (b, 28, 28, 1), critic_computations(keras_io_critic()), args))
    upsampling = keras.layers.UpSampling2D()

    def upsampling_gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.square(upsampling(x)))
        return tape.gradient(y, x)

    rows.append(row("UpSampling2D 16->32, 64 channels", (b, 16, 16, 64),
                    {"input_gradient": upsampling_gradient}, args))
    write_json(args.out, {"command": command(__spec__), "arguments": vars(args), "rows": rows})


if __name__ == "__main__":
    main()
