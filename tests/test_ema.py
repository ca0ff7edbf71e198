"""The generator's weight average: its warm-up, its saved update count, the grids until it is warm."""

import keras
import numpy as np
import pytest

from keras_genai.models import ConditionalGAN, DCGAN
from keras_genai.testing import tiny_images

TINY_EMA = {"latent_dim": 4, "widths": (4, 8), "ema_decay": 0.999, "seed": 0}


def short_run(warm_start, steps=40):
    """`mean |EMA generator - raw generator|` over fixed noise after `steps` updates.

    `warm_start` sets the update count past the warm-up first, so the decay is
    `ema_decay` from the first update: the rule before the warm-up existed.
    """
    keras.utils.set_random_seed(0)
    x, _ = tiny_images(16, (-1, 1))
    model = DCGAN(**TINY_EMA)
    z = model.sample_latents(32, seed=1)
    initial = model.generator.predict(z, verbose=0)
    if warm_start:
        model.ema_updates.assign(model.ema_warmup_updates)
    model.compile(**model.default_optimizers(2e-3))
    # One epoch of `steps` batches: tracing once keeps the test short.
    model.fit(np.tile(x, (steps, 1, 1, 1)), batch_size=16, epochs=1, verbose=0)
    assert int(model.ema_updates.numpy()) == steps + (model.ema_warmup_updates if warm_start else 0)
    raw = model.generator.predict(z, verbose=0)
    return np.abs(model.ema_generator.predict(z, verbose=0) - raw).mean(), np.abs(raw - initial).mean()


@pytest.mark.slow
def test_short_run_ema_samples_are_close_to_the_raw_generator():
    warm_up, moved = short_run(warm_start=False)
    fixed, _ = short_run(warm_start=True)
    # The fixed 0.999 still holds 0.999**40 = 96% of the initial weights.
    assert warm_up < 0.25 * fixed, (warm_up, fixed)
    assert warm_up < 0.25 * moved, (warm_up, moved)


def test_decay_grows_to_ema_decay():
    model = DCGAN(**TINY_EMA)
    decays = [float(model.ema_decay_at(float(t))) for t in (0, 90, 8989, 8990, 10**6)]
    np.testing.assert_allclose(decays, [0.1, 0.91, 8990 / 8999, 0.999, 0.999], rtol=1e-6)
    assert model.ema_warmup_updates == 8990
    assert DCGAN(latent_dim=4, widths=(4, 8), ema_decay=0.05).ema_warmup_updates == 0


@pytest.mark.slow
def test_update_count_survives_save_and_weights_backup(tmp_path):
    x, _ = tiny_images(16, (-1, 1))
    model = DCGAN(**TINY_EMA)
    model.compile()
    model.fit(x, batch_size=8, epochs=2, verbose=0)
    assert int(model.ema_updates.numpy()) == 4
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert int(loaded.ema_updates.numpy()) == 4
    z = model.sample_latents(4)
    np.testing.assert_allclose(loaded.generate(z=z), model.generate(z=z), atol=1e-6)
    # What BackupAndRestore (--resume) writes and reads.
    model.save_weights(tmp_path / "m.weights.h5")
    fresh = DCGAN(**TINY_EMA)
    fresh.load_weights(tmp_path / "m.weights.h5")
    assert int(fresh.ema_updates.numpy()) == 4


def test_files_from_before_the_update_count_load_as_warmed_up(tmp_path, monkeypatch):
    from keras_genai.models.gan.multi_network_model import MultiNetworkModel

    model = DCGAN(**TINY_EMA)
    with monkeypatch.context() as m:
        # The model then had no variable of its own to save.
        m.setattr(MultiNetworkModel, "save_own_variables", lambda self, store: None)
        model.save(tmp_path / "old.keras")
    loaded = keras.saving.load_model(tmp_path / "old.keras")
    assert loaded.ema_warmed_up and int(loaded.ema_updates.numpy()) == 8990


@pytest.mark.parametrize("decay, rows", [(0.999, ["samples", "raw_generator_samples", "real"]),
                                         (None, ["samples", "real"])])
def test_grids_show_the_raw_generator_until_the_average_is_warm(decay, rows):
    x, y = tiny_images(4, (-1, 1))
    model = ConditionalGAN(num_classes=4, latent_dim=4, widths=(4, 8), ema_decay=decay, seed=0)
    grid = model.grid_images(x, y)
    assert list(grid) == rows
    if decay:
        model.ema_updates.assign(model.ema_warmup_updates)
        assert model.ema_warmed_up and list(model.grid_images(x, y)) == ["samples", "real"]
