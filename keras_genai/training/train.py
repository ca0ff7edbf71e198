"""`train`: one run from data to samples, checkpoints and exports."""

import json
import os

import keras
import numpy as np

from keras_genai import data as data_lib
from keras_genai.export import (
    check_greedy_generation,
    check_litert,
    check_saved_model,
    export_litert,
    export_saved_model,
    litert_step,
    saved_model_step,
)
from keras_genai.callbacks import MetricsJSON, SampleGrid, TextSample
from keras_genai.models.generative_model import _constructor_args
from keras_genai.models.sequence.language_model import LanguageModel
from keras_genai.models.registry import get_entry, get_preset
from keras_genai.training.precision import set_mixed_precision
from keras_genai.training.run_directory import RunDirectory

GRID_SIZE = 16


def load_data(model_class, dataset="fashion_mnist", split="train", validation_split="test",
              data_dir=None, image_folder=None, image_size=28, channels=1,
              batch_size=128, download=False, seed=0):
    """Training and validation pipelines in the model class's value range.

    Returns:
        dict with `train`, `validation` (or None), `grid` (a fixed
        `(images, labels)` batch for sample grids), `image_shape`,
        `num_classes`.
    """
    kwargs = dict(batch_size=batch_size, value_range=model_class.value_range,
                  with_labels=model_class.needs_labels, seed=seed)
    if image_folder:
        train = data_lib.image_folder_dataset(
            image_folder, image_size=(image_size, image_size), channels=channels, **kwargs
        )
        validation = None
        classes = [d for d in sorted(os.listdir(image_folder))
                   if os.path.isdir(os.path.join(image_folder, d))]
        image_shape, num_classes = (image_size, image_size, channels), len(classes)
        grid_source = train
    else:
        image_shape, num_classes = data_lib.image_datasets.dataset_info(dataset, data_dir, download)
        train = data_lib.image_dataset(dataset, split, data_dir, download=download, **kwargs)
        validation = None
        if validation_split:
            validation = data_lib.image_dataset(
                dataset, validation_split, data_dir, shuffle=False, download=download, **kwargs
            )
        grid_source = validation or train
    batch = next(iter(grid_source.unbatch().batch(GRID_SIZE)))
    images, labels = (batch if model_class.needs_labels else (batch, None))
    grid = (np.asarray(images), None if labels is None else np.asarray(labels))
    return {"train": train, "validation": validation, "grid": grid,
            "image_shape": image_shape, "num_classes": num_classes}


def load_text_data(dataset="embedded", validation_split="test", data_dir=None, download=False):
    """Token ids of a text corpus's splits and a vocabulary of all its characters.

    `data_dir` is a folder with tiny Shakespeare's `input.txt` (prepared
    offline by tfds) or a tfds data_dir.

    Returns:
        dict with `train` and `validation` (int32 ids or None), `vocabulary`,
        `prompt` (the first line of the validation text, for samples) and
        `model_args` (`vocabulary_size`, `vocabulary`).
    """

    def load(split):
        return data_lib.load_text(dataset, split, data_dir=data_dir, download=download)

    texts = {split: load(split) for split in data_lib.text.SPLITS}
    vocabulary = data_lib.CharacterVocabulary.from_text("".join(texts.values()))
    # The splits are already read: a joined validation split is their concatenation.
    validation = ("".join(texts[name] for name in data_lib.text.split_names(validation_split))
                  if validation_split else None)
    prompt_source = validation or texts["train"]
    return {
        "train": vocabulary.encode(texts["train"]),
        "validation": None if validation is None else vocabulary.encode(validation),
        "vocabulary": vocabulary,
        "prompt": prompt_source.split("\n", 1)[0][:32] or prompt_source[:1],
        "model_args": {"vocabulary_size": vocabulary.size, "vocabulary": vocabulary.get_config()},
    }


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
    args = _constructor_args(model_class)
    for key, value in (overrides or {}).items():
        if key not in args:
            raise ValueError(
                f"{model_class.__name__} has no argument {key!r}. Its arguments: {', '.join(args)}."
            )
        config[key] = value
    config.setdefault("seed", seed)
    return model_class(**config)


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

    Returns:
        dict: the final epoch's metrics plus `export` (the parity report).
    """
    run = RunDirectory(out, resume=resume, overwrite=overwrite)
    fit_defaults = get_entry(model_name)["fit"]
    training = dict(
        dataset=dataset or fit_defaults.get("dataset", "fashion_mnist"), data_dir=data_dir, image_folder=image_folder, image_size=image_size,
        channels=channels, preset=preset, overrides=overrides or {},
        epochs=epochs or fit_defaults["epochs"],
        batch_size=batch_size or fit_defaults["batch_size"],
        learning_rate=learning_rate or fit_defaults["learning_rate"],
        steps_per_epoch=steps_per_epoch, validation_split=validation_split,
        mixed_precision=mixed_precision or fit_defaults.get("mixed_precision", "none"),
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
    model_class = get_entry(model_name)["class"]
    text = issubclass(model_class, LanguageModel)
    if text:
        data = load_text_data(training["dataset"], training["validation_split"],
                              training["data_dir"], download)
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
        run.write_config({"model": model_name, "model_config": model.get_config(),
                          "training": training})
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
    model.compile(**model.default_optimizers(training["learning_rate"]), jit_compile=training["xla"])
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


def export_run(model, directory, images, quantizations):
    """SavedModel + LiteRT into `directory`, each checked against Keras.

    Writes and returns the parity report (`report.json`).
    """
    saved_model = export_saved_model(model, os.path.join(directory, "saved_model"), overwrite=True)
    report = {
        "saved_model": {"path": saved_model,
                        "max_abs_diff": check_saved_model(model, saved_model, images)},
        "litert": check_litert(
            model, export_litert(model, os.path.join(directory, "litert"), quantizations,
                                 data=images, overwrite=True), data=images),
    }
    if isinstance(model, LanguageModel):
        # Names: "saved_model", "litert_float32" for next_token; the endpoint
        # is added for others ("saved_model_next_token_state", ...).
        steps = {}
        for endpoint in model.serving_endpoints():
            suffix = "" if endpoint == "next_token" else f"_{endpoint}"
            steps[f"saved_model{suffix}"] = saved_model_step(saved_model, endpoint)
            steps.update({f"litert{suffix}_{row['quantization']}": litert_step(row["path"])
                          for row in report["litert"]
                          if row["quantization"] == "float32" and row["endpoint"] == endpoint})
        report["greedy_generation"] = check_greedy_generation(model, steps)
    with open(os.path.join(directory, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    return report
