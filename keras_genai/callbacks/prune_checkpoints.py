import os
import re

import keras


class PruneCheckpoints(keras.callbacks.Callback):
    """Deletes all but the newest `keep` epoch checkpoints after each epoch.

    Place it after the `ModelCheckpoint` that writes
    `<prefix>{epoch:03d}.keras`. Only files of that name in `directory` are
    touched; "newest" is by the epoch number in the name, so a resumed run
    that rewrites an epoch keeps the right ones.

    Args:
        directory: str. The checkpoints folder.
        keep: int. How many to keep, at least 0. Defaults to `2`.
        prefix: str. The file names' start. Defaults to `"epoch_"`.
    """

    def __init__(self, directory, keep=2, prefix="epoch_"):
        super().__init__()
        if not isinstance(keep, int) or keep < 0:
            raise ValueError(f"keep must be an integer >= 0. Received: keep={keep!r}")
        self.directory = directory
        self.keep = keep
        self.pattern = re.compile(re.escape(prefix) + r"(\d+)\.keras")

    def checkpoints(self):
        """The checkpoint paths, oldest epoch first."""
        if not os.path.isdir(self.directory):
            return []
        found = [(int(m.group(1)), name) for name in os.listdir(self.directory)
                 if (m := self.pattern.fullmatch(name))]
        return [os.path.join(self.directory, name) for _, name in sorted(found)]

    def on_epoch_end(self, epoch, logs=None):
        found = self.checkpoints()
        for path in found[: len(found) - self.keep]:
            os.remove(path)
