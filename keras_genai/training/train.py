"""`train`: one run from data to samples, checkpoints and exports."""

import json

import keras

from keras_genai import data as data_lib
from keras_genai.callbacks import MetricsJSON, SampleGrid, TextSample
from keras_genai.models.generative_model import _constructor_args
from keras_genai.models.registry import get_entry, get_preset
from keras_genai.training.datasets import load_data, load_text_data
from keras_genai.training.export import export_run
from keras_genai.training.precision import set_mixed_precision
from keras_genai.training.run_directory import RunDirectory
from keras_genai.training.schedules import run_learning_rate


def parse_setting(text):
    """`"KEY=VALUE"` -> `(key, value)`, the value read as JSON if it parses
    (`beta=4.0` -> 4.0, `widths=[8,16]` -> a list) and kept as text if not."""
    if "=" not in text:
        raise ValueError(f"expected KEY=VALUE, received {text!r}")
    key, value = text.split("=", 1)
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def build_model(name, preset="cpu", overrides=None, image_shape=None, num_classes=None, seed=0,
                **data_args):
    """A registry model with its preset, overrides and the data's shape
    (`image_shape`, `num_classes`, `vocabulary_size`, ...)."""
    entry = get_entry(name)
    config = get_preset(name, preset)
    args = _constructor_args(entry["class"])
    if image_shape is not None and "image_shape" in args:
        config["image_shape"] = list(image_shape)
    if num_classes and "num_classes" in args:
        config["num_classes"] = num_classes
    config.update({k: v for k, v in data_args.items() if k in args})
    return construct(entry["class"], config, overrides, seed)


def construct(model_class, config, overrides=None, seed=0):
    """`model_class(**config)` with `overrides` applied, each checked to be an argument."""
    check_overrides(model_class, overrides)
    config.update(overrides or {})
    config.setdefault("seed", seed)
    try:
        return model_class(**config)
    except TypeError as e:
        # A value of the wrong type (e.g. --set latent_dim=abc) fails deep inside the constructor.
        raise ValueError(
            f"{model_class.__name__} could not be built from its arguments ({e}). "
            f"Received: {overrides or config}; --set values are JSON (numbers unquoted, lists as [64, 128])."
        ) from None


def check_overrides(model_class, overrides):
    """Raises ValueError if a key of `overrides` is not a constructor argument of `model_class`."""
    args = _constructor_args(model_class)
    for key in overrides or {}:
        if key not in args:
            raise ValueError(
                f"{model_class.__name__} has no argument {key!r}. Its arguments: {', '.join(args)}."
            )


def train(
    model_name,
    out,
    dataset=None,
    data_dir=None,
    image_folder=None,
    image_size=28,
    channels=1,
    preset="cpu",
    overrides=None,
    epochs=None,
    batch_size=None,
    learning_rate=None,
    steps_per_epoch=None,
    validation_split="test",
    validation_fraction=0.1,
    vocabulary="characters",
    mixed_precision=None,
    xla=False,
    resume=False,
    overwrite=False,
    seed=0,
    export_quantizations=("float32",),
    download=False,
    verbose="auto",
):
    """Trains a registry model and leaves a complete run folder.

    See `RunDirectory` for the layout. With `resume=True` the model and
    training arguments come from the folder's `config.json` (only `epochs`
    may change) and training continues from the last finished epoch.

    `overrides` is a dict or `(key, value)` pairs of constructor arguments.
    The model name, preset and overrides are checked before any data is
    read, and the folder is only created (or, with `overwrite`, emptied)
    once the data and the model are built.

    Returns:
        dict: the final epoch's metrics plus `export` (the parity report).
    """
    entry = get_entry(model_name)
    model_class = entry["class"]
    overrides = dict(overrides or {})
    if not resume:
        get_preset(model_name, preset)
        check_overrides(model_class, overrides)
    run = RunDirectory(out, resume=resume, overwrite=overwrite)
    fit_defaults = entry["fit"]
    training = dict(
        dataset=dataset or fit_defaults.get("dataset", "fashion_mnist"), data_dir=data_dir, image_folder=image_folder, image_size=image_size,
        channels=channels, preset=preset, overrides=overrides,
        epochs=epochs or fit_defaults["epochs"],
        batch_size=batch_size or fit_defaults["batch_size"],
        learning_rate=learning_rate or fit_defaults["learning_rate"],
        steps_per_epoch=steps_per_epoch, validation_split=validation_split,
        validation_fraction=validation_fraction, vocabulary=vocabulary,
        mixed_precision=mixed_precision or fit_defaults.get("mixed_precision", "none"),
        learning_rate_schedule=fit_defaults.get("learning_rate_schedule"),
        xla=bool(xla), seed=seed,
    )
    if resume:
        saved = run.read_config()
        if saved["model"] != model_name:
            raise ValueError(
                f"{out!r} holds a {saved['model']!r} run; cannot resume it as {model_name!r}."
            )
        training = {**saved["training"], "epochs": epochs or saved["training"]["epochs"]}
    set_mixed_precision(training["mixed_precision"])
    keras.utils.set_random_seed(training["seed"])
    text = model_class.input_kind == "tokens"
    if text:
        # The config.json of a run made before these options lacks them.
        data = load_text_data(training["dataset"], training["validation_split"],
                              training["data_dir"], download, training.get("vocabulary", "characters"),
                              training.get("validation_fraction", 0.1))
    else:
        data = load_data(
            model_class, training["dataset"], validation_split=training["validation_split"],
            data_dir=training["data_dir"], image_folder=training["image_folder"],
            image_size=training["image_size"], channels=training["channels"],
            batch_size=training["batch_size"], download=download, seed=training["seed"],
        )
        data["model_args"] = {"image_shape": data["image_shape"], "num_classes": data["num_classes"]}
    if resume:
        model = model_class.from_config(saved["model_config"])
    else:
        model = build_model(model_name, training["preset"], training["overrides"],
                            seed=training["seed"], **data["model_args"])
    run.create()
    if not resume:
        run.write_config({"model": model_name, "model_config": model.get_config(),
                          "training": training, **({"data": data["description"]} if text else {})})
    if text:
        for split in ("train", "validation"):
            if data[split] is not None:
                data[split] = data_lib.text_dataset(
                    data[split], model.sequence_length, training["batch_size"],
                    shuffle=split == "train", seed=training["seed"],
                )
        data["grid"] = (None, None)
        sample_callback = TextSample(data["prompt"], run.join("samples"), seed=training["seed"])
    else:
        sample_callback = SampleGrid(*data["grid"], directory=run.join("samples"))
    rate = run_learning_rate(training["learning_rate"], training.get("learning_rate_schedule"),
                             training["epochs"], training["steps_per_epoch"], data["train"])
    model.compile(**model.default_optimizers(rate), jit_compile=training["xla"])
    callbacks = [
        keras.callbacks.BackupAndRestore(run.join("backup"), delete_checkpoint=False),
        keras.callbacks.ModelCheckpoint(run.join("checkpoints", "epoch_{epoch:03d}.keras")),
        keras.callbacks.TensorBoard(run.join("logs")),
        keras.callbacks.TerminateOnNaN(),
        MetricsJSON(run.join("metrics.json")),
        sample_callback,
    ]
    history = model.fit(
        data["train"], validation_data=data["validation"], epochs=training["epochs"],
        steps_per_epoch=training["steps_per_epoch"], callbacks=callbacks, verbose=verbose,
    )
    model.save(run.model_path)
    result = {k: float(v[-1]) for k, v in history.history.items()}
    if export_quantizations:
        result["export"] = export_run(
            model, run.join("export"), data["grid"][0], export_quantizations
        )
    return result
