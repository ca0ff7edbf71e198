"""Files written whole or not at all: a temporary file beside the target, then `os.replace`.

`os.replace` within one folder is atomic on POSIX and Windows, so a reader (or a
resumed run) sees the old file or the new one, never half of one, whatever kills
the writer. A temporary's name keeps the target's extension (Keras and
`keras.utils.save_img` pick the format from it) and carries the writer's pid, so
that leftovers of a killed writer can be told apart and swept
(`remove_temporaries`).
"""

import contextlib
import errno
import json
import os
import re
import shutil

_TEMPORARY = re.compile(r"\.tmp-(\d+)-")


def temporary_name(path):
    """A temporary's path for `path`: beside it, named with this process's pid."""
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".tmp-{os.getpid()}-{name}")


def target_of(path):
    """The path a temporary stands in for (`path` itself if it is not one)."""
    directory, name = os.path.split(path)
    return os.path.join(directory, _TEMPORARY.sub("", name, count=1)) if is_temporary(name) else path


def is_temporary(name):
    """Whether a file or folder name is one of `atomic_path`'s temporaries."""
    return _TEMPORARY.match(os.path.basename(name)) is not None


@contextlib.contextmanager
def atomic_path(path):
    """Yields a temporary path to write; on success it replaces `path`, on error it is removed.

    For writers that take a path (`model.save`, `save_weights`, `save_img`).
    """
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = temporary_name(path)
    try:
        yield temporary
        _fsync(temporary)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


@contextlib.contextmanager
def atomic_write(path, mode="w", encoding="utf-8"):
    """`open(path, mode)` whose file appears under `path` only once closed without error."""
    with atomic_path(path) as temporary:
        with open(temporary, mode, encoding=None if "b" in mode else encoding) as f:
            yield f


def write_json(path, value, indent=1):
    with atomic_write(path) as f:
        json.dump(value, f, indent=indent)


@contextlib.contextmanager
def atomic_directory(path):
    """Yields a temporary folder to fill; on success it takes the place of `path`
    (`replace_directory`). On error it is removed and `path` is untouched."""
    temporary = temporary_name(path)
    _remove(temporary)
    os.makedirs(temporary)
    try:
        yield temporary
        replace_directory(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def replace_directory(source, path):
    """Moves the folder `source` to `path`. An existing `path` is moved aside first and
    deleted only once `source` is in place, so at any moment one of them is whole there."""
    old = None
    if os.path.lexists(path):
        old = temporary_name(path + ".old")
        _remove(old)
        os.replace(path, old)
    os.replace(source, path)
    _remove(old)


def remove_temporaries(directory):
    """Deletes the temporaries under `directory` (files and folders) that a writer no
    longer running left (killed while writing); a live process's are kept.

    Returns:
        list of the paths removed.
    """
    removed = []
    for root, dirs, files in os.walk(directory):
        for name in [n for n in dirs + files if is_temporary(n) and not _others(n)]:
            path = os.path.join(root, name)
            _remove(path)
            removed.append(path)
        dirs[:] = [d for d in dirs if not is_temporary(d)]
    return removed


def pid_running(pid):
    """Whether process `pid` runs on this machine."""
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.EPERM  # exists, owned by another user
    return True


def _others(name):
    """Whether temporary `name` is being written by another live process."""
    pid = int(_TEMPORARY.match(name).group(1))
    return pid != os.getpid() and pid_running(pid)


def _fsync(path):
    # A rename can reach the disk before the data does; without the sync a power
    # cut may leave a complete-looking but empty file. Folders are left to the OS.
    if os.path.isfile(path):
        with open(path, "rb") as f:
            os.fsync(f.fileno())


def _remove(path):
    if path is None or not os.path.lexists(path):
        return
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
