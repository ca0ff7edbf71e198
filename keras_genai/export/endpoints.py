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


def checked_example_inputs(model, name, endpoint, num=16, data=None, seed=0):
    """`model.example_inputs(name, num, data, seed)`, checked against the endpoint's inputs
    (names, shapes, dtypes) and cut to a common number of rows.

    A model that does not declare an input of its endpoint gets a ValueError naming it,
    never made-up values.
    """
    inputs = model.example_inputs(name, num=num, data=data, seed=seed)
    expected = [t.name for t in endpoint.inputs]
    if sorted(inputs) != sorted(expected):
        raise ValueError(
            f"{type(model).__name__}.example_inputs({name!r}) gives the inputs {sorted(inputs)}, but the "
            f"endpoint {name!r} takes {expected}: declare each of them in example_inputs. "
            f"Received: missing {sorted(set(expected) - set(inputs))}, unknown {sorted(set(inputs) - set(expected))}"
        )
    checked = {}
    for t in endpoint.inputs:
        value = np.asarray(inputs[t.name])
        shape = tuple(t.shape[1:])
        if value.ndim != len(shape) + 1 or any(s is not None and s != v for s, v in zip(shape, value.shape[1:])):
            raise ValueError(
                f"The endpoint {name!r} of {type(model).__name__} takes {t.name!r} of shape (batch, "
                f"{', '.join(map(str, shape))}). Received from example_inputs: shape={value.shape}"
            )
        checked[t.name] = value.astype(tf.as_dtype(t.dtype).as_numpy_dtype)
    n = min(len(v) for v in checked.values())
    return {k: v[:n] for k, v in checked.items()}


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
