import numpy as np
import pytest

from keras_genai.layers import ReflectionPadding2D
from keras_genai.testing import run_layer_test


def test_build_call_serialize():
    layer, y = run_layer_test(ReflectionPadding2D, {"padding": 2}, (2, 5, 6, 3))
    assert y.shape == (2, 9, 10, 3)


def test_matches_numpy_reflect():
    x = np.random.default_rng(0).standard_normal((2, 7, 5, 3)).astype("float32")
    for padding in (1, 3):
        expected = np.pad(x, [(0, 0), (padding, padding), (padding, padding), (0, 0)], mode="reflect")
        np.testing.assert_array_equal(np.asarray(ReflectionPadding2D(padding)(x)), expected)


def test_errors_name_what_was_received():
    with pytest.raises(ValueError, match="padding must be an integer >= 0. Received: padding=-1"):
        ReflectionPadding2D(-1)
    with pytest.raises(ValueError, match=r"needs height and width above 3. Received: input_shape=\(1, 3, 8, 1\)"):
        ReflectionPadding2D(3)(np.zeros((1, 3, 8, 1), "float32"))
