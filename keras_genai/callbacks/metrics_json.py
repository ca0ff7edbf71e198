import json
import os
import time

import keras

from keras_genai.utils import write_json


class MetricsJSON(keras.callbacks.Callback):
    """Writes every epoch's logs to a JSON list, rewritten atomically.

    Each record has the epoch, its wall `seconds` and `cpu_seconds`, and the logs.
    A resumed run keeps the epochs before the one it restarts from.

    Args:
        path: str. The JSON file.
    """

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.history = []
        if os.path.exists(path):
            with open(path) as f:
                self.history = json.load(f)

    def on_train_begin(self, logs=None):
        start = getattr(self.model, "_initial_epoch", None) or 0
        self.history = [h for h in self.history if h["epoch"] <= start]
        self.started = time.time()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch_started = time.time()
        self.epoch_cpu_started = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        # Wall seconds and this process's CPU seconds (all threads): on a shared machine the
        # CPU time is the steadier cost of an epoch.
        record = {"epoch": epoch + 1, "seconds": round(time.time() - self.epoch_started, 2),
                  "cpu_seconds": round(time.process_time() - self.epoch_cpu_started, 2)}
        record.update({k: float(v) for k, v in (logs or {}).items()})
        self.history.append(record)
        write_json(self.path, self.history)
