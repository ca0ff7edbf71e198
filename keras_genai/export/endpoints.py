"""What an export needs to know about a model's serving endpoints."""

import keras
import numpy as np
import tensorflow as tf


def float32_copy(model):
    """The model itself if it computes in float32, else a float32 clone.

    Mixed-precision models keep float32 variables, so the clone gets the
    same weights; mobile runtimes then see a float32 graph to quantise.
    """
    if model.dtype_policy.compute_dtype == "float32":
        return model
    config = model.get_config()
    config["dtype"] = "float32"
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        clone = type(model).from_config(config)
    finally:
        keras.config.set_dtype_policy(previous)
    clone.set_weights(model.get_weights())
    return clone


def endpoints_of(model):
    endpoints = model.serving_endpoints()
    if not endpoints:
        raise ValueError(
            f"{type(model).__name__} declares no serving endpoints, so there is nothing to export."
        )
    return endpoints


def input_signature(endpoint):
    """One positional argument: the list of the endpoint's inputs, batch free."""
    return [
        [
            tf.TensorSpec((None,) + tuple(t.shape[1:]), t.dtype, name=t.name)
            for t in endpoint.inputs
        ]
    ]


def sample_inputs(model, endpoint, images, num=16, seed=0):
    """Inputs for `endpoint` by input name: images, `model.sample_latents`, labels, token ids,
    `model.sample_histories` (series forecasters)."""
    rng = np.random.default_rng(seed)
    inputs = {}
    for t in endpoint.inputs:
        shape = (num,) + tuple(t.shape[1:])
        if t.name == "image":
            if images is None:
                images = rng.uniform(*model.value_range, size=shape)
            inputs[t.name] = np.asarray(images[:num], np.float32)
        elif t.name == "label":
            inputs[t.name] = rng.integers(0, model.num_classes, size=shape).astype(np.int32)
        elif t.name in ("tokens", "token_id"):
            inputs[t.name] = rng.integers(0, model.vocabulary_size, size=shape).astype(np.int32)
        elif t.name == "z":
            inputs[t.name] = model.sample_latents(num, images, seed)
        elif t.name == "history":
            inputs[t.name] = model.sample_histories(num, seed)
        else:
            inputs[t.name] = rng.standard_normal(shape).astype(np.float32)
    n = min(len(v) for v in inputs.values())
    return {k: v[:n] for k, v in inputs.items()}


def run_keras(endpoint, inputs):
    """The endpoint's output as an array, or a dict of arrays if it names several
    (e.g. `next_token_state`: logits and states)."""
    outputs = endpoint([inputs[t.name] for t in endpoint.inputs], training=False)
    if isinstance(outputs, dict):
        return {name: np.asarray(value) for name, value in outputs.items()}
    return np.asarray(outputs)


def abs_differences(expected, outputs):
    """`|export - Keras|`, flat over every output.

    Args:
        expected: `run_keras`'s result.
        outputs: the export's outputs by name (SavedModel signature, LiteRT
            signature runner); a single output is matched whatever its name.
    """
    if not isinstance(expected, dict):
        return np.abs(np.asarray(next(iter(outputs.values()))) - expected)
    return np.concatenate([np.abs(np.asarray(outputs[name]) - value).ravel()
                           for name, value in expected.items()])
