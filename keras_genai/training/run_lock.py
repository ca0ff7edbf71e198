import os
import sys

from keras_genai.utils import pid_running, temporary_name


class RunLockedError(FileExistsError):
    """Another live process trains into the same run folder."""


class RunLock:
    """A lock file holding the pid of the process that trains into a run folder.

    Made by `os.link` of a file already holding the pid, which fails if the
    lock exists: of two processes that start at once exactly one gets it,
    and no one ever sees a lock without its pid. A lock whose pid no longer runs (a run killed with
    SIGKILL, a machine that rebooted) is stale: it is taken over, with a
    message. The pid is checked on this machine only, so two machines
    sharing a folder over the network are not kept apart. The holding
    process may take its own lock again (a resumed `train` in the same
    Python session).

    Args:
        path: str. The lock file, e.g. `OUT/.lock`.
    """

    def __init__(self, path):
        self.path = path
        self.held = False

    def acquire(self):
        for _ in range(3):
            mine = temporary_name(self.path)
            with open(mine, "w") as f:
                f.write(f"{os.getpid()}\n")
            try:
                os.link(mine, self.path)
            except FileExistsError:
                owner = self.owner()
                if owner == os.getpid():
                    self.held = True
                    return self
                if owner is not None and pid_running(owner):
                    raise RunLockedError(
                        f"{os.path.dirname(self.path) or '.'!r} is being trained by process {owner} "
                        f"(lock file {self.path!r}): wait for it to end or stop it, or choose another --out."
                    ) from None
                print(f"keras-genai: taking over the stale lock {self.path!r} of process {owner}, "
                      "which is no longer running.", file=sys.stderr)
                try:
                    os.remove(self.path)
                except FileNotFoundError:
                    pass
                continue
            finally:
                os.remove(mine)
            self.held = True
            return self
        raise RunLockedError(f"Could not take the lock {self.path!r}: other processes keep taking it.")

    def owner(self):
        """The pid in the lock file, or None if it is missing or unreadable."""
        try:
            with open(self.path) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def release(self):
        if self.held and self.owner() == os.getpid():
            os.remove(self.path)
        self.held = False

