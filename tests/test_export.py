import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_genai.export import (
    QUANTIZATIONS,
    check_litert,
    check_saved_model,
    export_litert,
    export_saved_model,
)
from keras_genai.export.endpoints import checked_example_inputs
from keras_genai.models import Autoencoder, ConditionalVAE, VAE
from keras_genai.testing import tiny_images


@pytest.mark.slow
def test_all_quantizations_run_and_match(tmp_path):
    x, _ = tiny_images(16)
    # Big enough that dynamic-range quantisation touches its dense kernels
    # (the converter leaves tensors under 1024 elements in float).
    model = VAE(latent_dim=8, widths=(8, 16))
    paths = export_litert(model, str(tmp_path), QUANTIZATIONS, data=x)
    report = {(r["endpoint"], r["quantization"]): r for r in check_litert(model, paths, x)}
    assert set(report) == {(e, q) for e in ("encode", "decode", "reconstruct") for q in QUANTIZATIONS}
    for (endpoint, quantization), row in report.items():
        limit = 1e-4 if quantization == "float32" else 0.05
        assert row["max_abs_diff"] <= limit, row
    # Weight quantisation shrinks the decoder (the largest endpoint).
    assert report[("decode", "dynamic")]["size_bytes"] < report[("decode", "float32")]["size_bytes"]


def test_saved_model_signatures_take_noise_and_labels(tmp_path):
    model = ConditionalVAE(num_classes=3, latent_dim=2, widths=(4, 8))
    path = export_saved_model(model, str(tmp_path / "sm"))
    loaded = tf.saved_model.load(path)
    assert {"encode", "decode", "reconstruct", "serving_default"} <= set(loaded.signatures)
    z = np.zeros((2, 2), np.float32)
    out = loaded.signatures["decode"](z=tf.constant(z), label=tf.constant([0, 2], tf.int32))
    np.testing.assert_allclose(list(out.values())[0], model.decode(z, [0, 2]), atol=1e-5)
    # No random op: the same input gives the same output.
    again = loaded.signatures["decode"](z=tf.constant(z), label=tf.constant([0, 2], tf.int32))
    np.testing.assert_array_equal(list(out.values())[0], list(again.values())[0])


def test_export_does_not_overwrite(tmp_path):
    model = VAE(latent_dim=2, widths=(4, 8))
    os.makedirs(tmp_path / "sm")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        export_saved_model(model, str(tmp_path / "sm"))
    export_litert(model, str(tmp_path / "lite"))
    with pytest.raises(FileExistsError, match="already exists"):
        export_litert(model, str(tmp_path / "lite"))
    with pytest.raises(ValueError, match="Unknown quantization"):
        export_litert(model, str(tmp_path / "lite2"), ("int4",))


def test_saved_model_samples_match_the_generator(tmp_path):
    from keras_genai.export.saved_model import saved_model_samples
    from keras_genai.models import DCGAN

    model = DCGAN(latent_dim=4, widths=(4, 8), seed=0)
    path = export_saved_model(model, str(tmp_path / "dcgan"))
    samples = saved_model_samples(path, 10, seed=3, batch_size=4)
    z = np.random.default_rng(3).standard_normal((10, 4)).astype(np.float32)
    expected = np.asarray(model.serving_endpoints()["generate"]([z]))
    assert samples.shape == (10, 28, 28, 1)
    np.testing.assert_allclose(samples, expected, atol=1e-5)
    assert samples.min() >= 0.0 and samples.max() <= 1.0


def test_saved_model_samples_refuses_conditional_and_non_generators(tmp_path):
    from keras_genai.export.saved_model import saved_model_samples
    from keras_genai.models import ConditionalGAN

    path = export_saved_model(ConditionalGAN(num_classes=3, latent_dim=4, widths=(4, 8)), str(tmp_path / "cgan"))
    with pytest.raises(ValueError, match="only unconditional exports"):
        saved_model_samples(path, 4)
    with pytest.raises(ValueError, match="is not a SavedModel folder"):
        saved_model_samples(str(tmp_path), 4)


class StyledAutoencoder(Autoencoder):
    """An autoencoder whose `decode` also takes a style `w`, and with a `style` endpoint,
    neither of which its `example_inputs` knows."""

    def serving_endpoints(self):
        endpoints = super().serving_endpoints()
        z = keras.Input((self.latent_dim,), name="z")
        w = keras.Input((self.latent_dim,), name="w")
        endpoints["decode"] = keras.Model([z, w], self.decoder(keras.layers.Add()([z, w])), name="decode")
        endpoints["style"] = keras.Model([w], self.decoder(w), name="style")
        return endpoints


def test_an_input_the_model_does_not_declare_is_an_error_not_noise(tmp_path):
    model = StyledAutoencoder(latent_dim=2, widths=(4, 8))
    path = export_saved_model(model, str(tmp_path / "sm"))
    with pytest.raises(ValueError, match=r"gives the inputs \['z'\], but the endpoint 'decode' takes \['z', 'w'\].*missing \['w'\]"):
        check_saved_model(model, path)
    with pytest.raises(ValueError, match=r"endpoint 'decode' takes \['z', 'w'\]"):
        export_litert(model, str(tmp_path / "lite"), ("int8",), endpoints=["decode"])
    with pytest.raises(NotImplementedError, match=r"StyledAutoencoder does not say what its endpoint 'style' takes.*\['w'\]"):
        model.example_inputs("style")
    with pytest.raises(ValueError, match=r"has the endpoints \['decode', 'encode', 'reconstruct', 'style'\]. Received: endpoint='draw'"):
        model.example_inputs("draw")


def test_example_inputs_follow_the_data():
    model = ConditionalVAE(num_classes=3, latent_dim=2, widths=(4, 8))
    x, _ = tiny_images(5)
    inputs = model.example_inputs("reconstruct", num=16, data=x)
    np.testing.assert_array_equal(inputs["image"], x)
    assert sorted(inputs) == ["image", "label"] and inputs["label"].min() >= 0 and inputs["label"].max() < 3
    # Rows are cut to the fewest any input has; shapes and dtypes are the endpoint's.
    checked = checked_example_inputs(model, "reconstruct", model.serving_endpoints()["reconstruct"], 16, x)
    assert checked["image"].shape == (5, 28, 28, 1) and checked["label"].dtype == np.int32
    with pytest.raises(ValueError, match=r"takes 'image' of shape \(batch, 28, 28, 1\). Received from example_inputs: shape=\(5, 14, 14, 1\)"):
        checked_example_inputs(model, "encode", model.serving_endpoints()["encode"], 16, x[:, ::2, ::2])
