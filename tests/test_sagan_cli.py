"""SAGAN / BigGAN from the CLI: a CIFAR-10-shaped tfds dataset prepared locally (no download),
and bad input named in one line."""

import json
import os

import numpy as np
import pytest

from keras_genai.cli.main import main


def _prepare_tiny_cifar(data_dir):
    import tensorflow_datasets as tfds

    class TinyCifarLike(tfds.core.GeneratorBasedBuilder):
        """32x32 RGB images in 10 classes, the shape of tfds' cifar10."""

        VERSION = tfds.core.Version("1.0.0")

        def _info(self):
            return tfds.core.DatasetInfo(builder=self, features=tfds.features.FeaturesDict(
                {"image": tfds.features.Image(shape=(32, 32, 3)), "label": tfds.features.ClassLabel(num_classes=10)}))

        def _split_generators(self, dl_manager):
            return {"train": self._generate_examples(16), "test": self._generate_examples(8)}

        def _generate_examples(self, n):
            rng = np.random.default_rng(n)
            for i in range(n):
                yield i, {"image": rng.integers(0, 256, (32, 32, 3), dtype=np.uint8), "label": i % 10}

    builder = TinyCifarLike(data_dir=data_dir)
    builder.download_and_prepare()
    return builder.name


@pytest.mark.slow
def test_biggan_trains_on_a_prepared_tfds_dataset_of_cifar10_shape(tmp_path, capsys):
    name = _prepare_tiny_cifar(str(tmp_path / "tfds"))
    out = str(tmp_path / "run")
    assert main(["train", "biggan", "--preset", "tiny", "--dataset", name, "--data-dir", str(tmp_path / "tfds"),
                 "--set", "generator_attention=16", "--set", "discriminator_attention=16", "--epochs", "1",
                 "--batch-size", "8", "--export", "none", "--out", out]) == 0
    config = json.load(open(os.path.join(out, "config.json")))
    assert config["model_config"]["image_shape"] == [32, 32, 3] and config["model_config"]["num_classes"] == 10
    assert main(["sample", out, "--num", "4", "--label", "9", "--truncation", "0.5",
                 "--out", str(tmp_path / "grid.png")]) == 0
    assert os.path.getsize(tmp_path / "grid.png") > 0


@pytest.mark.parametrize("args, message", [
    (["train", "sagan", "--preset", "tiny", "--dataset", "shapes", "--set", "generator_attention=7"],
     "generator_attention must be None or a resolution one of its blocks outputs, [14, 28]. "
     "Received: generator_attention=7"),
    (["train", "biggan", "--preset", "tiny", "--dataset", "shapes", "--set", "latent_dim=7"],
     "latent_dim must be divisible by 3. Received: latent_dim=7"),
    (["train", "sagan", "--preset", "tiny", "--image-folder", "{folder}", "--image-size", "30"],
     "divisible by 4 (2 ** len(generator_widths)). Received: image_shape=(30, 30, 1)"),
])
def test_bad_configurations_are_one_line_errors(args, message, tmp_path, capsys):
    import keras

    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(4):
        keras.utils.save_img(str(folder / f"{i}.png"), np.full((30, 30, 1), 60 * i, np.uint8), scale=False)
    args = [a.replace("{folder}", str(folder)) for a in args]
    out = tmp_path / "run"
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
