"""DiffAugment: each operation does what the paper's reference does, is differentiable, and the
GAN step applies it to the real and the generated batches in both updates."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_genai.models.gan.diff_augment import diff_augment, parse_policy
from keras_genai.training import build_model


def test_policy_names_are_checked():
    assert parse_policy("color, cutout") == ("color", "cutout")
    assert parse_policy(None) == ()
    with pytest.raises(ValueError, match="policies are color, translation, cutout"):
        parse_policy("colour")


def test_translation_moves_each_image_and_fills_with_zeros():
    images = np.zeros((64, 16, 16, 1), "float32")
    images[:, 8, 8, 0] = 1.0  # one bright pixel
    moved = np.asarray(diff_augment(images, "translation", keras.random.SeedGenerator(0)))
    # Each image keeps its one pixel (shifts of at most 16 / 8 = 2 stay inside), moved by at most 2.
    assert np.allclose(moved.sum(axis=(1, 2, 3)), 1.0)
    rows, columns = np.nonzero(moved[..., 0].max(axis=2))[1], np.nonzero(moved[..., 0].max(axis=1))[1]
    assert np.abs(rows - 8).max() <= 2 and np.abs(columns - 8).max() <= 2
    assert len(set(zip(rows, columns))) > 5  # each image draws its own shift
    edge = np.ones((64, 16, 16, 1), "float32")
    filled = np.asarray(diff_augment(edge, "translation", keras.random.SeedGenerator(1)))
    assert filled.min() == 0.0 and set(np.unique(filled)) <= {0.0, 1.0}


def test_cutout_zeroes_one_square_of_half_the_size():
    images = np.ones((32, 16, 16, 1), "float32")
    cut = np.asarray(diff_augment(images, "cutout", keras.random.SeedGenerator(0)))
    zeros = (cut[..., 0] == 0).sum(axis=(1, 2))
    assert zeros.max() == 8 * 8 and zeros.min() > 0  # whole inside, or clipped at a border
    for image in cut[..., 0]:
        rows, columns = np.nonzero(image == 0)
        assert (rows.max() - rows.min() + 1) * (columns.max() - columns.min() + 1) == len(rows)  # a rectangle


def test_color_and_all_are_differentiable():
    images = tf.Variable(np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 3)).astype("float32"))
    with tf.GradientTape() as tape:
        out = diff_augment(images, "color,translation,cutout", keras.random.SeedGenerator(0))
        loss = tf.reduce_sum(out)
    gradient = tape.gradient(loss, images)
    assert gradient is not None and float(tf.reduce_sum(tf.abs(gradient))) > 0
    colour = np.asarray(diff_augment(images.numpy(), "color", keras.random.SeedGenerator(0)))
    assert not np.allclose(colour, images.numpy())


def test_the_gan_step_augments_real_and_fake_in_both_updates():
    model = build_model("dcgan", "tiny", overrides={"augment": "translation,cutout"})
    seen = []
    original = model.augment_for_discriminator

    def spy(images):
        seen.append(images)
        return original(images)

    model.augment_for_discriminator = spy
    model.compile(**model.default_optimizers(), run_eagerly=True)
    real = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    model.train_on_batch(real)
    # The discriminator update: real, then its fake; the generator update: a fake.
    assert len(seen) == 3
    np.testing.assert_array_equal(np.asarray(seen[0]), real)
    assert not np.allclose(np.asarray(seen[1]), real) and not np.allclose(np.asarray(seen[2]), real)
    model.evaluate(real, verbose=0)  # no augmentation outside training
    assert len(seen) == 3
    assert build_model("dcgan", "tiny", overrides={"augment": "cutout"}).get_config()["augment"] == "cutout"
