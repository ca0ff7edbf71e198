"""`keras-genai` with one fault struck at a training step, for the crash-safety tests
and `tools/bench/fault_injection.py`.

    python -m keras_genai.testing.inject_fault FAULT STEP train MODEL ... --out OUT

FAULT is what strikes at the end of batch STEP (counted from 1 in this process):

- `SIGKILL`, `SIGTERM`, `SIGINT`: the process sends itself the signal, so it
  lands at an exact step (a signal sent from outside lands wherever the
  process happens to be; the handling is the same);
- `nan`: the model's weights become NaN, so the next step's loss is NaN;
- `disk_full`: from then on every file the run writes fails with
  `OSError(ENOSPC)` when it is flushed to disk (where a full disk shows), as
  if the disk had filled.

The process exits as `keras-genai` would.
"""

import errno
import os
import signal
import sys

FAULTS = ("SIGKILL", "SIGTERM", "SIGINT", "nan", "disk_full")


def strike(fault, model):
    if fault in ("SIGKILL", "SIGTERM", "SIGINT"):
        os.kill(os.getpid(), getattr(signal, fault))
    elif fault == "nan":
        # All of them: a NaN in one kernel can vanish in a ReLU (max(NaN, 0) is 0 on CPU).
        for variable in model.trainable_variables:
            variable.assign(variable * float("nan"))
    elif fault == "disk_full":
        from keras_genai.utils import atomic_files

        def full(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

        atomic_files._fsync = full
    else:
        raise ValueError(f"Unknown fault {fault!r}; expected one of {', '.join(FAULTS)}.")


def main(argv=None):
    fault, step, *command = sys.argv[1:] if argv is None else argv
    step = int(step)
    if fault not in FAULTS:
        raise SystemExit(f"Unknown fault {fault!r}; expected one of {', '.join(FAULTS)}.")
    from keras_genai.callbacks import StopOnNonFiniteLoss
    from keras_genai.cli.main import main as cli

    check = StopOnNonFiniteLoss.on_train_batch_end
    seen = [0]

    def on_train_batch_end(self, batch, logs=None):
        # The first callback of a run: the fault strikes before anything else sees the batch.
        check(self, batch, logs)
        seen[0] += 1
        if seen[0] == step:
            strike(fault, self.model)

    StopOnNonFiniteLoss.on_train_batch_end = on_train_batch_end
    return cli(command)


if __name__ == "__main__":
    sys.exit(main())
