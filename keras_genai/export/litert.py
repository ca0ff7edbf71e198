"""LiteRT (TFLite) export of each serving endpoint, with quantisation."""

import os
import warnings

import numpy as np
import tensorflow as tf

from keras_genai.data.errors import DataWarning
from keras_genai.export.endpoints import (
    abs_differences,
    checked_example_inputs,
    endpoints_of,
    float32_copy,
    input_signature,
    run_keras,
)

QUANTIZATIONS = ("float32", "dynamic", "float16", "int8")


def _converter_kwargs(quantization, model, name, endpoint, data):
    if quantization == "float32":
        return {}
    kwargs = {"optimizations": [tf.lite.Optimize.DEFAULT]}
    if quantization == "float16":
        kwargs["target_spec"] = {"supported_types": [tf.float16]}
    elif quantization == "int8":
        # Full-integer weights and activations where ops allow, float I/O,
        # calibrated on 100 of the model's typical inputs (real data where given).
        image_shape = tuple(getattr(model, "image_shape", ()) or ())
        if data is None and any(tuple(t.shape[1:]) == image_shape for t in endpoint.inputs):
            warnings.warn(
                f"int8 {name!r} of {type(model).__name__}: no images given, so its activations are calibrated "
                "on uniform noise, and the int8 model may be inaccurate on real images. Pass data= a batch "
                "of real images in the model's range (CLI: export the run folder, or pass --dataset).",
                DataWarning, stacklevel=4)
        def representative_dataset():
            inputs = checked_example_inputs(model, name, endpoint, num=100, data=data, seed=1)
            for i in range(len(next(iter(inputs.values())))):
                yield {k: v[i : i + 1] for k, v in inputs.items()}

        kwargs["representative_dataset"] = representative_dataset
    return kwargs


def export_litert(model, directory, quantizations=("float32",), data=None, overwrite=False,
                  endpoints=None):
    """Writes `{endpoint}_{quantization}.tflite` for every endpoint.

    Args:
        model: a keras-genai model.
        directory: str. Output folder (created).
        quantizations: tuple of `"float32"`, `"dynamic"` (int8 weights),
            `"float16"` (float16 weights) and `"int8"` (int8 weights and
            activations calibrated on `model.example_inputs(endpoint, data=data)`,
            float inputs and outputs).
        data: array or None. A batch of the model's training inputs (images
            in its range, token windows, series windows) for int8 calibration;
            without it each model's own typical inputs (noise, random ids).
        overwrite: bool. Replace existing files.
        endpoints: list of endpoint names to export, or None for all.

    Returns:
        dict `{(endpoint, quantization): path}`.
    """
    unknown = [q for q in quantizations if q not in QUANTIZATIONS]
    if unknown:
        raise ValueError(
            f"Unknown quantization {unknown}. Expected some of {QUANTIZATIONS}."
        )
    model = float32_copy(model)
    available = endpoints_of(model)
    if endpoints is None:
        endpoints = list(available)
    unknown = [name for name in endpoints if name not in available]
    if unknown:
        raise ValueError(
            f"{type(model).__name__} has the endpoints {sorted(available)}. Received: endpoints={unknown}"
        )
    os.makedirs(directory, exist_ok=True)
    paths = {}
    for name in endpoints:
        endpoint = available[name]
        for quantization in quantizations:
            path = os.path.join(directory, f"{name}_{quantization}.tflite")
            if os.path.exists(path) and not overwrite:
                raise FileExistsError(
                    f"{path!r} already exists. Pass overwrite=True (CLI: --overwrite) to replace it."
                )
            endpoint.export(
                path,
                format="litert",
                input_signature=input_signature(endpoint),
                verbose=False,
                **_converter_kwargs(quantization, model, name, endpoint, data),
            )
            paths[(name, quantization)] = path
    return paths


def run_litert(path, inputs, all_outputs=False):
    """Runs a `.tflite` file's default signature with the LiteRT interpreter.

    Returns its (first) output, or with `all_outputs` the dict of outputs by name.
    """
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=path)
    runner = interpreter.get_signature_runner()
    outputs = runner(**inputs)
    if all_outputs:
        return {name: np.asarray(value) for name, value in outputs.items()}
    return np.asarray(next(iter(outputs.values())))


def check_litert(model, paths, data=None, num=16):
    """Compares every exported file with the Keras endpoint on the same inputs,
    `model.example_inputs(endpoint, num, data)`.

    Returns:
        list of dicts: endpoint, quantization, path, size_bytes,
        max_abs_diff, mean_abs_diff.
    """
    model = float32_copy(model)
    endpoints = endpoints_of(model)
    report = []
    for (name, quantization), path in paths.items():
        inputs = checked_example_inputs(model, name, endpoints[name], num, data)
        expected = run_keras(endpoints[name], inputs)
        diff = abs_differences(expected, run_litert(path, inputs, all_outputs=True))
        report.append(
            {
                "endpoint": name,
                "quantization": quantization,
                "path": path,
                "size_bytes": os.path.getsize(path),
                "max_abs_diff": float(diff.max()),
                "mean_abs_diff": float(diff.mean()),
            }
        )
    return report
