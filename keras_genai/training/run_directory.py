import json
import os
import shutil
import sys

from keras_genai.training.run_lock import RunLock
from keras_genai.utils import is_temporary, remove_temporaries, write_json

SUBFOLDERS = ("checkpoints", "samples", "logs", "backup")
LOCK = ".lock"


class RunDirectory:
    """The layout of a training run's output folder.

    ```
    OUT/config.json        model name, model config, training arguments
    OUT/model.keras        the best checkpoint, or the last epoch (see run.json)
    OUT/run.json           which epoch model.keras holds and why, the best epoch,
                           early stopping, the checkpoints kept
    OUT/checkpoints/       epoch_NNN.keras of the last few epochs; best.keras
    OUT/backup/            step_NNNNNNNNN.weights.h5 + .json: the last backups for --resume (RunBackup)
    OUT/samples/           epoch_001.png, ... sample grids
    OUT/logs/              TensorBoard
    OUT/metrics.json       per-epoch metrics
    OUT/export/            SavedModel, LiteRT files and their parity report
    OUT/.lock              the pid of the process training here (see `RunLock`)
    ```

    A folder that already holds files is only reused with `resume=True`
    (continue) or `overwrite=True` (delete it first), or when all it holds
    is what a run that failed or was killed before its first backup left
    (`leftovers`: nothing to resume), which is replaced. The
    constructor only checks; `create()` takes the lock, deletes (with
    `overwrite`, or leftovers) and makes the folders, so a run that fails
    on its data or model leaves an earlier run untouched. Every file is
    written atomically (`keras_genai.utils.atomic_files`).
    """

    def __init__(self, path, resume=False, overwrite=False):
        if resume and overwrite:
            raise ValueError("Pass either resume or overwrite, not both.")
        self.path = path
        self.overwrite = overwrite
        self.resume = resume
        self.lock = RunLock(self.join(LOCK))
        exists = os.path.isdir(path) and os.listdir(path) and not self.leftovers()
        if resume and not os.path.exists(self.config_path):
            raise FileNotFoundError(
                f"Cannot resume: {self.config_path!r} does not exist. Resume takes the --out "
                "folder of an earlier `keras-genai train` run."
            )
        if exists and not (resume or overwrite):
            raise FileExistsError(
                f"Output folder {path!r} is not empty. Pass --resume to continue that run, "
                "--overwrite to delete it and start again, or choose another --out."
            )

    def leftovers(self):
        """Whether the folder holds only what a run that saved no backup leaves (nothing to
        resume, no model.keras): True for an empty folder, False for one that is not a run's."""
        if not os.path.isdir(self.path):
            return False
        names = [n for n in os.listdir(self.path) if n != LOCK and not is_temporary(n)]
        if not names:
            return True
        if "config.json" not in names or "model.keras" in names:
            return False
        return not any(not is_temporary(f) for _, _, files in os.walk(self.join("backup")) for f in files)

    def create(self):
        """Takes the lock, clears the folder (with `overwrite`, or of leftovers) and makes its sub-folders."""
        self._made = not os.path.isdir(self.path)
        os.makedirs(self.path, exist_ok=True)
        self.lock.acquire()
        if not self.resume and os.listdir(self.path) != [LOCK]:
            if not self.overwrite:
                print(f"keras-genai: {self.path!r} holds only what a run that saved no backup left "
                      "(nothing to resume): starting afresh there.", file=sys.stderr)
            self._clear()
        remove_temporaries(self.path)
        for sub in SUBFOLDERS:
            os.makedirs(os.path.join(self.path, sub), exist_ok=True)

    def _clear(self):
        for name in os.listdir(self.path):
            if name != LOCK:
                path = self.join(name)
                shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)

    def discard(self):
        """Removes a new run that saved no backup, so that the corrected command needs no --overwrite."""
        if not self.resume and self.leftovers():
            self._clear()
            self.release()
            if getattr(self, "_made", False) and not os.listdir(self.path):
                os.rmdir(self.path)

    def release(self):
        """Releases the lock taken by `create()`."""
        self.lock.release()

    def join(self, *parts):
        return os.path.join(self.path, *parts)

    @property
    def config_path(self):
        return os.path.join(self.path, "config.json")

    @property
    def model_path(self):
        return self.join("model.keras")

    def write_config(self, config):
        self._write_json(self.config_path, config)

    def read_config(self):
        with open(self.config_path) as f:
            return json.load(f)

    @property
    def record_path(self):
        return self.join("run.json")

    def write_record(self, record):
        """`run.json`: which epoch `model.keras` holds and why (see `CheckpointPolicy`)."""
        self._write_json(self.record_path, record)

    @staticmethod
    def _write_json(path, value):
        write_json(path, value)
