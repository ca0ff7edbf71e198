"""A user's own image folder through the library and the CLI: validation held out, class names
recorded and accepted by name, odd folders handled, eval and export on the run's own images."""

import json
import os

import numpy as np
import pytest

from keras_genai import data


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
