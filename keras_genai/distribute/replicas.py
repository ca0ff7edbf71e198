"""What a training step needs to give under `tf.distribute` the result of one device with the
same global batch: the loss scaled for the gradients' sum over replicas, and random draws
taken from the global batch's."""

import keras
import tensorflow as tf
from keras import ops


def replica_count():
    """Replicas in sync of the strategy in scope (1 without one)."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def _replica_context():
    """The replica context of a step that runs on several replicas, else None."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return None
    return context


def scale_for_replicas(loss):
    """`loss / replicas`: Keras' optimizers sum the replicas' gradients (an all-reduce
    SUM), so a per-replica mean loss would give `replicas` times the gradient of the
    global batch's mean. Unchanged on one device."""
    replicas = replica_count()
    if replicas == 1:
        return loss
    return loss * ops.cast(1.0 / replicas, loss.dtype)


def draw_rows(draw, shape, **kwargs):
    """`draw(shape, **kwargs)` (a `keras.random` function), this replica's rows of it.

    `shape[0]` is the per-replica batch. On several replicas the draw is taken
    for the global batch (`replicas * shape[0]` rows) with the same seed state on
    each and every replica keeps its own slice, so that the replicas' noise
    together is the noise one device draws for the same global batch: GANs'
    z, VAEs' epsilon, gradient-penalty interpolation, DiffAugment and the
    history pool give the same steps as on one device. (A last, uneven batch
    draws as if every replica had the first replica's rows.)
    """
    context = _replica_context()
    if context is None:
        return draw(shape, **kwargs)
    rows = shape[0]
    full = draw((context.num_replicas_in_sync * rows, *shape[1:]), **kwargs)
    start = context.replica_id_in_sync_group * rows
    return full[start:start + rows]


def gather_rows(values):
    """`values` of every replica concatenated in replica order (the global batch), and
    this replica's slice of the result as a function: `(global, take_own)`. For state
    that must see the whole batch, e.g. an image history pool."""
    context = _replica_context()
    if context is None:
        return values, lambda result: result
    rows = ops.shape(values)[0]
    start = context.replica_id_in_sync_group * rows
    return context.all_gather(values, axis=0), lambda result: result[start:start + rows]


def batch_normalization(**kwargs):
    """`keras.layers.BatchNormalization(**kwargs)`, synchronised (the global batch's
    statistics, as on one device) when built under a strategy with several replicas;
    the plain layer otherwise, whose `tf.nn.moments` the synchronised one does not use."""
    return keras.layers.BatchNormalization(synchronized=replica_count() > 1, **kwargs)


def step_outputs(values):
    """A step's metrics (a dict of scalars) as `fit` can reduce them on every strategy:
    Keras 3 reduces them across workers of a `MultiWorkerMirroredStrategy` with
    `strategy.reduce("MEAN", value, axis=0)`, which rejects scalars (tensorflow #72388),
    so there each gets a leading axis of 1, which that reduction removes."""
    if not isinstance(tf.distribute.get_strategy(), tf.distribute.MultiWorkerMirroredStrategy):
        return values
    return {name: ops.reshape(value, (1,)) for name, value in values.items()}


def agreed_gradients(optimizer, gradients):
    """`gradients` as `optimizer.apply` should get them on this replica.

    Unchanged except under a `LossScaleOptimizer` on several replicas: it decides
    from the first local replica's gradients whether they are finite, before the
    inner optimizer all-reduces them, so two workers can decide differently and one
    waits forever in an all-reduce the other skips. Each replica gets the replicas'
    mean instead, the same on all of them; the inner optimizer's sum of N equal means
    is the sum it would have taken.
    """
    context = _replica_context()
    if context is None or not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return gradients
    present = [g for g in gradients if g is not None]
    reduced = iter(context.all_reduce(tf.distribute.ReduceOp.MEAN, present))
    return [None if g is None else next(reduced) for g in gradients]
