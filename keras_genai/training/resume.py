"""What a resumed run trains with: the options its config.json records, checked against the
options the resuming call passes."""

import inspect
import json
import os

# Arguments of `train` that config.json does not record: they apply to the resumed call as given.
NOT_RECORDED = ("model_name", "out", "resume", "overwrite", "download", "export_quantizations", "verbose")
# Recorded arguments a resumed run takes from the call: how long it trains, where the data is
# and on which devices (the weights do not depend on the strategy).
APPLIED = ("epochs", "data_dir", "distribute", "cpu_devices", "early_stopping")
# CLI flags whose name is not the argument's.
FLAGS = {"overrides": "--set", "export_quantizations": "--export"}


def _comparable(value):
    # As config.json holds it (tuples as lists, pairs of --set as a dict).
    return json.loads(json.dumps(value))


def resumed_training(out, recorded, requested, function):
    """The training arguments of the run in `out` resumed by `function(**requested)`.

    `recorded` is its config.json's `training`. An argument left at its
    default (or passed as its default) takes the recorded value; `epochs`
    and `data_dir`, when passed, replace it. Any other argument passed with
    a value other than the recorded one raises a ValueError that names each
    (CLI flag, recorded value, value received): the resumed run could not do
    what the call asks, and config.json would not say what it did.
    """
    defaults = {name: p.default for name, p in inspect.signature(function).parameters.items()}
    changed, applied = [], {}
    for name, value in requested.items():
        if name in NOT_RECORDED or name not in defaults:
            continue
        default = {} if name == "overrides" else defaults[name]
        value = _comparable(dict(value or {}) if name == "overrides" else value)
        if value == _comparable(default):
            continue  # not passed: the recorded value holds
        if name in APPLIED:
            applied[name] = value
            continue
        # A run recorded before an option existed trained with its default.
        old = _comparable(recorded.get(name, default))
        if value != old:
            flag = FLAGS.get(name, "--" + name.replace("_", "-"))
            changed.append(f"{name} (CLI: {flag}) recorded {old!r}, received {value!r}")
    if changed:
        raise ValueError(
            f"Cannot resume {out!r} with other options than it was trained with: {'; '.join(changed)}. "
            "Resume with the recorded options (or leave them out), or start a new run (--overwrite or "
            "another --out); only " + ", ".join(FLAGS.get(n, "--" + n.replace("_", "-")) for n in APPLIED) + " may change."
        )
    return {**recorded, **applied}


def check_not_stopped_early(run, patience):
    """A ValueError if the run in `run` (a `RunDirectory`) stopped early and `patience` (the
    resumed call's `early_stopping`) is no larger than the one it stopped with: it would train
    one epoch, find no better value again and stop, and replace nothing worth replacing."""
    if not os.path.exists(run.record_path):
        return
    with open(run.record_path) as f:
        record = json.load(f)
    stopped = record.get("early_stopping") or {}
    if not stopped.get("stopped_after_epoch") or (patience is not None and patience > stopped["patience"]):
        return
    best = record.get("best") or {}
    raise ValueError(
        f"{run.path!r} stopped early after epoch {stopped['stopped_after_epoch']}: "
        f"{(record.get('monitor') or {}).get('metric')} did not improve for {stopped['patience']} epochs "
        f"(best at epoch {best.get('epoch')}, which model.keras holds). Resuming with the same patience "
        f"would stop again after one epoch: resume with --early-stopping larger than {stopped['patience']}, "
        "or start a new run from it (train MODEL --from RUN)."
    )
