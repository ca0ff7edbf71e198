"""SavedModel export with one named signature per serving endpoint."""

import functools
import os

import keras
import numpy as np
import tensorflow as tf

from keras_genai.export.endpoints import (
    abs_differences,
    checked_example_inputs,
    endpoints_of,
    float32_copy,
    input_signature,
    run_keras,
)


def _check_target(path, overwrite):
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(
            f"{path!r} already exists. Choose another path or pass overwrite=True "
            "(CLI: --overwrite) to replace it."
        )


def export_saved_model(model, path, overwrite=False):
    """Writes a TF SavedModel whose signatures are the model's endpoints.

    Each endpoint of `model.serving_endpoints()` (e.g. `decode`, `encode`,
    `reconstruct`) becomes a signature taking its inputs by name; noise is
    an input, so no random op is in the graph. The first endpoint is also
    `serving_default`. Load with `tf.saved_model.load(path).signatures`.

    Returns:
        `path`.
    """
    _check_target(path, overwrite)
    model = float32_copy(model)
    archive = keras.export.ExportArchive()
    archive.track(model)
    for name, endpoint in endpoints_of(model).items():
        archive.add_endpoint(
            name,
            functools.partial(_call_endpoint, endpoint),
            input_signature=input_signature(endpoint),
        )
    archive.write_out(path, verbose=False)
    return path


def _call_endpoint(endpoint, inputs):
    return endpoint(list(inputs), training=False)


def check_saved_model(model, path, data=None, num=16):
    """Max abs difference between each SavedModel signature and Keras on
    `model.example_inputs(endpoint, num, data)` (`data`: a batch of training inputs or None)."""
    loaded = tf.saved_model.load(path)
    model = float32_copy(model)
    results = {}
    for name, endpoint in endpoints_of(model).items():
        inputs = checked_example_inputs(model, name, endpoint, num, data)
        expected = run_keras(endpoint, inputs)
        outputs = loaded.signatures[name](**{k: tf.constant(v) for k, v in inputs.items()})
        results[name] = float(abs_differences(expected, outputs).max())
    return results


def saved_model_samples(path, num_samples, seed=0, batch_size=250):
    """`num_samples` images in [0, 1] from an exported generator, for FID & co.

    Uses the `generate` signature (GANs) or `decode` (VAEs) with
    `z ~ N(0, I)` drawn from `seed`. Conditional exports also take a label,
    whose range the SavedModel does not record: evaluate those from their
    run folder or `.keras` file instead.
    """
    if not os.path.isfile(os.path.join(path, "saved_model.pb")):
        raise ValueError(f"{path!r} is not a SavedModel folder (no saved_model.pb).")
    signatures = tf.saved_model.load(path).signatures
    name = next((n for n in ("generate", "decode") if n in signatures), None)
    if name is None:
        raise ValueError(
            f"{path!r} has signatures {sorted(signatures)}; generated-sample metrics need a generator's "
            "`generate` or a VAE's `decode`."
        )
    function = signatures[name]
    specs = function.structured_input_signature[1]
    if set(specs) != {"z"}:
        raise ValueError(
            f"The {name!r} signature of {path!r} takes {sorted(specs)}; only unconditional exports "
            "(input z alone) can be sampled here. Evaluate a conditional model from its run folder or .keras file."
        )
    z = np.random.default_rng(seed).standard_normal((num_samples, specs["z"].shape[-1])).astype(np.float32)
    batches = [list(function(z=tf.constant(z[i:i + batch_size])).values())[0].numpy()
               for i in range(0, num_samples, batch_size)]
    return np.concatenate(batches)
