"""Where each model family registers its CLI names, presets and budgets.

A family's `__init__.py` calls `register_presets` with the dicts of its
`<model>_presets.py` files; `keras_genai.models.registry` is the index
built from these registrations.

Conventions of the presets: "cpu" trains on Fashion-MNIST (or the text of
the language models) on a 2-core CPU in minutes, "tiny" exists for smoke
tests, "paper" follows the model's reference sizes (for GPUs). "fit" is
the training budget: the defaults of `keras-genai train` (or `forecast`),
with the learning rate the model's `default_optimizers` is given.
"""

COMMANDS = ("train", "forecast")
BUDGET_KEYS = ("epochs", "batch_size", "learning_rate")

_REGISTERED = {command: {} for command in COMMANDS}


def register_presets(presets, model_class, command="train"):
    """Registers CLI names of `command` that build `model_class`.

    Args:
        presets: dict. CLI name -> `{"presets": {preset name: constructor
            kwargs}, "fit": budget}`, plus optionally `"data_args"`: the
            constructor arguments the training data supplies (e.g. a
            language model's `vocabulary_size`), with a typical value, so
            the model can be built without data. Every name needs a
            "tiny" preset and a budget with a numeric learning rate.
        model_class: the model class the presets are kwargs of.
        command: str. The CLI command the names belong to, `"train"` or
            `"forecast"`. A name may belong to one command only.
    """
    if command not in COMMANDS:
        raise ValueError(f"command must be one of {COMMANDS}. Received: command={command!r}")
    for name, entry in presets.items():
        for other, names in _REGISTERED.items():
            if name in names:
                raise ValueError(
                    f"CLI name {name!r} is already registered for `{other}` by "
                    f"{names[name]['class'].__name__}. Received: {model_class.__name__}'s {name!r}"
                )
        if "tiny" not in entry["presets"]:
            raise ValueError(
                f"{name!r} needs a 'tiny' preset (smoke tests and optimizer descriptions build it). "
                f"Received: presets {sorted(entry['presets'])}"
            )
        missing = [key for key in BUDGET_KEYS if key not in entry["fit"]]
        rate = entry["fit"].get("learning_rate")
        # One rate for every optimizer, or a dict by role (e.g. TTUR's discriminator and generator).
        rates = list(rate.values()) if isinstance(rate, dict) and rate else [rate]
        if missing or any(isinstance(r, bool) or not isinstance(r, (int, float)) or r <= 0 for r in rates):
            raise ValueError(
                f"{name!r} needs a budget with {', '.join(BUDGET_KEYS)} (a positive learning rate, or a "
                f"dict of them by role). Received: fit={entry['fit']}"
            )
        _REGISTERED[command][name] = {
            "class": model_class, "presets": entry["presets"], "fit": entry["fit"],
            "data_args": entry.get("data_args", {}),
        }


def registered(command):
    """The live dict of `command`'s CLI names -> {"class", "presets", "fit", "data_args"}."""
    return _REGISTERED[command]
