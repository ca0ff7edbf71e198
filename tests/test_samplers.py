import numpy as np
import pytest

from keras_genai import samplers

LOGITS = np.log(np.array([0.4, 0.25, 0.15, 0.1, 0.05, 0.03, 0.02], "float32"))
DRAWS = 4000


def _frequencies(sampler, logits=LOGITS):
    ids = np.asarray(sampler(np.tile(logits, (DRAWS, 1))))
    return np.bincount(ids, minlength=len(logits)) / DRAWS


def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def test_greedy_is_argmax():
    logits = np.array([[0.1, 2.0, -1.0], [3.0, 0.0, 2.9]], "float32")
    np.testing.assert_array_equal(samplers.GreedySampler()(logits), [1, 0])


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
def test_random_sampler_matches_softmax_at_temperature(temperature):
    expected = _softmax(LOGITS / temperature)
    got = _frequencies(samplers.RandomSampler(temperature, seed=1))
    # 4000 draws: binomial standard error <= 0.008.
    np.testing.assert_allclose(got, expected, atol=0.03)


def test_top_k_draws_only_the_k_most_likely_in_proportion():
    got = _frequencies(samplers.TopKSampler(3, seed=2))
    assert got[3:].sum() == 0, got
    expected = np.exp(LOGITS[:3]) / np.exp(LOGITS[:3]).sum()
    np.testing.assert_allclose(got[:3], expected, atol=0.03)


def test_top_p_draws_only_the_nucleus_in_proportion():
    # Cumulative mass 0.4, 0.65, 0.80, 0.90: p=0.7 keeps the first three.
    got = _frequencies(samplers.TopPSampler(0.7, seed=3))
    assert got[3:].sum() == 0, got
    np.testing.assert_allclose(got[:3], np.array([0.4, 0.25, 0.15]) / 0.8, atol=0.03)
    # A tiny p keeps only the most likely token.
    assert _frequencies(samplers.TopPSampler(0.01, seed=3))[0] == 1.0


def test_samplers_are_seedable():
    logits = np.tile(LOGITS, (64, 1))
    first = np.asarray(samplers.TopPSampler(0.9, seed=7)(logits))
    again = np.asarray(samplers.TopPSampler(0.9, seed=7)(logits))
    other = np.asarray(samplers.TopPSampler(0.9, seed=8)(logits))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: samplers.RandomSampler(temperature=0), "temperature=0"),
        (lambda: samplers.TopKSampler(5, temperature=-1.0), "temperature=-1.0"),
        (lambda: samplers.TopPSampler(p=0.0), "p=0.0"),
        (lambda: samplers.TopPSampler(p=1.5), "p=1.5"),
        (lambda: samplers.TopKSampler(k=0), "k=0"),
        (lambda: samplers.from_options(top_k=0), "k=0"),
        (lambda: samplers.get("beam"), "'beam'"),
    ],
)
def test_bad_sampler_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()
