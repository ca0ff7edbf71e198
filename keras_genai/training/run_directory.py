import json
import os
import shutil


class RunDirectory:
    """The layout of a training run's output folder.

    ```
    OUT/config.json        model name, model config, training arguments
    OUT/model.keras        the best checkpoint, or the last epoch (see run.json)
    OUT/run.json           which epoch model.keras holds and why, the best epoch,
                           early stopping, the checkpoints kept
    OUT/checkpoints/       epoch_NNN.keras of the last few epochs; best.keras
    OUT/backup/            BackupAndRestore state for --resume
    OUT/samples/           epoch_001.png, ... sample grids
    OUT/logs/              TensorBoard
    OUT/metrics.json       per-epoch metrics
    OUT/export/            SavedModel, LiteRT files and their parity report
    ```

    A folder that already holds files is only reused with `resume=True`
    (continue) or `overwrite=True` (delete it first). The constructor only
    checks; `create()` deletes (with `overwrite`) and makes the folders, so
    a run that fails on its data or model leaves an earlier run untouched.
    """

    def __init__(self, path, resume=False, overwrite=False):
        if resume and overwrite:
            raise ValueError("Pass either resume or overwrite, not both.")
        self.path = path
        self.overwrite = overwrite
        exists = os.path.isdir(path) and os.listdir(path)
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

    def create(self):
        if self.overwrite and os.path.isdir(self.path) and os.listdir(self.path):
            shutil.rmtree(self.path)
        for sub in ("checkpoints", "samples", "logs", "backup"):
            os.makedirs(os.path.join(self.path, sub), exist_ok=True)

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
        with open(path, "w") as f:
            json.dump(value, f, indent=1)
