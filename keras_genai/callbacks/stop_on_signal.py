import signal
import threading

import keras


class TrainingInterrupted(KeyboardInterrupt):
    """Training ended on a signal. A `KeyboardInterrupt`, so that code catching Ctrl-C
    catches it; `exit_code` is the shell's 128 + signal number (130 SIGINT, 143 SIGTERM)."""

    def __init__(self, message, signum):
        super().__init__(message)
        self.signum = signum
        self.exit_code = 128 + int(signum)


class StopOnSignal(keras.callbacks.Callback):
    """Ends `fit` cleanly on SIGINT or SIGTERM: after the current batch, `on_stop()`, then stop.

    A preemptible VM's SIGTERM or a Ctrl-C would otherwise kill training
    mid-step (SIGTERM) or raise `KeyboardInterrupt` wherever Python happens
    to be, e.g. inside a file write. Here the handler only records the
    signal; at the next batch's end `on_stop` runs (e.g. saves a
    checkpoint) and `TrainingInterrupted` is raised. It raises rather than
    setting `stop_training`, because Keras still ends a stopped epoch
    (validation, `on_epoch_end`), and the checkpoints, metrics and grids of
    that half epoch would pass for a finished one. A signal that arrives
    during an epoch's end sets `stop_training`: that epoch is whole, and
    its own checkpoint follows; the caller checks `received` after `fit`.
    A second Ctrl-C raises `KeyboardInterrupt` at once, for a user who
    does not want to wait for the save.

    Handlers are installed in `on_train_begin` (main thread only: Python
    delivers signals there) and the previous ones put back in
    `on_train_end` or by `restore()`.

    Args:
        on_stop: callable or None. Runs once, at the batch end after a signal.
        signals: the signals to catch. Defaults to `(SIGINT, SIGTERM)`.
    """

    def __init__(self, on_stop=None, signals=(signal.SIGINT, signal.SIGTERM)):
        super().__init__()
        self.on_stop = on_stop
        self.signals = tuple(signals)
        self.received = None
        self._previous = {}

    def _handle(self, signum, frame):
        if self.received == signal.SIGINT and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.received = signum

    def on_train_begin(self, logs=None):
        self.received = None
        if threading.current_thread() is threading.main_thread():
            self._previous = {s: signal.signal(s, self._handle) for s in self.signals}

    def on_train_batch_end(self, batch, logs=None):
        if self.received is not None:
            if self.on_stop is not None:
                self.on_stop()
            raise TrainingInterrupted(f"stopped by {signal.Signals(self.received).name}", self.received)

    def on_epoch_end(self, epoch, logs=None):
        if self.received is not None:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        self.restore()

    def restore(self):
        """Puts the signal handlers from before `on_train_begin` back."""
        for s, handler in self._previous.items():
            signal.signal(s, handler)
        self._previous = {}
