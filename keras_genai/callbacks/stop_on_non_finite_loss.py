import math

import keras
import numpy as np


class NonFiniteLossError(ValueError):
    """A loss became NaN or infinite; `epoch` and `batch` count from 1."""

    def __init__(self, message, key=None, value=None, epoch=None, batch=None):
        super().__init__(message)
        self.key, self.value, self.epoch, self.batch = key, value, epoch, batch


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Raises `NonFiniteLossError` at the first batch whose logs hold a NaN or infinite loss.

    `keras.callbacks.TerminateOnNaN(raise_error=True)` checks only the key
    `loss`, which adversarial models do not report (`d_loss`, `g_loss`);
    this checks every key with `loss` in its name. It raises, rather than
    setting `stop_training`, so that no later callback of that batch or of
    the epoch's end saves the broken weights as a checkpoint: place it first.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for key, value in (logs or {}).items():
            if "loss" not in key:
                continue
            value = float(np.asarray(value))
            if not math.isfinite(value):
                raise NonFiniteLossError(
                    f"{key} became {value} at epoch {self.epoch + 1}, batch {batch + 1}",
                    key, value, self.epoch + 1, batch + 1)
