"""ResidualUpBlock and ResidualDownBlock."""

import numpy as np
import pytest

from keras_genai.layers import ResidualDownBlock, ResidualUpBlock
from keras_genai.testing import run_layer_test

X = np.random.default_rng(0).standard_normal((2, 4, 4, 3)).astype("float32")


@pytest.mark.parametrize("kwargs, inputs", [
    ({"filters": 5}, None),
    ({"filters": 5, "condition": "label", "num_classes": 3}, [X, np.array([0, 2], "int32")]),
    ({"filters": 3, "condition": "vector", "upsample": False}, [X, np.ones((2, 4), "float32")]),
])
def test_up_block_build_call_serialize(kwargs, inputs):
    _, y = run_layer_test(ResidualUpBlock, kwargs, (2, 4, 4, 3), inputs=inputs)
    assert y.shape[1:3] == ((8, 8) if kwargs.get("upsample", True) else (4, 4))


@pytest.mark.parametrize("kwargs", [{"filters": 6, "first": True}, {"filters": 6},
                                    {"filters": 3, "downsample": False}])
def test_down_block_build_call_serialize(kwargs):
    _, y = run_layer_test(ResidualDownBlock, kwargs, (2, 4, 4, 3))
    assert y.shape == ((2, 2, 2, 6) if kwargs.get("downsample", True) else (2, 4, 4, 3))


def test_up_block_residual_branch_zeroed_is_nearest_upsampling():
    block = ResidualUpBlock(3, spectral_norm=False)
    block(X)
    block.conv_2.kernel.assign(np.zeros(block.conv_2.kernel.shape))
    block.conv_2.bias.assign(np.zeros(3))
    assert block.shortcut is None  # same channels: the shortcut is the identity
    np.testing.assert_allclose(np.asarray(block(X, training=True)), X.repeat(2, axis=1).repeat(2, axis=2), atol=1e-6)


@pytest.mark.parametrize("first", [True, False])
def test_down_block_residual_branch_zeroed_is_average_pooling(first):
    block = ResidualDownBlock(3, first=first, spectral_norm=False)
    block(X)
    block.conv_2.kernel.assign(np.zeros(block.conv_2.kernel.shape))
    block.conv_2.bias.assign(np.zeros(3))
    block.shortcut.kernel.assign(np.eye(3).reshape(1, 1, 3, 3))
    block.shortcut.bias.assign(np.zeros(3))
    pooled = X.reshape(2, 2, 2, 2, 2, 3).mean(axis=(2, 4))
    np.testing.assert_allclose(np.asarray(block(X)), pooled, atol=1e-6)


def test_down_block_first_skips_the_leading_relu():
    # With the residual branch alone (no shortcut change), a first block sees negative pixels.
    first, later = ResidualDownBlock(3, downsample=False, first=True), ResidualDownBlock(3, downsample=False)
    first(X), later(X)
    later.set_weights(first.get_weights())
    assert not np.allclose(np.asarray(first(X)), np.asarray(later(X)))
    np.testing.assert_allclose(np.asarray(first(np.abs(X))), np.asarray(later(np.abs(X))), atol=1e-6)


@pytest.mark.parametrize("make, match", [
    (lambda: ResidualUpBlock(0), "filters must be an integer >= 1. Received: filters=0"),
    (lambda: ResidualUpBlock(4, condition="class"), "condition must be one of"),
    (lambda: ResidualUpBlock(4, condition="label"), 'num_classes goes with condition="label"'),
    (lambda: ResidualDownBlock(4)(np.zeros((1, 5, 5, 1), "float32")), "needs an even height and width"),
    (lambda: ResidualUpBlock(4)(np.zeros((1, 5, 1), "float32")), r"takes \(batch, height, width, channels\)"),
])
def test_errors_name_what_was_received(make, match):
    with pytest.raises(ValueError, match=match):
        make()
