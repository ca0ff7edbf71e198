"""tfds downloads that fail at once on a machine without network, instead of retrying for minutes."""

import socket
import threading

from keras_genai.data.errors import DatasetNotAvailableError

# tfds' own mirror (storage.googleapis.com/tfds-data), which it asks first for most datasets.
PROBE_ADDRESS = ("storage.googleapis.com", 443)
PROBE_SECONDS = 5.0


def check_network(what, address=None, seconds=None):
    """Raises DatasetNotAvailableError if `address` (default `PROBE_ADDRESS`) does
    not answer within `seconds` (default `PROBE_SECONDS`).

    The name lookup is inside the limit too (a machine without network
    can wait longer on it than on the connection), so the probe runs in a
    thread that is left behind if it has not answered.
    """
    address, seconds = address or PROBE_ADDRESS, seconds or PROBE_SECONDS
    outcome = {}

    def connect():
        try:
            socket.create_connection(address, timeout=seconds).close()
            outcome["reached"] = True
        except OSError as e:
            outcome["error"] = e

    probe = threading.Thread(target=connect, daemon=True)
    probe.start()
    probe.join(seconds)
    if not outcome.get("reached"):
        reason = outcome.get("error") or f"no answer within {seconds:g} s"
        raise DatasetNotAvailableError(
            f"Cannot download {what}: {address[0]}:{address[1]} is not reachable ({reason}), so this machine "
            "seems to have no network. Prepare the data on a machine with network and copy it here "
            "(~/tensorflow_datasets, or pass data_dir; CLI: --data-dir)."
        )


def download_and_prepare(builder, what, **kwargs):
    """`builder.download_and_prepare(**kwargs)` after `check_network(what)`."""
    check_network(what)
    builder.download_and_prepare(**kwargs)
