"""Text corpora by name or path, and token windows for language models.

Sources:
- `"tiny_shakespeare"`: tfds' builder (train / validation / test =
  1,003,854 / 55,770 / 55,770 characters). Prepared offline from a folder
  holding karpathy's `input.txt` (`manual_dir`); downloads only with
  `download=True`.
- `"embedded"`: the Python language reference's help topics shipped in the
  standard library (`pydoc_data.topics`, ~465k characters on Python 3.11),
  so every machine with Python has it and nothing is downloaded.
- any other string: a UTF-8 text file.

`embedded` and files are split by position: the first 90% is `train`,
the next 5% `validation`, the last 5% `test`. Split names can be joined
with `+` (`"validation+test"`), giving the parts concatenated in order.
`holdout_split` cuts a text at any fraction instead (the CLI's own text files).
"""

import os

import numpy as np
import tensorflow as tf

from keras_genai.data.download import download_and_prepare
from keras_genai.data.errors import DatasetNotAvailableError

TEXT_DATASETS = ("tiny_shakespeare", "embedded")
SPLITS = ("train", "validation", "test")
# Fractions of the text in each split, for `embedded` and files.
SPLIT_FRACTIONS = {"train": (0.0, 0.9), "validation": (0.9, 0.95), "test": (0.95, 1.0)}


def embedded_corpus():
    """The Python reference manual's help topics from the stdlib, as one str."""
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))


def split_names(split):
    names = [s.strip() for s in split.split("+")]
    unknown = [s for s in names if s not in SPLITS]
    if unknown or not names:
        raise ValueError(
            f"Text splits are {', '.join(SPLITS)}, optionally joined with '+'. Received: split={split!r}"
        )
    return names


def _fraction_split(text, split):
    parts = []
    for name in split_names(split):
        start, stop = SPLIT_FRACTIONS[name]
        parts.append(text[int(round(len(text) * start)) : int(round(len(text) * stop))])
    return "".join(parts)


def holdout_split(text, validation_fraction=0.1):
    """`(train, held_out)`: the text before and from its last `validation_fraction`.

    The held-out part is the end of the text, not a random sample of
    windows: windows drawn from the whole text would overlap the training
    text. With the default 0.1 they are `load_text`'s `train` and
    `validation+test` of a file.
    """
    if not 0 <= validation_fraction < 1:
        raise ValueError(
            "validation_fraction must be in [0, 1) (0: train on all of the text, no validation). "
            f"Received: validation_fraction={validation_fraction!r}"
        )
    cut = int(round(len(text) * (1 - validation_fraction)))
    return text[:cut], text[cut:]


def _default_manual_dirs():
    roots = [os.environ.get("KERAS_GENAI_DATA_DIR")]
    # The project's checkout sits beside ../shared/data on CI and dev machines.
    roots.append(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
    return [os.path.join(r, "tinyshakespeare") for r in roots if r]


def _tiny_shakespeare(split, data_dir, manual_dir, download):
    import tensorflow_datasets as tfds

    builder = tfds.builder("tiny_shakespeare", data_dir=data_dir)
    if not builder.is_prepared():
        candidates = [manual_dir] if manual_dir else _default_manual_dirs()
        found = next((d for d in candidates if os.path.exists(os.path.join(d, "input.txt"))), None)
        if found is None and not download:
            raise DatasetNotAvailableError(
                "tiny_shakespeare is not prepared in "
                f"{'data_dir=' + repr(data_dir) if data_dir else 'the tfds default data_dir'} and no "
                f"input.txt was found in {candidates}. Pass manual_dir (CLI: --data-dir) = a folder "
                "holding karpathy's tinyshakespeare input.txt to prepare it offline, or "
                "download=True (CLI: --download) to let tfds fetch it."
            )
        if found:  # prepared offline from input.txt
            builder.download_and_prepare(
                download_config=tfds.download.DownloadConfig(manual_dir=os.path.abspath(found)))
        else:
            download_and_prepare(builder, "tiny_shakespeare")
    examples = builder.as_dataset(split=split, batch_size=-1)
    return "".join(t.decode("utf-8") for t in examples["text"].numpy())


def load_text(source="tiny_shakespeare", split="train", data_dir=None, manual_dir=None, download=False):
    """One split of a corpus as a str.

    Args:
        source: str. `"tiny_shakespeare"`, `"embedded"` or a text file path.
        split: str. `"train"`, `"validation"`, `"test"`, or several joined
            with `+`.
        data_dir: str or None. tfds data_dir for `tiny_shakespeare`, or a
            folder holding its `input.txt` (then used as `manual_dir`).
        manual_dir: str or None. Folder with tiny Shakespeare's `input.txt`,
            to prepare the tfds dataset offline. Defaults to
            `$KERAS_GENAI_DATA_DIR/tinyshakespeare` or the project's
            `../shared/data/tinyshakespeare` when they exist.
        download: bool. Let tfds download `tiny_shakespeare`.
    """
    split_names(split)
    if data_dir and manual_dir is None and os.path.exists(os.path.join(data_dir, "input.txt")):
        data_dir, manual_dir = None, data_dir
    if source == "tiny_shakespeare":
        return _tiny_shakespeare(split, data_dir, manual_dir, download)
    if source == "embedded":
        return _fraction_split(embedded_corpus(), split)
    if not os.path.isfile(source):
        raise FileNotFoundError(
            f"Text source {source!r} is neither one of {TEXT_DATASETS} nor an existing file."
        )
    with open(source, encoding="utf-8") as f:
        text = f.read()
    if len(text) < 100:
        raise ValueError(
            f"{source!r} holds {len(text)} characters; a language model needs at least 100 "
            "(its last 10% become validation and test)."
        )
    return _fraction_split(text, split)


def token_windows(ids, length, stride=None):
    """Consecutive windows `(num, length)` of a 1-D id array, `stride` apart.

    The default stride `length - 1` makes windows of `length = context + 1`
    overlap by one token, so every token is predicted exactly once.
    """
    ids = np.asarray(ids, np.int32).reshape(-1)
    stride = stride or max(length - 1, 1)
    if len(ids) < length:
        raise ValueError(
            f"The text has {len(ids)} tokens, fewer than one window of {length}. "
            f"Use more text or a shorter sequence_length. Received: {len(ids)} tokens"
        )
    starts = np.arange(0, len(ids) - length + 1, stride)
    return ids[starts[:, None] + np.arange(length)[None, :]]


def random_windows(ids, length, num, seed=0):
    """`num` windows at uniformly random offsets (nanoGPT's `get_batch`)."""
    ids = np.asarray(ids, np.int32).reshape(-1)
    starts = np.random.default_rng(seed).integers(0, len(ids) - length + 1, size=num)
    return ids[starts[:, None] + np.arange(length)[None, :]]


def window_count(num_tokens, sequence_length):
    """Training windows an epoch of `text_dataset(shuffle=True)` holds: those that fit from any
    offset in [0, sequence_length), so that an epoch is as long whatever its offset."""
    return max((num_tokens - (sequence_length + 1) - (sequence_length - 1)) // sequence_length + 1, 1)


def text_dataset(ids, sequence_length, batch_size=64, shuffle=True, seed=0, passes=1):
    """A `tf.data.Dataset` of `(batch, sequence_length + 1)` int32 windows.

    Each window holds `sequence_length` inputs and, shifted by one, their
    targets. Without `shuffle`, consecutive windows cover the text once
    (every token predicted once: for evaluation). With `shuffle`, each
    epoch starts its windows at a new random offset and reshuffles them:
    the same fixed cut every epoch lets a model memorise each window at
    its position (a GPT reached loss 0.25 on its training windows and
    1.9-2.5 on the same text shifted by a few characters). An offset per
    window (nanoGPT's `get_batch`, `random_windows`: with replacement) did
    no better: a GPT on 35,000 characters, 1,000 steps, ended at val loss
    2.38 and 2.39 with it against 2.31 and 2.35 with this (two seeds,
    `tools/studies/text_window_sampling.py`), as every token is seen once
    an epoch here. `passes` (with `shuffle`) makes an epoch that many passes, each at its own
    offset and order: a short text's epoch is otherwise a few steps.
    """
    windows = token_windows(ids, sequence_length + 1)
    if not shuffle:
        return tf.data.Dataset.from_tensor_slices(windows).batch(batch_size).prefetch(tf.data.AUTOTUNE)
    ids = tf.constant(np.asarray(ids, np.int32).reshape(-1))
    stride = sequence_length
    count = window_count(int(ids.shape[0]), sequence_length)

    def windows_from(offset):
        starts = tf.cast(offset % stride, tf.int32) + tf.range(count) * stride
        starts = tf.minimum(starts, int(ids.shape[0]) - (sequence_length + 1))
        return tf.gather(ids, starts[:, None] + tf.range(sequence_length + 1)[None, :])

    offsets = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).take(1)
    dataset = offsets.flat_map(lambda offset: tf.data.Dataset.from_tensor_slices(windows_from(offset)))
    # Declared, so that Keras knows the epoch's length (progress bar, no "ran out of data").
    dataset = dataset.apply(tf.data.experimental.assert_cardinality(count))
    dataset = dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True)
    if passes > 1:
        dataset = dataset.repeat(passes)  # each repetition draws a new offset and order
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
