import keras
from keras import ops

from keras_genai.distribute.replicas import gather_rows


@keras.saving.register_keras_serializable(package="keras_genai")
class ImageHistoryPool(keras.layers.Layer):
    """A buffer of past generated images, for the discriminator's fakes.

    Shrivastava et al.'s history of refined images, as CycleGAN uses it:
    until `pool_size` images are stored, each new image is stored and
    returned; after that each new image is, with probability 1/2, returned
    as is, and otherwise swapped for a stored image drawn uniformly, which
    is returned while the new one takes its place. The discriminator then
    sees fakes of earlier generators too, which damps oscillation.

    One batch is handled at once: the draws are independent per image and
    every swap reads the buffer as it was before the batch (the reference
    `ImagePool` goes image by image, so an image stored earlier in the same
    batch could be drawn; with 50 stored images that changes little). The
    buffer is a non-trainable weight, saved with the model, so a resumed
    run continues with its history.

    Args:
        pool_size: int. Images kept; 0 returns every batch unchanged.
            Defaults to `50`.
        seed: int or None. Seed of the draws. Defaults to `None`.
    """

    def __init__(self, pool_size=50, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 0:
            raise ValueError(f"pool_size must be an integer >= 0. Received: pool_size={pool_size!r}")
        self.pool_size = pool_size
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        # One slot more than the pool: the writes of images that are not stored go there.
        self.images = self.add_weight(shape=(self.pool_size + 1,) + tuple(input_shape[1:]),
                                      initializer="zeros", trainable=False, name="images")
        self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32", trainable=False,
                                     name="count")

    def call(self, images, training=False):
        if not training or self.pool_size == 0:
            return images
        # On several replicas every replica runs the pool on the global batch (the same draws,
        # the same buffer on each) and keeps its own rows: the pool of one device.
        images, own_rows = gather_rows(ops.cast(images, self.images.dtype))
        batch = ops.shape(images)[0]
        position = self.count + ops.arange(batch, dtype="int32")
        filling = position < self.pool_size
        swap = ops.logical_and(
            ops.logical_not(filling),
            keras.random.uniform((batch,), seed=self.seed_generator) < 0.5,
        )
        drawn = ops.cast(keras.random.randint((batch,), 0, self.pool_size, seed=self.seed_generator), "int32")
        stored = ops.take(self.images, drawn, axis=0)
        broadcast = lambda mask: ops.reshape(mask, (-1,) + (1,) * (len(images.shape) - 1))  # noqa: E731
        returned = ops.where(broadcast(swap), stored, images)
        # A new image goes to the next free slot while filling, to the drawn slot when it is
        # swapped, and otherwise to the spare last slot, which is never read.
        slot = ops.where(filling, position, ops.where(swap, drawn, self.pool_size))
        self.images.assign(ops.scatter_update(self.images, ops.expand_dims(slot, -1), images))
        self.count.assign(ops.minimum(self.count + batch, self.pool_size))
        return own_rows(returned)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "seed": self.seed}
