import keras
import numpy as np
import pytest

from keras_genai.models import SAGAN
from keras_genai.regularizers import OrthogonalRegularization


class _Holder:
    """What the regularizer reads: a model with a `generator` attribute."""

    def __init__(self, generator):
        self.generator = generator


def _network(kernels):
    inputs = keras.Input((kernels[0].shape[0],))
    h = inputs
    for i, kernel in enumerate(kernels):
        layer = keras.layers.Dense(kernel.shape[1], use_bias=False, name=f"dense_{i}")
        h = layer(h)
        layer.kernel.assign(kernel)
    return keras.Model(inputs, h)


def test_off_diagonal_gram_hand_computed():
    rng = np.random.default_rng(0)
    kernels = [rng.standard_normal((3, 4)), rng.standard_normal((4, 2))]
    expected = 0.0
    for w in kernels:
        gram = w.T @ w
        expected += np.sum((gram * (1 - np.eye(len(gram)))) ** 2)
    regularizer = OrthogonalRegularization(beta=1e-4)
    value = float(regularizer.compute(_Holder(_network(kernels)), {}, training=True))
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    np.testing.assert_allclose(float(regularizer.penalty(_Holder(_network(kernels)), {}, training=False)),
                               1e-4 * expected, rtol=1e-5)


def test_orthogonal_columns_of_any_norm_cost_nothing():
    q, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((5, 3)))
    kernel = q * np.array([0.5, 2.0, 3.0])  # orthogonal, not orthonormal: the diagonal is free
    assert float(OrthogonalRegularization().compute(_Holder(_network([kernel])), {}, True)) < 1e-10


def test_excluded_kernels_are_skipped():
    kernels = [np.ones((2, 2)), np.ones((2, 2))]
    regularizer = OrthogonalRegularization(excluded=("dense_1",))
    np.testing.assert_allclose(float(regularizer.compute(_Holder(_network(kernels)), {}, True)), 8.0)


def test_joins_the_generator_loss_and_reloads(tmp_path):
    model = SAGAN(latent_dim=4, generator_widths=(8, 8), discriminator_widths=(8, 8),
                  regularizers=[OrthogonalRegularization(interval=2)])
    model.compile(**model.default_optimizers())
    history = model.fit(np.zeros((8, 28, 28, 1), "float32"), batch_size=4, epochs=1, verbose=0)
    assert history.history["orthogonal_regularization"][0] > 0
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert loaded.active_regularizers[0].get_config() == model.active_regularizers[0].get_config()


def test_negative_beta_is_refused():
    with pytest.raises(ValueError, match="weight must be >= 0. Received: weight=-1"):
        OrthogonalRegularization(beta=-1)
