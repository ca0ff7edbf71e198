import gzip
import os

import numpy as np
import pytest

from keras_genai import data
from keras_genai.data import DatasetNotAvailableError


def _write_idx(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def idx_dir(tmp_path):
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 12), ("t10k", 6)):
        _write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)))
        _write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", np.arange(n) % 10)
    return str(tmp_path)


def test_idx_round_trip(idx_dir):
    images, labels = data.load_image_arrays("fashion_mnist", "train", data_dir=idx_dir)
    assert images.shape == (12, 28, 28, 1) and images.dtype == np.uint8
    np.testing.assert_array_equal(labels, np.arange(12) % 10)


def test_split_slicing(idx_dir):
    head, _ = data.load_image_arrays("fashion_mnist", "train[:50%]", data_dir=idx_dir)
    tail, _ = data.load_image_arrays("fashion_mnist", "train[9:]", data_dir=idx_dir)
    assert len(head) == 6 and len(tail) == 3


def test_bad_split_is_named(idx_dir):
    with pytest.raises(ValueError, match="Cannot read split 'train\\[a:b\\]'"):
        data.load_image_arrays("fashion_mnist", "train[a:b]", data_dir=idx_dir)


def test_truncated_idx_is_named(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    _write_idx(path, np.zeros((4, 28, 28)))
    raw = gzip.open(path).read()
    with gzip.open(path, "wb") as f:
        f.write(raw[:-10])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        data.read_idx(str(path))


def test_not_an_idx_file(tmp_path):
    path = tmp_path / "x-idx3-ubyte"
    path.write_bytes(b"PK\x03\x04hello")
    with pytest.raises(ValueError, match="is not an IDX file"):
        data.read_idx(str(path))


def test_pipeline_range_labels_and_batches(idx_dir):
    ds = data.image_dataset("fashion_mnist", "test", idx_dir, batch_size=4, value_range=(-1, 1),
                            with_labels=True)
    batches = list(ds)
    assert [len(b[0]) for b in batches] == [4, 2]
    x, y = batches[0]
    assert x.shape == (4, 28, 28, 1) and x.dtype.name == "float32"
    assert float(np.min(x)) >= -1 and float(np.max(x)) <= 1 and y.dtype.name == "int32"


def test_missing_dataset_fails_fast_with_remedies(tmp_path):
    with pytest.raises(DatasetNotAvailableError) as info:
        data.load_image_arrays("cifar10", "train", data_dir=str(tmp_path))
    message = str(info.value)
    assert "cifar10" in message and "--data-dir" in message and "--download" in message


def test_missing_idx_dataset_names_debian_package(tmp_path):
    with pytest.raises(DatasetNotAvailableError, match="dataset-fashion-mnist"):
        data.load_image_arrays("fashion_mnist", "train", data_dir=str(tmp_path))


def test_unknown_dataset_suggests(tmp_path):
    with pytest.raises(ValueError, match="did you mean 'fashion_mnist'"):
        data.load_image_arrays("fashon_mnist", data_dir=str(tmp_path))


def test_shapes_is_deterministic_and_labelled():
    a, la = data.make_shapes(32, seed=3)
    b, lb = data.make_shapes(32, seed=3)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)
    assert set(np.unique(la)) <= {0, 1, 2, 3}
    # Every image has a bright shape on a dark background.
    assert np.all(a.reshape(32, -1).max(-1) >= 150) and np.all(a.reshape(32, -1).min(-1) == 0)


def test_array_dataset_checks():
    with pytest.raises(ValueError, match="NaN"):
        data.array_dataset(np.full((2, 4, 4), np.nan, np.float32))
    with pytest.raises(ValueError, match="divide by 255"):
        data.array_dataset(np.full((2, 4, 4), 200.0, np.float32))
    with pytest.raises(ValueError, match="shape"):
        data.array_dataset(np.zeros((2, 4), np.uint8))
    with pytest.raises(ValueError, match="one per image"):
        data.array_dataset(np.zeros((2, 4, 4), np.uint8), labels=[1, 2, 3])
    x, y = next(iter(data.array_dataset(np.full((3, 4, 4), 255, np.uint8), labels=[0, 1, 2], shuffle=False)))
    assert x.shape == (3, 4, 4, 1) and float(np.min(x)) == 1.0 and list(y.numpy()) == [0, 1, 2]


def _write_png(path, value, size=(10, 12)):
    from PIL import Image

    Image.fromarray(np.full(size, value, np.uint8)).save(path)


def test_image_folder_with_classes(tmp_path):
    for cls, value in (("boots", 10), ("shirts", 250)):
        os.makedirs(tmp_path / cls)
        for i in range(3):
            _write_png(tmp_path / cls / f"{i}.png", value)
    ds = data.image_folder_dataset(str(tmp_path), image_size=(8, 8), batch_size=6, with_labels=True,
                                   shuffle=False)
    x, y = next(iter(ds))
    assert x.shape == (6, 8, 8, 1)
    assert sorted(y.numpy().tolist()) == [0, 0, 0, 1, 1, 1]
    # Class 1 ("shirts") is the bright one.
    assert float(np.mean(x.numpy()[y.numpy() == 1])) > 0.9


def test_image_folder_errors(tmp_path):
    with pytest.raises(ValueError, match="holds no images"):
        data.image_folder_dataset(str(tmp_path))
    _write_png(tmp_path / "good.png", 3)
    with pytest.raises(ValueError, match="no class sub-folders"):
        data.image_folder_dataset(str(tmp_path), with_labels=True)
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(ValueError, match="bad.png.*corrupt"):
        data.image_folder_dataset(str(tmp_path))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data.image_folder_dataset(str(tmp_path / "nope"))


def test_real_fashion_mnist(fashion_mnist_dir):
    train_x, train_y = data.load_image_arrays("fashion_mnist", "train", data_dir=fashion_mnist_dir)
    test_x, test_y = data.load_image_arrays("fashion_mnist", "test", data_dir=fashion_mnist_dir)
    assert train_x.shape == (60000, 28, 28, 1) and test_x.shape == (10000, 28, 28, 1)
    assert np.bincount(train_y).tolist() == [6000] * 10
    assert np.bincount(test_y).tolist() == [1000] * 10


def test_prepared_tfds_image_dataset(tmp_path):
    """Any tfds image dataset prepared in a data_dir streams through the same API."""
    import tensorflow_datasets as tfds

    class KerasGenaiTestImages(tfds.core.GeneratorBasedBuilder):
        VERSION = tfds.core.Version("1.0.0")

        def _info(self):
            return tfds.core.DatasetInfo(
                builder=self,
                features=tfds.features.FeaturesDict({
                    "image": tfds.features.Image(shape=(8, 8, 3)),
                    "label": tfds.features.ClassLabel(num_classes=3),
                }),
            )

        def _split_generators(self, dl_manager):
            return {"train": self._generate_examples(6), "test": self._generate_examples(3)}

        def _generate_examples(self, n):
            for i in range(n):
                yield i, {"image": np.full((8, 8, 3), 40 * i, np.uint8), "label": i % 3}

    KerasGenaiTestImages(data_dir=str(tmp_path)).download_and_prepare()
    name = "keras_genai_test_images"
    assert data.image_datasets.dataset_info(name, str(tmp_path)) == ((8, 8, 3), 3)
    x, y = next(iter(data.image_dataset(name, "train", str(tmp_path), batch_size=6,
                                        with_labels=True, shuffle=False)))
    assert x.shape == (6, 8, 8, 3) and sorted(y.numpy().tolist()) == [0, 0, 1, 1, 2, 2]
    images, labels = data.load_image_arrays(name, "test", str(tmp_path))
    assert images.shape == (3, 8, 8, 3) and labels.dtype == np.int32
