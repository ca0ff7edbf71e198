import numpy as np
import pytest

from keras_genai.layers import ConditionalBatchNormalization
from keras_genai.testing import run_layer_test

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3, 3, 5)).astype("float32")


def _batch_normalized(x, epsilon=1e-4):
    mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    return (x - mean) / np.sqrt(var + epsilon)


def test_label_condition_build_call_serialize():
    run_layer_test(ConditionalBatchNormalization, {"num_classes": 3}, None,
                   inputs=[X, np.array([0, 1, 2, 1], "int32")])


def test_vector_condition_build_call_serialize():
    run_layer_test(ConditionalBatchNormalization, {"spectral_norm": True}, None,
                   inputs=[X, RNG.standard_normal((4, 6)).astype("float32")])


def test_per_class_gain_and_bias_hand_computed():
    layer = ConditionalBatchNormalization(num_classes=3)
    labels = np.array([0, 1, 2, 1])
    layer([X, labels])
    gains, biases = RNG.standard_normal((3, 5)), RNG.standard_normal((3, 5))
    layer.gain.embeddings.assign(gains)
    layer.bias.embeddings.assign(biases)
    expected = _batch_normalized(X) * gains[labels][:, None, None] + biases[labels][:, None, None]
    np.testing.assert_allclose(np.asarray(layer([X, labels], training=True)), expected, rtol=1e-4, atol=1e-4)


def test_vector_condition_starts_as_plain_batch_norm_then_projects():
    layer = ConditionalBatchNormalization()
    condition = RNG.standard_normal((4, 2)).astype("float32")
    np.testing.assert_allclose(np.asarray(layer([X, condition], training=True)), _batch_normalized(X),
                               rtol=1e-4, atol=1e-4)
    w_gain, w_bias = RNG.standard_normal((2, 5)), RNG.standard_normal((2, 5))
    layer.gain.kernel.assign(w_gain)
    layer.bias.kernel.assign(w_bias)
    expected = _batch_normalized(X) * (1 + condition @ w_gain)[:, None, None] + (condition @ w_bias)[:, None, None]
    np.testing.assert_allclose(np.asarray(layer([X, condition], training=True)), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kwargs, inputs, match", [
    ({"num_classes": 1}, None, "num_classes must be an integer >= 2"),
    ({"num_classes": 3}, [X, np.zeros((4, 2), "float32")], r"integer labels, shape \(batch,\)"),
    ({}, [X, np.zeros((4,), "int32")], r"a batch of vectors, shape \(batch, features\)"),
    ({}, X, r"called on \[x, condition\]"),
])
def test_errors_name_what_was_received(kwargs, inputs, match):
    with pytest.raises(ValueError, match=match):
        ConditionalBatchNormalization(**kwargs)(inputs)
