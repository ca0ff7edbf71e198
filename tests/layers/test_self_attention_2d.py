import numpy as np
import pytest

from keras_genai.layers import SelfAttention2D
from keras_genai.testing import run_layer_test


@pytest.mark.parametrize("pooled", [False, True])
def test_build_call_serialize_and_identity_at_init(pooled):
    layer, y = run_layer_test(SelfAttention2D, {"pooled": pooled}, (2, 4, 6, 16))
    x = np.random.default_rng(0).standard_normal((2, 4, 6, 16)).astype("float32")
    # gamma starts at 0: the block passes its input through unchanged.
    np.testing.assert_array_equal(y, x)
    assert float(layer.gamma) == 0.0


def _reference(x, wq, wk, wv, wo, gamma, pooled):
    """SAGAN's attention in numpy: positions flattened, softmax over key positions."""
    batch, height, width, channels = x.shape
    keys, values = x @ wk, x @ wv
    if pooled:
        pool = lambda t: t.reshape(batch, height // 2, 2, width // 2, 2, -1).max(axis=(2, 4))  # noqa: E731
        keys, values = pool(keys), pool(values)
    q = (x @ wq).reshape(batch, height * width, -1)
    k = keys.reshape(batch, -1, keys.shape[-1])
    v = values.reshape(batch, -1, values.shape[-1])
    logits = q @ k.transpose(0, 2, 1)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    return x + gamma * ((weights @ v) @ wo).reshape(batch, height, width, channels)


@pytest.mark.parametrize("pooled", [False, True])
def test_matches_hand_computed_attention(pooled):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 4, 8)).astype("float32")
    layer = SelfAttention2D(key_reduction=4, value_reduction=2, pooled=pooled, spectral_norm=False)
    layer(x)
    wq, wk = rng.standard_normal((8, 2)), rng.standard_normal((8, 2))
    wv, wo = rng.standard_normal((8, 4)), rng.standard_normal((4, 8))
    for conv, kernel in ((layer.query, wq), (layer.key, wk), (layer.value, wv), (layer.output_projection, wo)):
        conv.kernel.assign(kernel.reshape(1, 1, *kernel.shape))
    layer.gamma.assign(0.7)
    np.testing.assert_allclose(np.asarray(layer(x)), _reference(x, wq, wk, wv, wo, 0.7, pooled), rtol=1e-4, atol=1e-4)


def test_spectral_norm_wraps_the_projections():
    layer = SelfAttention2D()
    layer(np.zeros((1, 4, 4, 16), "float32"))
    assert type(layer.query).__name__ == "SpectralNormalization"


@pytest.mark.parametrize("kwargs, shape, match", [
    ({"key_reduction": 0}, (1, 4, 4, 16), "key_reduction must be an integer >= 1. Received: key_reduction=0"),
    ({}, (1, 4, 4, 4), "needs at least 8 channels"),
    ({"pooled": True}, (1, 5, 4, 16), "even, with pooled=True"),
    ({}, (1, 16, 16), r"takes \(batch, height, width, channels\)"),
])
def test_errors_name_what_was_received(kwargs, shape, match):
    with pytest.raises(ValueError, match=match):
        SelfAttention2D(**kwargs)(np.zeros(shape, "float32"))


def test_attends_where_a_hand_built_input_says():
    # Channel 0 marks positions A and B: queries and keys are 10x it, so A and B attend to each
    # other (logit 100) and every unmarked position attends uniformly. Channel 1 (the value)
    # is 1 at B only, and the output projection writes the attended value into channel 2.
    x = np.zeros((1, 4, 4, 8), "float32")
    a, b = (0, 1), (3, 2)
    x[0, a[0], a[1], 0] = x[0, b[0], b[1], 0] = 1.0
    x[0, b[0], b[1], 1] = 1.0
    layer = SelfAttention2D(key_reduction=8, value_reduction=8, spectral_norm=False)
    layer(x)
    layer.query.kernel.assign(10.0 * np.eye(8)[:, :1].reshape(1, 1, 8, 1))
    layer.key.kernel.assign(10.0 * np.eye(8)[:, :1].reshape(1, 1, 8, 1))
    layer.value.kernel.assign(np.eye(8)[:, 1:2].reshape(1, 1, 8, 1))
    layer.output_projection.kernel.assign(np.eye(8)[2:3].reshape(1, 1, 1, 8))
    layer.gamma.assign(1.0)
    attended = np.asarray(layer(x))[0, :, :, 2]
    np.testing.assert_allclose(attended[a], 0.5, atol=1e-4)  # half A's value, half B's
    np.testing.assert_allclose(attended[b], 0.5, atol=1e-4)
    others = np.delete(attended.reshape(-1), [a[0] * 4 + a[1], b[0] * 4 + b[1]])
    np.testing.assert_allclose(others, 1.0 / 16, atol=1e-4)  # uniform over the 16 positions
