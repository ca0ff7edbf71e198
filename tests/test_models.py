"""Every model through the shared harness, plus mixed precision."""

import numpy as np
import pytest

from keras_genai.models import VAE, LanguageModel
from keras_genai.models.registry import FORECASTERS, MODELS, get_entry, get_forecaster, get_preset
from keras_genai.testing import run_config_test, run_model_test, run_precision_test


def tiny(name, **overrides):
    """The registry's `tiny` preset of `name` as (class, kwargs), with `overrides`."""
    return get_entry(name)["class"], dict(get_preset(name, "tiny"), **overrides)


# The registry's tiny presets, plus variants the presets do not cover.
TINY = {
    "mlp": tiny("mlp"),
    "cnn": tiny("cnn"),
    "autoencoder": tiny("autoencoder"),
    "dense_autoencoder": tiny("autoencoder", architecture="dense", widths=(16,)),
    "denoising_autoencoder": tiny("denoising_autoencoder", noise="masking"),
    "sparse_autoencoder_kl": tiny("sparse_autoencoder"),
    "sparse_autoencoder_l1": tiny("sparse_autoencoder", sparsity="l1"),
    "vae": tiny("vae"),
    "vae_gaussian": tiny("vae", decoder_distribution="gaussian", beta=4.0),
    "cvae": tiny("cvae", num_classes=4),
}


# Variants of a class the harness already runs: one training step each by default, the whole
# harness with --exhaustive.
VARIANTS = ('dense_autoencoder', 'sparse_autoencoder_l1', 'vae_gaussian')


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.exhaustive) if n in VARIANTS else n
                                  for n in sorted(TINY)])
def test_harness(name, tmp_path):
    model_class, kwargs = TINY[name]
    run_model_test(model_class, kwargs, tmp_path)


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_trains_a_step(name):
    model_class, kwargs = TINY[name]
    run_precision_test(model_class, kwargs, "float32")


def registered_tiny_models():
    """(id, class, kwargs) of every registered model and forecaster, at its tiny preset."""
    for name in MODELS:
        model_class, kwargs = tiny(name)
        if issubclass(model_class, LanguageModel):
            kwargs["vocabulary_size"] = 11  # a language model's vocabulary comes from its data
        yield name, model_class, kwargs
    for name in FORECASTERS:
        entry = get_forecaster(name)
        yield f"forecaster_{name}", entry["class"], dict(entry["presets"]["tiny"])


@pytest.mark.parametrize(
    "model_class, kwargs", [m[1:] for m in registered_tiny_models()], ids=[m[0] for m in registered_tiny_models()]
)
def test_config_round_trip(model_class, kwargs):
    run_config_test(model_class, kwargs)


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("name", ["vae", "cnn", "denoising_autoencoder", "cvae"])
def test_mixed_precision(name, policy):
    model_class, kwargs = TINY[name]
    run_precision_test(model_class, kwargs, policy)


def test_fp16_scales_the_loss():
    import keras

    from keras_genai.testing import tiny_images

    keras.config.set_dtype_policy("mixed_float16")
    x, _ = tiny_images(64)
    model = VAE(latent_dim=2, widths=(4, 8))
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    assert float(model.optimizer.scale_loss(1.0)) == 2.0**15
    history = model.fit(x, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
    # A VAE loss of ~540 nats times 2**15 overflows float16 gradients: the
    # optimizer must skip those steps and halve the scale until they fit,
    # then apply updates.
    scale = float(model.optimizer.dynamic_scale)
    assert scale < 2.0**15
    assert 0 < int(model.optimizer.iterations.numpy()) < 16


def test_recurrent_example_states_are_those_a_prompt_leaves():
    from keras_genai.models import RNNLanguageModel
    from keras_genai.testing import tiny_tokens

    model = RNNLanguageModel(11, sequence_length=8, cell="lstm", units=8, num_layers=2, seed=0)
    tokens, _ = tiny_tokens(3, 9, 11)
    inputs = model.example_inputs("next_token_state", num=3, data=tokens)
    assert sorted(inputs) == sorted(["token_id"] + model.state_names())
    np.testing.assert_array_equal(inputs["token_id"][:, 0], tokens[:, 4])
    # One step from those states gives the full forward pass's logits after the window's first 5 ids.
    outputs = model.serving_endpoints()["next_token_state"]([inputs[t] for t in ["token_id"] + model.state_names()])
    np.testing.assert_allclose(outputs["logits"], np.asarray(model(tokens[:, :5]))[:, 4], atol=1e-5)


def test_forecaster_example_histories_difference_back_to_the_windows():
    from keras_genai.models import AutoRegressive

    model = AutoRegressive(lags=3, d=1, seasonal_d=1, period=2)
    windows = np.random.default_rng(0).standard_normal((4, 3))
    histories = model.example_inputs("forecast", num=16, data=windows)["history"]
    assert histories.shape == (4, model.history_length)
    np.testing.assert_allclose([model.transform(h) for h in histories], windows, atol=1e-5)
