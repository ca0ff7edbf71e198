"""Training throughput per model in float32, bf16, fp16 and with XLA.

    python -m tools.bench.bench_precision --out tools/results/bench_precision.json

For each model (its `cpu` preset) and each mode, builds a fresh model,
compiles it, runs `--warmup` steps (tracing / XLA compilation, timed
separately), then times `--steps` training steps at `--batch-size` on the
first real Fashion-MNIST training images, repeated until `--min-seconds`. All modes of a model run one
after the other in the same process, so they share the machine's state;
the JSON records images/s, CPU seconds per step, compile seconds and the
process's peak RSS.

`--variant KEY=VALUE[,KEY=VALUE...]` (repeatable) times the preset with those
constructor arguments changed, beside the preset itself, in the same process:
how a CPU preset's departures from a paper's rules were measured, e.g.

    python -m tools.bench.bench_precision --models biggan --modes float32 --batch-size 64 \
        --variant critic_steps=1 --out tools/results/bench_precision_biggan_variants.json
"""

import argparse
import itertools
import json
import re
import resource
import time

import keras

from keras_genai.overrides import parse_setting
from tools.record import command, write_json


def _split(variant):
    """`"a=1,b=[2,3]"` -> `["a=1", "b=[2,3]"]`: commas inside brackets stay."""
    return [item for item in re.split(r",(?![^\[]*\])", variant) if item]

MODES = {
    "float32": ("float32", False),
    "bf16": ("mixed_bfloat16", False),
    "fp16": ("mixed_float16", False),
    "float32_xla": ("float32", True),
}


def bench(model_name, mode, images, labels, args, overrides=None):
    from keras_genai.models.registry import get_entry
    from keras_genai.training import build_model

    policy, xla = MODES[mode]
    keras.config.set_dtype_policy(policy)
    try:
        model_class = get_entry(model_name)["class"]
        model = build_model(model_name, "cpu", overrides, image_shape=images.shape[1:], num_classes=10)
        model.compile(**model.default_optimizers(), jit_compile=xla)
        low, high = model_class.value_range
        x = (images / 255.0 * (high - low) + low).astype("float32")
        y = labels if model_class.needs_labels else None
        n = args.batch_size
        started = time.time()
        model.fit(x[: n * args.warmup], None if y is None else y[: n * args.warmup],
                  batch_size=n, epochs=1, verbose=0, shuffle=False)
        compile_seconds = time.time() - started
        # Repeat the timed epoch until it has run --min-seconds, so that fast
        # models are not timed on a few milliseconds.
        started, cpu_started, epochs = time.time(), time.process_time(), 0
        while epochs == 0 or time.time() - started < args.min_seconds:
            model.fit(x[: n * args.steps], None if y is None else y[: n * args.steps],
                      batch_size=n, epochs=1, verbose=0, shuffle=False)
            epochs += 1
        seconds = (time.time() - started) / epochs
        cpu_seconds = (time.process_time() - cpu_started) / epochs
    finally:
        keras.config.set_dtype_policy("float32")
    return {
        "model": model_name, "overrides": overrides or {}, "mode": mode, "policy": policy, "jit_compile": xla,
        "batch_size": n, "steps": args.steps,
        "images_per_second": round(n * args.steps / seconds, 1),
        "cpu_seconds_per_step": round(cpu_seconds / args.steps, 4),
        "warmup_seconds": round(compile_seconds, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main():
    from keras_genai.data import load_image_arrays
    from keras_genai.models.registry import MODELS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--min-seconds", type=float, default=5.0,
                        help="repeat the timed steps until this much time has passed")
    parser.add_argument("--data-dir")
    parser.add_argument("--variant", action="append", default=[], metavar="KEY=VALUE[,KEY=VALUE...]",
                        help="also time the cpu preset with these constructor arguments (repeatable)")
    parser.add_argument("--out", default="tools/results/bench_precision.json")
    args = parser.parse_args()
    try:
        variants = [None] + [dict(parse_setting(item) for item in _split(v)) for v in args.variant]
    except ValueError as e:
        parser.error(f"--variant: {e}")
    images, labels = load_image_arrays("fashion_mnist", "train", args.data_dir)
    rows = []
    for name in args.models:
        for mode, overrides in itertools.product(args.modes, variants):
            row = bench(name, mode, images, labels, args, overrides)
            print(json.dumps(row), flush=True)
            rows.append(row)
            # Rewritten after every row, so an interrupted run keeps what it measured.
            write_json(args.out, {"command": command(__spec__), "arguments": vars(args),
                                  "data": "fashion_mnist train split, first batch_size*steps images", "rows": rows})


if __name__ == "__main__":
    main()
