"""Training data of a run: image or text pipelines and the fixed sample batch."""

import numpy as np

from keras_genai import data as data_lib

GRID_SIZE = 16
# `train`'s defaults of the options checked by `check_data_options`.
DEFAULT_IMAGE_SIZE = 28
DEFAULT_VOCABULARY = "characters"


def check_data_options(model_class, dataset=None, image_folder=None, image_size=DEFAULT_IMAGE_SIZE,
                       channels=None, vocabulary=DEFAULT_VOCABULARY):
    """Raises a ValueError naming the first data option passed that `model_class` would not use.

    Image folders and domains are resized and converted (`image_size`,
    `channels`); a named image dataset keeps its own size and channels; text
    models take `dataset` (a corpus or a text file) and `vocabulary`. These
    options were once ignored without a word, and recorded in config.json.
    """
    name = model_class.__name__
    translation = getattr(model_class, "data_form", None) == "domains"
    if translation and (dataset or image_folder):
        option, value = ("dataset", dataset) if dataset else ("image_folder", image_folder)
        raise ValueError(f"{name} trains on two domains, not on one {_option(option)}: pass domain_a and "
                         f"domain_b (CLI: --domain-a, --domain-b). Received: {option}={value!r}")
    if model_class.input_kind == "tokens":
        for option, value, unused in (("image_folder", image_folder, image_folder is not None),
                                      ("image_size", image_size, image_size not in (None, DEFAULT_IMAGE_SIZE)),
                                      ("channels", channels, channels is not None)):
            if unused:
                raise ValueError(f"{name} is a text model: {_option(option)} is for image models; pass a "
                                 f"corpus or a text FILE as dataset (CLI: --dataset). Received: {option}={value!r}")
        return
    if vocabulary != DEFAULT_VOCABULARY:
        raise ValueError(f"{name} is an image model: {_option('vocabulary')} is for text models. "
                         f"Received: vocabulary={vocabulary!r}")
    if image_folder and dataset:
        raise ValueError(f"Pass either {_option('image_folder')} or {_option('dataset')}, not both. "
                         f"Received: image_folder={image_folder!r}, dataset={dataset!r}")
    if not (image_folder or translation):
        for option, value, unused in (("channels", channels, channels is not None),
                                      ("image_size", image_size, image_size not in (None, DEFAULT_IMAGE_SIZE))):
            if unused:
                raise ValueError(
                    f"{_option(option)} converts the images of an image folder or of domains; a named "
                    f"dataset ({dataset or 'the model default'}) keeps its own size and channels. "
                    f"Received: {option}={value!r}")


def grid_batch(dataset, with_labels, pool=1024):
    """The fixed `(images, labels)` of the sample grids: `GRID_SIZE` examples spread over the
    first `pool` of `dataset`, every class in turn when there are labels. The first examples
    alone would be one class of a folder, whose files come sorted by class."""
    batch = next(iter(dataset.unbatch().batch(pool)))
    images, labels = (np.asarray(b) for b in batch) if with_labels else (np.asarray(batch), None)
    if labels is None:
        picked = np.linspace(0, len(images) - 1, min(GRID_SIZE, len(images))).round().astype(int)
        return images[np.unique(picked)], None
    picked = data_lib.classes_in_turn(labels)[:GRID_SIZE]
    return images[picked], labels[picked]


def load_data(model_class, dataset="fashion_mnist", split="train", validation_split="test",
              data_dir=None, image_folder=None, image_size=28, channels=1,
              batch_size=128, download=False, seed=0, validation_fraction=0.1, validation_seed=0):
    """Training and validation pipelines in the model class's value range.

    A named `dataset` validates on its `validation_split`; an `image_folder`
    holds out `validation_fraction` of each class's files, chosen with
    `validation_seed` (`keras_genai.data.split_image_files`).

    Returns:
        dict with `train`, `validation` (or None), `grid` (a fixed
        `(images, labels)` batch for sample grids, from the validation
        images where there are any), `image_shape`, `num_classes`,
        `class_names` (or None) and `validation_files` (the number of
        files held out of an image folder; None for a named dataset).
    """
    kwargs = dict(batch_size=batch_size, value_range=model_class.value_range,
                  with_labels=model_class.needs_labels, seed=seed)
    validation, validation_files = None, None
    if image_folder:
        paths, labels, class_names = data_lib.list_image_folder(image_folder)
        if model_class.needs_labels and not class_names:
            raise ValueError(
                f"{model_class.__name__} needs labels but {image_folder!r} has no class sub-folders. "
                "Put each class's images in a sub-folder named after the class."
            )
        train_files, validation_files = data_lib.split_image_files(
            paths, labels, validation_fraction, validation_seed)
        folder_args = dict(image_size=(image_size, image_size), channels=channels)
        train = data_lib.image_files_dataset(*train_files, **folder_args, **kwargs)
        if validation_files[0]:
            validation = data_lib.image_files_dataset(*validation_files, **folder_args,
                                                      **{**kwargs, "shuffle": False})
        validation_files = len(validation_files[0])
        image_shape, num_classes = (image_size, image_size, channels), len(class_names)
        class_names = class_names or None
    else:
        image_shape, num_classes = data_lib.image_datasets.dataset_info(dataset, data_dir, download)
        class_names = data_lib.dataset_class_names(dataset, data_dir, download) if num_classes else None
        train = data_lib.image_dataset(dataset, split, data_dir, download=download, **kwargs)
        if validation_split:
            validation = data_lib.image_dataset(
                dataset, validation_split, data_dir, shuffle=False, download=download, **kwargs
            )
    return {"train": train, "validation": validation, "grid": grid_batch(validation or train, model_class.needs_labels),
            "image_shape": image_shape, "num_classes": num_classes,
            "class_names": class_names, "validation_files": validation_files}



def _option(name):
    return f"{name} (CLI: --{name.replace('_', '-')})"


VOCABULARIES = ("characters", "bytes")


def load_text_data(dataset="embedded", validation_split="test", data_dir=None, download=False,
                   vocabulary="characters", validation_fraction=0.1, fixed_vocabulary=None):
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
    longer sequences for non-ASCII text). `fixed_vocabulary` (a
    `CharacterVocabulary`, e.g. a pretrained model's when fine-tuning)
    replaces it: a corpus with characters it lacks gets a ValueError naming them.

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
    if fixed_vocabulary is not None:
        vocabulary = fixed_vocabulary
        missing = sorted(set(corpus) - set(vocabulary.characters)) if not vocabulary.byte_level else []
        if missing:
            shown = "".join(missing[:40])
            raise ValueError(
                f"The text has {len(missing)} characters the model's vocabulary lacks: {shown!r}"
                f"{' ...' if len(missing) > 40 else ''}. Replace or remove them, or fine-tune a model "
                "trained with --vocabulary bytes (any text), or train from scratch.")
    else:
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



def load_domain_data(model_class, domain_a, domain_b, validation_split="test", data_dir=None,
                     image_size=28, channels=None, batch_size=16, download=False, seed=0,
                     test_fraction=0.1):
    """Unpaired training and validation pipelines of two domains (see `keras_genai.data.domains`).

    Returns:
        dict like `load_data`'s, with `grid` a fixed `((x_a, x_b), None)`
        batch of the validation images (or train images without
        validation) and `domains`: what each domain is and how many images
        each split holds.
    """
    images = {}
    splits = ("train", "test") if validation_split else ("train",)
    for domain, spec in (("a", domain_a), ("b", domain_b)):
        for split in splits:
            images[domain, split] = data_lib.load_domain(
                spec, split, image_size=image_size, channels=channels, data_dir=data_dir,
                download=download, test_fraction=test_fraction, seed=seed)
    if images["a", "train"].shape[-1] != images["b", "train"].shape[-1]:
        raise ValueError(
            f"The domains have {images['a', 'train'].shape[-1]} and {images['b', 'train'].shape[-1]} channels "
            f"({domain_a!r}, {domain_b!r}); pass channels (CLI: --channels 1 or 3) to convert both."
        )

    def pipeline(split, offset=0):
        return data_lib.domains_dataset(images["a", split], images["b", split], batch_size,
                                        model_class.value_range, seed + offset)

    train = pipeline("train")
    validation = pipeline("test", 2) if validation_split else None
    grid_split = "test" if validation_split else "train"
    grid = tuple(np.asarray(data_lib.normalize_images(images[d, grid_split][:GRID_SIZE // 2],
                                                      model_class.value_range)) for d in "ab")
    counts = {f"{d}_{split}": len(images[d, split]) for d, split in images}
    return {"train": train, "validation": validation, "grid": (grid, None),
            "image_shape": tuple(images["a", "train"].shape[1:]), "num_classes": 0,
            "domains": {"a": domain_a, "b": domain_b, "test_fraction_of_folders": test_fraction,
                        "images": counts}}
