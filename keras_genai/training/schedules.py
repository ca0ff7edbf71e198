"""The learning rate of a run: a number, or the budget's warm-up and cosine decay over the run."""

import keras


def warmup_cosine(learning_rate, total_steps, warmup_steps=100, min_ratio=0.1):
    """nanoGPT's `get_lr`: linear warm-up to `learning_rate` over `warmup_steps`
    (from `learning_rate / (warmup_steps + 1)`), then cosine decay to
    `min_ratio * learning_rate` at `total_steps` (nanoGPT: 1e-3 -> 1e-4).

    The same schedule as `tools/bench/bench_baby_gpt.py`, so that a CLI run
    and the benchmark train alike at the same budget.
    """
    if total_steps < 1:
        raise ValueError(f"A schedule needs at least one training step. Received: total_steps={total_steps}")
    warmup_steps = min(int(warmup_steps), total_steps - 1)
    return keras.optimizers.schedules.CosineDecay(
        learning_rate / (warmup_steps + 1), decay_steps=max(total_steps - warmup_steps, 1), alpha=min_ratio,
        warmup_target=learning_rate, warmup_steps=warmup_steps,
    )


def run_learning_rate(learning_rate, schedule, epochs, steps_per_epoch, dataset):
    """`learning_rate` itself, or with a budget's `schedule` (`{"warmup_steps", "min_ratio"}`)
    its `warmup_cosine` over `epochs` epochs of `steps_per_epoch` steps (default: the
    dataset's declared length)."""
    if not schedule:
        return learning_rate
    steps = steps_per_epoch or int(dataset.cardinality())
    if steps < 1:
        raise ValueError(
            "The learning-rate schedule spans the run, but the training data's length is unknown: "
            f"pass steps_per_epoch (CLI: --steps-per-epoch). Received: cardinality={steps}"
        )
    return warmup_cosine(learning_rate, epochs * steps, **schedule)
