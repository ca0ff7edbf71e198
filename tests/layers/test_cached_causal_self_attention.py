import numpy as np

from keras_genai.layers import CachedCausalSelfAttention
from keras_genai.testing import run_layer_test


def test_build_call_serialize():
    layer, _ = run_layer_test(
        CachedCausalSelfAttention, {"num_heads": 2, "key_dim": 4, "output_kernel_initializer": "zeros"}, (2, 5, 8)
    )
    # The output projection got its own initializer; its bias is zeros too, so the output is 0.
    np.testing.assert_array_equal(np.asarray(layer.output_dense.kernel), 0.0)


def test_hand_computed_causal_attention():
    # One head of size 1, every projection the identity: q = k = v = x, so position i
    # outputs the softmax(x_i * x_j)-weighted mean of x_j over j <= i.
    layer = CachedCausalSelfAttention(num_heads=1, key_dim=1)
    x = np.array([[[1.0], [2.0], [3.0]]], "float32")
    layer(x)
    for weight in layer.weights:
        weight.assign(np.ones(weight.shape) if "kernel" in weight.path else np.zeros(weight.shape))
    values = x[0, :, 0]
    expected = []
    for i, q in enumerate(values):
        weights = np.exp(q * values[: i + 1])
        expected.append(np.sum(weights * values[: i + 1]) / np.sum(weights))
    np.testing.assert_allclose(np.asarray(layer(x))[0, :, 0], expected, rtol=1e-5)


def test_cache_matches_causal_call():
    layer = CachedCausalSelfAttention(num_heads=2, key_dim=4)
    x = np.random.default_rng(1).standard_normal((2, 5, 8)).astype("float32")
    full = np.asarray(layer(x))
    cache = np.zeros((2, 2, 5, 2, 4), "float32")
    first, cache = layer(x[:, :2], cache=cache, cache_update_index=0)
    rest = [np.asarray(first)]
    for i in range(2, 5):
        out, cache = layer(x[:, i : i + 1], cache=cache, cache_update_index=i)
        rest.append(np.asarray(out))
    np.testing.assert_allclose(np.concatenate(rest, axis=1), full, atol=1e-5)
