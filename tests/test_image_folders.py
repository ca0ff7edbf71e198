"""A user's own image folder through the library and the CLI: validation held out, class names
recorded and accepted by name, odd folders handled, eval and export on the run's own images."""

import json
import os

import numpy as np
import pytest

from keras_genai import data, training
from keras_genai.cli.main import main


def _png(path, value, size=(12, 12), channels=1):
    from PIL import Image

    os.makedirs(os.path.dirname(path), exist_ok=True)
    shape = size if channels == 1 else size + (channels,)
    Image.fromarray(np.full(shape, value, np.uint8)).save(path)


def _folder(root, counts, channels=1):
    """One sub-folder per class, each image a flat value that tells its class apart."""
    for index, (name, count) in enumerate(counts.items()):
        for i in range(count):
            _png(os.path.join(root, name, f"{i:03d}.png"), 20 + 60 * index + i, channels=channels)
    return str(root)


def _config(run):
    with open(os.path.join(run, "config.json")) as f:
        return json.load(f)


# === Listing and splitting ===


def test_split_is_stratified_seeded_and_disjoint(tmp_path):
    folder = _folder(tmp_path, {"boot": 20, "coat": 10, "shirt": 5})
    paths, labels, names = data.list_image_folder(folder)
    assert names == ["boot", "coat", "shirt"] and len(paths) == 35
    (train_paths, train_labels), (val_paths, val_labels) = data.split_image_files(paths, labels, 0.2, seed=3)
    # Each class gives its share (at least one): 4 of 20, 2 of 10, 1 of 5.
    assert np.bincount(val_labels).tolist() == [4, 2, 1]
    assert not set(train_paths) & set(val_paths) and len(train_paths) + len(val_paths) == 35
    again = data.split_image_files(paths, labels, 0.2, seed=3)[1][0]
    other = data.split_image_files(paths, labels, 0.2, seed=4)[1][0]
    assert again == val_paths and other != val_paths
    assert data.split_image_files(paths, labels, 0.0)[1][0] == []
    with pytest.raises(ValueError, match=r"validation_fraction must be in \[0, 1\).*Received: validation_fraction=1.5"):
        data.split_image_files(paths, labels, 1.5)


def test_empty_class_folder_is_skipped_with_a_warning(tmp_path):
    folder = _folder(tmp_path, {"boot": 2, "coat": 2})
    os.makedirs(tmp_path / "bag")
    with pytest.warns(data.DataWarning, match=r"skipping the class folder\(s\) \['bag'\]"):
        _, labels, names = data.list_image_folder(folder)
    assert names == ["boot", "coat"] and labels.tolist() == [0, 0, 1, 1]


def test_hidden_files_and_folders_are_ignored(tmp_path):
    # Top-level images with a hidden thumbnails folder: no classes, and not "no images".
    for i in range(3):
        _png(str(tmp_path / "flat" / f"{i}.png"), 100)
    _png(str(tmp_path / "flat" / ".thumbs" / "0.png"), 5)
    _png(str(tmp_path / "flat" / ".hidden.png"), 5)
    paths, labels, names = data.list_image_folder(str(tmp_path / "flat"))
    assert len(paths) == 3 and names == [] and labels.tolist() == [0, 0, 0]
    x = next(iter(data.image_folder_dataset(str(tmp_path / "flat"), image_size=(8, 8), shuffle=False)))
    assert x.shape == (3, 8, 8, 1)
    # In a class folder too, and a hidden folder is no class.
    classes = _folder(tmp_path / "classes", {"a": 2, "b": 2})
    _png(os.path.join(classes, "a", ".ipynb_checkpoints", "x.png"), 5)
    _png(os.path.join(classes, ".cache", "x.png"), 5)
    paths, _, names = data.list_image_folder(classes)
    assert names == ["a", "b"] and len(paths) == 4


def test_top_level_images_beside_class_folders_are_refused(tmp_path):
    folder = _folder(tmp_path, {"boot": 2, "coat": 2})
    _png(str(tmp_path / "stray1.png"), 1)
    _png(str(tmp_path / "stray2.png"), 1)
    with pytest.raises(ValueError, match=r"has 2 image\(s\) at its top level \(e.g. 'stray1.png'\) beside "
                                         r"the class sub-folders \['boot', 'coat'\]"):
        data.list_image_folder(folder)


def test_folder_decoding_matches_keras(tmp_path):
    import keras

    from PIL import Image

    rng = np.random.default_rng(0)
    for name in ("a", "b"):
        os.makedirs(tmp_path / name)
        for i in range(3):
            Image.fromarray(rng.integers(0, 256, (13, 9, 3), dtype=np.uint8)).save(tmp_path / name / f"{i}.png")
    ours = np.concatenate([x.numpy() for x, _ in data.image_folder_dataset(
        str(tmp_path), image_size=(8, 8), channels=3, with_labels=True, shuffle=False, value_range=(0, 255))])
    theirs = keras.utils.image_dataset_from_directory(str(tmp_path), image_size=(8, 8), shuffle=False,
                                                      batch_size=None, verbose=False)
    expected = np.stack([np.round(x.numpy()) for x, _ in theirs])
    np.testing.assert_allclose(ours, expected, atol=1e-3)


# === Training records what it held out and the class names ===


def test_train_holds_out_validation_and_records_it(tmp_path):
    folder = _folder(tmp_path / "images", {"boot": 10, "coat": 10})
    run = str(tmp_path / "run")
    result = training.train("cvae", run, image_folder=folder, image_size=12, preset="tiny", epochs=1,
                            batch_size=4, validation_fraction=0.2, validation_seed=5,
                            export_quantizations=(), verbose=0)
    assert "val_loss" in result
    config = _config(run)
    assert config["class_names"] == ["boot", "coat"]
    assert {k: config["training"][k] for k in ("validation_fraction", "validation_seed", "validation_files",
                                                "validation_split")} == {
        "validation_fraction": 0.2, "validation_seed": 5, "validation_files": 4, "validation_split": None}
    # The sample grid's fixed batch is the held-out images (two per class here).
    loaded = training.load_data(training.load_model(run).__class__, image_folder=folder, image_size=12,
                                validation_fraction=0.2, validation_seed=5)
    assert len(loaded["grid"][0]) == 4 and sorted(loaded["grid"][1].tolist()) == [0, 0, 1, 1]


def test_the_sample_grid_shows_every_class_of_a_folder(tmp_path):
    # A folder's files come sorted by class: the grid takes the classes in turn, not the first class's files.
    from keras_genai.models import ConditionalVAE, VAE

    folder = _folder(tmp_path / "images", {f"c{i}": 30 for i in range(4)})
    for model_class in (ConditionalVAE, VAE):
        images, labels = training.load_data(model_class, image_folder=folder, image_size=12,
                                            validation_fraction=0.5)["grid"]
        assert len(images) == 16
        if labels is not None:
            assert labels.tolist() == [0, 1, 2, 3] * 4
        # Each class folder holds flat images of its own values (20 + 60 * class + i).
        assert len({int(image.mean() * 255 - 20) // 60 for image in images}) == 4


def test_named_dataset_records_class_names_and_refuses_a_fraction(tmp_path):
    run = str(tmp_path / "run")
    training.train("cvae", run, dataset="shapes", preset="tiny", epochs=1, steps_per_epoch=1, batch_size=4,
                   validation_split=None, export_quantizations=(), verbose=0)
    assert _config(run)["class_names"] == list(data.SHAPE_NAMES)
    assert data.dataset_class_names("fashion_mnist")[7] == "Sneaker"
    with pytest.raises(ValueError, match="validation_fraction holds out part of an image folder"):
        training.train("cvae", str(tmp_path / "r2"), dataset="shapes", validation_fraction=0.1)


# === sample --label by name ===


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("cgan")
    folder = _folder(root / "images", {"bag": 6, "sneaker": 6, "trouser": 6})
    run = str(root / "run")
    training.train("cgan", run, image_folder=folder, image_size=12, preset="tiny", epochs=1, batch_size=6,
                   export_quantizations=(), verbose=0)
    return run


def test_sample_takes_a_class_name_or_an_index(cgan_run, tmp_path):
    by_name = training.sample(cgan_run, num=4, label="Sneaker", out=str(tmp_path / "a.png"))
    by_index = training.sample(cgan_run, num=4, label=1, out=str(tmp_path / "b.png"))
    np.testing.assert_array_equal(by_name["samples"], by_index["samples"])
    with pytest.raises(ValueError, match=r"Unknown label 'boot'; expected one of 'bag', 'sneaker', 'trouser' "
                                         r"or an index in \[0, 3\)"):
        training.sample(cgan_run, num=4, label="boot", out=str(tmp_path / "c.png"))
    # A .keras file outside a run folder has no names: indices only.
    model = training.load_model(cgan_run)
    with pytest.raises(ValueError, match="no class names recorded"):
        training.sample(model, num=4, label="sneaker", out=str(tmp_path / "d.png"))


def test_sample_label_by_name_from_the_cli(cgan_run, tmp_path, capsys):
    assert main(["sample", cgan_run, "--num", "4", "--label", "sneaker", "--out", str(tmp_path / "a.png")]) == 0
    assert main(["sample", cgan_run, "--num", "4", "--label", "boot", "--out", str(tmp_path / "b.png")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "'bag', 'sneaker', 'trouser'" in err


def test_resolve_label_prefers_a_name_over_an_index():
    from keras_genai.training.sample import resolve_label

    assert resolve_label("10", ["1", "10", "2"], 3) == 1
    assert resolve_label("0", ["1", "10", "2"], 3) == 0
    assert resolve_label(2, None, 3) == 2
    with pytest.raises(ValueError, match=r"Unknown label 7"):
        resolve_label(7, None, 3)


# === eval and export on the run's own images ===


def test_eval_compares_samples_with_the_runs_own_images(cgan_run, monkeypatch, capsys):
    import keras

    from keras_genai.metrics import feature_extraction

    seen = []

    def features(images):  # a fixed random projection of the pixels, recording the real images it sees
        seen.append(np.asarray(images))
        return keras.ops.matmul(keras.ops.reshape(images, (len(images), -1)),
                                np.random.default_rng(0).normal(size=(144, 8)).astype("float32"))

    monkeypatch.setattr(feature_extraction, "inception_model", lambda shape: type(
        "Features", (), {"predict_on_batch": staticmethod(features)}))
    from keras_genai.training.run_data import folder_run_files

    # 18 images, 3 held out: the 15 training images give precision/recall room for k = 3.
    result = training.evaluate(cgan_run, metrics=("kid", "pr"), split="train", num_samples=15)
    paths, labels, description = folder_run_files(_config(cgan_run), "train")
    assert result["data"] == description and result["split"] == "train"
    assert result["num_samples"] == result["num_reference_samples"] == 15
    assert result["reference_cache"] is None and {"kid", "precision", "recall"} <= set(result)
    # The real side is the run's own images (flat values 20..137 in [0, 255]), not Fashion-MNIST,
    # the classes in turn as the generated side's labels are.
    order = data.classes_in_turn(labels)
    real = data.image_files_arrays([paths[i] for i in order], labels[order], image_size=(12, 12))[0].astype("float32")
    assert any(np.array_equal(np.concatenate(seen[i:i + 1]), real) for i in range(len(seen)))
    with pytest.raises(ValueError, match="at least 2049.*held-out validation images.*kid and pr work with fewer"):
        training.evaluate(cgan_run, metrics=("fid",))
    assert main(["eval", cgan_run, "--metrics", "kid", "--num-samples", "3"]) == 0
    assert "the 3 held-out validation images of the run's image folder" in capsys.readouterr().out
    assert main(["eval", cgan_run, "--metrics", "kid", "--num-samples", "99"]) == 2
    assert "--num-samples can be at most that" in capsys.readouterr().err


@pytest.fixture(scope="module")
def rgb_vae_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("vae32")
    folder = _folder(root / "images", {"a": 5, "b": 5}, channels=3)
    run = str(root / "run")
    training.train("vae", run, image_folder=folder, image_size=32, channels=3, preset="tiny", epochs=1,
                   batch_size=4, export_quantizations=(), verbose=0)
    return run, folder


def test_eval_scores_the_runs_held_out_images(rgb_vae_run, tmp_path, capsys):
    run, folder = rgb_vae_run
    result = training.evaluate(run)
    assert result["dataset"] == folder and result["split"] == "validation"
    assert "2 held-out validation images" in result["data"] and "elbo" in result["metrics"]
    on_train = training.evaluate(run, split="train")
    assert "8 training images" in on_train["data"]
    assert on_train["metrics"]["elbo"] != result["metrics"]["elbo"]
    with pytest.raises(ValueError, match="has the splits 'validation'.*Received: split='test'"):
        training.evaluate(run, split="test")
    assert main(["eval", run]) == 0
    assert "data: the 2 held-out validation images of the run's image folder" in capsys.readouterr().out
    # A folder that changed since training is said to have changed.
    for i in range(5, 15):
        _png(os.path.join(folder, "a", f"{i:03d}.png"), 7, channels=3)
    try:
        with pytest.warns(data.DataWarning, match="changed since training"):
            training.evaluate(run)
    finally:
        for i in range(5, 15):
            os.remove(os.path.join(folder, "a", f"{i:03d}.png"))


def test_export_of_a_32x32x3_run_calibrates_on_its_own_images(rgb_vae_run, tmp_path):
    run, folder = rgb_vae_run
    images = training.calibration_images(training.load_model(run),
                                         run_config=training.find_run_config(run))
    assert images.shape == (2, 32, 32, 3)
    out = str(tmp_path / "export")
    report = training.export_model(run, out, quantizations=("float32", "int8"))
    assert {row["quantization"] for row in report["litert"]} == {"float32", "int8"}
    assert os.path.exists(os.path.join(out, "report.json"))


def test_a_failed_export_leaves_no_half_folder(rgb_vae_run, tmp_path, capsys):
    run, _ = rgb_vae_run
    out = str(tmp_path / "export")
    # 28x28x1 images (shapes) for a 32x32x3 model: refused before anything is written.
    assert main(["export", run, "--out", out, "--dataset", "shapes", "--quantize", "float32,int8"]) == 2
    assert "takes images of shape (32, 32, 3), but dataset 'shapes' has (28, 28, 1)" in capsys.readouterr().err
    assert not os.path.exists(out)
    model = training.load_model(run)
    with pytest.raises(ValueError, match=r"takes 'image' of shape \(batch, 32, 32, 3\)"):
        training.export_run(model, out, np.zeros((4, 28, 28, 1), np.float32), ("float32",))
    assert not os.path.exists(out)


def test_cli_train_on_a_folder_with_validation_fraction(tmp_path, capsys):
    folder = _folder(tmp_path / "images", {"boot": 6, "coat": 6})
    os.makedirs(tmp_path / "images" / "empty")
    run = str(tmp_path / "run")
    assert main(["train", "dcgan", "--preset", "tiny", "--image-folder", folder, "--image-size", "12",
                 "--epochs", "1", "--batch-size", "4", "--validation-fraction", "0.5", "--export", "none",
                 "--out", run]) == 0
    err = capsys.readouterr().err
    assert "keras-genai train: warning: Image folder" in err and "['empty']" in err
    assert _config(run)["training"]["validation_files"] == 6
    with pytest.raises(SystemExit):
        main(["train", "dcgan", "--image-folder", folder, "--validation-fraction", "1", "--out", run])
    assert "expected a fraction in [0, 1), received '1'" in capsys.readouterr().err


def test_resume_says_when_the_folder_changed(tmp_path):
    folder = _folder(tmp_path / "images", {"boot": 5, "coat": 5})
    run = str(tmp_path / "run")
    options = dict(preset="tiny", batch_size=4, export_quantizations=(), verbose=0)
    training.train("dcgan", run, image_folder=folder, image_size=12, epochs=1, **options)
    for i in range(5, 15):
        _png(os.path.join(folder, "boot", f"{i:03d}.png"), 9)
    with pytest.warns(data.DataWarning, match="now holds out 3 files, but the run began with 2"):
        training.train("dcgan", run, resume=True, epochs=2, **options)
    # The run went on to its second epoch, and config.json keeps the count it began with.
    assert _config(run)["training"]["validation_files"] == 2
    with open(os.path.join(run, "metrics.json")) as f:
        assert [e["epoch"] for e in json.load(f)] == [1, 2]
