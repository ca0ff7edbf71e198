"""How a tool records a run: the command that reproduces it, and the JSON file with its machine note."""

import json
import os
import shlex
import sys

from keras_genai.utils.digest import file_sha256  # noqa: F401  (tools record which model they measured)
from tools.machine import machine_note

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the repository
RESULTS = os.path.join(ROOT, "tools", "results")


def command(spec, argv=None):
    """The command line of this run as given from the repository root: `python -m tools.x.y ARGS`.

    `spec`: the calling tool's `__spec__` (None when it was run as a file path); `argv`: the arguments
    when its `main(argv)` is called from Python (default: `sys.argv[1:]`).
    """
    target = f"-m {spec.name}" if spec else os.path.relpath(sys.argv[0])
    arguments = sys.argv[1:] if argv is None else argv
    return f"python {target} " + " ".join(shlex.quote(str(arg)) for arg in arguments)


def write_json(path, record):
    """Writes `record` with this process's `"machine"` note to `path` (parent folders created)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump({**record, "machine": machine_note()}, f, indent=1)
    print(f"wrote {path}", flush=True)



def save_figure(figure, path):
    """Writes a matplotlib `figure` as a PNG at `path` (parent folders created) and says so."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.savefig(path, dpi=120)
    print(f"wrote {path}", flush=True)
