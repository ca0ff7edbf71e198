"""`train`: one run from data to samples, checkpoints and exports."""

import math
import os
import warnings

import keras

from keras_genai import data as data_lib
from keras_genai.callbacks import MetricsJSON, SampleGrid, TextSample, TimeBudget
from keras_genai.distribute import make_strategy, shard_by_data, strategy_scope
from keras_genai.models.generative_model import _constructor_args
from keras_genai.models.pretrained import refuse_savedmodels_output
from keras_genai.models.registry import get_entry, get_preset
from keras_genai.training import fine_tune
from keras_genai.training.checkpoints import CheckpointPolicy
from keras_genai.training.datasets import check_data_options, load_data, load_domain_data, load_text_data
from keras_genai.training.determinism import set_determinism
from keras_genai.training.export import export_run
from keras_genai.training.load import load_model
from keras_genai.training.precision import set_mixed_precision
from keras_genai.training.resume import check_not_stopped_early, resumed_training
from keras_genai.training.run_directory import RunDirectory
from keras_genai.training.run_safety import RunSafety, resume_command
from keras_genai.training.schedules import run_learning_rate
from keras_genai.training.worker_folder import WorkerFolder


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
    domain_a=None,
    domain_b=None,
    image_size=None,
    channels=None,
    preset="cpu",
    overrides=None,
    epochs=None,
    batch_size=None,
    learning_rate=None,
    steps_per_epoch=None,
    validation_split="test",
    validation_fraction=None,
    validation_seed=0,
    vocabulary="characters",
    mixed_precision=None,
    xla=False,
    resume=False,
    overwrite=False,
    seed=0,
    export_quantizations=("float32",),
    download=False,
    keep_checkpoints=2,
    monitor="auto",
    keep=None,
    early_stopping=None,
    from_model=None,
    freeze=(),
    checkpoint_every=None,
    checkpoint_minutes=10,
    time_budget=None,
    snapshot_minutes=(),
    budget_clock="wall",
    deterministic=False,
    distribute=None,
    cpu_devices=None,
    verbose="auto",
):
    """Trains a registry model and leaves a complete run folder.

    See `RunDirectory` for the layout. With `resume=True` the model and
    training arguments come from the folder's `config.json` and training
    continues from the last finished epoch; `epochs` and `data_dir` may
    change (config.json then records them), any other argument passed with
    another value than the recorded one is a ValueError (`resumed_training`).

    Translation models (`data_form == "domains"`, e.g. cyclegan) train on
    `domain_a` and `domain_b` (folders or `DATASET:CLASS`, see
    `keras_genai.data.domains`; default: the budget's `domains`).

    A named `dataset` validates on `validation_split`; an `image_folder`
    holds out `validation_fraction` (default 0.1; 0 for none) of each
    class's files, chosen by `validation_seed`. config.json records both,
    the number of files held out and the class names.

    `keep_checkpoints`, `monitor`, `keep` and `early_stopping` choose the
    checkpoints kept and what `model.keras` holds (see `CheckpointPolicy`):
    by default the last 2 epoch checkpoints, the best by `val_loss` where
    the model reports a loss and has validation data, and `model.keras` is
    that best one (else the last epoch); `run.json` says which and why.

    `from_model` (a pretrained model's name, a run folder or a `.keras`
    file of this family) fine-tunes that model instead of building one:
    its image size and channels become the image folder's defaults, a
    conditional model gets the data's class count (new label rows, the
    rest kept), a text model keeps its vocabulary, and the learning rate
    defaults to `fine_tune.LEARNING_RATE_FACTOR` x the budget's.
    `freeze` lists parts to keep fixed: `encoder`, `decoder`,
    `discriminator:2` (its first 2 layers with weights, FreezeD), ... (see
    `fine_tune.freeze`). With `from_model`, `overrides` may change
    training-rule arguments only (e.g. `augment="color,translation,cutout"`
    for DiffAugment), not weight shapes. config.json records all of it.

    A backup for `resume` is written every `checkpoint_every` steps (None:
    only at epochs' ends), every `checkpoint_minutes` minutes and at every
    epoch's end; SIGINT/SIGTERM save one and raise `TrainingInterrupted`, a
    NaN or infinite loss raises `NonFiniteLossError` (see `RunSafety`).
    `time_budget` (minutes of `budget_clock` time, `"wall"` or `"cpu"`) stops training once it is spent, and
    the model is saved to `snapshots/` at each of `snapshot_minutes` (see
    `TimeBudget`; e.g. models compared at equal time); run.json records both.

    `deterministic` makes a seeded run bit-reproducible on the same CPU,
    resumed or not (see `set_determinism`).

    `distribute` trains under a `tf.distribute` strategy: `"mirrored"` (every
    GPU of this machine; `cpu_devices` splits a CPU into that many logical
    devices, to check a multi-device run without GPUs) or `"multi_worker"`
    (the cluster in `TF_CONFIG`; start the same command on every worker).
    `batch_size` is then the global batch, split over the replicas; the
    losses are scaled and the noise drawn so that a step equals one device's
    step on the same global batch (see `keras_genai.distribute`). On a
    cluster the chief writes `out`; the other workers write a temporary
    copy, removed at the end. Resuming may change the strategy.

    `overrides` is a dict or `(key, value)` pairs of constructor arguments.
    The model name, preset and overrides are checked before any data is
    read, and the folder is only created (or, with `overwrite`, emptied)
    once the data and the model are built.

    Returns:
        dict: the final epoch's metrics, `run` (the `run.json` record) and
        `export` (the parity report).
    """
    requested = dict(locals())  # the arguments as passed, which --resume checks against config.json
    # First: TensorFlow's devices and a cluster's collective ops are fixed when it starts.
    strategy = make_strategy(distribute, cpu_devices)
    worker = WorkerFolder(strategy, out, resume)
    if worker.path:
        out, export_quantizations = worker.path, ()
    entry = get_entry(model_name)
    model_class = entry["class"]
    overrides = dict(overrides or {})
    if not resume:  # a resumed run is checked against its config.json (`resumed_training`)
        get_preset(model_name, preset)
        check_overrides(model_class, overrides)
        check_data_options(model_class, dataset, image_folder, image_size, channels, vocabulary)
    refuse_savedmodels_output(out)
    base = fine_tuned = None
    if from_model:
        if resume:
            raise ValueError("from_model (--from) starts a fine-tuning run; resume (--resume) continues "
                             "one, whose config.json records what it started from. Pass one of them.")
        base, fine_tuned = fine_tune.load_base(model_class, model_name, from_model)
        if image_folder or getattr(model_class, "data_form", None) == "domains":
            image_size, channels = fine_tune.image_defaults(base, image_size, channels)
    image_size = image_size or 28
    if image_folder:
        validation_split = None
        validation_fraction = 0.1 if validation_fraction is None else validation_fraction
    elif model_class.input_kind == "tokens":
        validation_fraction = 0.1 if validation_fraction is None else validation_fraction
    elif validation_fraction is not None:
        raise ValueError(
            "validation_fraction holds out part of an image folder or a text file; a named image dataset validates on "
            f"validation_split (CLI: --validation-split). Received: validation_fraction={validation_fraction}"
        )
    run = RunDirectory(out, resume=resume, overwrite=overwrite)
    fit_defaults = entry["fit"]
    training = dict(
        # A folder run records no dataset: it trains on none.
        dataset=None if image_folder else dataset or fit_defaults.get("dataset", "fashion_mnist"),
        data_dir=data_dir, image_folder=image_folder,
        image_size=image_size,
        channels=channels, preset=preset, overrides=overrides,
        epochs=epochs or fit_defaults["epochs"],
        batch_size=batch_size or fit_defaults["batch_size"],
        learning_rate=learning_rate or _fine_tune_rate(fit_defaults["learning_rate"], base),
        steps_per_epoch=steps_per_epoch, validation_split=validation_split,
        validation_fraction=validation_fraction, validation_seed=validation_seed, vocabulary=vocabulary,
        mixed_precision=mixed_precision or fit_defaults.get("mixed_precision", "none"),
        learning_rate_schedule=fit_defaults.get("learning_rate_schedule"),
        xla=bool(xla), seed=seed, keep_checkpoints=keep_checkpoints, monitor=monitor, keep=keep,
        early_stopping=early_stopping, fine_tuned_from=fine_tuned, freeze=list(freeze or ()),
        checkpoint_every=checkpoint_every, checkpoint_minutes=checkpoint_minutes,
        time_budget=time_budget, snapshot_minutes=sorted(snapshot_minutes or ()), budget_clock=budget_clock,
        deterministic=bool(deterministic), distribute=distribute, cpu_devices=cpu_devices,
    )
    if resume:
        saved = run.read_config()
        if saved["model"] != model_name:
            raise ValueError(
                f"{out!r} holds a {saved['model']!r} run; cannot resume it as {model_name!r}."
            )
        # Arguments newer than the saved run's config take their defaults.
        training = {**training, **resumed_training(out, saved["training"], requested, train)}
        check_not_stopped_early(run, training["early_stopping"])
    # How this call trains: a resumed run may change its strategy.
    training.update(distribute=distribute, cpu_devices=cpu_devices,
                    replicas=1 if strategy is None else strategy.num_replicas_in_sync)
    budget = None  # checked here, before any data is read or folder made
    if training.get("time_budget") or training.get("snapshot_minutes"):
        budget = TimeBudget(training.get("time_budget"), training.get("snapshot_minutes", ()), run.join("snapshots"),
                            training.get("budget_clock", "wall"))
    set_mixed_precision(training["mixed_precision"])
    set_determinism(training["seed"], training.get("deterministic"))
    text = model_class.input_kind == "tokens"
    translation = getattr(model_class, "data_form", None) == "domains"
    if translation:
        domains = fit_defaults.get("domains", (None, None))
        training["domain_a"], training["domain_b"] = (
            saved["training"]["domain_a"], saved["training"]["domain_b"]) if resume else (
            domain_a or domains[0], domain_b or domains[1])
    elif domain_a or domain_b:
        raise ValueError(f"{model_name!r} trains on one dataset; --domain-a/--domain-b are for translation "
                         f"models such as cyclegan. Received: domain_a={domain_a!r}, domain_b={domain_b!r}")
    if translation:
        data = load_domain_data(
            model_class, training["domain_a"], training["domain_b"], training["validation_split"],
            training["data_dir"], training["image_size"], training["channels"], training["batch_size"],
            download, training["seed"])
        training["domain_images"] = data["domains"]["images"]
        data["model_args"] = {"image_shape": data["image_shape"]}
    elif text:
        # The config.json of a run made before these options lacks them.
        # A fine-tuned model keeps its own vocabulary (a resumed one: the one it was saved with).
        fixed = (base.get_vocabulary() if base is not None else
                 data_lib.CharacterVocabulary.from_config(saved["model_config"]["vocabulary"])
                 if resume and training.get("fine_tuned_from") else None)
        data = load_text_data(training["dataset"], training["validation_split"],
                              training["data_dir"], download, training.get("vocabulary", "characters"),
                              training.get("validation_fraction", 0.1), fixed_vocabulary=fixed)
    else:
        data = load_data(
            model_class, training["dataset"], validation_split=training["validation_split"],
            data_dir=training["data_dir"], image_folder=training["image_folder"],
            image_size=training["image_size"], channels=training["channels"] or 1,
            batch_size=training["batch_size"], download=download, seed=training["seed"],
            # Folder runs from before the split held nothing out.
            validation_fraction=training.get("validation_fraction") or 0.0,
            validation_seed=training.get("validation_seed", 0),
        )
        if training["image_folder"]:
            held_out = training.setdefault("validation_files", data["validation_files"])
            if held_out != data["validation_files"]:
                warnings.warn(
                    f"Image folder {training['image_folder']!r} now holds out {data['validation_files']} "
                    f"files, but the run began with {held_out}: it changed, so some validation images "
                    "may have been trained on.", data_lib.DataWarning, stacklevel=2)
        data["model_args"] = {"image_shape": data["image_shape"], "num_classes": data["num_classes"]}
    with strategy_scope(strategy):
        model, frozen = _run_model(model_name, model_class, training, data, saved if resume else None, base, text,
                                   translation)
    if frozen and not resume:
        training["frozen_variables"] = frozen
    if text and not resume and steps_per_epoch is None:
        training["passes_per_epoch"] = passes_per_epoch(fit_defaults.get("min_steps"), fit_defaults["epochs"],
                                                        len(data["train"]), training["batch_size"],
                                                        model.sequence_length)
    checkpoints = CheckpointPolicy(
        run, model, data["validation"] is not None, training["keep_checkpoints"],
        training["monitor"], training["keep"], training["early_stopping"],
    )
    run.create()
    if resume:
        run.write_config({**saved, "training": training})  # e.g. the new epochs
    else:
        run.write_config({"model": model_name, "model_config": model.get_config(),
                          "training": training, "class_names": data.get("class_names"),
                          **({"data": data["description"]} if text else {})})
    if text:
        for split in ("train", "validation"):
            if data[split] is not None:
                data[split] = data_lib.text_dataset(
                    data[split], model.sequence_length, training["batch_size"],
                    shuffle=split == "train", seed=training["seed"],
                    passes=training.get("passes_per_epoch", 1) if split == "train" else 1,
                )
        data["grid"] = (None, None)
        sample_callback = TextSample(data["prompt"], run.join("samples"), seed=training["seed"])
    else:
        sample_callback = SampleGrid(*data["grid"], directory=run.join("samples"))
    rate = run_learning_rate(training["learning_rate"], training.get("learning_rate_schedule"),
                             training["epochs"], training["steps_per_epoch"], data["train"])
    if training["distribute"] == "multi_worker":
        data["train"], data["validation"] = shard_by_data(data["train"]), shard_by_data(data["validation"])
    with strategy_scope(strategy):
        model.compile(**model.default_optimizers(rate), jit_compile=training["xla"])
    metrics = MetricsJSON(run.join("metrics.json"))
    safety = RunSafety(run, resume_command(model_name, out), data["train"], training["steps_per_epoch"],
                       training.get("checkpoint_every"), training.get("checkpoint_minutes"))
    callbacks = [
        # First: the NaN check, then the restore of the epoch that the others start from.
        *safety.first_callbacks(),
        *([budget] if budget else []),
        *checkpoints.callbacks(),
        keras.callbacks.TensorBoard(run.join("logs")),
        metrics,
        sample_callback,
        *model.training_callbacks(training["epochs"], training["learning_rate"]),
        *safety.last_callbacks(),
    ]
    with safety.guard():
        history = model.fit(
            data["train"], validation_data=data["validation"], epochs=training["epochs"],
            steps_per_epoch=training["steps_per_epoch"], callbacks=callbacks, verbose=verbose,
        )
    result = {k: float(v[-1]) for k, v in history.history.items()}
    result["run"] = checkpoints.finish(model, metrics.history,
                                       {"time_budget": budget.record()} if budget else None)
    if export_quantizations:
        result["export"] = export_run(
            model, run.join("export"), data["grid"][0], export_quantizations
        )
    run.release()
    worker.remove()
    return result


def passes_per_epoch(min_steps, epochs, num_tokens, batch_size, sequence_length):
    """Passes over the training text in each epoch of a text run: 1, or as many as make the budget's
    `epochs` at least `min_steps` long (None: 1; --epochs N then runs N such epochs). One pass
    over a short text is few steps: the
    GPT's 5 epochs on 31,600 characters were 205 steps, which left it at val loss 2.67 and garbled
    samples; nanoGPT's CPU recipe, our budget's model, runs 2,000."""
    if not min_steps:
        return 1
    per_pass = math.ceil(data_lib.text.window_count(num_tokens, sequence_length) / batch_size)
    return max(1, math.ceil(min_steps / (epochs * per_pass)))


def _fine_tune_rate(rate, base):
    """The budget's learning rate (a number or a dict by role), scaled down when fine-tuning."""
    if base is None:
        return rate
    if isinstance(rate, dict):
        return {role: value * fine_tune.LEARNING_RATE_FACTOR for role, value in rate.items()}
    return rate * fine_tune.LEARNING_RATE_FACTOR


def _run_model(model_name, model_class, training, data, saved, base, text, translation):
    """The run's model (resumed from `saved`, fine-tuned from `base`, or new) with its parts
    frozen, and the frozen variables' names."""
    if saved is not None:
        model = _resumed_model(model_class, saved)
    elif base is not None:
        if not text and not translation:
            fine_tune.check_image_shape(base, data["image_shape"])
        model, changes = fine_tune.adapted(base, data["model_args"].get("num_classes"), training["overrides"])
        classes = changes["classes"]
        if classes:
            print(f"fine-tuning: {classes['from']} classes -> {classes['to']}; {classes['resized_weights']} "
                  "label-sized weights keep their shared rows, the new rows start fresh")
        training["fine_tuned_from"].update(changes)
    else:
        model = build_model(model_name, training["preset"], training["overrides"],
                            seed=training["seed"], **data["model_args"])
    return model, fine_tune.freeze(model, training.get("freeze"))


def _resumed_model(model_class, saved):
    """The model a resumed run continues: its saved architecture; a fine-tuning
    run's starts again from its base, so that a run stopped before its first
    backup still starts from the pretrained weights (the backup, if any, then wins)."""
    source = (saved["training"].get("fine_tuned_from") or {}).get("path")
    if source and os.path.exists(source):
        model, _ = fine_tune.adapted(load_model(source), saved["model_config"].get("num_classes"),
                                     saved["training"].get("overrides"))
        return model
    return model_class.from_config(saved["model_config"])
