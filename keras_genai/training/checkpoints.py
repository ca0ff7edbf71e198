"""Which checkpoints a run keeps, which one becomes `model.keras`, and why."""

import os
import shutil

import keras

from keras_genai.callbacks import AtomicModelCheckpoint, PruneCheckpoints, ResumeMonitors, best_epoch
from keras_genai.utils import atomic_path

KEEP = ("best", "last")
# Metrics whose larger values are better; every other one is taken as a loss
# only if its name says so, else the mode must be given.
HIGHER_IS_BETTER = ("accuracy", "psnr", "elbo")


def _infer_mode(name, monitor):
    base = name.removeprefix("val_")
    if base.endswith("loss"):
        return "min"
    if base.endswith(HIGHER_IS_BETTER):
        return "max"
    raise ValueError(
        f"Cannot tell whether {name!r} is better smaller or larger: give it as "
        f"'{name}:min' or '{name}:max'. Received: monitor={monitor!r}"
    )


class CheckpointPolicy:
    """The checkpoints of a run and the choice of its `model.keras`.

    Keeps `checkpoints/epoch_NNN.keras` for the last `keep_checkpoints`
    epochs and `checkpoints/best.keras`, the epoch with the best `monitor`
    value (Keras' `ModelCheckpoint(save_best_only=True)`); stops early with
    `keras.callbacks.EarlyStopping` when asked; and at the end makes
    `model.keras` the best checkpoint or the last epoch, recording which and
    why in `run.json`.

    Args:
        run: `RunDirectory`.
        model: the model being trained (its metric names check `monitor`).
        has_validation: bool. Whether `fit` gets validation data.
        keep_checkpoints: int or None. Epoch checkpoints to keep, at least
            0; None keeps every epoch's. Defaults to `2`.
        monitor: str. `"auto"`, `"none"`, or a metric key optionally with its
            mode, `"val_loss"` / `"val_loss:min"` / `"val_accuracy:max"`
            (a `...loss` is minimised, accuracy, PSNR and ELBO are maximised,
            others need the mode). `"auto"` is `val_loss` for models that
            report a `loss` and get validation data, else none (GANs report
            `d_loss`/`g_loss`, which do not measure sample quality).
            Defaults to `"auto"`.
        keep: str or None. What `model.keras` holds: `"best"` (needs a
            monitored metric) or `"last"`; None is best when a metric is
            monitored, else last. Defaults to `None`.
        early_stopping: int or None. Stop after this many epochs without a
            better `monitor` value (`EarlyStopping(patience=...)`); None
            trains all epochs. Defaults to `None`.
    """

    def __init__(self, run, model, has_validation, keep_checkpoints=2, monitor="auto", keep=None,
                 early_stopping=None):
        if keep_checkpoints is not None and (not isinstance(keep_checkpoints, int) or keep_checkpoints < 0):
            raise ValueError(
                f"keep_checkpoints must be an integer >= 0 or None (all). Received: keep_checkpoints={keep_checkpoints!r}"
            )
        if keep not in KEEP + (None,):
            raise ValueError(f"keep must be one of {KEEP} or None. Received: keep={keep!r}")
        if early_stopping is not None and (not isinstance(early_stopping, int) or early_stopping < 1):
            raise ValueError(
                f"early_stopping must be a patience in epochs (>= 1) or None. Received: early_stopping={early_stopping!r}"
            )
        self.run = run
        self.keep_checkpoints = keep_checkpoints
        self.monitor, self.mode, self.why = self._resolve(monitor, model, has_validation)
        if self.monitor is None and (keep == "best" or early_stopping):
            asked = "keep='best'" if keep == "best" else f"early_stopping={early_stopping}"
            raise ValueError(f"{asked} needs a monitored metric; this run has none ({self.why}). "
                             "Pass monitor= (CLI: --monitor), e.g. 'val_loss'.")
        self.keep = keep or ("best" if self.monitor else "last")
        self.patience = early_stopping
        self.early_stopping = None

    @staticmethod
    def _resolve(monitor, model, has_validation):
        """`(metric key, mode, why)`, or `(None, None, why)` when nothing is monitored."""
        reported = list(model.tracker_names)
        if monitor == "none":
            return None, None, "monitor='none' was asked"
        if monitor == "auto":
            if "loss" not in reported:
                return None, None, (f"{type(model).__name__} reports no loss that measures the model; "
                                    f"its metrics: {', '.join(reported)}")
            if not has_validation:
                return None, None, "no validation data"
            return "val_loss", "min", "the default for models with validation"
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"monitor must be 'auto', 'none' or a metric name. Received: monitor={monitor!r}")
        name, _, mode = monitor.partition(":")
        known = reported + ([f"val_{n}" for n in reported] if has_validation else [])
        if name not in known:
            hint = "" if has_validation or not name.startswith("val_") else " (this run has no validation data)"
            raise ValueError(f"monitor {name!r} is not a metric of this run{hint}; expected one of: "
                             f"{', '.join(known)}. Received: monitor={monitor!r}")
        if mode and mode not in ("min", "max"):
            raise ValueError(f"A monitor's mode is 'min' or 'max'. Received: monitor={monitor!r}")
        return name, mode or _infer_mode(name, monitor), "asked"

    @property
    def best_path(self):
        return self.run.join("checkpoints", "best.keras")

    def callbacks(self):
        """Keras callbacks, to follow `BackupAndRestore` in `fit`'s list."""
        directory = self.run.join("checkpoints")
        callbacks = []
        if self.keep_checkpoints != 0:
            callbacks.append(AtomicModelCheckpoint(os.path.join(directory, "epoch_{epoch:03d}.keras")))
        if self.keep_checkpoints is not None:
            # Also with keep_checkpoints=0: a resumed older run's epoch files go.
            callbacks.append(PruneCheckpoints(directory, self.keep_checkpoints))
        if self.monitor is None:
            return callbacks
        monitors = [AtomicModelCheckpoint(self.best_path, monitor=self.monitor, mode=self.mode,
                                                    save_best_only=True)]
        if self.patience:
            # The best weights come back from best.keras at the end (`finish`), not
            # from restore_best_weights' copy in memory, which --resume would lose.
            self.early_stopping = keras.callbacks.EarlyStopping(
                self.monitor, mode=self.mode, patience=self.patience, restore_best_weights=False)
            monitors.append(self.early_stopping)
        return callbacks + monitors + [ResumeMonitors(self.run.join("metrics.json"), monitors)]

    def finish(self, model, history, extra=None):
        """Writes `model.keras` (the best checkpoint, loaded into `model` too, or the
        last epoch) and `run.json`; returns the record.

        Args:
            history: list of MetricsJSON records, every epoch of the run.
            extra: dict or None. More of the run's record (e.g. its time budget).
        """
        last = history[-1]["epoch"] if history else 0
        best, value = best_epoch(history, self.monitor, self.mode) if self.monitor else (None, None)
        stopped = self.early_stopping is not None and self.early_stopping.stopped_epoch > 0
        if self.keep == "best" and best is not None and os.path.exists(self.best_path):
            with atomic_path(self.run.model_path) as temporary:
                shutil.copyfile(self.best_path, temporary)
            model.load_weights(self.best_path)
            epoch = best
            reason = f"the best {self.monitor} ({self.mode}): {value:.6g} at epoch {best} of {last}"
        else:
            with atomic_path(self.run.model_path) as temporary:
                model.save(temporary)
            epoch = last
            if self.keep == "last" and self.monitor:
                reason = "the last epoch, as keep='last' asked"
            elif self.keep == "best":
                reason = f"the last epoch: no epoch reported a comparable {self.monitor}"
            else:
                reason = f"the last epoch: no metric is monitored ({self.why})"
        record = {
            "model.keras": {"epoch": epoch, "reason": reason},
            "monitor": self.monitor and {"metric": self.monitor, "mode": self.mode, "why": self.why},
            "best": best and {"epoch": best, "value": value, "path": "checkpoints/best.keras"},
            "epochs_finished": last,
            "early_stopping": self.patience and {"patience": self.patience,
                                                 "stopped_after_epoch": last if stopped else None},
            "checkpoints": [os.path.relpath(p, self.run.path)
                            for p in PruneCheckpoints(self.run.join("checkpoints")).checkpoints()],
            **(extra or {}),
        }
        self.run.write_record(record)
        return record
