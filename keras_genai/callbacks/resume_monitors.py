import json
import os

import keras


def best_epoch(history, monitor, mode):
    """`(epoch, value)` of the best `monitor` in `history` (MetricsJSON records), or `(None, None)`.

    The first epoch of the best value wins, as in `ModelCheckpoint(save_best_only=True)`
    and `EarlyStopping`, which count only a strict improvement.
    """
    better = (lambda a, b: a < b) if mode == "min" else (lambda a, b: a > b)
    best = (None, None)
    for record in history:
        value = record.get(monitor)
        if value is not None and (best[1] is None or better(value, best[1])):
            best = (record["epoch"], value)
    return best


class ResumeMonitors(keras.callbacks.Callback):
    """Hands a resumed run's finished epochs to its `ModelCheckpoint(save_best_only=True)`
    and `EarlyStopping`, so that they go on as if the run had not stopped.

    Without it a resumed run's first epoch counts as best (and overwrites the best
    checkpoint) however bad it is, and early stopping's patience starts afresh.
    Place it after `BackupAndRestore` and the monitors: when training begins it
    reads the epochs of the `MetricsJSON` file up to the one restored.

    Args:
        metrics_path: str. The run's `MetricsJSON` file.
        monitors: list of `ModelCheckpoint` / `EarlyStopping`, all with the same
            `monitor` and an explicit `mode` ("min" or "max").
    """

    def __init__(self, metrics_path, monitors):
        super().__init__()
        self.metrics_path = metrics_path
        self.monitors = list(monitors)

    def on_train_begin(self, logs=None):
        if not os.path.exists(self.metrics_path):
            return
        with open(self.metrics_path) as f:
            start = getattr(self.model, "_initial_epoch", None) or 0
            history = [h for h in json.load(f) if h["epoch"] <= start]
        if not history:
            return
        for callback in self.monitors:
            epoch, value = best_epoch(history, callback.monitor, callback.mode)
            if epoch is None:
                continue
            callback.best = value
            if isinstance(callback, keras.callbacks.EarlyStopping):
                callback.best_epoch = epoch - 1  # Keras counts epochs from 0
                callback.wait = history[-1]["epoch"] - epoch
