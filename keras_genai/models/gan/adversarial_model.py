import keras
import numpy as np
from keras import ops

from keras_genai.distribute.replicas import draw_rows
from keras_genai.losses import ADVERSARIAL_LOSSES
from keras_genai.models.gan.diff_augment import diff_augment, parse_policy
from keras_genai.models.gan.multi_network_model import MultiNetworkModel


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)


@keras.saving.register_keras_serializable(package="keras_genai")
class AdversarialModel(MultiNetworkModel):
    """The noise-to-sample GAN rule: a generator, a discriminator (critic), two optimizers.

    On `MultiNetworkModel`'s plumbing (optimizers by role, loss scaling,
    EMA, regularizers). Subclasses build `self.generator` (`[z] + conditions
    -> sample`) and `self.discriminator` (`[sample] + conditions -> logits`),
    then call `self.finish_networks()`. The training step is shared; variants
    override the smallest hook that differs:

    - `discriminator_loss(real_logits, fake_logits)` and
      `generator_loss(fake_logits)` (default: the `adversarial_loss` pair);
    - `default_regularizers()`, the rule's own penalties (WGAN-GP's gradient
      penalty); users add more with `regularizers=[...]`;
    - `after_discriminator_step()`, e.g. weight clipping;
    - `discriminator_activation()`, the critic's hidden activation layer;
    - `condition_values(y)`, the extra inputs of conditional models, and
      `example_conditions(num, seed)`, typical ones for export checks;
    - `sample_z(batch_size)` and `generate_fake(z, conditions, training)`,
      e.g. two z's and style mixing;
    - `path_length_latents(step)` and `synthesize_from_latents(latents,
      conditions)`, what a path-length penalty differentiates;
    - `prepare_real(real)` and `before_step(batch_size)`, e.g. a growing
      model's resolution schedule and fade-in of the real images.

    Each step runs `critic_steps` discriminator updates on the batch, each
    with fresh noise, then one generator update; the critic's reported
    losses are their means over the step's critic updates. Fakes for the
    critic are generated outside its gradient tape, so the tape does not
    record the generator. With `ema_decay`, an exponential moving average
    of the generator's weights (with a warm-up, see `ema_decay_at`) is kept
    and used for sampling and export; until it has warmed up, sample grids
    show the raw generator's samples too.

    Metric keys: `d_loss`, `g_loss`, then one per regularizer (its name).

    Args:
        latent_dim: int. Size of z. Defaults to `64`.
        critic_steps: int. Discriminator updates per generator update.
            Defaults to `1`.
        adversarial_loss: str. One of `"non_saturating"`, `"minimax"`,
            `"least_squares"`, `"hinge"`, `"wasserstein"`.
            Defaults to `"non_saturating"`.
        ema_decay: float or None. Decay of the generator weight average, in
            (0, 1), or None for no average. Defaults to `None`.
        regularizers: list of `keras_genai.regularizers.Regularizer`. Extra
            penalties on the discriminator or generator loss. Defaults to
            none.
        joint_discriminator_call: bool. Score real and fake samples in one
            discriminator call on their concatenation (one batch of twice
            the size per layer) instead of two calls. The same computation
            for discriminators without batch normalisation (with it, the
            batch statistics would mix real and fake, so it is refused).
            Defaults to `False`.
        augment: str or None. DiffAugment policy (Zhao et al. 2020), a comma
            list of `"color"`, `"translation"`, `"cutout"`: applied in
            training to every image the discriminator scores, real and
            generated, in both updates (see `diff_augment`); for GANs on
            small data. Penalties (e.g. a gradient penalty) see the images
            unaugmented. Defaults to `None`.
        seed: int or None. Seed for noise. Defaults to `None`.
    """

    tracker_names = ("d_loss", "g_loss")
    value_range = (-1.0, 1.0)
    optimizer_names = {"discriminator": "d_optimizer", "generator": "g_optimizer"}
    ema_networks = ("generator",)

    def __init__(self, latent_dim=64, critic_steps=1, adversarial_loss="non_saturating",
                 joint_discriminator_call=False, augment=None, **kwargs):
        super().__init__(**kwargs)
        if latent_dim < 1:
            raise ValueError(f"latent_dim must be at least 1. Received: latent_dim={latent_dim}")
        if not isinstance(critic_steps, (int, np.integer)) or critic_steps < 1:
            raise ValueError(
                f"critic_steps must be an integer >= 1. Received: critic_steps={critic_steps!r}"
            )
        if adversarial_loss not in ADVERSARIAL_LOSSES:
            raise ValueError(
                f"adversarial_loss must be one of {sorted(ADVERSARIAL_LOSSES)}. "
                f"Received: adversarial_loss={adversarial_loss!r}"
            )
        self.latent_dim = latent_dim
        self.critic_steps = int(critic_steps)
        self.adversarial_loss = adversarial_loss
        self.joint_discriminator_call = bool(joint_discriminator_call)
        self.augment = ",".join(parse_policy(augment)) or None

    def finish_networks(self):
        """Call once `generator` and `discriminator` exist."""
        if self.joint_discriminator_call and any(
            isinstance(layer, keras.layers.BatchNormalization) for layer in _all_layers(self.discriminator)
        ):
            raise ValueError(
                "joint_discriminator_call=True needs a discriminator without batch normalisation "
                "(its statistics would mix real and fake samples). Received: a discriminator with "
                "BatchNormalization and joint_discriminator_call=True"
            )
        super().finish_networks()

    # === Hooks ===

    def discriminator_loss(self, real_logits, fake_logits):
        return ADVERSARIAL_LOSSES[self.adversarial_loss][0](real_logits, fake_logits)

    def generator_loss(self, fake_logits):
        return ADVERSARIAL_LOSSES[self.adversarial_loss][1](fake_logits)

    def discriminator_activation(self):
        """A new activation layer for the discriminator's hidden layers."""
        return keras.layers.LeakyReLU(0.2)

    def after_discriminator_step(self):
        """Runs after each discriminator update (e.g. weight clipping)."""

    def condition_values(self, y, num_samples=None):
        """Extra generator/discriminator inputs for labels `y` (none here)."""
        return []

    def example_conditions(self, num, seed=0):
        """Typical condition inputs by name, `num` rows, for export checks (none here)."""
        return {}

    def sample_z(self, batch_size):
        return draw_rows(keras.random.normal, (batch_size, self.latent_dim), seed=self.seed_generator)

    def generate_fake(self, z, conditions, training):
        return self.generator([z] + conditions, training=training)

    def path_length_latents(self, step):
        return step["z"]

    def synthesize_from_latents(self, latents, conditions):
        return self.generate_fake(latents, conditions, training=True)

    def prepare_real(self, real):
        return real

    def augment_for_discriminator(self, images):
        """What the discriminator sees of a real or generated batch in training: the
        DiffAugment `augment` policy applied (unchanged without one)."""
        if not self.augment:
            return images
        return diff_augment(images, self.augment, self.seed_generator)

    def before_step(self, batch_size):
        """Runs at the start of each training step (e.g. a growth schedule)."""

    # === Training ===

    def discriminate(self, real, fake, conditions, training):
        if training:
            real, fake = self.augment_for_discriminator(real), self.augment_for_discriminator(fake)
        if self.joint_discriminator_call:
            logits = self.discriminator(
                [ops.concatenate([real, ops.cast(fake, real.dtype)], axis=0)]
                + [ops.concatenate([c, c], axis=0) for c in conditions],
                training=training,
            )
            real_logits, fake_logits = ops.split(logits, 2, axis=0)
            return real_logits, fake_logits
        real_logits = self.discriminator([real] + conditions, training=training)
        fake_logits = self.discriminator([fake] + conditions, training=training)
        return real_logits, fake_logits

    def discriminator_step(self, real, conditions):
        fake = self.generate_fake(self.sample_z(ops.shape(real)[0]), conditions, training=True)

        def losses():
            d_loss = self.discriminator_loss(*self.discriminate(real, fake, conditions, training=True))
            return d_loss, {"d_loss": d_loss}

        reported = self.update("discriminator", losses, {"real": real, "fake": fake, "conditions": conditions})
        self.after_discriminator_step()
        return reported

    def generator_step(self, batch_size, conditions):
        z = self.sample_z(batch_size)

        def losses():
            fake = self.generate_fake(z, conditions, training=True)
            g_loss = self.generator_loss(
                self.discriminator([self.augment_for_discriminator(fake)] + conditions, training=True))
            return g_loss, {"g_loss": g_loss}

        return self.update("generator", losses, {"z": z, "conditions": conditions})

    def train_step(self, data):
        real, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        self.before_step(ops.shape(real)[0])
        real = self.prepare_real(real)
        conditions = self.condition_values(y)
        steps = [self.discriminator_step(real, conditions) for _ in range(self.critic_steps)]
        # The mean over the critic updates, so that a regularizer applied on
        # only some of them (a lazy penalty) still shows in the metrics.
        d_losses = {name: sum(step[name] for step in steps) / len(steps) for name in steps[0]}
        g_losses = self.generator_step(ops.shape(real)[0], conditions)
        self.update_ema()
        return self.update_trackers({**d_losses, **g_losses}, real)

    def test_step(self, data):
        real, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        real = self.prepare_real(real)
        conditions = self.condition_values(y)
        z = self.sample_z(ops.shape(real)[0])
        fake = self.generate_fake(z, conditions, training=False)
        real_logits, fake_logits = self.discriminate(real, fake, conditions, training=False)
        step = {"real": real, "fake": fake, "conditions": conditions, "z": z}
        losses = {
            "d_loss": self.discriminator_loss(real_logits, fake_logits),
            "g_loss": self.generator_loss(fake_logits),
            **self.penalties("discriminator", step, training=False),
            **self.penalties("generator", step, training=False),
        }
        return self.update_trackers(losses, real)

    # === Sampling API ===

    @property
    def sampling_generator(self):
        return self.ema_generator if self.ema_generator is not None else self.generator

    def call(self, z, training=False):
        return self.sampling_generator([z], training=training)

    def generate(self, num_samples=16, z=None, labels=None, seed=None, truncation=None):
        """Samples in the model's value range from z ~ N(0, I), or the given `z`.

        `truncation` (a float > 0) draws z from the normal truncated to
        [-truncation, truncation] instead: the truncation trick, trading
        variety for fidelity as it shrinks. It is part of how z is drawn, so
        an exported `generate(z, ...)` takes the codes its caller drew this way
        (`keras-genai sample MODEL.tflite --truncation T` does).
        """
        if z is not None and truncation is not None:
            raise ValueError("truncation shapes how z is drawn: pass z or truncation, not both. "
                             f"Received: z with shape={np.shape(z)} and truncation={truncation!r}")
        z = self.sample_latents(num_samples, seed=seed, truncation=truncation) if z is None else self.check_latent(z)
        inputs = [z] + self.condition_values(labels, len(z))
        return ops.convert_to_numpy(self.sampling_generator.predict(inputs, verbose=0))

    def serving_endpoints(self):
        z = keras.Input((self.latent_dim,), name="z")
        conditions = self.generator.inputs[1:]
        conditions = [keras.Input(t.shape[1:], dtype=t.dtype, name=t.name) for t in conditions]
        sample = self.float32_output(self.sampling_generator([z] + conditions))
        if self.value_range == (-1.0, 1.0):
            # Mobile callers get display-ready images in [0, 1].
            sample = keras.layers.Rescaling(0.5, offset=0.5, dtype="float32")(sample)
        return {"generate": keras.Model([z] + conditions, sample, name="generate")}

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint != "generate":
            return super().example_inputs(endpoint, num, data, seed)
        return {"z": self.sample_latents(num, data, seed), **self.example_conditions(num, seed)}

    def grid_images(self, x, y=None):
        labels = None if y is None else ops.convert_to_numpy(y)
        # Fixed noise so that grids from different epochs are comparable.
        samples = self.generate(len(x), labels=labels, seed=0)
        if self.ema_warmed_up:
            return {"samples": samples, "real": ops.convert_to_numpy(x)}
        # Until the average has warmed up it may still trail the raw generator: show both.
        z = self.sample_latents(len(x), seed=0)
        raw = self.generator.predict([z] + self.condition_values(labels, len(z)), verbose=0)
        return {"samples": samples, "raw_generator_samples": ops.convert_to_numpy(raw),
                "real": ops.convert_to_numpy(x)}
