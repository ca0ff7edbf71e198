import numpy as np
import pytest

from keras_genai.layers import ProjectionDiscriminatorHead
from keras_genai.testing import run_layer_test

RNG = np.random.default_rng(0)
FEATURES = RNG.standard_normal((4, 6)).astype("float32")
LABELS = np.array([0, 2, 1, 2], "int32")


def test_build_call_serialize():
    run_layer_test(ProjectionDiscriminatorHead, {"num_classes": 3}, None, inputs=[FEATURES, LABELS])
    run_layer_test(ProjectionDiscriminatorHead, {}, (4, 6))


def test_projection_hand_computed():
    head = ProjectionDiscriminatorHead(num_classes=3, spectral_norm=False)
    head([FEATURES, LABELS])
    w, b, embedding = RNG.standard_normal((6, 1)), 0.3, RNG.standard_normal((3, 6))
    head.linear.kernel.assign(w)
    head.linear.bias.assign([b])
    head.embedding.kernel.assign(embedding)
    expected = FEATURES @ w + b + np.sum(embedding[LABELS] * FEATURES, axis=1, keepdims=True)
    logits = np.asarray(head([FEATURES, LABELS]))
    assert logits.dtype == np.float32
    np.testing.assert_allclose(logits, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs, inputs, match", [
    ({"num_classes": 0}, FEATURES, "num_classes must be an integer >= 2 or None"),
    ({"num_classes": 3}, FEATURES, r"called on \[features \(batch, features\), labels \(batch,\)\]"),
    ({}, np.zeros((2, 3, 3), "float32"), r"features of shape \(batch, features\)"),
])
def test_errors_name_what_was_received(kwargs, inputs, match):
    with pytest.raises(ValueError, match=match):
        ProjectionDiscriminatorHead(**kwargs)(inputs)
