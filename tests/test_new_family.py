"""What a newcomer writes to add a GAN family: a class file and a preset registration.

Nothing else: not the base, not the CLI, not the export code. The family here
is small on purpose (DCGAN networks, TTUR learning rates, R1 on real images as
the rule's own regularizer) but goes the whole way a user would: `train` from
the CLI, `models`, `sample`, `export` with parity, `.keras` reload.
"""

import json
import os

import keras
import pytest

from keras_genai.cli.main import main
from keras_genai.models import DCGAN
from keras_genai.models.presets import register_presets
from keras_genai.models.registry import MODELS, describe_optimizers
from keras_genai.regularizers import R1Penalty


# === What would be keras_genai/models/gan/r1_gan.py ===
@keras.saving.register_keras_serializable(package="keras_genai_tests")
class R1GAN(DCGAN):
    """DCGAN networks, non-saturating loss, lazy R1 on real images, TTUR."""

    def __init__(self, r1_gamma=1.0, r1_interval=4, **kwargs):
        self.r1_gamma = r1_gamma
        self.r1_interval = r1_interval
        kwargs.setdefault("discriminator_normalization", "none")
        super().__init__(**kwargs)

    @property
    def default_learning_rates(self):
        return {"discriminator": 4e-4, "generator": 1e-4}

    def build_optimizer(self, role, learning_rate):
        return keras.optimizers.Adam(learning_rate, beta_1=0.0, beta_2=0.9)

    def default_regularizers(self):
        return [R1Penalty(self.r1_gamma, self.r1_interval)]


# === What would be keras_genai/models/gan/r1_gan_presets.py ===
R1GAN_PRESETS = {
    "r1_gan": {
        "presets": {"cpu": {"latent_dim": 64, "widths": [64, 128]},
                    "tiny": {"latent_dim": 4, "widths": [4, 8], "r1_interval": 2}},
        "fit": {"epochs": 10, "batch_size": 64,
                "learning_rate": {"discriminator": 4e-4, "generator": 1e-4}},
    },
}


@pytest.fixture
def registered_family():
    register_presets(R1GAN_PRESETS, R1GAN)
    yield
    MODELS.pop("r1_gan")


@pytest.mark.slow
def test_a_new_family_trains_samples_and_exports_from_the_cli(registered_family, tmp_path, capsys):
    out = str(tmp_path / "run")
    assert main(["train", "r1_gan", "--preset", "tiny", "--dataset", "shapes", "--epochs", "1",
                 "--steps-per-epoch", "2", "--out", out]) == 0
    metrics = json.load(open(os.path.join(out, "metrics.json")))
    assert {"d_loss", "g_loss", "r1_penalty"} <= set(metrics[-1])
    report = json.load(open(os.path.join(out, "export", "report.json")))
    assert report["litert"] and all(row["max_abs_diff"] < 1e-3 for row in report["litert"])
    model = keras.saving.load_model(os.path.join(out, "model.keras"))
    assert type(model) is R1GAN and model.active_regularizers[0].interval == 2
    assert main(["sample", out, "--num", "4", "--out", str(tmp_path / "grid.png")]) == 0
    assert os.path.getsize(tmp_path / "grid.png") > 0
    capsys.readouterr()
    assert main(["models"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("r1_gan "))
    assert "R1GAN" in row and "Adam" in row
    # TTUR from the budget's rates by role, named per network.
    assert describe_optimizers("r1_gan") == ("D: Adam(lr=4e-4, beta_1=0, beta_2=0.9); "
                                             "G: Adam(lr=1e-4, beta_1=0, beta_2=0.9)")
    assert float(model.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-4)
