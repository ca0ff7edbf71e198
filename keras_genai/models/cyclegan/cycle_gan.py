import keras
import numpy as np
from keras import ops

from keras_genai.layers import ImageHistoryPool, MaximumLeakyReLU, ReflectionPadding2D
from keras_genai.losses import (
    cycle_consistency_loss,
    identity_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
)
from keras_genai.models.examples import example_images
from keras_genai.models.gan.multi_network_model import MultiNetworkModel

DIRECTIONS = ("a2b", "b2a")


def _instance_norm():
    # Instance normalisation: one group per channel.
    return keras.layers.GroupNormalization(groups=-1, epsilon=1e-5)


@keras.saving.register_keras_serializable(package="keras_genai")
class CycleGAN(MultiNetworkModel):
    """Unpaired image-to-image translation between domains A and B.

    Two ResNet generators, `generator_ab` (G: A -> B) and `generator_ba`
    (F: B -> A): reflection-padded 7x7 convolution, `downsamplings` stride-2
    convolutions, `residual_blocks` residual blocks of two reflection-padded
    3x3 convolutions, as many stride-2 transposed convolutions and a
    reflection-padded 7x7 convolution to `tanh`, with instance normalisation
    (`GroupNormalization(groups=-1)`) and ReLU between. Two PatchGAN
    discriminators, `discriminator_a` and `discriminator_b`: 4x4
    convolutions, stride 2 for `discriminator_layers` layers and then
    stride 1, instance normalisation after the first, LeakyReLU(0.2), and a
    one-channel map of per-patch scores ("same" padding, so a 28x28 input
    gives 4x4 patches; the paper's 256x256 preset gives its 70x70 receptive
    field).

    Each training step, on an unpaired batch `(x_a, x_b)`: one update of
    both generators by one optimizer (as the paper's reference code, which
    chains their parameters) on the least-squares adversarial loss of each
    direction + `cycle_weight` x (|F(G(a)) - a| + |G(F(b)) - b|) +
    `identity_weight` x `cycle_weight` x (|G(b) - b| + |F(a) - a|); then one
    update of both discriminators by a second optimizer on the
    least-squares loss, each scoring its domain's real batch against fakes
    drawn through a history pool of `pool_size` past fakes. With
    `learning_rate_decay_start` the learning rates stay constant for that
    fraction of the epochs and then fall linearly, as in the paper
    (`training_callbacks`, which `keras-genai train` adds).

    Metric keys: `d_loss`, `g_loss` (the total the generators minimise),
    `cycle_loss`, `identity_loss` (the unweighted L1 terms).

    Args:
        image_shape: tuple. `(height, width, channels)` of both domains;
            height and width divisible by `2 ** downsamplings`.
            Defaults to `(28, 28, 1)`.
        generator_filters: int. Filters of the generators' first
            convolution, doubled at each downsampling. Defaults to `64`.
        downsamplings: int. Stride-2 stages of the generators.
            Defaults to `2`.
        residual_blocks: int. Residual blocks of the generators (the paper:
            6 at 128x128, 9 at 256x256). Defaults to `9`.
        discriminator_filters: int. Filters of the discriminators' first
            convolution, doubled per layer up to 8x. Defaults to `64`.
        discriminator_layers: int. Stride-2 layers of the discriminators
            (3 in the paper's 70x70 PatchGAN). Defaults to `3`.
        cycle_weight: float. λ of the cycle-consistency loss. Defaults to `10.0`.
        identity_weight: float. The identity loss's weight as a fraction of
            `cycle_weight` (0 turns it off). Defaults to `0.5`.
        pool_size: int. Past fakes kept for each discriminator (0: none).
            Defaults to `50`.
        learning_rate_decay_start: float or None. Fraction of the epochs
            after which the learning rates decay linearly to zero, or None
            to keep them constant. Defaults to `0.5`.
        ema_decay: float or None. Decay of a weight average of both
            generators, used for translation and export when set.
            Defaults to `None` (the paper keeps none).
        seed: int or None. Seed of the history pools' draws. Defaults to `None`.

    Example:

    ```python
    model = keras_genai.models.CycleGAN(image_shape=(28, 28, 1), generator_filters=32,
                                        residual_blocks=4)
    model.compile()
    model.fit(tf.data.Dataset.zip((domain_a, domain_b)), epochs=10)
    sneakers = model.translate(sandals, "a2b")
    ```

    Reference: Zhu et al., "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", ICCV 2017.
    """

    tracker_names = ("d_loss", "g_loss", "cycle_loss", "identity_loss")
    value_range = (-1.0, 1.0)
    optimizer_names = {"discriminator": "d_optimizer", "generator": "g_optimizer"}
    ema_networks = ("generator_ab", "generator_ba")
    default_learning_rate = 2e-4
    # A class attribute (the base's is a property), so that `train` can read it before building.
    data_form = "domains"

    def __init__(self, image_shape=(28, 28, 1), generator_filters=64, downsamplings=2, residual_blocks=9,
                 discriminator_filters=64, discriminator_layers=3, cycle_weight=10.0, identity_weight=0.5,
                 pool_size=50, learning_rate_decay_start=0.5, **kwargs):
        super().__init__(**kwargs)
        image_shape = tuple(int(d) for d in image_shape)
        for name, value, low in (("generator_filters", generator_filters, 1), ("downsamplings", downsamplings, 0),
                                 ("residual_blocks", residual_blocks, 0),
                                 ("discriminator_filters", discriminator_filters, 1),
                                 ("discriminator_layers", discriminator_layers, 1)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}. Received: {name}={value!r}")
        factor = 2 ** downsamplings
        if len(image_shape) != 3 or image_shape[0] % factor or image_shape[1] % factor or min(image_shape) < 1:
            raise ValueError(
                f"image_shape must be (height, width, channels) with height and width divisible by "
                f"{factor} (2 ** downsamplings). Received: image_shape={image_shape}, downsamplings={downsamplings}"
            )
        if min(image_shape[:2]) // factor <= 1:
            raise ValueError(
                f"The generators' reflection padding needs feature maps above 1x1 after {downsamplings} "
                f"downsamplings. Received: image_shape={image_shape}"
            )
        if cycle_weight < 0 or identity_weight < 0:
            raise ValueError(
                f"cycle_weight and identity_weight must be >= 0. "
                f"Received: cycle_weight={cycle_weight}, identity_weight={identity_weight}"
            )
        if learning_rate_decay_start is not None and not 0 <= learning_rate_decay_start < 1:
            raise ValueError(
                "learning_rate_decay_start must be in [0, 1) or None. "
                f"Received: learning_rate_decay_start={learning_rate_decay_start}"
            )
        self.image_shape = image_shape
        self.generator_filters = int(generator_filters)
        self.downsamplings = int(downsamplings)
        self.residual_blocks = int(residual_blocks)
        self.discriminator_filters = int(discriminator_filters)
        self.discriminator_layers = int(discriminator_layers)
        self.cycle_weight = float(cycle_weight)
        self.identity_weight = float(identity_weight)
        self.pool_size = int(pool_size)
        self.learning_rate_decay_start = learning_rate_decay_start
        # === Layers ===
        self.generator_ab = self.build_generator("generator_ab")
        self.generator_ba = self.build_generator("generator_ba")
        self.discriminator_a = self.build_discriminator("discriminator_a")
        self.discriminator_b = self.build_discriminator("discriminator_b")
        seed = self.seed
        self.pool_a = ImageHistoryPool(self.pool_size, seed=seed, name="pool_a")
        self.pool_b = ImageHistoryPool(self.pool_size, seed=None if seed is None else seed + 1, name="pool_b")
        for pool in (self.pool_a, self.pool_b):
            pool.build((None,) + image_shape)
        self.finish_networks()

    # === Networks ===

    def build_generator(self, name):
        channels = self.image_shape[-1]
        image = keras.Input(self.image_shape, name="image")

        def conv(h, filters, kernel, padding=0, strides=1):
            if padding:
                h = ReflectionPadding2D(padding)(h)
            h = keras.layers.Conv2D(filters, kernel, strides=strides, padding="valid" if padding else "same",
                                    use_bias=False)(h)
            return _instance_norm()(h)

        h = keras.layers.ReLU()(conv(image, self.generator_filters, 7, padding=3))
        filters = self.generator_filters
        for _ in range(self.downsamplings):
            filters *= 2
            h = keras.layers.ReLU()(conv(h, filters, 3, strides=2))
        for _ in range(self.residual_blocks):
            r = keras.layers.ReLU()(conv(h, filters, 3, padding=1))
            h = keras.layers.Add()([h, conv(r, filters, 3, padding=1)])
        for _ in range(self.downsamplings):
            filters //= 2
            h = keras.layers.Conv2DTranspose(filters, 3, strides=2, padding="same", use_bias=False)(h)
            h = keras.layers.ReLU()(_instance_norm()(h))
        h = keras.layers.Conv2D(channels, 7, padding="valid")(ReflectionPadding2D(3)(h))
        return keras.Model([image], keras.layers.Activation("tanh", dtype="float32")(h), name=name)

    def build_discriminator(self, name):
        image = keras.Input(self.image_shape, name="image")
        h = image
        for i in range(self.discriminator_layers + 1):
            filters = self.discriminator_filters * 2 ** min(i, 3)
            h = keras.layers.Conv2D(filters, 4, strides=2 if i < self.discriminator_layers else 1,
                                    padding="same", use_bias=i == 0)(h)
            if i > 0:
                h = _instance_norm()(h)
            h = MaximumLeakyReLU(0.2)(h)
        scores = keras.layers.Conv2D(1, 4, padding="same", dtype="float32", name="patch_scores")(h)
        return keras.Model([image], scores, name=name)

    # === Hooks of the base ===

    def networks_of(self, role):
        if role == "generator":
            return [self.generator_ab, self.generator_ba]
        return [self.discriminator_a, self.discriminator_b]

    def build_optimizer(self, role, learning_rate):
        return keras.optimizers.Adam(learning_rate, beta_1=0.5)

    def training_callbacks(self, epochs, learning_rate=None):
        if self.learning_rate_decay_start is None:
            return []
        from keras_genai.callbacks import LinearLearningRateDecay

        return [LinearLearningRateDecay(self.learning_rates(learning_rate), epochs,
                                        self.learning_rate_decay_start)]

    # === Training ===

    def translate_pair(self, x_a, x_b, training):
        """`(G(a), F(b))` with the networks being trained."""
        return (self.generator_ab([x_a], training=training), self.generator_ba([x_b], training=training))

    def generator_losses(self, x_a, x_b, outputs, training=True):
        fake_b, fake_a = self.translate_pair(x_a, x_b, training)
        outputs.update(fake_a=fake_a, fake_b=fake_b)
        # The reference's MSE(D(G(a)), 1): LSGAN's generator loss without its 1/2.
        adversarial = 2.0 * (least_squares_generator_loss(self.discriminator_b([fake_b], training=training))
                             + least_squares_generator_loss(self.discriminator_a([fake_a], training=training)))
        cycle = (cycle_consistency_loss(x_a, self.generator_ba([fake_b], training=training))
                 + cycle_consistency_loss(x_b, self.generator_ab([fake_a], training=training)))
        loss = adversarial + self.cycle_weight * cycle
        if self.identity_weight > 0:
            identity = (identity_loss(x_b, self.generator_ab([x_b], training=training))
                        + identity_loss(x_a, self.generator_ba([x_a], training=training)))
            loss = loss + self.identity_weight * self.cycle_weight * identity
        else:
            identity = ops.zeros((), "float32")
        return loss, {"g_loss": loss, "cycle_loss": cycle, "identity_loss": identity}

    def discriminator_losses(self, x_a, x_b, fake_a, fake_b, training=True):
        loss = (least_squares_discriminator_loss(self.discriminator_a([x_a], training=training),
                                                 self.discriminator_a([fake_a], training=training))
                + least_squares_discriminator_loss(self.discriminator_b([x_b], training=training),
                                                   self.discriminator_b([fake_b], training=training)))
        return loss, {"d_loss": loss}

    def train_step(self, data):
        x_a, x_b = self.unpack_domains(data)
        outputs = {}
        reported = self.update("generator", lambda: self.generator_losses(x_a, x_b, outputs),
                               {"real": x_a, "conditions": []})
        # The discriminators see fakes of earlier generators too (outside the generators' tape).
        fake_a = self.pool_a(ops.stop_gradient(outputs["fake_a"]), training=True)
        fake_b = self.pool_b(ops.stop_gradient(outputs["fake_b"]), training=True)
        reported.update(self.update("discriminator", lambda: self.discriminator_losses(x_a, x_b, fake_a, fake_b),
                                    {"real": x_b, "fake": fake_b, "conditions": []}))
        self.update_ema()
        return self.update_trackers(reported, x_a)

    def test_step(self, data):
        x_a, x_b = self.unpack_domains(data)
        outputs = {}
        _, reported = self.generator_losses(x_a, x_b, outputs, training=False)
        _, d_reported = self.discriminator_losses(x_a, x_b, outputs["fake_a"], outputs["fake_b"], training=False)
        return self.update_trackers({**reported, **d_reported}, x_a)

    # === Translation API ===

    def translator(self, direction):
        """The network of `direction` ("a2b" or "b2a") used for translation: its average if kept."""
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'a2b' or 'b2a'. Received: direction={direction!r}")
        name = "generator_ab" if direction == "a2b" else "generator_ba"
        return getattr(self, f"ema_{name}") or getattr(self, name)

    def call(self, images, training=False):
        return self.translator("a2b")([images], training=training)

    def translate(self, images, direction="a2b", batch_size=64):
        """Images of the source domain (in the model's value range) translated to the other domain."""
        images = np.asarray(images, "float32")
        self._check_images(images, self.image_shape, f"{type(self).__name__}.translate expects images")
        return np.asarray(self.translator(direction).predict(images, batch_size=batch_size, verbose=0))

    def serving_endpoints(self):
        endpoints = {}
        for direction in DIRECTIONS:
            # Mobile callers pass and get images in [0, 1].
            image = keras.Input(self.image_shape, name="image")
            h = keras.layers.Rescaling(2.0, offset=-1.0)(image)
            h = self.float32_output(self.translator(direction)([h]))
            translated = keras.layers.Rescaling(0.5, offset=0.5, dtype="float32")(h)
            endpoints[direction] = keras.Model([image], translated, name=direction)
        return endpoints

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint not in DIRECTIONS:
            return super().example_inputs(endpoint, num, data, seed)
        # `data` is a training element (x_a, x_b) in the model's range; the endpoints take [0, 1].
        source = None if data is None else data[DIRECTIONS.index(endpoint)]
        images = example_images(self.image_shape, self.value_range, num, source, seed)
        return {"image": self.to_display(images)}

    def grid_images(self, x, y=None):
        x_a, x_b = (ops.convert_to_numpy(part) for part in self.unpack_domains(x))
        a2b, b2a = self.translate(x_a, "a2b"), self.translate(x_b, "b2a")
        return {"a": x_a, "a2b": a2b, "a2b2a": self.translate(a2b, "b2a"),
                "b": x_b, "b2a": b2a, "b2a2b": self.translate(b2a, "a2b")}
