"""The index of CLI names, built from the presets each model family registers.

`MODELS` (`keras-genai train`) and `FORECASTERS` (`keras-genai forecast`)
map a CLI name to `{"class", "presets", "fit", "data_args"}`; the presets
and budgets live beside each model (`<model>_presets.py`) and are
registered by its family's `__init__.py` (see `models/presets.py`).
"""

import keras

import keras_genai.models  # noqa: F401  importing the families registers their presets
from keras_genai.models.presets import registered

MODELS = registered("train")
FORECASTERS = registered("forecast")


def _unknown(kind, name, known):
    """ValueError naming the known names, and the likely one for `name`."""
    message = f"Unknown {kind} {name!r}. Expected one of: {', '.join(known)}."
    other = "forecast" if known is MODELS else "train"
    if name in registered(other):
        message += f" {name!r} is a name of `keras-genai {other}`."
    guesses = [guess for guess in known if guess.startswith(f"{name}_")]
    if guesses:
        message = f"{message[:-1]}; did you mean {guesses[0]!r}?"
    return ValueError(message)


def get_entry(name):
    """The `MODELS` entry of CLI name `name`."""
    if name not in MODELS:
        raise _unknown("model", name, MODELS)
    return MODELS[name]


def get_forecaster(name):
    """The `FORECASTERS` entry of CLI name `name`."""
    if name not in FORECASTERS:
        raise _unknown("forecaster", name, FORECASTERS)
    return FORECASTERS[name]


def get_preset(name, preset):
    """A copy of `MODELS[name]`'s preset `preset` (constructor kwargs)."""
    presets = get_entry(name)["presets"]
    if preset not in presets:
        raise ValueError(
            f"Model {name!r} has presets {sorted(presets)}. Received: preset={preset!r}"
        )
    return dict(presets[preset])


def describe_optimizers(name, learning_rate=None):
    """What CLI name `name` trains with, e.g. `"D and G: RMSprop(lr=1e-4)"`.

    Asks the class: builds the "tiny" preset and describes the optimizers
    its `default_optimizers` gives for the budget's learning rate (or
    `learning_rate`), naming each argument that differs from the Keras
    default. Networks with the same optimizer are named together.
    """
    entry = MODELS.get(name) or FORECASTERS.get(name)
    if entry is None:
        raise ValueError(f"Unknown CLI name {name!r}. Expected a model ({', '.join(MODELS)}) "
                         f"or a forecaster ({', '.join(FORECASTERS)}).")
    model = entry["class"](**entry["presets"]["tiny"], **entry["data_args"])
    rate = entry["fit"]["learning_rate"] if learning_rate is None else learning_rate
    text = describe_compile_kwargs(model.default_optimizers(rate))
    if entry["fit"].get("method") == "least_squares":
        return f"closed-form least squares (method='gradient': {text})"
    return text


def describe_compile_kwargs(optimizers):
    """`{"d_optimizer": ..., "g_optimizer": ...}` -> `"D and G: Adam(lr=2e-4, beta_1=0.5)"`.

    A key `x_optimizer` names network `x` (one letter upper-cased); a lone
    `optimizer` is described without a name.
    """
    networks = {}
    for key, optimizer in optimizers.items():
        network = key.removesuffix("optimizer").rstrip("_")
        networks.setdefault(describe_optimizer(keras.optimizers.get(optimizer)), []).append(
            network.upper() if len(network) == 1 else network)
    return "; ".join(f"{' and '.join(names)}: {description}" if any(names) else description
                     for description, names in networks.items())


def describe_optimizer(optimizer):
    """`"Adam(lr=2e-4, beta_1=0.5)"`: the class and the arguments off Keras' defaults."""
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # a LossScaleOptimizer's
    config = optimizer.get_config()
    defaults = type(optimizer)().get_config()
    rate = config["learning_rate"]
    parts = [f"lr={rate['class_name'] if isinstance(rate, dict) else _number(rate)}"]
    parts += [f"{key}={_number(value)}" for key, value in config.items()
              if key not in ("name", "learning_rate") and value != defaults.get(key)]
    return f"{type(optimizer).__name__}({', '.join(parts)})"


def _number(value):
    """Short decimal: 1e-4 for 0.0001 (and float32's 9.99999974e-05), 0.5, 1."""
    if isinstance(value, bool) or not isinstance(value, float):
        return repr(value)
    if value != 0 and abs(value) < 1e-2:
        mantissa, exponent = f"{value:.6e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return f"{value:.6g}"
