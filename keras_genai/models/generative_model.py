"""The base every keras-genai model trains on."""

import inspect

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_genai.distribute.replicas import agreed_gradients, scale_for_replicas, step_outputs
from keras_genai.models.latents import standard_normal_codes

# Constructor arguments that keras.Model itself owns.
_KERAS_ARGS = {"self", "name", "dtype", "trainable", "kwargs", "args"}
# The message of the finiteness check on datasets passed to fit, by which fit recognises its error.
_NON_FINITE = "keras_genai: non-finite values in the {} dataset passed to fit"


def _finite_batches(dataset, what):
    """`dataset` with every float tensor checked to be finite as it is read.

    One reduction per batch, in the input pipeline: a NaN stops `fit` before
    the step that would have made every weight NaN.
    """
    def check(*element):
        checked = tf.nest.map_structure(
            lambda t: tf.debugging.assert_all_finite(t, _NON_FINITE.format(what)) if t.dtype.is_floating else t,
            element)
        return checked if len(checked) > 1 else checked[0]

    return dataset.map(check, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)


def _constructor_args(cls):
    """Names of all constructor arguments from `cls` up to this base."""
    names = []
    for klass in cls.__mro__:
        if klass is GenerativeModel:
            break
        if "__init__" in vars(klass):
            for name in inspect.signature(klass.__init__).parameters:
                if name not in _KERAS_ARGS and name not in names:
                    names.append(name)
    return names + ["seed"]


def _describe(x):
    if isinstance(x, tf.data.Dataset):
        return f"a tf.data.Dataset with element_spec={x.element_spec}"
    return f"an array of shape={tuple(np.shape(x))}, dtype={getattr(x, 'dtype', type(x).__name__)}"


@keras.saving.register_keras_serializable(package="keras_genai")
class GenerativeModel(keras.Model):
    """Base class of keras-genai models: a custom `train_step` over one hook.

    A model implements `compute_losses(x, y, training)`, which returns a dict
    of float32 scalars; the entry `"loss"` is minimised and every name in
    `tracker_names` is averaged into a metric with that key. `train_step`
    (with loss scaling for `mixed_float16`) and `test_step` are shared, so
    `fit(validation_data=...)` and `evaluate` work for every model.

    The constructor arguments are the config: `get_config` returns every
    argument of every `__init__` in the class hierarchy, read from the
    attribute of the same name, so `.keras` save and load restore the class,
    its `train_step` and its weights.

    Subclasses also declare `value_range` (the pixel range they train on),
    `needs_labels`, and `serving_endpoints()` (named functional models used
    by `keras_genai.export`).

    Args:
        seed: int or None. Seed of the model's `keras.random.SeedGenerator`,
            used for every random draw during training and sampling.
    """

    tracker_names = ("loss",)
    value_range = (0.0, 1.0)
    needs_labels = False
    # What the model trains on: "images", "series" or "tokens" (picks test and calibration data).
    input_kind = "images"

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in self.tracker_names}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def compute_losses(self, x, y=None, training=False):
        raise NotImplementedError(
            f"{type(self).__name__} must implement compute_losses(x, y, training)."
        )

    def train_step(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            losses = self.compute_losses(x, y, training=True)
            loss = losses["loss"]
            if self.losses:
                loss = loss + ops.cast(ops.sum(self.losses), "float32")
            scaled_loss = self.optimizer.scale_loss(scale_for_replicas(loss))
        gradients = agreed_gradients(self.optimizer, tape.gradient(scaled_loss, self.trainable_variables))
        self.optimizer.apply(gradients, self.trainable_variables)
        return self.update_trackers(losses, x)

    def test_step(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        return self.update_trackers(self.compute_losses(x, y, training=False), x)

    def update_trackers(self, losses, x):
        # Weighted by batch size so epoch means are exact with a partial batch.
        batch_size = ops.cast(ops.shape(x)[0], "float32")
        for name, tracker in self.trackers.items():
            tracker.update_state(ops.cast(losses[name], "float32"), sample_weight=batch_size)
        return step_outputs({name: tracker.result() for name, tracker in self.trackers.items()})

    def training_callbacks(self, epochs, learning_rate=None):
        """Callbacks the model's training rule needs for a run of `epochs` epochs at
        `learning_rate` (e.g. a learning-rate schedule by epoch); `keras-genai train` adds them."""
        return []

    def default_optimizers(self, learning_rate=None):
        """The optimizer arguments `compile` gets from the CLI's `train`."""
        return {"optimizer": keras.optimizers.Adam(learning_rate or 1e-3)}

    def sample_latents(self, num_samples, images=None, seed=0, truncation=None):
        """Typical decoder inputs, for export checks and int8 calibration: z ~ N(0, I);
        with `truncation`, the normal truncated to [-truncation, truncation]."""
        return standard_normal_codes(num_samples, self.latent_dim, seed, truncation)

    def check_latent(self, z):
        """`z` as float32 `(N, latent_dim)`, or a ValueError naming its shape."""
        z = np.asarray(z, "float32")
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"{type(self).__name__} takes codes of shape (num_samples, {self.latent_dim}). "
                f"Received: z with shape={z.shape}"
            )
        return z

    # === Data checks ===

    def expected_input_shape(self):
        """Shape of one input example, e.g. `(28, 28, 1)`, or None to skip checks."""
        return getattr(self, "image_shape", None)

    @property
    def data_form(self):
        """What one training element is: `"samples"` (x alone), `"labeled"`
        (`(x, labels)`) or `"domains"` (`(x_a, x_b)`, two unpaired batches
        of the same shape, e.g. CycleGAN's)."""
        return "labeled" if self.needs_labels else "samples"

    def check_data(self, x, y=None):
        """Raises a ValueError naming what was received if `x` does not fit."""
        expected = self.expected_input_shape()
        if x is None or expected is None:
            return
        name = type(self).__name__
        if self.data_form == "domains":
            spec = x.element_spec if isinstance(x, tf.data.Dataset) else x
            if not isinstance(spec, (tuple, list)) or len(spec) != 2 or y is not None:
                raise ValueError(
                    f"{name} trains on pairs of unpaired batches (x_a, x_b), one per domain. "
                    f"Received {_describe(x)}" + ("" if y is None else " and y") + "."
                )
            for domain, part in zip("ab", spec):
                self._check_images(part, expected, f"{name} expects domain {domain} as batches of images")
            return
        if isinstance(x, tf.data.Dataset):
            spec = x.element_spec
            has_labels = isinstance(spec, tuple) and len(spec) > 1
            self._check_images(spec[0] if isinstance(spec, tuple) else spec, expected,
                               f"{name} expects batches of images", x)
        else:
            has_labels = y is not None
            self._check_images(x, expected, f"{name} expects batches of images")
        if self.needs_labels and not has_labels:
            raise ValueError(
                f"{name} needs labels: pass (images, labels) pairs. "
                f"Received {_describe(x)} without labels."
            )

    def _check_images(self, x, expected, what, source=None):
        """`x` is an array or a `tf.TensorSpec` of a batch; `source` the dataset it came from."""
        if isinstance(x, tf.TensorSpec):
            shape, dtype, received = tuple(x.shape)[1:], x.dtype, _describe(source) if source else str(x)
        else:
            shape, dtype, received = tuple(np.shape(x))[1:], tf.as_dtype(getattr(x, "dtype", "float32")), _describe(x)
        what = f"{what} of shape (batch, {', '.join(map(str, expected))})"
        if len(shape) != len(expected) or any(
            s is not None and s != e for s, e in zip(shape, expected)
        ):
            raise ValueError(
                f"{what}. Received {received}. Resize or convert the images, or "
                f"build the model for them (e.g. image_shape={tuple(shape)})."
            )
        if not dtype.is_floating:
            raise ValueError(
                f"{what} as floats in {self.value_range}. Received {received}: "
                "scale them first, e.g. keras_genai.data.normalize_images(x, model.value_range)."
            )
        if isinstance(x, tf.TensorSpec):
            return
        values = np.asarray(x, np.float32)
        if not np.all(np.isfinite(values)):
            raise ValueError(
                f"The input holds {int(np.sum(~np.isfinite(values)))} NaN or "
                "infinite values; clean the data first."
            )
        low, high = self.value_range or (-np.inf, np.inf)
        if values.min() < low - 1e-3 or values.max() > high + 1e-3:
            raise ValueError(
                f"{what} with values in {self.value_range}. Received values in "
                f"[{values.min():g}, {values.max():g}]; scale them first, e.g. "
                "keras_genai.data.normalize_images(uint8_images, model.value_range)."
            )

    def fit(self, x=None, y=None, *args, validation_data=None, **kwargs):
        self.check_data(x, y)
        if isinstance(validation_data, tuple):
            self.check_data(*validation_data[:2])
        elif validation_data is not None:
            self.check_data(validation_data)
        if isinstance(x, tf.data.Dataset):
            kwargs.setdefault("shuffle", False)  # a dataset shuffles itself
            x = _finite_batches(x, "training")
        if isinstance(validation_data, tf.data.Dataset):
            validation_data = _finite_batches(validation_data, "validation")
        try:
            return super().fit(x, y, *args, validation_data=validation_data, **kwargs)
        except tf.errors.InvalidArgumentError as e:
            what = next((w for w in ("training", "validation") if _NON_FINITE.format(w) in e.message), None)
            if what is None:
                raise
            raise ValueError(
                f"The {what} dataset holds NaN or infinite values; clean it first (e.g. "
                "dataset.filter(lambda x: tf.reduce_all(tf.math.is_finite(x)))). fit stopped at that batch: "
                "the weights were not updated with it."
            ) from None

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras 3.15 builds a model under a strategy from its first batch reduced with
        # `strategy.reduce("MEAN", ...)` over the whole structure, which fails for a batch
        # split unevenly over the replicas (a small validation set: "AddN must have the same
        # shape", keras #19246) and, under MultiWorkerMirroredStrategy, for any (x, y) tuple
        # ("unsupported type PerReplica", tensorflow #72388). The build needs shapes only, so
        # it gets this worker's first replica's batch instead.
        strategy = self._distribute_strategy
        if iterator is not None and strategy is not None:
            for _, _, batches in iterator:
                data_batch = tf.nest.map_structure(lambda v: strategy.experimental_local_results(v)[0],
                                                   next(batches))
                break
            iterator = None
        return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    # === Sampling and export contract ===

    def serving_endpoints(self):
        """Named functional models to export, e.g. `{"decode": ...}`."""
        return {}

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        """Typical inputs of the serving endpoint named `endpoint`: {input name: np.ndarray with
        `num` rows}, for export checks, int8 calibration and tests. `data` is a batch of the
        model's own training inputs (images in its value range, token ids, series windows) or None."""
        endpoints = self.serving_endpoints()
        if endpoint not in endpoints:
            raise ValueError(
                f"{type(self).__name__} has the endpoints {sorted(endpoints)}. Received: endpoint={endpoint!r}"
            )
        raise NotImplementedError(
            f"{type(self).__name__} does not say what its endpoint {endpoint!r} takes: implement "
            f"example_inputs({endpoint!r}) for its inputs {[t.name for t in endpoints[endpoint].inputs]}."
        )

    @staticmethod
    def float32_output(tensor):
        """Casts a symbolic endpoint output to float32 (for mixed precision)."""
        return keras.layers.Activation("linear", dtype="float32")(tensor)

    def grid_images(self, x, y=None):
        """Named image batches in [0, 1] to show in a sample grid."""
        return {}

    def to_display(self, images):
        """Maps model-range images to [0, 1] for display."""
        low, high = self.value_range
        return np.clip((np.asarray(images, np.float32) - low) / (high - low), 0.0, 1.0)

    # === Pretrained models ===

    @classmethod
    def from_preset(cls, preset):
        """A published pretrained model by name, e.g. `DCGAN.from_preset("dcgan_fashion_mnist")`.

        As keras-hub's `from_preset`: the names are the folders of `savedmodels/`
        (`keras_genai.models.pretrained_names()`, `keras-genai models --pretrained`);
        a `.keras` file or a run folder loads too. The class checks what it loads:
        `GenerativeModel.from_preset` takes any model, `DCGAN.from_preset` a DCGAN.
        The configuration presets ("cpu", "tiny", "paper") build untrained models:
        `keras_genai.training.build_model(name, preset)`.
        """
        from keras_genai.models.pretrained import pretrained_folder, resolve_source
        from keras_genai.training.load import load_model

        try:
            source = resolve_source(preset)
        except FileNotFoundError:
            pretrained_folder(preset)  # raises the ValueError listing the names
            raise
        model = load_model(source)
        if not isinstance(model, cls):
            raise ValueError(f"{preset!r} is a {type(model).__name__}, not a {cls.__name__}. Load it with "
                             f"keras_genai.{type(model).__name__}.from_preset({preset!r}) or "
                             f"keras_genai.GenerativeModel.from_preset({preset!r}).")
        return model

    # === Config ===

    def get_config(self):
        config = super().get_config()
        for name in _constructor_args(type(self)):
            value = getattr(self, name)
            config[name] = list(value) if isinstance(value, tuple) else value
        return config
