import numpy as np
import pytest

from keras_genai.metrics import feature_statistics, features_frechet_distance, frechet_distance


def test_frechet_of_a_set_with_itself_is_zero():
    x = np.random.default_rng(0).normal(size=(500, 8))
    assert features_frechet_distance(x, x) == pytest.approx(0.0, abs=1e-8)


def test_frechet_is_symmetric():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(400, 5)), rng.normal(1.0, 2.0, size=(400, 5))
    assert features_frechet_distance(a, b) == pytest.approx(features_frechet_distance(b, a), rel=1e-9)


def test_frechet_closed_form_gaussians():
    # N(m1, s1^2 I) vs N(m2, s2^2 I) in d dims: |m1 - m2|^2 + d (s1 - s2)^2.
    d = 4
    m1, m2 = np.zeros(d), np.full(d, 0.5)
    value = frechet_distance(m1, 4.0 * np.eye(d), m2, 9.0 * np.eye(d))
    assert value == pytest.approx(d * 0.25 + d * (2 - 3) ** 2, rel=1e-12)


def test_frechet_handles_singular_covariances():
    cov = np.zeros((3, 3))
    cov[0, 0] = 1.0
    assert np.isfinite(frechet_distance(np.zeros(3), cov, np.ones(3), cov))


def test_too_few_samples_is_named():
    with pytest.raises(ValueError, match="at least 2 samples .* Received: 1"):
        feature_statistics(np.zeros((1, 4)))
    with pytest.raises(ValueError, match="Statistics differ in size"):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
