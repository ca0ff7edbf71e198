import numpy as np
import pytest

from keras_genai.layers import TransformerDecoderBlock
from keras_genai.testing import run_layer_test


def test_build_call_serialize():
    layer, _ = run_layer_test(
        TransformerDecoderBlock,
        {"num_heads": 2, "intermediate_dim": 16, "use_bias": False, "output_initializer_range": 0.01},
        (2, 5, 8),
    )
    assert not any("bias" in w.path or "beta" in w.path for w in layer.weights)


def test_hand_computed_residual_stream():
    # With every kernel and bias zero, both branches add nothing but the MLP's output
    # bias: attention reads zero values, gelu(0) = 0, so the block computes x + bias.
    block = TransformerDecoderBlock(num_heads=2, intermediate_dim=16)
    x = np.random.default_rng(0).standard_normal((2, 5, 8)).astype("float32")
    block(x)
    for weight in block.weights:
        if "kernel" in weight.path or "bias" in weight.path:
            weight.assign(np.zeros(weight.shape))
    block.mlp_out.bias.assign(np.full(8, 0.5))
    np.testing.assert_allclose(np.asarray(block(x)), x + 0.5, rtol=1e-6)


def test_cache_matches_full_call():
    block = TransformerDecoderBlock(num_heads=2, intermediate_dim=16)
    x = np.random.default_rng(1).standard_normal((1, 4, 8)).astype("float32")
    full = np.asarray(block(x))
    cache = np.zeros((1, 2, 4, 2, 4), "float32")
    outputs = []
    for i in range(4):
        out, cache = block(x[:, i : i + 1], cache=cache, cache_update_index=i)
        outputs.append(np.asarray(out))
    np.testing.assert_allclose(np.concatenate(outputs, axis=1), full, atol=1e-5)


def test_heads_must_divide_the_hidden_size():
    with pytest.raises(ValueError, match="num_heads=3"):
        TransformerDecoderBlock(num_heads=3, intermediate_dim=16)(np.zeros((1, 2, 8), "float32"))


def test_dropout_outside_zero_one():
    with pytest.raises(ValueError, match="dropout=1.0"):
        TransformerDecoderBlock(num_heads=2, intermediate_dim=16, dropout=1.0)
