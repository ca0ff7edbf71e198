"""One recipe for every model: build, fit, round trip, export, parity.

keras-hub's `TestCase.run_backbone_test` is the model for this: tests give
tiny constructor kwargs and data; the harness does the rest the same way
for every model. `run_config_test` (and `run_layer_test` for layers) is the
fast part alone, as keras' `run_class_serialization_test` is beside
`run_layer_test`: config and outputs survive serialisation, no fit or export.
"""

import json
import os
import tempfile

import keras
import numpy as np

from keras_genai.data import make_shapes
from keras_genai.export import check_litert, check_saved_model, export_litert, export_saved_model
from keras_genai.export.endpoints import checked_example_inputs, run_keras


def tiny_images(num=16, value_range=(0.0, 1.0), seed=0):
    """`num` shapes images (28x28x1) in `value_range` and their labels."""
    images, labels = make_shapes(num, seed=seed)
    low, high = value_range
    return (images / 255.0 * (high - low) + low).astype("float32"), labels


def tiny_series(model, num=16, seed=0):
    """`num` (window, target) pairs of a noisy sine, with `model` adapted to it."""
    length = model.history_length + model.output_steps + num - 1
    t = np.arange(length)
    series = 10.0 + np.sin(t / 3.0) + 0.1 * np.random.default_rng(seed).standard_normal(length)
    model.adapt(series)
    windows, targets = model.window_arrays(series)
    return windows.astype("float32"), targets.astype("float32")


def tiny_data(model, num=16, seed=0):
    """Tiny inputs and labels/targets of the kind `model` trains on; for two-domain
    models, `((x_a, x_b), None)` with two independent draws of shapes images."""
    if getattr(model, "input_kind", "images") == "series":
        return tiny_series(model, num, seed)
    if getattr(model, "data_form", None) == "domains":
        domains = tuple(tiny_images(num, model.value_range, seed + offset)[0] for offset in (0, 1))
        return domains, None
    return tiny_images(num, model.value_range, seed)


def tiny_tokens(num=16, length=9, vocabulary_size=11, seed=0):
    """`num` windows of `length` token ids with learnable structure (counting
    modulo `vocabulary_size` from random starts), and no labels."""
    starts = np.random.default_rng(seed).integers(0, vocabulary_size, size=(num, 1))
    return ((starts + np.arange(length)[None]) % vocabulary_size).astype("int32"), None


def _finite(values, what):
    for key, value in values.items():
        assert np.all(np.isfinite(value)), f"{what}: {key} is not finite: {value}"


def run_layer_test(layer_class, init_kwargs, input_shape, seed=0, inputs=None):
    """Build, call and serialise a layer (keras' `run_layer_test` and
    `run_class_serialization_test` in one): the output has the symbolic call's
    shape; the config survives JSON and `from_config`; the revived layer with the
    weights copied, and a `.keras` round trip of a model around it, give the same output.

    The input is standard normal of `input_shape`, or `inputs`, a list of arrays
    for a layer called on several (e.g. `[x, labels]`; `input_shape` unused).
    Returns the layer and its output.
    """
    if inputs is None:
        x = np.random.default_rng(seed).standard_normal(input_shape).astype("float32")
        symbolic_inputs = keras.Input(input_shape[1:], batch_size=input_shape[0])
    else:
        x = [np.asarray(a) for a in inputs]
        symbolic_inputs = [keras.Input(a.shape[1:], batch_size=a.shape[0], dtype=str(a.dtype)) for a in x]
    layer = layer_class(**init_kwargs)
    symbolic = layer(symbolic_inputs)
    assert layer.built
    y = np.asarray(layer(x))
    assert y.shape == tuple(symbolic.shape), (y.shape, symbolic.shape)
    config = layer.get_config()
    revived = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    )
    assert type(revived) is layer_class
    assert revived.get_config() == config
    clone = layer_class.from_config(config)
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_array_equal(np.asarray(clone(x)), y)
    model = keras.Model(symbolic_inputs, layer(symbolic_inputs))
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "layer.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
    assert any(type(part) is layer_class for part in loaded.layers)
    np.testing.assert_array_equal(np.asarray(loaded(x)), y)
    return layer, y


def run_config_test(model_class, init_kwargs, num=4, data=None):
    """The fast check beside `run_model_test`: the model serialises to JSON, and
    `from_config(get_config())` gives the same config and, with the weights copied,
    the same output on every endpoint's `example_inputs` (no fit, no export).

    Returns the model.
    """
    model = model_class(**init_kwargs)
    config = model.get_config()
    serialized = json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    revived = keras.saving.deserialize_keras_object(serialized)
    assert type(revived) is model_class
    assert revived.get_config() == config
    clone = model_class.from_config(config)
    assert clone.get_config() == config
    clone.set_weights(model.get_weights())
    clone_endpoints = clone.serving_endpoints()
    for name, endpoint in model.serving_endpoints().items():
        inputs = checked_example_inputs(model, name, endpoint, num, data)
        np.testing.assert_equal(run_keras(clone_endpoints[name], inputs), run_keras(endpoint, inputs))
    return model


def run_model_test(model_class, init_kwargs, tmp_path, num=16, litert=("float32",),
                   saved_model_atol=1e-5, litert_atol=1e-4, data=None):
    """Build, fit on two tiny batches, `.keras` round trip, SavedModel + LiteRT parity.

    `data` is `(x, labels)` of `num` examples, e.g. `tiny_tokens()` for
    language models; tiny shapes images by default.
    Returns the trained model for further checks.
    """
    model = model_class(**init_kwargs)
    x, y = data if data is not None else tiny_data(model, num)
    labels = y if model_class.needs_labels else None
    model.compile(**model.default_optimizers())
    history = model.fit(x, labels, batch_size=num // 2, epochs=1, verbose=0)
    assert set(history.history) == set(model.tracker_names), history.history.keys()
    _finite({k: v[-1] for k, v in history.history.items()}, "fit")
    evaluation = model.evaluate(x, labels, batch_size=num // 2, verbose=0, return_dict=True)
    assert set(evaluation) == set(model.tracker_names)
    _finite(evaluation, "evaluate")

    endpoints = model.serving_endpoints()
    assert endpoints, f"{model_class.__name__} declares no serving endpoints"
    inputs = {name: checked_example_inputs(model, name, ep, num, x) for name, ep in endpoints.items()}
    expected = {name: run_keras(ep, inputs[name]) for name, ep in endpoints.items()}

    # .keras round trip: same class (so the same train_step), config, outputs.
    path = os.path.join(str(tmp_path), "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is model_class
    assert loaded.get_config() == model.get_config()
    for name, endpoint in loaded.serving_endpoints().items():
        # assert_equal also compares endpoints with several named outputs (dicts).
        np.testing.assert_equal(run_keras(endpoint, inputs[name]), expected[name])
    again = loaded.fit(x, labels, batch_size=num // 2, epochs=1, verbose=0)
    assert set(again.history) == set(model.tracker_names)
    _finite({k: v[-1] for k, v in again.history.items()}, "fit after reload")

    saved_model = export_saved_model(model, os.path.join(str(tmp_path), "saved_model"))
    for name, diff in check_saved_model(model, saved_model, x).items():
        assert diff <= saved_model_atol, f"SavedModel {name}: max abs diff {diff}"
    if litert:
        paths = export_litert(model, os.path.join(str(tmp_path), "litert"), litert, data=x)
        for row in check_litert(model, paths, x):
            atol = litert_atol if row["quantization"] == "float32" else 0.1
            assert row["max_abs_diff"] <= atol, row
    return model


def run_incremental_generation_test(model, tokens, prompt_length=3, atol=1e-5):
    """A language model's generation path (prompt, then one token at a time
    with its cache or states) gives the logits of a full forward pass."""
    full = np.asarray(model(tokens))
    logits, state = model.start_state(tokens[:, :prompt_length])
    np.testing.assert_allclose(logits, full[:, prompt_length - 1], atol=atol)
    for position in range(prompt_length, tokens.shape[1]):
        logits, state = model.next_logits(tokens[:, : position + 1], state)
        np.testing.assert_allclose(logits, full[:, position], atol=atol, err_msg=f"position {position}")


def run_precision_test(model_class, init_kwargs, policy, data=None):
    """One fit step under `policy`; float32 outputs, finite losses, loss scaling for fp16."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        model = model_class(**init_kwargs)
        x, y = data if data is not None else tiny_data(model, 8)
        model.compile(**model.default_optimizers())
        history = model.fit(x, y if model_class.needs_labels else None, batch_size=4, epochs=1, verbose=0)
        _finite({k: v[-1] for k, v in history.history.items()}, policy)
        if policy == "mixed_float16":
            for optimizer in (model.optimizer, getattr(model, "d_optimizer", model.optimizer)):
                assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        for name, endpoint in model.serving_endpoints().items():
            out = run_keras(endpoint, checked_example_inputs(model, name, endpoint, 4, x))
            for value in (out.values() if isinstance(out, dict) else [out]):
                assert value.dtype == np.float32, (policy, endpoint.name, value.dtype)
        return model
    finally:
        keras.config.set_dtype_policy(previous)
