"""The truncation trick: z drawn from the truncated normal, from the API and `sample`."""

import numpy as np
import pytest

from keras_genai.models import DCGAN, VAE
from keras_genai.models.latents import standard_normal_codes
from keras_genai.training import sample


def test_truncated_codes_stay_inside_and_are_not_clipped():
    z = standard_normal_codes(2000, 8, seed=3, truncation=0.5)
    assert np.abs(z).max() <= 0.5
    # A truncated normal, not a clipped one: no mass piled up at the bound.
    assert np.mean(np.abs(z) > 0.49) < 0.05
    # The std of N(0, 1) truncated to [-0.5, 0.5] is 0.2841.
    assert abs(z.std() - 0.2841) < 0.01
    np.testing.assert_array_equal(z, standard_normal_codes(2000, 8, seed=3, truncation=0.5))
    np.testing.assert_array_equal(standard_normal_codes(5, 3, seed=1),
                                  np.random.default_rng(1).standard_normal((5, 3)).astype("float32"))


def test_gan_generate_truncates_and_names_bad_thresholds():
    gan = DCGAN(latent_dim=4, widths=(4, 8))
    assert gan.generate(2, seed=0, truncation=0.3).shape == (2, 28, 28, 1)
    for bad in (0, -1.0, "a", True):
        with pytest.raises(ValueError, match="truncation.*Received: truncation="):
            gan.generate(2, truncation=bad)
    with pytest.raises(ValueError, match="z or truncation, not both"):
        gan.generate(2, z=np.zeros((2, 4)), truncation=1.0)


def test_sample_refuses_truncation_for_models_that_do_not_draw_it(tmp_path):
    vae = VAE(latent_dim=2, widths=(4,))
    with pytest.raises(ValueError, match="VAE does not draw z by truncation.*Received: truncation=0.5"):
        sample(vae, num=2, out=str(tmp_path / "grid.png"), truncation=0.5)
