import math

import numpy as np
import pytest

from keras_genai.losses import bernoulli_nll, gaussian_kl, gaussian_nll, sigmoid_cross_entropy
from keras_genai.metrics import psnr


def test_gaussian_kl_hand_computed():
    # One example, two units: mean (1, 0), variance (1, e).
    # KL = 0.5 * [(1 + 1 - 1 - 0) + (e + 0 - 1 - 1)] = 0.5 * (e - 1)
    kl = np.asarray(gaussian_kl(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])))
    assert kl.shape == (1,)
    assert kl[0] == pytest.approx(0.5 * (math.e - 1), rel=1e-6)


def test_gaussian_kl_zero_for_prior():
    assert np.allclose(gaussian_kl(np.zeros((3, 4)), np.zeros((3, 4))), 0.0)


def test_bernoulli_nll_matches_direct_formula():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(2, 3, 3, 1))
    logits = rng.normal(size=(2, 3, 3, 1)) * 3
    p = 1 / (1 + np.exp(-logits))
    expected = -(x * np.log(p) + (1 - x) * np.log(1 - p)).reshape(2, -1).sum(-1)
    np.testing.assert_allclose(bernoulli_nll(x, logits), expected, rtol=1e-5)


def test_sigmoid_cross_entropy_is_stable_for_large_logits():
    values = np.asarray(sigmoid_cross_entropy(np.array([1.0, 0.0]), np.array([100.0, -100.0])))
    assert np.all(np.isfinite(values)) and np.all(values < 1e-6)


def test_gaussian_nll_hand_computed():
    # x = 1, mean = 0, sigma = e: 0.5 * (1/e)^2 + 1 + 0.5 log(2 pi)
    nll = np.asarray(gaussian_nll(np.ones((1, 1)), np.zeros((1, 1)), 1.0))
    assert nll[0] == pytest.approx(0.5 * math.exp(-2) + 1 + 0.5 * math.log(2 * math.pi), rel=1e-6)


def test_psnr_hand_computed():
    a = np.zeros((1, 2, 2, 1))
    b = np.full((1, 2, 2, 1), 0.1)  # mse = 0.01 -> 20 dB
    assert float(psnr(a, b)[0]) == pytest.approx(20.0, rel=1e-5)
