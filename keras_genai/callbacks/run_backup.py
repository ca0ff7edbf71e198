import json
import os
import re
import sys
import time

import keras
import numpy as np
import tensorflow as tf

from keras_genai.callbacks.stop_on_non_finite_loss import NonFiniteLossError
from keras_genai.utils import atomic_path, remove_temporaries, write_json


class RunBackup(keras.callbacks.BackupAndRestore):
    """`keras.callbacks.BackupAndRestore` every N steps or M minutes, crash-safe, resuming at the batch.

    Keras' callback overwrites one `latest.weights.h5` in place (a kill while
    saving leaves a broken file and nothing else) and, resumed, restarts the
    epoch it stopped in, so the batches before the checkpoint are trained
    twice. Here each backup is `step_NNNNNNNNN.weights.h5` (model and
    optimizer state) and beside it `step_NNNNNNNNN.json` (`epoch`, `batch`
    within it, `step` in all, and the states of the model's
    `keras.random.SeedGenerator`s, which `save_weights` leaves out: without
    them a resumed model draws the noise of its first steps again),
    both written atomically, the JSON last, so a backup without its JSON
    is incomplete. The newest `keep` are kept. Resuming loads the newest
    that reads; a broken one is reported and the one before it used.

    A backup resumed mid-epoch continues at the next batch: the batches of
    that epoch already trained are drawn from the data and dropped, not
    trained again. Given `dataset` (the `tf.data.Dataset` passed to `fit`)
    and `steps_per_epoch`, the data are first put where the interrupted
    run had them (`_data_position`: as many iterators made over the dataset
    as Keras had made, each drawing the next shuffle order), so a
    deterministic run resumed from a backup ends with the same weights as
    one never stopped. That assumes `steps_per_execution=1` and Keras 3's
    iteration; a dataset of unknown length given with `steps_per_epoch` is
    taken as endless.

    Backups are written after the steps, at every epoch's end, and when
    `save()` is called (e.g. on a signal); weights that became NaN or
    infinite are not saved but raise `NonFiniteLossError`. The epoch's-end backup is
    written by `epoch_end_saver`, a callback to place last in `fit`'s list,
    so that it follows the epoch's checkpoints, metrics and grids; this
    callback itself goes first, as its `on_train_begin` sets the epoch the
    others start from. A folder holding Keras' own `latest.weights.h5`
    resumes from it.

    Args:
        backup_dir: str. The folder, for this run's backups only.
        save_every_steps: int or None. Also save every this many batches.
        save_every_minutes: float or None. Also save at the first batch's
            end this long after the last save.
        keep: int. Backups kept, at least 1. Defaults to `2`.
        dataset: the training `tf.data.Dataset`, or None (no replay).
        steps_per_epoch: int or None. As passed to `fit`.
    """

    def __init__(self, backup_dir, save_every_steps=None, save_every_minutes=None, keep=2, dataset=None,
                 steps_per_epoch=None):
        if save_every_steps is not None and (not isinstance(save_every_steps, int) or save_every_steps < 1):
            raise ValueError(f"save_every_steps must be an integer >= 1 or None. "
                             f"Received: save_every_steps={save_every_steps!r}")
        if save_every_minutes is not None and not save_every_minutes > 0:
            raise ValueError(f"save_every_minutes must be a number > 0 or None. "
                             f"Received: save_every_minutes={save_every_minutes!r}")
        if not isinstance(keep, int) or keep < 1:
            raise ValueError(f"keep must be an integer >= 1. Received: keep={keep!r}")
        super().__init__(backup_dir, save_freq=save_every_steps or "epoch", delete_checkpoint=False)
        self.save_every_steps = save_every_steps
        self.save_every_minutes = save_every_minutes
        self.keep = keep
        self.dataset = dataset
        self.steps_per_epoch = steps_per_epoch
        self.epoch_end_saver = _EpochEndSave(self)
        self.restored = None
        self._pattern = re.compile(r"step_(\d+)\.json")

    def backups(self):
        """`(step, json path, weights path)` of the complete backups, newest first."""
        if not os.path.isdir(self.backup_dir):
            return []
        found = []
        for name in os.listdir(self.backup_dir):
            if m := self._pattern.fullmatch(name):
                path = os.path.join(self.backup_dir, name)
                found.append((int(m.group(1)), path, path[: -len(".json")] + ".weights.h5"))
        return sorted(found, reverse=True)

    # === Restore ===

    def on_train_begin(self, logs=None):
        self._epoch = self._batch = self._step = self._since_save = 0
        self._skipping = 0
        self._last_save = time.monotonic()
        remove_temporaries(self.backup_dir)
        backups = self.backups()
        if not backups:
            super().on_train_begin(logs)  # Keras' latest.weights.h5, if any
            return
        for i, (step, metadata_path, weights_path) in enumerate(backups):
            try:
                with open(metadata_path) as f:
                    metadata = json.load(f)
                # Keras' loader, pointed at this backup: builds the optimizer and sets the epoch.
                self._weights_path, self._training_metadata_path = weights_path, metadata_path
                super()._load_model()
                _set_seed_states(self.model, metadata.get("seed_states", []))
                break
            except Exception as e:  # a truncated or garbled file raises OSError, ValueError, KeyError...
                reason = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                if i + 1 == len(backups):
                    raise ValueError(f"No backup in {self.backup_dir!r} can be read; the oldest, "
                                     f"{weights_path!r}, failed with {reason}.") from None
                print(f"keras-genai: backup {os.path.basename(weights_path)} cannot be read ({reason}); "
                      f"resuming from the one before, {os.path.basename(backups[i + 1][2])}.",
                      file=sys.stderr)
        self.restored = metadata
        self._step = metadata["step"]
        self._epoch, self._batch = metadata["epoch"], metadata["batch"]
        self._replay(metadata["epoch"], metadata["batch"])

    def _replay(self, epoch, batch):
        """Puts the data where the interrupted run had them, then skips `batch` batches of `epoch`."""
        offset = 0
        if self.dataset is not None:
            iterators, offset = _data_position(epoch, self.steps_per_epoch,
                                               int(tf.data.experimental.cardinality(self.dataset)))
            for _ in range(iterators):
                iter(self.dataset)  # draws the next shuffle order, reads nothing
        per_call = getattr(self.model, "steps_per_execution", 1) or 1
        if not (offset or batch):
            return
        real = self.model.train_function
        self._skipping = batch // per_call
        offset = [offset]

        def train_function(iterator):
            # Keras calls this once per step with its data iterator; these calls draw without training.
            for _ in range(offset[0]):
                next(iterator)
            offset[0] = 0
            if self._skipping:
                for _ in range(per_call):
                    next(iterator)
                return {}
            self.model.train_function = real
            return real(iterator)

        self.model.train_function = train_function

    # === Save ===

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._batch = batch + 1
        if self._skipping:
            self._skipping -= 1
            return
        self._step += 1
        self._since_save += 1
        if (self.save_every_steps and self._since_save >= self.save_every_steps) or (
                self.save_every_minutes and time.monotonic() - self._last_save >= 60 * self.save_every_minutes):
            self.save()

    def on_epoch_end(self, epoch, logs=None):
        pass  # `epoch_end_saver`, last in the list, saves

    def on_train_end(self, logs=None):
        pass  # keeps the backups: --resume of a run that ended still needs them

    def save(self, epoch=None, batch=None):
        """Writes a backup of the current step (default: the current epoch and batch within it)."""
        if self._skipping:
            return  # the restored backup is still the newest state
        epoch = self._epoch if epoch is None else epoch
        batch = self._batch if batch is None else batch
        # A step can make the weights NaN while the loss it reports, computed before
        # its update, is still finite: such weights would pass for the last good backup.
        if not all(np.isfinite(v.numpy()).all() for v in self.model.trainable_variables):
            where = f"epoch {epoch + 1}, batch {batch}" if batch else f"the end of epoch {epoch}"
            raise NonFiniteLossError(f"the weights became NaN or infinite at {where}",
                                     epoch=epoch + 1 if batch else epoch, batch=batch or None)
        stem = os.path.join(self.backup_dir, f"step_{self._step:09d}")
        with atomic_path(stem + ".weights.h5") as temporary:
            self.model.save_weights(temporary)
        write_json(stem + ".json", {"epoch": epoch, "batch": batch, "step": self._step,
                                    "seed_states": [[v.path, v.numpy().tolist()] for v in _seed_states(self.model)]})
        self._since_save, self._last_save = 0, time.monotonic()
        for _, metadata_path, weights_path in self.backups()[self.keep:]:
            os.remove(metadata_path)  # first: a backup without its JSON is ignored
            if os.path.exists(weights_path):
                os.remove(weights_path)
        for path in (self._weights_path, self._training_metadata_path):
            # Keras' single backup of an older run, now superseded.
            if os.path.basename(path) in ("latest.weights.h5", "training_metadata.json") and os.path.exists(path):
                os.remove(path)

    @property
    def position(self):
        """`(epoch, batch, step)`: epoch from 0, batches done in it, batches trained in all."""
        return self._epoch, self._batch, self._step


class _EpochEndSave(keras.callbacks.Callback):
    def __init__(self, backup):
        super().__init__()
        self.backup = backup

    def on_epoch_end(self, epoch, logs=None):
        self.backup.save(epoch + 1, 0)


def _seed_states(model):
    return [v for v in model.variables if v.path.endswith("seed_generator_state")]


def _set_seed_states(model, saved):
    # By position: a generator's path holds a process-wide counter (seed_generator_9).
    states = _seed_states(model)
    if len(saved) != len(states):
        raise ValueError(f"The backup holds {len(saved)} seed generator states; the model has {len(states)}.")
    for variable, (_, value) in zip(states, saved):
        variable.assign(value)


def _data_position(epochs, steps_per_epoch, cardinality):
    """`(iterators, offset)` after `epochs` epochs of Keras' `EpochIterator` (Keras 3.x, its
    `_enumerate_iterator`): how many iterators it had made over the dataset before the one
    the next epoch draws from, and how many batches that one had given.

    Each new iterator over a reshuffled dataset draws the next order, even one
    never read: without `steps_per_epoch` Keras makes one at every epoch's start
    and, for a dataset of known length, another at its end that the next epoch
    replaces. With it Keras keeps one iterator across epochs and, over a dataset
    of known length, makes the next when one is used up, which ends that epoch
    early.
    """
    known = cardinality if cardinality >= 0 else None
    if not steps_per_epoch:
        # An unknown length becomes known when the first epoch runs out of data.
        return (2 * epochs if known is not None else max(2 * epochs - 1, 0)), 0
    if known is None:  # endless (or unknown): one iterator
        return 0, epochs * steps_per_epoch
    made, seen = 1, 0
    for _ in range(epochs):
        for _ in range(steps_per_epoch):
            if seen >= known:
                break
            seen += 1
        if seen >= known:
            made, seen = made + 1, 0
    return made - 1, seen
