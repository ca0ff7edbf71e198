"""GANs: the shared harness plus the adversarial specifics."""

import keras
import numpy as np
import pytest

from keras_genai.data import mixture
from keras_genai.layers import MaximumLeakyReLU
from keras_genai.losses import ADVERSARIAL_LOSSES, gradient_penalty
from keras_genai.metrics import mode_coverage
from keras_genai.models import GAN, SAGAN, BigGAN, WGAN, WGANGP, ConditionalGAN, ConditionalSAGAN, DCGAN
from keras_genai.testing import run_model_test, run_precision_test, tiny_images

TINY = {
    "gan": (GAN, {"latent_dim": 4, "hidden_units": (16,)}),
    "dcgan": (DCGAN, {"latent_dim": 4, "widths": (4, 8), "ema_decay": 0.9}),
    "dcgan_spectral_hinge": (DCGAN, {"latent_dim": 4, "widths": (4, 8), "adversarial_loss": "hinge",
                                     "discriminator_normalization": "spectral"}),
    "cgan": (ConditionalGAN, {"num_classes": 4, "latent_dim": 4, "widths": (4, 8), "label_embedding_dim": 2}),
    "wgan": (WGAN, {"latent_dim": 4, "widths": (4, 8), "critic_steps": 2}),
    "wgan_gp": (WGANGP, {"latent_dim": 4, "widths": (4, 8), "critic_steps": 2}),
    "wgan_gp_lazy_joint": (WGANGP, {"latent_dim": 4, "widths": (4, 8), "critic_steps": 2,
                                    "penalty_interval": 2, "joint_discriminator_call": True}),
    "sagan": (SAGAN, {"latent_dim": 4, "generator_widths": (8, 8), "discriminator_widths": (8, 8),
                      "ema_decay": 0.9}),
    "csagan_pooled": (ConditionalSAGAN, {"num_classes": 4, "latent_dim": 4, "generator_widths": (8, 8),
                                         "discriminator_widths": (8, 8), "pooled_attention": True}),
    "biggan": (BigGAN, {"num_classes": 4, "latent_dim": 6, "shared_embedding_dim": 4, "generator_widths": (8, 8),
                        "discriminator_widths": (8, 8), "ema_decay": 0.9}),
}


# Variants of a class the harness already runs: one training step each by default, the whole
# harness with --exhaustive.
VARIANTS = ('dcgan_spectral_hinge', 'wgan_gp_lazy_joint')


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.exhaustive) if n in VARIANTS else n
                                  for n in sorted(TINY)])
def test_harness(name, tmp_path):
    model_class, kwargs = TINY[name]
    run_model_test(model_class, kwargs, tmp_path)


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_trains_a_step(name):
    model_class, kwargs = TINY[name]
    run_precision_test(model_class, kwargs, "float32")


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("name", ["wgan_gp", "cgan"])
def test_mixed_precision(name, policy):
    model_class, kwargs = TINY[name]
    run_precision_test(model_class, kwargs, policy)


def test_gradient_penalty_of_linear_critic():
    # f(x) = w . x has gradient w everywhere: penalty = (||w|| - 1)^2 = (5 - 1)^2.
    inputs = keras.Input((2,))
    critic = keras.Model([inputs], keras.layers.Dense(1, use_bias=False)(inputs))
    critic.layers[-1].kernel.assign(np.array([[3.0], [4.0]], np.float32))
    real = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    penalty = gradient_penalty(critic, real, real[::-1], keras.random.SeedGenerator(0))
    assert float(penalty) == pytest.approx(16.0, rel=1e-5)


def test_gradient_penalty_is_finite_for_constant_critic():
    inputs = keras.Input((2,))
    critic = keras.Model([inputs], keras.layers.Dense(1, kernel_initializer="zeros")(inputs))
    import tensorflow as tf

    real = tf.constant(np.ones((4, 2), np.float32))
    with tf.GradientTape() as tape:
        penalty = gradient_penalty(critic, real, real * 0, keras.random.SeedGenerator(0))
    grads = tape.gradient(penalty, critic.trainable_variables)
    assert float(penalty) == pytest.approx(1.0, rel=1e-5)
    assert all(np.all(np.isfinite(g)) for g in grads if g is not None)


@pytest.mark.parametrize(
    "name, real, fake, d_expected, g_expected",
    [
        ("non_saturating", 0.0, 0.0, 2 * np.log(2), np.log(2)),
        ("minimax", 0.0, 0.0, 2 * np.log(2), -np.log(2)),
        ("least_squares", 1.0, 0.0, 0.0, 0.5),
        ("hinge", 1.0, -1.0, 0.0, 1.0),
        ("wasserstein", 3.0, 1.0, -2.0, -1.0),
    ],
)
def test_adversarial_losses_hand_computed(name, real, fake, d_expected, g_expected):
    d_loss, g_loss = ADVERSARIAL_LOSSES[name]
    real, fake = np.full((4, 1), real, np.float32), np.full((4, 1), fake, np.float32)
    assert float(d_loss(real, fake)) == pytest.approx(d_expected, abs=1e-6)
    assert float(g_loss(fake)) == pytest.approx(g_expected, abs=1e-6)


@pytest.mark.slow
def test_wgan_clips_and_honours_critic_steps():
    x, _ = tiny_images(16, (-1, 1))
    model = WGAN(latent_dim=4, widths=(4, 8), critic_steps=3, clip_value=0.005)
    model.compile()
    model.fit(x, batch_size=8, epochs=1, verbose=0)  # 2 steps
    for weight in model.discriminator.trainable_weights:
        assert np.max(np.abs(weight.numpy())) <= 0.005 + 1e-7
    assert int(model.d_optimizer.iterations.numpy()) == 6
    assert int(model.g_optimizer.iterations.numpy()) == 2
    assert isinstance(model.d_optimizer, keras.optimizers.RMSprop)


@pytest.mark.slow
def test_fp16_scales_both_optimizers():
    keras.config.set_dtype_policy("mixed_float16")
    x, _ = tiny_images(8, (-1, 1))
    model = WGANGP(latent_dim=4, widths=(4, 8), critic_steps=2)
    model.compile()
    for optimizer in (model.d_optimizer, model.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        assert float(optimizer.scale_loss(1.0)) == 2.0**15
    history = model.fit(x, batch_size=4, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    # The penalty's norm is computed in float32 even though the critic runs in float16.
    assert model.discriminator.compute_dtype == "float16"


def test_lazy_penalty_every_kth_critic_update_with_k_times_the_weight():
    import tensorflow as tf

    model = WGANGP(latent_dim=4, widths=(4, 8), critic_steps=3, penalty_interval=3, seed=0)
    model.compile()
    weights = model.discriminator.trainable_variables
    model.d_optimizer.build(weights)
    x = tf.constant(tiny_images(4, (-1, 1))[0])

    # real == fake makes the interpolates (and so the penalty) independent of eps.
    @tf.function
    def penalty_and_gradients(training):
        with tf.GradientTape() as tape:
            step = {"real": x, "fake": x, "conditions": []}
            penalty = model.penalties("discriminator", step, training=training)["gradient_penalty"]
        return penalty, tape.gradient(penalty, weights)

    plain, plain_gradients = penalty_and_gradients(False)
    assert float(plain) > 0
    for iteration in range(6):
        model.d_optimizer.iterations.assign(iteration)
        lazy, lazy_gradients = penalty_and_gradients(True)
        factor = 3.0 if iteration % 3 == 0 else 0.0
        assert float(lazy) == pytest.approx(factor * float(plain), rel=1e-5)
        # The double backward pass goes through the conditional (the output
        # bias has no gradient: it does not change the input gradient).
        assert sum(b is not None for b in plain_gradients) >= 3
        for a, b in zip(lazy_gradients, plain_gradients):
            if b is not None:
                # Float32 sums in a different order (oneDNN): the absolute
                # tolerance scales with the tensor's largest entry.
                expected = factor * np.asarray(b)
                np.testing.assert_allclose(a, expected, rtol=1e-4, atol=1e-6 * max(1.0, np.abs(expected).max()))


@pytest.mark.slow
def test_lazy_penalty_shows_in_the_metric_and_keeps_the_schedule():
    x, _ = tiny_images(16, (-1, 1))
    model = WGANGP(latent_dim=4, widths=(4, 8), critic_steps=3, penalty_interval=3, seed=0)
    model.compile()
    history = model.fit(x, batch_size=8, epochs=1, verbose=0)  # 2 steps, 6 critic updates
    assert int(model.d_optimizer.iterations.numpy()) == 6
    # Applied on the first critic update of each step only: the reported value
    # is the mean over the step's updates, not the last (skipped) update's 0.
    assert history.history["gradient_penalty"][-1] > 0
    assert WGANGP.from_config(model.get_config()).penalty_interval == 3


def test_joint_discriminator_call_scores_like_two_calls():
    model = WGANGP(latent_dim=4, widths=(4, 8), joint_discriminator_call=True, seed=0)
    real, _ = tiny_images(4, (-1, 1))
    fake = real[::-1] * 0.5
    joint = model.discriminate(real, fake, [], training=False)
    model.joint_discriminator_call = False
    separate = model.discriminate(real, fake, [], training=False)
    for a, b in zip(joint, separate):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_maximum_leaky_relu_is_leaky_relu():
    import tensorflow as tf

    x = tf.constant(np.linspace(-3, 3, 13, dtype="float32").reshape(1, 13))
    np.testing.assert_allclose(MaximumLeakyReLU(0.2)(x), keras.layers.LeakyReLU(0.2)(x), rtol=1e-6)
    # The same penalty gradient through a small critic with either activation.
    dense = keras.layers.Dense(3, kernel_initializer="glorot_uniform", bias_initializer="ones")
    head = keras.layers.Dense(1)

    def second_order(activation):
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = head(activation(dense(tf.transpose(x))))
            g = inner.gradient(y, x)
            penalty = tf.reduce_sum(tf.square(g))
        return outer.gradient(penalty, dense.trainable_variables + head.trainable_variables)

    pairs = list(zip(second_order(MaximumLeakyReLU(0.2)), second_order(keras.layers.LeakyReLU(0.2))))
    # The first bias moves only the activation's kinks: LeakyReLU's double
    # backward computes its zero gradient, maximum's skips it (None).
    assert pairs[1][0] is None and np.all(pairs[1][1].numpy() == 0)
    for a, b in (pairs[0], pairs[2]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_ema_generator_lags_the_generator():
    x, _ = tiny_images(16, (-1, 1))
    model = DCGAN(latent_dim=4, widths=(4, 8), ema_decay=0.5)
    before = [w.copy() for w in model.generator.get_weights()]
    model.compile()
    model.fit(x, batch_size=8, epochs=1, verbose=0)
    ema, now = model.ema_generator.get_weights()[0], model.generator.get_weights()[0]
    assert not np.allclose(ema, now) and not np.allclose(ema, before[0])


def test_conditional_generator_checks():
    model = ConditionalGAN(num_classes=3, latent_dim=4, widths=(4, 8))
    assert model.generate(5, labels=2).shape == (5, 28, 28, 1)
    z = np.zeros((1, 4), np.float32)
    assert not np.allclose(model.generate(z=z, labels=[0]), model.generate(z=z, labels=[2]))
    with pytest.raises(ValueError, match=r"Labels must be in \[0, 3\)"):
        model.generate(2, labels=[0, 3])
    with pytest.raises(ValueError, match="needs labels"):
        model.generate(2)
    with pytest.raises(ValueError, match=r"codes of shape \(num_samples, 4\). Received: z with shape=\(2, 5\)"):
        model.generate(z=np.zeros((2, 5)), labels=[0, 1])
    model.compile()
    with pytest.raises(ValueError, match="needs labels"):
        model.fit(tiny_images(4, (-1, 1))[0], verbose=0)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: DCGAN(critic_steps=0), "critic_steps must be an integer >= 1. Received: critic_steps=0"),
        (lambda: WGANGP(gradient_penalty_weight=-1), "gradient_penalty_weight must be >= 0"),
        (lambda: DCGAN(adversarial_loss="kl"), "adversarial_loss must be one of"),
        (lambda: DCGAN(image_shape=(30, 30, 1)), "divisible by 4"),
        (lambda: DCGAN(discriminator_normalization="group"), "discriminator_normalization must be one of"),
        (lambda: DCGAN(ema_decay=1.0), "ema_decay must be in \\(0, 1\\)"),
        (lambda: WGAN(clip_value=0), "clip_value must be > 0"),
        (lambda: WGANGP(penalty_interval=0), "penalty_interval must be an integer >= 1 .*Received: penalty_interval=0"),
        (lambda: WGANGP(penalty_interval=2.5), "Received: penalty_interval=2.5"),
        (lambda: DCGAN(widths=(4, 8), joint_discriminator_call=True), "without batch normalisation"),
        (lambda: MaximumLeakyReLU(1.5), "negative_slope must be in \\[0, 1\\]"),
        (lambda: GAN(output_activation="sigmoid"), "output_activation must be one of"),
        (lambda: GAN(discriminator_dropout=1.0), "discriminator_dropout must be in \\[0, 1\\). Received: discriminator_dropout=1.0"),
        (lambda: SAGAN(generator_attention=7), r"generator_attention must be None or a resolution one of its "
                                               r"blocks outputs, \[14, 28\]. Received: generator_attention=7"),
        (lambda: SAGAN(discriminator_attention=28), r"\[7, 14\]. Received: discriminator_attention=28"),
        (lambda: SAGAN(discriminator_downsamplings=(True,)), "one entry per discriminator width"),
        (lambda: SAGAN(discriminator_widths=(8, 8, 8, 8), discriminator_attention=None),
         "cannot halve a height of 7"),
        (lambda: SAGAN(image_shape=(30, 30, 1)), "divisible by 4"),
        (lambda: BigGAN(latent_dim=64), "latent_dim must be divisible by 3. Received: latent_dim=64"),
        (lambda: BigGAN(shared_embedding_dim=0), "shared_embedding_dim must be an integer >= 1"),
    ],
)
def test_constructor_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_compile_wants_two_optimizers():
    with pytest.raises(ValueError, match="d_optimizer= and g_optimizer="):
        DCGAN(widths=(4, 8)).compile(optimizer="adam")


def test_wrong_image_shape_is_named():
    model = DCGAN(latent_dim=4, widths=(4, 8))
    model.compile()
    with pytest.raises(ValueError, match=r"shape=\(4, 32, 32, 3\)"):
        model.fit(np.zeros((4, 32, 32, 3), np.float32), verbose=0)


def test_mode_coverage_measure():
    points, centers, std = mixture("ring8", 2000)
    result = mode_coverage(points, centers, std)
    assert result["modes_covered"] == 8 and result["high_quality_share"] > 0.98
    collapsed = np.repeat(centers[:1], 2000, axis=0)
    assert mode_coverage(collapsed, centers, std)["modes_covered"] == 1
    with pytest.raises(ValueError, match="3 dimensions"):
        mode_coverage(np.zeros((4, 3)), centers, std)


@pytest.mark.slow
def test_short_gan_run_covers_more_modes_than_untrained():
    keras.utils.set_random_seed(0)
    points, centers, std = mixture("ring8", 25_600, seed=0)
    model = GAN(data_shape=(2,), latent_dim=2, hidden_units=(64, 64), output_activation="linear", seed=0)
    untrained = mode_coverage(model.generate(2500, seed=1), centers, std)
    model.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
                  g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.fit(points, batch_size=256, epochs=10, verbose=0)
    trained = mode_coverage(model.generate(2500, seed=1), centers, std)
    assert trained["modes_covered"] > untrained["modes_covered"], (untrained, trained)
    assert trained["high_quality_share"] > untrained["high_quality_share"]


def test_sagan_family_training_rules():
    sagan = SAGAN(latent_dim=4, generator_widths=(8, 8), discriminator_widths=(8, 8))
    optimizers = sagan.default_optimizers()
    assert sagan.adversarial_loss == "hinge"
    assert float(optimizers["d_optimizer"].learning_rate) == pytest.approx(4e-4)
    assert float(optimizers["g_optimizer"].learning_rate) == pytest.approx(1e-4)
    assert (optimizers["g_optimizer"].beta_1, optimizers["g_optimizer"].beta_2) == (0.0, 0.9)
    big = BigGAN(**TINY["biggan"][1])
    optimizers = big.default_optimizers()
    assert big.critic_steps == 2 and big.pooled_attention
    assert BigGAN(num_classes=4, latent_dim=6, generator_widths=(8, 8), discriminator_widths=(8, 8)).ema_decay == 0.9999
    assert float(optimizers["d_optimizer"].learning_rate) == pytest.approx(2e-4)
    assert float(optimizers["g_optimizer"].learning_rate) == pytest.approx(5e-5)
    assert optimizers["g_optimizer"].beta_2 == 0.999
    assert [r.name for r in big.active_regularizers] == ["orthogonal_regularization"]
    assert not BigGAN(**TINY["biggan"][1], orthogonal_beta=0).active_regularizers
    # Every layer of both networks is spectrally normalised (the attention's gamma aside).
    kinds = {type(layer).__name__ for layer in sagan.discriminator.layers}
    assert "SelfAttention2D" in kinds and "ResidualDownBlock" in kinds


def test_biggan_hierarchical_z_reaches_every_block():
    # Each up block's conditional norms see [shared embedding, its own chunk of z]: changing
    # only the last chunk (which only the last block sees) changes the image, and so does
    # changing only the first (which only the first linear layer sees).
    model = BigGAN(**TINY["biggan"][1])
    z = np.random.default_rng(0).standard_normal((2, 6)).astype("float32")
    base = model.generate(z=z, labels=[1, 2])
    for chunk in (slice(0, 2), slice(4, 6)):
        changed = z.copy()
        changed[:, chunk] += 1.0
        assert np.abs(model.generate(z=changed, labels=[1, 2]) - base).max() > 1e-4
    blocks = [layer for layer in model.generator.layers if type(layer).__name__ == "ResidualUpBlock"]
    assert [block.condition for block in blocks] == ["vector", "vector"]
    assert all(tuple(block.input[1].shape) == (None, 4 + 2) for block in blocks)
    # Labels change the image through the shared embedding.
    assert np.abs(model.generate(z=z, labels=[3, 0]) - base).max() > 1e-4


def test_spectral_norm_keeps_the_largest_singular_value_near_one_after_updates():
    model = SAGAN(latent_dim=4, generator_widths=(8, 8), discriminator_widths=(8, 8))
    model.compile(**model.default_optimizers(learning_rate=1e-2))  # large steps, to move the weights
    model.fit(tiny_images(32, (-1, 1))[0], batch_size=8, epochs=3, verbose=0)
    checked = 0
    for layer in model.discriminator._flatten_layers():
        if isinstance(layer, keras.layers.SpectralNormalization):
            kernel = np.asarray(layer.kernel).reshape(-1, layer.kernel.shape[-1])
            assert abs(np.linalg.svd(kernel, compute_uv=False)[0] - 1.0) < 0.1, layer.path
            checked += 1
    assert checked >= 8


def test_ttur_rates_survive_reload(tmp_path):
    model = BigGAN(**TINY["biggan"][1])
    model.compile(**model.default_optimizers())
    model.save(tmp_path / "m.keras")  # compiled, unfitted: the optimizers come from the compile config
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    rates = {name: float(getattr(loaded, name).learning_rate) for name in ("d_optimizer", "g_optimizer")}
    assert rates == pytest.approx({"d_optimizer": 2e-4, "g_optimizer": 5e-5})
    assert loaded.g_optimizer.beta_1 == 0.0 and loaded.g_optimizer.beta_2 == 0.999
