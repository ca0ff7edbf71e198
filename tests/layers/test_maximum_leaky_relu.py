import numpy as np
import pytest

from keras_genai.layers import MaximumLeakyReLU
from keras_genai.testing import run_layer_test


def test_build_call_serialize():
    layer, _ = run_layer_test(MaximumLeakyReLU, {"negative_slope": 0.3}, (2, 5))
    assert layer.negative_slope == 0.3


def test_hand_computed_values():
    x = np.array([-2.0, -0.5, 0.0, 3.0], "float32")
    np.testing.assert_allclose(MaximumLeakyReLU(0.1)(x), [-0.2, -0.05, 0.0, 3.0], rtol=1e-6)
    # The ends of the range: ReLU and the identity.
    np.testing.assert_array_equal(MaximumLeakyReLU(0.0)(x), [0.0, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(MaximumLeakyReLU(1.0)(x), x)


@pytest.mark.parametrize("slope", [-0.1, 1.5])
def test_slope_outside_zero_one(slope):
    with pytest.raises(ValueError, match=f"negative_slope={slope}"):
        MaximumLeakyReLU(slope)
