"""Equivalence under tf.distribute: N steps on several replicas give the losses and weights
of one device with the same global batch.

keras' own `distribute_test.py` runs on 2 logical CPU devices; here every base is checked
that way (`--strategy mirrored --cpu-devices 2`) and on workers of a local cluster
(`--strategy multi_worker`, one process per worker with its `TF_CONFIG`; the chief
compares; `--local-workers 2` starts them on localhost). Devices are fixed when TensorFlow starts, so each check is a process of its own:

    python -m keras_genai.testing.distribute_check --strategy mirrored --cpu-devices 2

It prints one JSON line per case (`case`, `max_loss_difference`, `max_weight_difference`,
`equal`) and exits 1 if any case differs beyond its tolerance.
"""

import argparse
import json
import sys

import keras
import numpy as np

# name -> (registry name, overrides of its tiny preset, dtype policy, tolerance).
# One per base: a single-optimizer model with sampling noise, an adversarial model with
# batch normalisation (synchronised), one with a gradient penalty and critic steps (also
# under fp16 loss scaling), the four-network translation model with its history pool,
# a transformer and a recurrent language model, and a forecaster.
CASES = {
    "vae": ("vae", {}, "float32", 1e-4),
    # Synchronised batch norm computes the variance as E[x^2] - E[x]^2 (one device: tf.nn.moments).
    "dcgan": ("dcgan", {}, "float32", 1e-3),
    "wgan_gp": ("wgan_gp", {}, "float32", 1e-4),
    "wgan_gp_fp16": ("wgan_gp", {}, "mixed_float16", 2e-3),
    "cyclegan": ("cyclegan", {"pool_size": 4}, "float32", 1e-4),
    "gpt": ("gpt", {"vocabulary_size": 11}, "float32", 1e-4),
    "lstm": ("lstm", {"vocabulary_size": 11}, "float32", 1e-4),
    "lstm_forecaster": ("lstm_forecaster", {}, "float32", 1e-4),
}
GLOBAL_BATCH = 8
STEPS = 3


def _build(case, seed=0):
    from keras_genai.models.registry import FORECASTERS, get_entry, get_forecaster, get_preset

    name, overrides, policy, _ = CASES[case]
    keras.config.set_dtype_policy(policy)
    if name in FORECASTERS:
        entry = get_forecaster(name)
        config = dict(entry["presets"]["tiny"])
    else:
        entry = get_entry(name)
        config = get_preset(name, "tiny")
    return entry["class"](**{**config, **overrides, "seed": seed})


def _data(model):
    from keras_genai.testing.test_case import tiny_data, tiny_tokens

    num = GLOBAL_BATCH * STEPS
    if model.input_kind == "tokens":
        return tiny_tokens(num, model.sequence_length + 1, model.vocabulary_size)
    return tiny_data(model, num)


class StepLosses(keras.callbacks.Callback):
    """Each step's metrics as `fit` reports them (means so far over the epoch)."""

    def on_train_begin(self, logs=None):
        self.steps = []

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append({k: float(v) for k, v in sorted(logs.items())})


def run_case(case, strategy=None):
    """Trains `case` for `STEPS` steps of `GLOBAL_BATCH` examples under `strategy`
    (None: one device); returns `(step losses, weights)`."""
    import contextlib

    import tensorflow as tf

    keras.utils.set_random_seed(0)
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = _build(case)
        x, y = _data(model)
        model.compile(**model.default_optimizers())
    labels = y if model.needs_labels or model.input_kind == "series" else None
    elements = x if labels is None else (x, labels)
    dataset = tf.data.Dataset.from_tensor_slices(elements).batch(GLOBAL_BATCH)
    if strategy is not None and isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        from keras_genai.distribute import shard_by_data

        dataset = shard_by_data(dataset)
    recorder = StepLosses()
    model.fit(dataset, epochs=1, verbose=0, callbacks=[recorder])
    weights = [np.asarray(v.numpy(), np.float64) for v in model.weights if "float" in v.dtype]
    keras.config.set_dtype_policy("float32")
    return recorder.steps, weights


def compare(case, reference, distributed):
    """The largest differences between two `run_case` results, relative to scale."""
    (ref_steps, ref_weights), (steps, weights) = reference, distributed
    if len(ref_steps) != len(steps) or any(set(a) != set(b) for a, b in zip(ref_steps, steps)):
        loss = float("inf")
    else:
        loss = max((abs(a[k] - b[k]) / max(1.0, abs(a[k])) for a, b in zip(ref_steps, steps) for k in a),
                   default=0.0)
    weight = max(float(np.max(np.abs(a - b))) if a.size else 0.0 for a, b in zip(ref_weights, weights))
    if len(ref_weights) != len(weights):
        weight = float("inf")
    tolerance = CASES[case][3]
    return {"case": case, "steps": len(steps), "max_loss_difference": loss,
            "max_weight_difference": weight, "tolerance": tolerance,
            "equal": bool(loss <= tolerance and weight <= tolerance)}


def free_ports(count):
    """`count` TCP ports free on localhost now."""
    import socket

    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def local_cluster(command, workers=2, timeout=900, env=None):
    """Runs `command` (a list) once per worker of a cluster on localhost, each with its
    `TF_CONFIG` (worker 0 is the chief); returns `[(returncode, stdout, stderr)]` by worker."""
    import os
    import subprocess

    addresses = [f"localhost:{port}" for port in free_ports(workers)]
    processes = []
    for index in range(workers):
        config = {"cluster": {"worker": addresses}, "task": {"type": "worker", "index": index}}
        processes.append(subprocess.Popen(
            command, env={**os.environ, **(env or {}), "TF_CONFIG": json.dumps(config)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    try:
        for process in processes:
            out, err = process.communicate(timeout=timeout)
            results.append((process.returncode, out, err))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return results


def run_check(args, timeout=3600):
    """Runs this check in a new process with the command-line `args`; returns the
    `CompletedProcess` and its results by case."""
    import subprocess

    completed = subprocess.run([sys.executable, "-m", "keras_genai.testing.distribute_check", *args],
                               capture_output=True, text=True, timeout=timeout)
    results = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    return completed, {r["case"]: r for r in results}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strategy", choices=("mirrored", "multi_worker"), required=True)
    parser.add_argument("--cpu-devices", type=int, default=None, help="logical CPU devices (mirrored)")
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=sorted(CASES))
    parser.add_argument("--local-workers", type=int, default=None,
                        help="multi_worker: start this many worker processes on localhost and report the chief's")
    args = parser.parse_args(argv)
    keras.config.disable_traceback_filtering()  # a worker's error names the frame that failed
    if args.local_workers:
        command = [sys.executable, "-m", "keras_genai.testing.distribute_check", "--strategy", args.strategy,
                   "--cases", *args.cases]
        results = local_cluster(command, args.local_workers, timeout=3600)
        for index, (code, out, err) in enumerate(results):
            if code:
                trace = [line for line in err.splitlines() if line.lstrip().startswith(("File ", "Traceback"))]
                print(f"worker {index} exited {code}:", *trace[-40:], err.strip().splitlines()[-1][-300:],
                      sep="\n", file=sys.stderr)
        print(results[0][1], end="")
        return max(code for code, _, _ in results)
    from keras_genai.distribute import is_chief, make_strategy

    strategy = make_strategy(args.strategy, args.cpu_devices)
    chief = is_chief(strategy)
    results = []
    for case in args.cases:
        distributed = run_case(case, strategy)
        if chief:  # the reference needs no collective ops, so the other workers skip it
            result = compare(case, run_case(case), distributed)
            result["replicas"] = strategy.num_replicas_in_sync
            results.append(result)
            print(json.dumps(result), flush=True)
    return 0 if all(r["equal"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
