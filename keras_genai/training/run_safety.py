"""What keeps a training run safe from kills, signals, NaN losses and a second process."""

import contextlib
import errno
import json
import shlex
import signal

from keras_genai.callbacks import (
    NonFiniteLossError,
    RunBackup,
    StopOnNonFiniteLoss,
    StopOnSignal,
    TrainingInterrupted,
)
from keras_genai.utils import target_of


class DiskFullError(OSError):
    """Training stopped as a file of the run could not be written for lack of space."""

    def __str__(self):
        return self.strerror


class RunSafety:
    """The crash-safety callbacks of one run and the `guard` around its `fit`.

    Backups every `checkpoint_every` steps and `checkpoint_minutes` minutes
    and at every epoch's end (`RunBackup`, in `run.join("backup")`);
    SIGINT/SIGTERM save one and end training with `TrainingInterrupted`
    (`StopOnSignal`); a NaN or infinite loss ends it with
    `NonFiniteLossError`, the last good backup kept (`StopOnNonFiniteLoss`).
    A full disk ends it with `DiskFullError`. Each error says in one line
    what happened and how to go on. A new run
    that fails before its first backup is removed (`RunDirectory.discard`).

    Args:
        run: `RunDirectory`, already `create()`d (it holds the lock).
        resume_command: str. The command that resumes the run, for messages.
        dataset, steps_per_epoch: the training data as passed to `fit`, for
            an exact resume mid-epoch (see `RunBackup`).
        checkpoint_every: int or None. Steps between backups.
        checkpoint_minutes: float or None. Minutes between backups.
    """

    def __init__(self, run, resume_command, dataset=None, steps_per_epoch=None, checkpoint_every=None,
                 checkpoint_minutes=None):
        self.run = run
        self.resume_command = resume_command
        self.backup = RunBackup(run.join("backup"), checkpoint_every, checkpoint_minutes, dataset=dataset,
                                steps_per_epoch=steps_per_epoch)
        self.signals = StopOnSignal(on_stop=self.backup.save)

    def first_callbacks(self):
        """To open `fit`'s list: the NaN check before anything saves, then the restore."""
        return [StopOnNonFiniteLoss(), self.backup, self.signals]

    def last_callbacks(self):
        """To close `fit`'s list: the epoch's-end backup, after the epoch's other files."""
        return [self.backup.epoch_end_saver]

    def _saved(self):
        """Where the newest backup is, in words, or None without one."""
        backups = self.backup.backups()
        if not backups:
            return None
        with open(backups[0][1]) as f:
            saved = json.load(f)
        where = f"epoch {saved['epoch'] + 1}, batch {saved['batch']}" if saved["batch"] else \
            f"the end of epoch {saved['epoch']}"
        return f"{where} (step {saved['step']})"

    @contextlib.contextmanager
    def guard(self):
        """Wraps `model.fit`: turns a signal, a non-finite loss or a full disk into its one-line
        error, and on any error releases the run's lock (a Python session that goes on, e.g. a
        notebook, would otherwise keep other processes out of the folder)."""
        failed = True
        try:
            yield
            if self.signals.received is not None:  # arrived during an epoch's end
                raise TrainingInterrupted("stopped", self.signals.received)
            failed = False
        except TrainingInterrupted as e:
            saved = self._saved()
            raise TrainingInterrupted(
                f"stopped by {signal.Signals(e.signum).name}; backup saved at {saved} in {self.run.join('backup')}. "
                f"Resume with: {self.resume_command}", e.signum) from None
        except NonFiniteLossError as e:
            saved = self._saved()
            self.run.discard()
            kept = (f"the last good backup, at {saved}, is kept in {self.run.join('backup')} "
                    f"({self.resume_command} continues from it)") if saved else \
                "no backup had been saved, so the run folder was removed"
            raise NonFiniteLossError(
                f"Training stopped: {e}; {kept}. Try a lower --learning-rate, or check the data for "
                "NaN or infinite values.", e.key, e.value, e.epoch, e.batch) from None
        except OSError as e:
            self.run.discard()
            if e.errno != errno.ENOSPC:
                raise
            saved = self._saved()
            kept = f"the last complete backup, at {saved}, is intact" if saved else "no backup had been saved"
            written = target_of(str(e.filename)) if e.filename else f"a file in {self.run.path}"
            raise DiskFullError(errno.ENOSPC, f"Training stopped: no space left on device writing {written}; "
                                f"{kept}. Free some space and resume with: {self.resume_command}") from None
        except BaseException:
            self.run.discard()
            raise
        finally:
            self.signals.restore()
            if failed:
                self.run.release()


def resume_command(model_name, out):
    return f"keras-genai train {model_name} --out {shlex.quote(str(out))} --resume"
