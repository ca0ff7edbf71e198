"""CycleGAN: the losses, the two-domain data, the harness, the learning-rate rule, bad input."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_genai.callbacks import LinearLearningRateDecay
from keras_genai.data import domains_dataset, load_domain
from keras_genai.losses import cycle_consistency_loss, identity_loss
from keras_genai.models import CycleGAN
from keras_genai.testing import run_config_test, run_model_test, run_precision_test, tiny_images

TINY = {"generator_filters": 4, "downsamplings": 1, "residual_blocks": 1, "discriminator_filters": 4,
        "discriminator_layers": 1, "pool_size": 4, "seed": 0}


def test_cycle_and_identity_losses_by_hand():
    real = np.array([[0.0, 1.0], [-1.0, 0.5]], "float32")
    back = np.array([[0.5, 1.0], [-1.0, -0.5]], "float32")
    # |0.5| + 0 + 0 + |1.0| over 4 values.
    assert float(cycle_consistency_loss(real, back)) == pytest.approx(0.375)
    assert float(identity_loss(real, real)) == 0.0


def test_config_round_trip():
    images = tiny_images(4, (-1, 1))[0]
    run_config_test(CycleGAN, TINY, data=(images, -images))


@pytest.mark.slow
def test_harness(tmp_path):
    # float16 parity of both directions is checked on the CLI's export (test_cli_train_...), not
    # converted here a second time.
    model = run_model_test(CycleGAN, TINY, tmp_path)
    # Four networks, two optimizers each over two of them; one .keras file reloads with all.
    loaded = keras.saving.load_model(os.path.join(str(tmp_path), "model.keras"))
    assert len(loaded.d_optimizer.variables) == len(model.d_optimizer.variables) > 2
    assert int(loaded.g_optimizer.iterations.numpy()) == int(model.g_optimizer.iterations.numpy()) > 0
    np.testing.assert_array_equal(loaded.pool_b.images.numpy(), model.pool_b.images.numpy())


def test_fp16_uses_loss_scaling():
    model = run_precision_test(CycleGAN, TINY, "mixed_float16")
    assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)


def test_one_step_trains_both_generators_and_both_discriminators():
    (x_a, _), (x_b, _) = tiny_images(8, (-1, 1), 0), tiny_images(8, (-1, 1), 1)
    model = CycleGAN(**TINY)
    model.compile()
    before = {n: getattr(model, n).get_weights()[0].copy()
              for n in ("generator_ab", "generator_ba", "discriminator_a", "discriminator_b")}
    history = model.fit(tf.data.Dataset.from_tensor_slices((x_a, x_b)).batch(4), epochs=1, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "cycle_loss", "identity_loss"}
    for name, weights in before.items():
        assert not np.allclose(getattr(model, name).get_weights()[0], weights), name
    # The generators' total is its adversarial terms plus 10 x cycle plus 5 x identity.
    adversarial = history.history["g_loss"][0] - 10 * history.history["cycle_loss"][0] - 5 * history.history["identity_loss"][0]
    assert adversarial > 0
    assert int(model.pool_a.count.numpy()) == 4  # the pool filled up to its size, no more


def test_learning_rates_constant_then_linear_to_zero():
    model = CycleGAN(**TINY)
    model.compile(**model.default_optimizers(1e-3))
    callbacks = model.training_callbacks(epochs=4, learning_rate=1e-3)
    assert [type(c) for c in callbacks] == [LinearLearningRateDecay]
    decay = callbacks[0]
    decay.set_model(model)
    rates = []
    for epoch in range(4):
        decay.on_epoch_begin(epoch)
        rates.append([float(model.optimizer_of(role).learning_rate) for role in ("generator", "discriminator")])
    # The reference's lambda_rule for 2 + 2 epochs: 1, 1, 2/3, 1/3.
    np.testing.assert_allclose(rates, np.array([[1, 1], [1, 1], [2 / 3] * 2, [1 / 3] * 2]) * 1e-3, rtol=1e-5)
    assert CycleGAN(**TINY, learning_rate_decay_start=None).training_callbacks(4) == []


def _index_images(n, offset=0):
    return np.arange(offset, offset + n, dtype=np.uint8).reshape(n, 1, 1, 1) * np.ones((1, 4, 4, 1), np.uint8)


def test_domains_are_shuffled_independently_never_paired():
    a, b = _index_images(64), _index_images(40, 100)
    dataset = domains_dataset(a, b, batch_size=8, value_range=(0.0, 1.0), seed=3)
    pairs = []
    for x_a, x_b in dataset:
        index_a = np.round(x_a.numpy()[:, 0, 0, 0] * 255).astype(int)
        index_b = np.round(x_b.numpy()[:, 0, 0, 0] * 255).astype(int) - 100
        pairs += list(zip(index_a, index_b))
    # One epoch covers the larger domain once (64 / 8 batches); the smaller one repeats.
    assert len(pairs) == 64 and sorted(i for i, _ in pairs) == list(range(64))
    assert set(j for _, j in pairs) == set(range(40))
    # Index-aligned pairs would give i == j everywhere; independent shuffles almost never do.
    assert sum(i == j for i, j in pairs) <= 5
    second = [(int(i), int(j)) for x_a, x_b in dataset
              for i, j in zip(np.round(x_a.numpy()[:, 0, 0, 0] * 255), np.round(x_b.numpy()[:, 0, 0, 0] * 255) - 100)]
    assert second != pairs  # reshuffled every epoch


def _folder(path, images, mode="L"):
    os.makedirs(path, exist_ok=True)
    for i, image in enumerate(images):
        Image.fromarray(image.squeeze(-1) if mode == "L" else image, mode).save(os.path.join(path, f"{i:03d}.png"))
    return str(path)


def test_folders_hold_out_a_test_split_and_skip_hidden(tmp_path):
    images = (tiny_images(20)[0] * 255).astype(np.uint8)
    folder = _folder(tmp_path / "a", images)
    _folder(tmp_path / "a" / ".thumbs", images[:3])
    train, test = (load_domain(folder, split, image_size=16, seed=1) for split in ("train", "test"))
    assert train.shape == (18, 16, 16, 1) and test.shape == (2, 16, 16, 1)
    again = load_domain(folder, "test", image_size=16, seed=1)
    np.testing.assert_array_equal(again, test)  # the seed fixes the held-out images


def test_domain_errors(tmp_path, capsys):
    gray = (tiny_images(4)[0] * 255).astype(np.uint8)
    mixed = _folder(tmp_path / "mixed", gray)
    Image.fromarray(np.repeat(gray[0], 3, axis=-1), "RGB").save(os.path.join(mixed, "colour.png"))
    with pytest.raises(ValueError, match="mix grayscale and colour images. Pass channels=1"):
        load_domain(mixed, image_size=28)
    assert load_domain(mixed, image_size=28, channels=3).shape[-1] == 3
    os.makedirs(tmp_path / "empty")
    with pytest.raises(ValueError, match="holds no images"):
        load_domain(str(tmp_path / "empty"))
    with pytest.raises(ValueError, match="not a folder"):
        load_domain(str(tmp_path / "nowhere"))
    with pytest.raises(ValueError, match=r"has no class 'sock'. Its classes: square, disk"):
        load_domain("shapes:sock")
    with pytest.raises(ValueError, match=r"differ in shape: a \(28, 28, 1\), b \(28, 28, 3\)"):
        domains_dataset(np.zeros((4, 28, 28, 1), np.uint8), np.zeros((4, 28, 28, 3), np.uint8))
    with pytest.raises(ValueError, match="Domain b is empty"):
        domains_dataset(np.zeros((4, 28, 28, 1), np.uint8), np.zeros((0, 28, 28, 1), np.uint8))


def test_named_dataset_class_by_name_or_index():
    disks = load_domain("shapes:disk")
    np.testing.assert_array_equal(disks, load_domain("shapes:1"))
    assert disks.shape[1:] == (28, 28, 1) and 0 < len(disks) < 4096


def test_tfds_dataset_with_a_and_b_splits(tmp_path):
    # The path tfds' cycle_gan/* datasets take, on a tiny builder prepared here (no download).
    import tensorflow_datasets as tfds

    class TinyTranslationPairs(tfds.core.GeneratorBasedBuilder):
        VERSION = tfds.core.Version("1.0.0")

        def _info(self):
            return tfds.core.DatasetInfo(builder=self, features=tfds.features.FeaturesDict(
                {"image": tfds.features.Image(shape=(8, 8, 3)), "label": tfds.features.ClassLabel(num_classes=2)}))

        def _split_generators(self, dl_manager):
            return {f"{split}{d}": self._generate_examples(n, int(d == "B"))
                    for split, n in (("train", 6), ("test", 2)) for d in "AB"}

        def _generate_examples(self, n, label):
            for i in range(n):
                yield i, {"image": np.full((8, 8, 3), 10 * i + 100 * label, np.uint8), "label": label}

    builder = TinyTranslationPairs(data_dir=str(tmp_path))
    builder.download_and_prepare()
    name = builder.name
    train_b = load_domain(f"{name}:B", "train", data_dir=str(tmp_path))
    assert train_b.shape == (6, 8, 8, 3) and train_b.min() >= 100
    assert load_domain(f"{name}:A", "test", image_size=4, channels=1, data_dir=str(tmp_path)).shape == (2, 4, 4, 1)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match=r"divisible by 4 \(2 \*\* downsamplings\). Received: image_shape=\(30, 30, 1\)"):
        CycleGAN(image_shape=(30, 30, 1))
    with pytest.raises(ValueError, match="residual_blocks must be an integer >= 0. Received: residual_blocks=-1"):
        CycleGAN(residual_blocks=-1)
    with pytest.raises(ValueError, match="learning_rate_decay_start must be in"):
        CycleGAN(learning_rate_decay_start=1.5)
    model = CycleGAN(**TINY)
    with pytest.raises(ValueError, match="direction must be 'a2b' or 'b2a'. Received: direction='ab'"):
        model.translate(np.zeros((1, 28, 28, 1), "float32"), "ab")
    with pytest.raises(ValueError, match=r"pairs of unpaired batches \(x_a, x_b\)"):
        model.fit(np.zeros((4, 28, 28, 1), "float32"), verbose=0)


@pytest.mark.slow
def test_cli_train_on_two_folders_then_translate(tmp_path, capsys):
    from keras_genai.cli.main import main
    from keras_genai.data import make_shapes

    images, labels = make_shapes(96, seed=0)
    squares, disks = (_folder(tmp_path / name, images[labels == i][:16]) for i, name in ((0, "squares"), (1, "disks")))
    run = str(tmp_path / "run")
    assert main(["train", "cyclegan", "--preset", "tiny", "--domain-a", squares, "--domain-b", disks,
                 "--epochs", "1", "--batch-size", "4", "--out", run]) == 0
    with open(os.path.join(run, "config.json")) as f:
        training = json.load(f)["training"]
    # Seeded 10% of each folder held out for validation, recorded with the run.
    assert training["domain_images"] == {"a_train": 14, "a_test": 2, "b_train": 14, "b_test": 2}
    assert os.path.exists(os.path.join(run, "export", "litert", "b2a_float32.tflite"))
    out = str(tmp_path / "translated")
    assert main(["translate", run, "--direction", "a2b", "--input", squares, "--out", out]) == 0
    assert len([f for f in os.listdir(out) if f != "sheet.png"]) == 16 and os.path.exists(os.path.join(out, "sheet.png"))
    assert "translated 16 images" in capsys.readouterr().out
    # eval scores the run on its own domains' held-out images; sample points at translate.
    assert main(["eval", run, "--out", str(tmp_path / "eval.json")]) == 0
    with open(tmp_path / "eval.json") as f:
        assert set(json.load(f)["metrics"]) == {"d_loss", "g_loss", "cycle_loss", "identity_loss"}
    # train exported float32 above; float16 within the harness's tolerance for quantized files
    # (int8 calibration and conversion: test_export's battery).
    assert main(["export", run, "--out", str(tmp_path / "exported"), "--quantize", "float16"]) == 0
    assert sorted(os.listdir(tmp_path / "exported" / "litert")) == ["a2b_float16.tflite", "b2a_float16.tflite"]
    with open(tmp_path / "exported" / "report.json") as f:
        rows = json.load(f)["litert"]
    float16 = [row for row in rows if row["quantization"] == "float16"]
    assert sorted(row["endpoint"] for row in float16) == ["a2b", "b2a"]
    assert all(row["max_abs_diff"] <= 0.1 for row in float16), float16
    assert main(["sample", run, "--out", str(tmp_path / "grid.png")]) == 2
    assert "use `keras-genai translate" in capsys.readouterr().err
    # Bad input: one line, exit 2, nothing overwritten.
    assert main(["translate", run, "--direction", "a2b", "--input", squares, "--out", out]) == 2
    assert "is not empty" in capsys.readouterr().err
    for argv in (["--direction", "ab", "--input", squares, "--out", out], ["--input", squares, "--out", out]):
        with pytest.raises(SystemExit) as info:  # argparse: usage and one line, exit 2
            main(["translate", run] + argv)
        assert info.value.code == 2
    assert main(["train", "dcgan", "--preset", "tiny", "--domain-a", squares, "--out", str(tmp_path / "d")]) == 2
    assert "are for translation models such as cyclegan" in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "d")
    assert main(["train", "cyclegan", "--preset", "tiny", "--domain-a", squares, "--domain-b",
                 str(tmp_path / "nowhere"), "--out", str(tmp_path / "e")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_translate_refuses_a_model_that_is_not_a_translator(tmp_path):
    from keras_genai.models import DCGAN
    from keras_genai.training import translate

    path = str(tmp_path / "dcgan.keras")
    DCGAN(latent_dim=4, widths=(4, 8)).save(path)
    with pytest.raises(ValueError, match="translate needs a translation model such as cyclegan. Received: a DCGAN"):
        translate(path, "a2b", str(tmp_path), str(tmp_path / "out"))


def test_paper_preset_matches_the_reference_network_sizes():
    from keras_genai.models.registry import get_preset

    model = CycleGAN(**get_preset("cyclegan", "paper"))
    # pytorch-CycleGAN-and-pix2pix prints 11.378 M (resnet_9blocks) and 2.765 M (basic 70x70 PatchGAN).
    assert model.generator_ab.count_params() / 11.378e6 == pytest.approx(1.0, abs=1e-3)
    assert model.discriminator_a.count_params() / 2.765e6 == pytest.approx(1.0, abs=1e-3)
    assert tuple(model.discriminator_a.output.shape) == (None, 32, 32, 1)
    assert tuple(model.generator_ab.output.shape) == (None, 256, 256, 3)
