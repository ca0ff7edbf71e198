import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_genai.losses import ADVERSARIAL_LOSSES
from keras_genai.models.examples import example_labels
from keras_genai.models.generative_model import GenerativeModel


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)


@keras.saving.register_keras_serializable(package="keras_genai")
class AdversarialModel(GenerativeModel):
    """Base of the GANs: a generator, a discriminator (critic), two optimizers.

    Subclasses build `self.generator` (`[z] + conditions -> sample`) and
    `self.discriminator` (`[sample] + conditions -> logits`), then call
    `self.finish_networks()`. The training step is shared; variants override
    the smallest hook that differs:

    - `discriminator_loss(real_logits, fake_logits)` and
      `generator_loss(fake_logits)` (default: the `adversarial_loss` pair);
    - `regularizer(real, fake, conditions, training)`, named extra critic
      losses such as the gradient penalty;
    - `after_discriminator_step()`, e.g. weight clipping;
    - `discriminator_activation()`, the critic's hidden activation layer;
    - `condition_values(y)`, the extra inputs of conditional models.

    Each step runs `critic_steps` discriminator updates on the batch, each
    with fresh noise, then one generator update; the critic's reported
    losses are their means over the step's critic updates. Fakes for the critic are
    generated outside its gradient tape, so the tape does not record the
    generator. With `ema_decay`, an exponential moving average of the
    generator's weights is kept and used for sampling and export.

    Args:
        latent_dim: int. Size of z. Defaults to `64`.
        critic_steps: int. Discriminator updates per generator update.
            Defaults to `1`.
        adversarial_loss: str. One of `"non_saturating"`, `"minimax"`,
            `"least_squares"`, `"hinge"`, `"wasserstein"`.
            Defaults to `"non_saturating"`.
        ema_decay: float or None. Decay of the generator weight average, in
            (0, 1), or None for no average. Defaults to `None`.
        joint_discriminator_call: bool. Score real and fake samples in one
            discriminator call on their concatenation (one batch of twice
            the size per layer) instead of two calls. The same computation
            for discriminators without batch normalisation (with it, the
            batch statistics would mix real and fake, so it is refused).
            Defaults to `False`.
        seed: int or None. Seed for noise. Defaults to `None`.
    """

    tracker_names = ("d_loss", "g_loss")
    value_range = (-1.0, 1.0)
    default_learning_rate = 2e-4

    def __init__(self, latent_dim=64, critic_steps=1, adversarial_loss="non_saturating",
                 ema_decay=None, joint_discriminator_call=False, **kwargs):
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
        if ema_decay is not None and not 0 < ema_decay < 1:
            raise ValueError(f"ema_decay must be in (0, 1) or None. Received: ema_decay={ema_decay}")
        self.latent_dim = latent_dim
        self.critic_steps = int(critic_steps)
        self.adversarial_loss = adversarial_loss
        self.ema_decay = ema_decay
        self.joint_discriminator_call = bool(joint_discriminator_call)
        self.ema_generator = None

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
        if self.ema_decay is not None:
            self.ema_generator = keras.models.clone_model(self.generator)
            self.ema_generator.set_weights(self.generator.get_weights())
            self.ema_generator.trainable = False  # updated by averaging, not by gradients
        self.built = True

    # === Hooks ===

    def discriminator_loss(self, real_logits, fake_logits):
        return ADVERSARIAL_LOSSES[self.adversarial_loss][0](real_logits, fake_logits)

    def generator_loss(self, fake_logits):
        return ADVERSARIAL_LOSSES[self.adversarial_loss][1](fake_logits)

    def regularizer(self, real, fake, conditions, training):
        """Named extra discriminator losses, e.g. `{"gradient_penalty": ...}`.

        `training` is False in `test_step`, where a regularizer reports its
        plain value.
        """
        return {}

    def discriminator_activation(self):
        """A new activation layer for the discriminator's hidden layers."""
        return keras.layers.LeakyReLU(0.2)

    def after_discriminator_step(self):
        """Runs after each discriminator update (e.g. weight clipping)."""

    def condition_values(self, y, num_samples=None):
        """Extra generator/discriminator inputs for labels `y` (none here)."""
        return []

    # === Optimizers ===

    def default_optimizers(self, learning_rate=None):
        lr = learning_rate or self.default_learning_rate
        return {
            "d_optimizer": keras.optimizers.Adam(lr, beta_1=0.5),
            "g_optimizer": keras.optimizers.Adam(lr, beta_1=0.5),
        }

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs):
        """Takes the discriminator's and the generator's optimizers.

        Missing ones come from `default_optimizers()`. Under
        `mixed_float16` both get dynamic loss scaling.
        """
        if "optimizer" in kwargs:
            raise ValueError(
                f"{type(self).__name__} trains with two optimizers: pass d_optimizer= and "
                "g_optimizer=, not optimizer=."
            )
        defaults = self.default_optimizers()
        d_optimizer = keras.optimizers.get(d_optimizer or defaults["d_optimizer"])
        g_optimizer = keras.optimizers.get(g_optimizer or defaults["g_optimizer"])
        if self.dtype_policy.name == "mixed_float16" and not isinstance(
            d_optimizer, keras.optimizers.LossScaleOptimizer
        ):
            d_optimizer = keras.optimizers.LossScaleOptimizer(d_optimizer)
        self.d_optimizer = d_optimizer
        # keras.Model.compile adds loss scaling to the generator's optimizer.
        super().compile(optimizer=g_optimizer, **kwargs)
        self.g_optimizer = self.optimizer

    def get_compile_config(self):
        if not self.compiled:
            return None
        return {
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
        }

    def compile_from_config(self, config):
        self.compile(
            d_optimizer=keras.optimizers.deserialize(config["d_optimizer"]),
            g_optimizer=keras.optimizers.deserialize(config["g_optimizer"]),
        )
        # Build the optimizers so that their saved state can be loaded.
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    # === Training ===

    def sample_z(self, batch_size):
        return keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

    def discriminate(self, real, fake, conditions, training):
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
        z = self.sample_z(ops.shape(real)[0])
        fake = self.generator([z] + conditions, training=True)
        with tf.GradientTape() as tape:
            real_logits, fake_logits = self.discriminate(real, fake, conditions, training=True)
            d_loss = self.discriminator_loss(real_logits, fake_logits)
            penalties = self.regularizer(real, fake, conditions, training=True)
            total = d_loss + sum(penalties.values()) if penalties else d_loss
            scaled = self.d_optimizer.scale_loss(total)
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply(tape.gradient(scaled, variables), variables)
        self.after_discriminator_step()
        return {"d_loss": d_loss, **penalties}

    def generator_step(self, batch_size, conditions):
        z = self.sample_z(batch_size)
        with tf.GradientTape() as tape:
            fake = self.generator([z] + conditions, training=True)
            g_loss = self.generator_loss(self.discriminator([fake] + conditions, training=True))
            scaled = self.g_optimizer.scale_loss(g_loss)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(scaled, variables), variables)
        return g_loss

    def update_ema(self):
        if self.ema_generator is None:
            return
        for average, weight in zip(self.ema_generator.weights, self.generator.weights):
            average.assign(self.ema_decay * average + (1.0 - self.ema_decay) * weight)

    def train_step(self, data):
        real, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        conditions = self.condition_values(y)
        steps = [self.discriminator_step(real, conditions) for _ in range(self.critic_steps)]
        # The mean over the critic updates, so that a regularizer applied on
        # only some of them (a lazy penalty) still shows in the metrics.
        d_losses = {name: sum(step[name] for step in steps) / len(steps) for name in steps[0]}
        g_loss = self.generator_step(ops.shape(real)[0], conditions)
        self.update_ema()
        return self.update_trackers({**d_losses, "g_loss": g_loss}, real)

    def test_step(self, data):
        real, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        conditions = self.condition_values(y)
        fake = self.generator([self.sample_z(ops.shape(real)[0])] + conditions, training=False)
        real_logits, fake_logits = self.discriminate(real, fake, conditions, training=False)
        losses = {
            "d_loss": self.discriminator_loss(real_logits, fake_logits),
            "g_loss": self.generator_loss(fake_logits),
            **self.regularizer(real, fake, conditions, training=False),
        }
        return self.update_trackers(losses, real)

    # === Sampling API ===

    @property
    def sampling_generator(self):
        return self.ema_generator if self.ema_generator is not None else self.generator

    def call(self, z, training=False):
        return self.sampling_generator([z], training=training)

    def generate(self, num_samples=16, z=None, labels=None, seed=None):
        """Samples in the model's value range from z ~ N(0, I) or the given `z`."""
        z = self.sample_latents(num_samples, seed=seed) if z is None else self.check_latent(z)
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
        inputs = {"z": self.sample_latents(num, data, seed)}
        if self.needs_labels:
            inputs["label"] = example_labels(self.num_classes, num, seed)
        return inputs

    def grid_images(self, x, y=None):
        labels = None if y is None else ops.convert_to_numpy(y)
        # Fixed noise so that grids from different epochs are comparable.
        samples = self.generate(len(x), labels=labels, seed=0)
        return {"samples": samples, "real": ops.convert_to_numpy(x)}
