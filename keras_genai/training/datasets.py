"""Training data of a run: image or text pipelines and the fixed sample batch."""

import os

import numpy as np

from keras_genai import data as data_lib

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


VOCABULARIES = ("characters", "bytes")


def load_text_data(dataset="embedded", validation_split="test", data_dir=None, download=False,
                   vocabulary="characters", validation_fraction=0.1):
    """Token ids of a text corpus's training and validation text, and their vocabulary.

    `dataset` `"tiny_shakespeare"` or `"embedded"` trains on its `train`
    split and validates on `validation_split`. A text file trains on all but
    its last `validation_fraction` and validates on that end (`validation_split`
    None: no validation; `validation_fraction` 0: all of it trains).
    `data_dir` is a folder with tiny Shakespeare's `input.txt` (prepared
    offline by tfds) or a tfds data_dir.

    `vocabulary`: `"characters"` (the characters of the whole corpus, so
    that validation text encodes) or `"bytes"` (the 256 UTF-8 byte values:
    any text, e.g. prompts with characters the corpus lacks, at the cost of
    longer sequences for non-ASCII text).

    Returns:
        dict with `train` and `validation` (int32 ids or None), `vocabulary`,
        `prompt` (the first line of the validation text, for samples),
        `model_args` (`vocabulary_size`, `vocabulary`) and `description`
        (characters and where the validation text comes from, for config.json).
    """
    if vocabulary not in VOCABULARIES:
        raise ValueError(f"vocabulary must be one of {VOCABULARIES}. Received: vocabulary={vocabulary!r}")
    if dataset in data_lib.text.TEXT_DATASETS:
        def load(split):
            return data_lib.load_text(dataset, split, data_dir=data_dir, download=download)

        texts = {split: load(split) for split in data_lib.text.SPLITS}
        # The splits are already read: a joined validation split is their concatenation.
        validation = ("".join(texts[name] for name in data_lib.text.split_names(validation_split))
                      if validation_split else None)
        train, corpus = texts["train"], "".join(texts.values())
        where = f"{dataset} split {validation_split!r}"
    else:
        corpus = data_lib.load_text(dataset, "train+validation+test")
        train, held_out = data_lib.text.holdout_split(corpus, validation_fraction)
        validation = held_out if validation_split and held_out else None
        where = f"the last {validation_fraction:.0%} of {dataset} ({len(held_out)} characters)"
    vocabulary = data_lib.CharacterVocabulary.from_text(corpus, byte_level=vocabulary == "bytes")
    prompt_source = validation or train
    return {
        "train": vocabulary.encode(train),
        "validation": None if validation is None else vocabulary.encode(validation),
        "vocabulary": vocabulary,
        "prompt": prompt_source.split("\n", 1)[0][:32] or prompt_source[:1],
        "model_args": {"vocabulary_size": vocabulary.size, "vocabulary": vocabulary.get_config()},
        "description": {"train_characters": len(train),
                        "validation": where if validation is not None else None,
                        "validation_characters": 0 if validation is None else len(validation),
                        "vocabulary": repr(vocabulary)},
    }
