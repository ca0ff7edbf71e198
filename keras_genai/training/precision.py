import keras

POLICIES = {"none": "float32", "fp16": "mixed_float16", "bf16": "mixed_bfloat16"}


def set_mixed_precision(mode):
    """Sets the global Keras dtype policy: `none`, `fp16` or `bf16`.

    Call before building a model. Under `fp16`, `compile` wraps the
    optimizer in `keras.optimizers.LossScaleOptimizer` and the shared
    `train_step` scales the loss; outputs and losses stay float32.
    """
    if mode not in POLICIES:
        raise ValueError(
            f"mixed precision must be one of {sorted(POLICIES)}. Received: {mode!r}"
        )
    keras.config.set_dtype_policy(POLICIES[mode])
    return POLICIES[mode]
