import math

import keras
import tensorflow as tf
from keras import ops

from keras_genai.distribute.replicas import agreed_gradients, scale_for_replicas
from keras_genai.models.generative_model import GenerativeModel
from keras_genai.regularizers import Regularizer


@keras.saving.register_keras_serializable(package="keras_genai")
class MultiNetworkModel(GenerativeModel):
    """Base of models that train several networks, each role with its own optimizer.

    The plumbing only, no training rule: named networks, one optimizer per
    role with its own learning rate, `compile` / `get_compile_config` /
    `compile_from_config` for any number of them, dynamic loss scaling on
    each under `mixed_float16`, an exponential moving average of any
    network, regularizers on any role and stable metric keys. A training
    rule (the noise-to-sample `AdversarialModel`, CycleGAN's translation
    step) subclasses it and writes its `train_step` from `update(role,
    losses, step)`.

    A subclass declares:

    - `optimizer_names`: role -> the `compile` keyword of its optimizer,
      e.g. `{"discriminator": "d_optimizer", "generator": "g_optimizer"}`;
    - `networks_of(role)`: the networks a role's optimizer trains
      (default: the attribute named like the role);
    - `build_optimizer(role, learning_rate)`: the optimizer kind and betas;
    - `default_learning_rate` (one rate for every role) or
      `default_learning_rates` (a dict by role, e.g. TTUR);
    - `ema_networks`: names of the network attributes whose weight average
      is kept as `ema_<name>` when `ema_decay` is set;
    - `default_regularizers()`: the rule's own penalties (e.g. WGAN-GP's);

    builds the networks as attributes and calls `finish_networks()`.

    Args:
        ema_decay: float or None. Decay of the weight average, in (0, 1), or
            None for no average; reached after a warm-up (`ema_decay_at`).
            Defaults to `None`.
        regularizers: list of `keras_genai.regularizers.Regularizer`. Extra
            penalties, each added to its role's loss (e.g.
            `R1Penalty(gamma=10, interval=16)`), after the rule's own.
            Defaults to none.
        seed: int or None. Seed for noise. Defaults to `None`.
    """

    optimizer_names = {}
    default_learning_rate = 2e-4
    ema_networks = ()

    def __init__(self, ema_decay=None, regularizers=None, **kwargs):
        super().__init__(**kwargs)
        if ema_decay is not None and not 0 < ema_decay < 1:
            raise ValueError(f"ema_decay must be in (0, 1) or None. Received: ema_decay={ema_decay}")
        regularizers = [keras.saving.deserialize_keras_object(r) if isinstance(r, dict) else r
                        for r in (regularizers or ())]
        for r in regularizers:
            if not isinstance(r, Regularizer):
                raise ValueError(
                    "regularizers must be keras_genai.regularizers.Regularizer instances. "
                    f"Received: {r!r}"
                )
        self.ema_decay = ema_decay
        self.regularizers = regularizers

    def finish_networks(self):
        """Call once the networks exist: sets up EMA copies, regularizers and their metrics."""
        unknown = {r.side for r in self.regularizers} - set(self.optimizer_names)
        if unknown:
            raise ValueError(
                f"{type(self).__name__} trains the roles {sorted(self.optimizer_names)}; a regularizer "
                f"asks for {sorted(unknown)}."
            )
        self.active_regularizers = list(self.default_regularizers()) + list(self.regularizers)
        names = [r.name for r in self.active_regularizers]
        if len(set(names)) < len(names):
            raise ValueError(f"Regularizer names must be unique (they are metric keys). Received: {names}")
        self.tracker_names = type(self).tracker_names + tuple(names)
        for name in names:
            self.trackers[name] = keras.metrics.Mean(name=name)
        if self.ema_decay is not None:
            # A variable, so that .keras files and --resume backups carry the warm-up's progress.
            self.ema_updates = self.add_weight(shape=(), dtype="int64", initializer="zeros",
                                               trainable=False, name="ema_updates")
        for name in self.ema_networks:
            if self.ema_decay is not None:
                network = getattr(self, name)
                average = keras.models.clone_model(network)
                average.set_weights(network.get_weights())
                average.trainable = False  # updated by averaging, not by gradients
            else:
                average = None
            setattr(self, f"ema_{name}", average)
        self.built = True

    # === Hooks ===

    def networks_of(self, role):
        return [getattr(self, role)]

    def build_optimizer(self, role, learning_rate):
        return keras.optimizers.Adam(learning_rate, beta_1=0.5)

    @property
    def default_learning_rates(self):
        return {role: self.default_learning_rate for role in self.optimizer_names}

    def default_regularizers(self):
        return []

    # === Optimizers ===

    def learning_rates(self, learning_rate=None):
        """Learning rate by role: the defaults, one float for every role, or a dict by role."""
        if learning_rate is None:
            return dict(self.default_learning_rates)
        if isinstance(learning_rate, dict):
            unknown = set(learning_rate) - set(self.optimizer_names)
            if unknown:
                raise ValueError(
                    f"{type(self).__name__} takes learning rates for the roles {sorted(self.optimizer_names)}. "
                    f"Received: learning_rate={learning_rate!r}"
                )
            return {**self.default_learning_rates, **learning_rate}
        return {role: learning_rate for role in self.optimizer_names}

    def default_optimizers(self, learning_rate=None):
        rates = self.learning_rates(learning_rate)
        return {key: self.build_optimizer(role, rates[role]) for role, key in self.optimizer_names.items()}

    def optimizer_of(self, role):
        return getattr(self, self.optimizer_names[role])

    def trainable_variables_of(self, role):
        return [v for network in self.networks_of(role) for v in network.trainable_variables]

    def compile(self, **kwargs):
        """Takes one optimizer per role (`optimizer_names`); missing ones
        come from `default_optimizers()`. Under `mixed_float16` each gets
        dynamic loss scaling. Call it once the networks are final (e.g.
        frozen): it builds each optimizer on its role's trainable variables."""
        keys = list(self.optimizer_names.values())
        if "optimizer" in kwargs:
            raise ValueError(
                f"{type(self).__name__} trains with {len(keys)} optimizers: pass "
                f"{' and '.join(k + '=' for k in keys)}, not optimizer=."
            )
        defaults = None
        optimizers = {}
        for key in keys:
            optimizer = kwargs.pop(key, None)
            if optimizer is None:
                defaults = defaults or self.default_optimizers()
                optimizer = defaults[key]
            optimizer = keras.optimizers.get(optimizer)
            if self.dtype_policy.name == "mixed_float16" and not isinstance(
                optimizer, keras.optimizers.LossScaleOptimizer
            ):
                optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
            optimizers[key] = optimizer
            setattr(self, key, optimizer)
        # keras.Model keeps one optimizer: the last role's, whose updates count the steps.
        super().compile(optimizer=optimizers[keys[-1]], **kwargs)
        # Built now, not on their first update: under tf.distribute, optimizer variables
        # created inside the replicated training step break its graph (keras #19246).
        for role in self.optimizer_names:
            self.optimizer_of(role).build(self.trainable_variables_of(role))

    def get_compile_config(self):
        if not self.compiled:
            return None
        return {key: keras.optimizers.serialize(getattr(self, key)) for key in self.optimizer_names.values()}

    def compile_from_config(self, config):
        # compile builds the optimizers, so that their saved state can be loaded.
        self.compile(**{key: keras.optimizers.deserialize(config[key]) for key in self.optimizer_names.values()})

    # === Data ===

    @staticmethod
    def unpack_domains(data):
        """`(x_a, x_b)` of a training element of the `"domains"` form: a dataset
        of `(x_a, x_b)` pairs, or `fit((x_a, x_b))` on arrays (which Keras
        hands over as `((x_a, x_b),)`)."""
        if len(data) == 1:
            data = data[0]
        return data[0], data[1]

    # === Updates ===

    def penalties(self, role, step, training):
        """The weighted penalties of `role`'s regularizers, by metric key."""
        return {r.name: r.penalty(self, step, training) for r in self.active_regularizers if r.side == role}

    def update(self, role, compute_losses, step=None):
        """One optimizer update of `role`'s networks.

        Args:
            compute_losses: callable `() -> (loss, reported)`, run inside
                the gradient tape; `reported` is a dict of metric values.
            step: dict handed to the role's regularizers (what the update
                computed: `real`, `fake`, `conditions`, `z`, ...).

        Returns:
            `reported` plus the role's penalties.
        """
        optimizer = self.optimizer_of(role)
        variables = self.trainable_variables_of(role)
        with tf.GradientTape() as tape:
            loss, reported = compute_losses()
            penalties = self.penalties(role, step or {}, training=True)
            total = loss + sum(penalties.values()) if penalties else loss
            scaled = optimizer.scale_loss(scale_for_replicas(total))
        optimizer.apply(agreed_gradients(optimizer, tape.gradient(scaled, variables)), variables)
        return {**reported, **penalties}

    def ema_decay_at(self, updates):
        """The decay of update number `updates` (from 0): `min(ema_decay, (1 + t) / (10 + t))`.

        The warm-up of `tf.train.ExponentialMovingAverage(num_updates=...)`: the
        average starts near the raw weights instead of the random initial ones and
        spans about the last tenth of the run until the decay reaches `ema_decay`
        (`ema_warmup_updates`). A fixed 0.999 from the first update keeps 0.999**580
        = 56% of the initial weights after 580 updates: flat grey samples. Chosen
        over StyleGAN2's `ema_rampup` (half-life 5% of the images seen) because it
        needs no argument besides `ema_decay`, read as the per-update decay it is.
        """
        return ops.minimum(self.ema_decay, (1.0 + updates) / (10.0 + updates))

    @property
    def ema_warmup_updates(self):
        """Updates until the decay reaches `ema_decay`: the least t with (1 + t) / (10 + t) >= it."""
        return max(0, math.ceil((10 * self.ema_decay - 1) / (1 - self.ema_decay) - 1e-6))

    @property
    def ema_warmed_up(self):
        """True once the average's decay has reached `ema_decay` (or there is no average)."""
        return self.ema_decay is None or int(self.ema_updates.numpy()) >= self.ema_warmup_updates

    def update_ema(self):
        if self.ema_decay is None:
            return
        decay = self.ema_decay_at(ops.cast(self.ema_updates, "float32"))
        for name in self.ema_networks:
            for average, weight in zip(getattr(self, f"ema_{name}").weights, getattr(self, name).weights):
                d = ops.cast(decay, average.dtype)
                average.assign(d * average + (1.0 - d) * ops.cast(weight, average.dtype))
        self.ema_updates.assign_add(1)

    def load_own_variables(self, store):
        # Files saved before the update count existed hold none; their averages
        # ran at the full decay, so they count as warmed up.
        if self.ema_decay is not None and not len(store.keys()):
            self.ema_updates.assign(self.ema_warmup_updates)
            return
        super().load_own_variables(store)

    # === Config ===

    def get_config(self):
        config = super().get_config()
        config["regularizers"] = [keras.saving.serialize_keras_object(r) for r in self.regularizers]
        return config
