import json
import os
import time

import keras

from keras_genai.utils import atomic_path, atomic_write

CLOCKS = ("wall", "cpu")


class TimeBudget(keras.callbacks.Callback):
    """Stops training after `minutes` of training time and saves the model at marks on the way.

    The clock starts when training begins and is read after every batch:
    `"wall"` time, or the process's `"cpu"` time (all threads; on 2 cores up
    to twice the wall time). Once it passes `minutes`, training stops after
    that batch (Keras then ends the epoch early: validation, checkpoints
    and the rest run as at an epoch's end). At each of `snapshot_minutes`
    the model is saved to `directory/minute_MMM.keras` (written whole or not
    at all), and `directory/snapshots.json` lists every snapshot with its
    step, epoch and both clocks — what comparing models at equal time needs.
    A resumed run starts the clock again; the snapshots it already listed are
    kept, and their marks are not taken again.

    Args:
        minutes: float or None. The budget, or None to train every epoch.
        snapshot_minutes: tuple of float. Marks at which to save the model.
            Defaults to none.
        directory: str or None. Where snapshots go (needed with marks).
        clock: str. `"wall"` or `"cpu"`. Defaults to `"wall"`.
    """

    def __init__(self, minutes=None, snapshot_minutes=(), directory=None, clock="wall"):
        super().__init__()
        if minutes is not None and not minutes > 0:
            raise ValueError(f"The time budget must be > 0 minutes. Received: minutes={minutes!r}")
        if clock not in CLOCKS:
            raise ValueError(f"clock must be one of {CLOCKS}. Received: clock={clock!r}")
        marks = sorted(float(m) for m in snapshot_minutes)
        if any(m <= 0 for m in marks) or (minutes is not None and any(m > minutes for m in marks)):
            raise ValueError(f"Snapshot minutes must be > 0 and within the budget ({minutes} minutes). "
                             f"Received: snapshot_minutes={tuple(snapshot_minutes)}")
        if marks and directory is None:
            raise ValueError("Snapshots need a directory. Received: directory=None")
        self.minutes = minutes
        self.marks = marks
        self.directory = directory
        self.clock = clock
        self.snapshots = []
        self.stopped_at = None

    def _elapsed(self):
        wall, cpu = time.perf_counter() - self._wall_start, time.process_time() - self._cpu_start
        return wall, cpu

    def on_train_begin(self, logs=None):
        self._wall_start, self._cpu_start = time.perf_counter(), time.process_time()
        self._epoch, self._step = 0, 0
        listed = os.path.join(self.directory, "snapshots.json") if self.directory else None
        if listed and os.path.exists(listed):  # a resumed run's earlier snapshots
            with open(listed) as f:
                self.snapshots = json.load(f)
        taken = {s["minute"] for s in self.snapshots}
        self._pending = [m for m in self.marks if m not in taken]

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        wall, cpu = self._elapsed()
        minutes = (wall if self.clock == "wall" else cpu) / 60.0
        while self._pending and minutes >= self._pending[0]:
            self._snapshot(self._pending.pop(0), wall, cpu)
        if self.minutes is not None and minutes >= self.minutes and self.stopped_at is None:
            self.stopped_at = {"step": self._step, "epoch": self._epoch + 1, "wall_seconds": round(wall, 1),
                               "cpu_seconds": round(cpu, 1)}
            self.model.stop_training = True

    def _snapshot(self, mark, wall, cpu):
        os.makedirs(self.directory, exist_ok=True)
        path = os.path.join(self.directory, f"minute_{mark:g}.keras")
        with atomic_path(path) as temporary:
            self.model.save(temporary)
        self.snapshots.append({"minute": mark, "clock": self.clock, "path": os.path.basename(path),
                               "step": self._step, "epoch": self._epoch + 1, "wall_seconds": round(wall, 1),
                               "cpu_seconds": round(cpu, 1)})
        with atomic_write(os.path.join(self.directory, "snapshots.json")) as f:
            json.dump(self.snapshots, f, indent=1)

    def record(self):
        """What run.json records: the budget, whether it stopped training, the snapshots."""
        return {"minutes": self.minutes, "clock": self.clock, "stopped_at": self.stopped_at,
                "snapshots": self.snapshots}
