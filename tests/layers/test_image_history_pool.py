import numpy as np
import pytest

from keras_genai.layers import ImageHistoryPool
from keras_genai.testing import run_layer_test


def _batch(value, size=4):
    return np.full((size, 2, 2, 1), value, "float32")


def test_build_call_serialize():
    layer, y = run_layer_test(ImageHistoryPool, {"pool_size": 3, "seed": 1}, (2, 4, 4, 1))
    # Outside training the pool passes its input through and stores nothing.
    assert int(layer.count.numpy()) == 0


def test_fills_then_swaps_half_and_never_grows():
    pool = ImageHistoryPool(pool_size=8, seed=0)
    # Filling: the first 8 images come back as they are and are all stored.
    for value in (1.0, 2.0):
        np.testing.assert_array_equal(np.asarray(pool(_batch(value), training=True)), value)
    assert int(pool.count.numpy()) == 8
    assert sorted(np.asarray(pool.images)[:8, 0, 0, 0]) == [1.0] * 4 + [2.0] * 4
    returned_old, total = 0, 0
    for step in range(200):
        value = 100.0 + step
        out = np.asarray(pool(_batch(value, 16), training=True))[:, 0, 0, 0]
        # Every returned image is the new one or one seen before, never a blank.
        assert np.all((out == value) | (out < value) & (out >= 1.0))
        returned_old += int(np.sum(out != value))
        total += len(out)
        assert pool.images.shape[0] == 9 and int(pool.count.numpy()) == 8
    # Past fakes come back with probability 1/2 (3,200 draws: ± 4 standard deviations).
    assert abs(returned_old / total - 0.5) < 4 * np.sqrt(0.25 / total)
    # The stored images are recent ones: old images were swapped out.
    assert np.asarray(pool.images)[:8, 0, 0, 0].min() > 2.0


def test_zero_size_passes_through_and_bad_size_is_refused():
    pool = ImageHistoryPool(pool_size=0)
    np.testing.assert_array_equal(np.asarray(pool(_batch(3.0), training=True)), 3.0)
    with pytest.raises(ValueError, match="pool_size must be an integer >= 0. Received: pool_size=-2"):
        ImageHistoryPool(pool_size=-2)
