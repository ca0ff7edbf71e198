"""Strategies by name, for `keras-genai train --distribute`."""

import json
import os
import sys

STRATEGIES = ("mirrored", "multi_worker")


def split_cpu(devices):
    """Splits the CPU into `devices` logical devices, so that `MirroredStrategy` runs on
    several replicas without GPUs (keras' own tests do this); for trying a multi-device
    run and checking it, not for speed. Must run before TensorFlow initialises its devices."""
    import tensorflow as tf

    if not isinstance(devices, int) or devices < 1:
        raise ValueError(f"cpu_devices must be an integer >= 1. Received: cpu_devices={devices!r}")
    cpu = tf.config.list_physical_devices("CPU")[0]
    wanted = [tf.config.LogicalDeviceConfiguration()] * devices
    try:
        tf.config.set_logical_device_configuration(cpu, wanted)
    except RuntimeError:
        if len(tf.config.list_logical_devices("CPU")) != devices:
            raise ValueError(
                f"The CPU can no longer be split into {devices} devices: TensorFlow already started "
                f"with {len(tf.config.list_logical_devices('CPU'))}. Split it before anything else runs "
                "(keras_genai.distribute.split_cpu first in the program)."
            ) from None
    return [d.name for d in tf.config.list_logical_devices("CPU")]


def cluster_spec():
    """The `TF_CONFIG` cluster of this worker (as TensorFlow documents it), checked:
    `(workers, task_type, task_index)`."""
    raw = os.environ.get("TF_CONFIG")
    example = ('TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
               '"task": {"type": "worker", "index": 0}}\'')
    if not raw:
        raise ValueError(f"--distribute multi_worker reads the cluster from TF_CONFIG, which is not set. "
                         f"Set it on every machine, e.g. {example} (index 1 on the second).")
    try:
        config = json.loads(raw)
        workers = list(config["cluster"].get("chief", [])) + list(config["cluster"]["worker"])
        task_type, task_index = config["task"]["type"], int(config["task"]["index"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValueError(f"TF_CONFIG must be JSON with cluster.worker (a list of host:port) and task.type/"
                         f"task.index. Received: TF_CONFIG={raw!r}; e.g. {example}.") from None
    if task_type not in ("chief", "worker") or not 0 <= task_index < len(config["cluster"].get(task_type, [])):
        raise ValueError(f"TF_CONFIG's task must name a chief or a worker of its cluster. Received: "
                         f"task={config['task']!r} for cluster={config['cluster']!r}")
    return workers, task_type, task_index


def make_strategy(kind, cpu_devices=None):
    """A `tf.distribute` strategy by name, or None for the default (one device).

    - `"mirrored"`: `MirroredStrategy` on every GPU; on a CPU-only machine on
      the CPU, split into `cpu_devices` logical devices if given.
    - `"multi_worker"`: `MultiWorkerMirroredStrategy` over the cluster in
      `TF_CONFIG`, every GPU of each worker (or its CPU).

    Call it first in the program: TensorFlow's devices (and, for several
    workers, its collective ops) must be configured before anything else
    runs. `fit`'s batch size is then the global batch, split over the replicas.
    """
    if kind is None or kind == "none":
        if cpu_devices:
            raise ValueError("cpu_devices (--cpu-devices) splits the CPU for --distribute mirrored. "
                             f"Received: cpu_devices={cpu_devices} without a strategy.")
        return None
    if kind not in STRATEGIES:
        raise ValueError(f"distribute must be one of {', '.join(STRATEGIES)}. Received: distribute={kind!r}")
    import tensorflow as tf

    if kind == "multi_worker":
        if cpu_devices:
            raise ValueError("cpu_devices (--cpu-devices) applies to --distribute mirrored; a worker of "
                             f"multi_worker uses its own GPUs or CPU. Received: cpu_devices={cpu_devices}")
        cluster_spec()
        return tf.distribute.MultiWorkerMirroredStrategy()
    devices = split_cpu(cpu_devices) if cpu_devices else None
    if devices is None and not tf.config.list_physical_devices("GPU"):
        print("keras-genai: --distribute mirrored found no GPU: one replica on the CPU "
              "(--cpu-devices N splits it, to check a multi-device run)", file=sys.stderr)
    return tf.distribute.MirroredStrategy(devices)


def is_chief(strategy):
    """Whether this process writes the run (the chief, or worker 0 of a cluster without one)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or resolver.task_type is None:
        return True
    return resolver.task_type == "chief" or (
        resolver.task_type == "worker" and resolver.task_id == 0
        and "chief" not in resolver.cluster_spec().as_dict())


def shard_by_data(dataset):
    """`dataset` sharded by element across workers (`AutoShardPolicy.DATA`): our pipelines
    read arrays in memory, not files, so FILE sharding (the default's first choice) cannot
    apply. Every worker must build the same dataset in the same order (seeded shuffles)."""
    import tensorflow as tf

    if dataset is None:
        return None
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)


def strategy_scope(strategy):
    """`strategy.scope()`, or a no-op context for None (one device)."""
    import contextlib

    return contextlib.nullcontext() if strategy is None else strategy.scope()
