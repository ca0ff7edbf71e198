"""The multi-network base and the regularizers: what the next GAN families build on."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_genai.losses import path_lengths, r1_penalty
from keras_genai.models import DCGAN, GAN, WGAN, MultiNetworkModel
from keras_genai.regularizers import GradientPenalty, PathLengthPenalty, R1Penalty
from keras_genai.testing import run_model_test, tiny_images


def _linear_critic(weights):
    inputs = keras.Input((len(weights),))
    critic = keras.Model([inputs], keras.layers.Dense(1, use_bias=False)(inputs))
    critic.layers[-1].kernel.assign(np.asarray(weights, np.float32).reshape(-1, 1))
    return critic


def test_r1_of_linear_critic():
    # f(x) = w . x has gradient w: ||w||^2 = 9 + 16.
    real = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    assert float(r1_penalty(_linear_critic([3.0, 4.0]), real)) == pytest.approx(25.0, rel=1e-5)


def test_path_length_of_a_scaled_identity():
    # G(z) = c z as a 32x32 image: J^T y = c y with E||y||^2 = 1, so lengths ~ c.
    lengths = path_lengths(lambda z: 3.0 * tf.reshape(z, (-1, 32, 32, 1)),
                           tf.zeros((64, 1024)), keras.random.SeedGenerator(0))
    assert lengths.shape == (64,)
    assert float(np.mean(lengths)) == pytest.approx(3.0, rel=0.02)


def test_regularizers_round_trip_and_validate():
    for regularizer in (GradientPenalty(5.0, interval=2, target=0.5), R1Penalty(gamma=4.0, interval=16),
                        PathLengthPenalty(weight=1.0, interval=4, decay=0.1)):
        again = type(regularizer).from_config(regularizer.get_config())
        assert again.get_config() == regularizer.get_config()
    assert R1Penalty(gamma=4.0).weight == 2.0
    with pytest.raises(ValueError, match="interval must be an integer >= 1 .*Received: interval=0"):
        R1Penalty(interval=0)
    with pytest.raises(ValueError, match="weight must be >= 0. Received: weight=-1"):
        GradientPenalty(-1)
    with pytest.raises(ValueError, match="regularizers must be keras_genai.regularizers.Regularizer"):
        DCGAN(widths=(4, 8), regularizers=["r1"])
    with pytest.raises(ValueError, match="names must be unique"):
        DCGAN(widths=(4, 8), regularizers=[R1Penalty(), R1Penalty()])


TINY = {
    # A lazy path-length penalty on the generator, on today's networks (R1 on the
    # discriminator goes the whole way in tests/test_new_family.py).
    "gan_path_length": (GAN, {"latent_dim": 4, "hidden_units": (16,), "ema_decay": 0.9,
                              "regularizers": [PathLengthPenalty(interval=2)]}),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TINY))
def test_harness(name, tmp_path):
    model_class, kwargs = TINY[name]
    model = run_model_test(model_class, kwargs, tmp_path)
    regularizer = model.active_regularizers[0]
    assert regularizer.name in model.tracker_names
    if isinstance(regularizer, PathLengthPenalty):
        # The running mean moved from 0 and is saved with the model.
        assert float(regularizer.mean_path_length.numpy()) > 0


def test_lazy_r1_every_kth_update_with_k_times_the_weight():
    x, _ = tiny_images(4, (-1, 1))
    model = DCGAN(latent_dim=4, widths=(4, 8), discriminator_normalization="none",
                  regularizers=[R1Penalty(gamma=2.0, interval=3)], seed=0)
    model.compile()
    model.d_optimizer.build(model.discriminator.trainable_variables)
    step = {"real": tf.constant(x), "conditions": []}
    plain = float(model.penalties("discriminator", step, training=False)["r1_penalty"])
    assert plain == pytest.approx(float(r1_penalty(model.discriminator, x)), rel=1e-5)
    for iteration in range(4):
        model.d_optimizer.iterations.assign(iteration)
        lazy = float(model.penalties("discriminator", step, training=True)["r1_penalty"])
        assert lazy == pytest.approx((3.0 if iteration % 3 == 0 else 0.0) * plain, rel=1e-5)


def test_learning_rates_by_role():
    model = DCGAN(latent_dim=4, widths=(4, 8))
    optimizers = model.default_optimizers({"discriminator": 4e-4, "generator": 1e-4})
    assert float(optimizers["d_optimizer"].learning_rate) == pytest.approx(4e-4)
    assert float(optimizers["g_optimizer"].learning_rate) == pytest.approx(1e-4)
    assert float(model.default_optimizers(3e-4)["g_optimizer"].learning_rate) == pytest.approx(3e-4)
    assert model.learning_rates() == {"discriminator": 2e-4, "generator": 2e-4}
    assert isinstance(WGAN(latent_dim=4, widths=(4, 8)).default_optimizers()["d_optimizer"],
                      keras.optimizers.RMSprop)
    with pytest.raises(ValueError, match=r"roles \['discriminator', 'generator'\]. Received: learning_rate="):
        model.default_optimizers({"critic": 1e-4})


@keras.saving.register_keras_serializable(package="keras_genai_tests")
class ToyTranslator(MultiNetworkModel):
    """CycleGAN's shape on the base: no z, two generators and two discriminators,
    unpaired (x_a, x_b) input, two optimizers over two networks each."""

    tracker_names = ("d_loss", "g_loss")
    value_range = (-1.0, 1.0)
    optimizer_names = {"discriminator": "d_optimizer", "generator": "g_optimizer"}
    ema_networks = ("generator_ab",)

    def __init__(self, size=4, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.generator_ab, self.generator_ba = (self._net(f"generator_{n}", "tanh") for n in ("ab", "ba"))
        self.discriminator_a, self.discriminator_b = (self._net(f"discriminator_{n}", None) for n in "ab")
        self.finish_networks()

    def _net(self, name, activation):
        x = keras.Input((self.size,))
        units = self.size if activation else 1
        # A list of inputs, as every network of the base: regularizers call it with [x] + conditions.
        return keras.Model([x], keras.layers.Dense(units, activation=activation)(x), name=name)

    def networks_of(self, role):
        if role == "generator":
            return [self.generator_ab, self.generator_ba]
        return [self.discriminator_a, self.discriminator_b]

    def expected_input_shape(self):
        return (self.size,)

    @property
    def data_form(self):
        return "domains"

    def train_step(self, data):
        x_a, x_b = self.unpack_domains(data)
        fake_b, fake_a = self.generator_ab([x_a]), self.generator_ba([x_b])

        def d_losses():
            loss = (keras.ops.mean(keras.ops.square(self.discriminator_b([x_b]) - 1))
                    + keras.ops.mean(keras.ops.square(self.discriminator_a([fake_a]))))
            return loss, {"d_loss": loss}

        def g_losses():
            cycle = keras.ops.mean(keras.ops.abs(self.generator_ba([self.generator_ab([x_a])]) - x_a))
            loss = keras.ops.mean(keras.ops.square(self.discriminator_b([self.generator_ab([x_a])]) - 1)) + 10 * cycle
            return loss, {"g_loss": loss}

        losses = {**self.update("discriminator", d_losses, {"real": x_b, "fake": fake_b, "conditions": []}),
                  **self.update("generator", g_losses)}
        self.update_ema()
        return self.update_trackers(losses, x_a)

    def get_config(self):
        return {**super().get_config(), "size": self.size}


def test_a_translation_model_on_the_base(tmp_path):
    rng = np.random.default_rng(0)
    x_a, x_b = (np.tanh(rng.normal(size=(16, 4))).astype("float32") for _ in range(2))
    model = ToyTranslator(ema_decay=0.5, regularizers=[GradientPenalty(1.0, network="discriminator_b")], seed=0)
    model.compile()
    before = model.generator_ba.get_weights()[0].copy()
    history = model.fit(tf.data.Dataset.from_tensor_slices((x_a, x_b)).batch(8), epochs=1, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "gradient_penalty"}
    # Both generators trained by the one generator optimizer; its update count is the step count.
    assert not np.allclose(model.generator_ba.get_weights()[0], before)
    assert int(model.g_optimizer.iterations.numpy()) == 2
    assert not np.allclose(model.ema_generator_ab.get_weights()[0], model.generator_ab.get_weights()[0])
    path = os.path.join(str(tmp_path), "toy.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    for a, b in zip(loaded.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert int(loaded.d_optimizer.iterations.numpy()) == 2
    loaded.fit((x_a, x_b), batch_size=8, epochs=1, verbose=0)  # arrays: the same form
    assert int(loaded.d_optimizer.iterations.numpy()) == 4
    # (images, labels) is not the declared form: the check names what it received.
    with pytest.raises(ValueError, match=r"pairs of unpaired batches \(x_a, x_b\).*and y"):
        model.fit(x_a, np.zeros(16), verbose=0)
    with pytest.raises(ValueError, match=r"domain b as batches of images of shape \(batch, 4\)"):
        model.fit(tf.data.Dataset.from_tensor_slices((x_a, x_b[:, :3])).batch(8), verbose=0)
