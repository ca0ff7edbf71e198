"""Faults injected into tiny CLI trainings, and what each one cost.

    python -m tools.bench.fault_injection --out tools/results/fault_injection.json

Each fault strikes one `keras-genai train` process (`keras_genai.testing.inject_fault`: a tiny VAE on
the embedded shapes, 2 epochs of 4 steps, `--checkpoint-every 2 --deterministic`) at the end of a
given step: SIGKILL, SIGTERM and SIGINT (sent by the process to itself, so that they land at that
step), NaN weights, a full disk (every write fails with ENOSPC from then on), and a corrupt newest
backup (truncated after a finished run, then `--resume --epochs 3`). For each the record gives the
exit code, the last line on stderr and whether a traceback was printed, the newest backup left and
the steps trained since it (`steps_lost`: what a resume trains again), the files left (temporaries
among them), and for the faults a run can come back from, whether `--resume` ends with weights
identical to the same run never interrupted (`identical_to_uninterrupted`).

Two processes run at a time; about 2-3 minutes on 2 loaded cores.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from tools.record import ROOT, command, write_json

STEPS_PER_EPOCH, EPOCHS, EVERY = 4, 2, 2
TRAIN = ["train", "vae", "--preset", "tiny", "--dataset", "shapes", "--epochs", str(EPOCHS),
         "--steps-per-epoch", str(STEPS_PER_EPOCH), "--checkpoint-every", str(EVERY), "--deterministic",
         "--export", "none"]
# (fault, step it strikes at, whether a resume should end as the uninterrupted run)
FAULTS = [("SIGKILL", 7, True), ("SIGTERM", 7, True), ("SIGINT", 3, True), ("nan", 5, False),
          ("disk_full", 5, True)]


def _run(args, cwd):
    env = {**os.environ, "PYTHONPATH": ROOT, "TF_CPP_MIN_LOG_LEVEL": "3"}
    started = time.time()
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)
    lines = [line for line in done.stderr.splitlines() if line.startswith("keras-genai")]
    return {"exit_code": done.returncode, "message": lines[-1] if lines else None,
            "messages": lines, "traceback": "Traceback" in done.stderr, "seconds": round(time.time() - started, 1)}


def _backups(out):
    folder = os.path.join(out, "backup")
    found = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".json") and not name.startswith(".tmp-"):
            with open(os.path.join(folder, name)) as f:
                saved = json.load(f)
            found.append({"step": saved["step"], "epoch": saved["epoch"], "batch": saved["batch"]})
    return sorted(found, key=lambda b: b["step"])


def _files(out):
    if not os.path.isdir(out):
        return []
    return sorted(os.path.relpath(os.path.join(r, n), out) for r, _, files in os.walk(out) for n in files
                  if not os.path.relpath(r, out).startswith("logs"))


def _weights(path):
    import h5py

    values = {}
    with h5py.File(path) as f:
        f.visititems(lambda k, v: values.__setitem__(k, v[()]) if isinstance(v, h5py.Dataset) else None)
    return values


def _identical(a, b):
    """Whether the final backups (model and optimizer state) of two runs are equal bit for bit."""
    last = f"backup/step_{EPOCHS * STEPS_PER_EPOCH:09d}.weights.h5"
    if not (os.path.exists(os.path.join(a, last)) and os.path.exists(os.path.join(b, last))):
        return False
    x, y = _weights(os.path.join(a, last)), _weights(os.path.join(b, last))
    return x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x)


def _fault(fault, step, resumable, work, reference):
    out = os.path.join(work, fault)
    struck = _run(["-m", "keras_genai.testing.inject_fault", fault, str(step), *TRAIN, "--out", out], work)
    backups = _backups(out)
    newest = backups[-1]["step"] if backups else 0
    record = {"fault": fault, "struck_after_step": step, **struck, "newest_backup": backups[-1] if backups else None,
              "steps_lost": step - newest, "files_left": _files(out),
              "temporaries_left": [f for f in _files(out) if ".tmp-" in f]}
    if resumable:
        resumed = _run(["-m", "keras_genai.cli.main", "train", "vae", "--out", out, "--resume", "--export", "none"],
                       work)
        record["resume"] = {**resumed, "identical_to_uninterrupted": _identical(out, reference)}
    return record


def _corrupt(work, reference):
    out = os.path.join(work, "corrupt_backup")
    first = _run(["-m", "keras_genai.cli.main", *TRAIN, "--epochs", "1", "--out", out], work)
    before = [b["step"] for b in _backups(out)]
    newest = before[-1]
    with open(os.path.join(out, "backup", f"step_{newest:09d}.weights.h5"), "r+b") as f:
        f.truncate(100)
    resumed = _run(["-m", "keras_genai.cli.main", "train", "vae", "--out", out, "--resume", "--epochs",
                    str(EPOCHS), "--export", "none"], work)
    fallback = next((m for m in resumed["messages"] if "cannot be read" in m), None)
    return {"fault": "corrupt_backup", "struck_after_step": STEPS_PER_EPOCH, "first_run_exit_code": first["exit_code"],
            **{k: resumed[k] for k in ("exit_code", "traceback", "seconds")}, "message": fallback,
            "corrupted": f"backup/step_{newest:09d}.weights.h5 (truncated to 100 bytes)",
            # The resume starts from the backup before the corrupt one.
            "steps_lost": newest - before[-2],
            "files_left": _files(out), "temporaries_left": [f for f in _files(out) if ".tmp-" in f],
            "resume": {"exit_code": resumed["exit_code"], "identical_to_uninterrupted": _identical(out, reference)}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "tools", "results", "fault_injection.json"))
    parser.add_argument("--work", help="folder for the runs (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    started = time.time()
    with tempfile.TemporaryDirectory() as temporary:
        work = args.work or temporary
        os.makedirs(work, exist_ok=True)
        reference = os.path.join(work, "uninterrupted")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            uninterrupted = pool.submit(_run, ["-m", "keras_genai.cli.main", *TRAIN, "--out", reference], work)
            # The faults that resume need the reference first; those that do not run beside it.
            waiting = [pool.submit(_fault, "nan", 5, False, work, reference)]
            if uninterrupted.result()["exit_code"] != 0:
                raise SystemExit(f"the uninterrupted run failed: {uninterrupted.result()['message']}")
            waiting += [pool.submit(_fault, f, s, r, work, reference) for f, s, r in FAULTS if f != "nan"]
            waiting.append(pool.submit(_corrupt, work, reference))
            faults = [w.result() for w in waiting]
    order = [f for f, _, _ in FAULTS] + ["corrupt_backup"]
    faults.sort(key=lambda r: order.index(r["fault"]))
    write_json(args.out, {
        "command": command(__spec__, argv),
        "setup": {"train": "keras-genai " + " ".join(TRAIN), "steps_per_epoch": STEPS_PER_EPOCH, "epochs": EPOCHS,
                  "checkpoint_every": EVERY,
                  "steps_lost": "steps trained before the fault struck that no backup holds (a resume trains "
                                "them again); for a corrupt backup, the steps between it and the one before"},
        "uninterrupted": {k: uninterrupted.result()[k] for k in ("exit_code", "seconds")},
        "faults": faults,
        "seconds": round(time.time() - started, 1),
    })


if __name__ == "__main__":
    main()
