import numpy as np
import pytest

from keras_genai.data import CharacterVocabulary
from keras_genai.models.sequence import GPT
from keras_genai.testing import (
    run_incremental_generation_test,
    run_model_test,
    run_precision_test,
    tiny_tokens,
)

TINY = dict(vocabulary_size=11, sequence_length=8, num_layers=2, num_heads=2, hidden_dim=16, seed=0)


@pytest.mark.slow
def test_gpt_through_the_harness(tmp_path):
    model = run_model_test(GPT, TINY, tmp_path, data=tiny_tokens(16, 9, 11))
    assert model.get_config()["tie_weights"] is True


def test_untied_head_with_dropout_and_bias_free():
    model = GPT(**dict(TINY, tie_weights=False, dropout=0.1, use_bias=False))
    names = [w.path for w in model.weights]
    assert any("head" in n for n in names) and not any("bias" in n or "beta" in n for n in names), names
    model.compile(**model.default_optimizers())
    history = model.fit(tiny_tokens(16, 9, 11)[0], batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
    # Dropout is on in training only: inference is deterministic.
    x = tiny_tokens(2, 8, 11)[0]
    np.testing.assert_array_equal(model(x), model(x))


@pytest.mark.slow
def test_bfloat16_policy():
    run_precision_test(GPT, TINY, "mixed_bfloat16", data=tiny_tokens(8, 9, 11))


def test_cached_logits_equal_full_recompute():
    model = GPT(**dict(TINY, dropout=0.0))
    tokens = np.random.default_rng(0).integers(0, 11, size=(3, 8)).astype("int32")
    run_incremental_generation_test(model, tokens)


@pytest.mark.slow
def test_training_learns_a_deterministic_sequence():
    # Counting modulo 11 is fully predictable: the loss must fall well below log(11).
    x, _ = tiny_tokens(256, 9, 11)
    model = GPT(**TINY)
    model.compile(**model.default_optimizers(3e-3))
    history = model.fit(x, batch_size=32, epochs=5, verbose=0)
    assert history.history["loss"][-1] < 0.5 * np.log(11), history.history["loss"]
    out = model.generate(np.array([[3, 4, 5]]), max_new_tokens=10)
    np.testing.assert_array_equal(out[0], np.arange(3, 16) % 11)


def test_generation_with_text_vocabulary_and_past_the_context():
    vocabulary = CharacterVocabulary.from_text("abcdefghijk")
    model = GPT(**dict(TINY, vocabulary=vocabulary))
    text = model.generate("abc", max_new_tokens=12, sampler="greedy")
    assert isinstance(text, str) and len(text) == 15 and text.startswith("abc")
    assert set(text) <= set("abcdefghijk")


def test_generation_errors():
    vocabulary = CharacterVocabulary.from_text("abcdefghijk")
    model = GPT(**dict(TINY, vocabulary=vocabulary))
    with pytest.raises(ValueError, match="context is 8.*length 9"):
        model.generate("abcdefghi", max_new_tokens=1)
    with pytest.raises(ValueError, match="outside the vocabulary.*'z'"):
        model.generate("abz", max_new_tokens=1)
    with pytest.raises(ValueError, match=r"ids in \[0, 12\]"):
        model.generate(np.array([0, 12]), max_new_tokens=1)
    with pytest.raises(ValueError, match="max_new_tokens=0"):
        model.generate("abc", max_new_tokens=0)
    with pytest.raises(ValueError, match="vocabulary has 11 tokens but the model 12"):
        GPT(**dict(TINY, vocabulary_size=12, vocabulary=vocabulary))
    with pytest.raises(ValueError, match=r"8 positions.*shape=\(1, 9\)"):
        model(np.zeros((1, 9), "int32"))
    with pytest.raises(ValueError, match="num_heads=3"):
        GPT(**dict(TINY, num_heads=3))


def test_fit_rejects_bad_windows():
    model = GPT(**TINY)
    model.compile(**model.default_optimizers())
    with pytest.raises(ValueError, match=r"shape=\(4, 12\)"):
        model.fit(np.zeros((4, 12), "int32"), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="dtype=float32"):
        model.fit(np.zeros((4, 9), "float32"), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"Received: ids in \[11, 11\]"):
        model.fit(np.full((4, 9), 11, "int32"), epochs=1, verbose=0)


@pytest.mark.parametrize("weight_decay", [0.1, 0.0])
def test_default_optimizer_decays_matrices_and_embeddings_only(weight_decay):
    # nanoGPT's AdamW groups: >= 2-D weights (kernels, embeddings) decay by
    # lr * weight_decay per step, biases and norm scales not at all.
    model = GPT(**dict(TINY, use_bias=True))
    optimizer = model.default_optimizers(1e-2, weight_decay=weight_decay, beta_2=0.95)["optimizer"]
    assert optimizer.beta_2 == 0.95 and optimizer.epsilon == 1e-8
    variables = model.trainable_variables
    before = [np.array(v) for v in variables]
    # A zero gradient leaves Adam's step at 0, so only the decay moves weights.
    optimizer.apply([np.zeros(v.shape, "float32") for v in variables], variables)
    for variable, old in zip(variables, before):
        factor = 1 - 1e-2 * weight_decay if len(variable.shape) >= 2 else 1.0
        np.testing.assert_allclose(np.array(variable), old * factor, rtol=1e-6, err_msg=variable.path)
    assert any(len(v.shape) < 2 for v in variables) and any(len(v.shape) >= 2 for v in variables)


def test_initialisation_matches_nanogpt():
    # normal(0, 0.02) everywhere, residual projections 0.02 / sqrt(2 * num_layers),
    # norm scales 1; 804,096 parameters at the baby-GPT size, as nanoGPT counts.
    model = GPT(65, 64, num_layers=4, num_heads=4, hidden_dim=128, use_bias=False, seed=0)
    assert model.count_params() == 804_096
    for variable in model.trainable_variables:
        values = np.asarray(variable)
        if "gamma" in variable.path:
            np.testing.assert_array_equal(values, 1.0)
            continue
        residual = "attention_output" in variable.path or "mlp_out" in variable.path
        expected = 0.02 / np.sqrt(8) if residual else 0.02
        assert abs(values.std() / expected - 1) < 0.05, (variable.path, values.std())
