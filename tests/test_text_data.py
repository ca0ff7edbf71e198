import json

import numpy as np
import pytest

from keras_genai.data import CharacterVocabulary, embedded_corpus, load_text, text_dataset, token_windows


def test_vocabulary_round_trips_and_reports_unknown_characters():
    vocabulary = CharacterVocabulary.from_text("to be or not to be")
    assert vocabulary.size == len(set("to be or not to be"))
    assert vocabulary.decode(vocabulary.encode("not to be")) == "not to be"
    again = CharacterVocabulary.from_config(json.loads(json.dumps(vocabulary.get_config())))
    assert again == vocabulary
    with pytest.raises(ValueError, match=r"2 character\(s\) outside the vocabulary.*'x'.*'!'"):
        vocabulary.encode("to be x!")
    with pytest.raises(ValueError, match="repeats"):
        CharacterVocabulary("aab")


def test_byte_vocabulary_encodes_any_text():
    vocabulary = CharacterVocabulary(byte_level=True)
    ids = vocabulary.encode("naïve ☃")
    assert vocabulary.size == 256 and ids.max() < 256
    assert vocabulary.decode(ids) == "naïve ☃"


def test_embedded_corpus_splits_cover_it_in_order():
    corpus = embedded_corpus()
    assert len(corpus) > 100_000
    parts = [load_text("embedded", s) for s in ("train", "validation", "test")]
    assert "".join(parts) == corpus
    assert load_text("embedded", "validation+test") == parts[1] + parts[2]
    with pytest.raises(ValueError, match="split='dev'"):
        load_text("embedded", "dev")


def test_own_text_file(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("abcdefghij" * 20, encoding="utf-8")
    assert len(load_text(str(path), "train")) == 180
    assert len(load_text(str(path), "validation+test")) == 20
    with pytest.raises(FileNotFoundError, match="neither one of"):
        load_text(str(tmp_path / "missing.txt"))


def test_windows_predict_every_token_once():
    ids = np.arange(21)
    windows = token_windows(ids, 5)
    np.testing.assert_array_equal(windows[:, 1:].reshape(-1), np.arange(1, 21))
    batch = next(iter(text_dataset(ids, 4, batch_size=2, shuffle=False)))
    np.testing.assert_array_equal(batch, windows[:2])
    with pytest.raises(ValueError, match="fewer than one window"):
        token_windows(np.arange(3), 5)


def test_tiny_shakespeare_prepares_offline_with_tfds_split_sizes(tiny_shakespeare_dir, tmp_path):
    sizes = {
        s: len(load_text("tiny_shakespeare", s, data_dir=str(tmp_path), manual_dir=tiny_shakespeare_dir))
        for s in ("train", "validation", "test")
    }
    assert sizes == {"train": 1_003_854, "validation": 55_770, "test": 55_770}
    with open(f"{tiny_shakespeare_dir}/input.txt", encoding="utf-8") as f:
        original = f.read()
    assert load_text("tiny_shakespeare", "validation+test", data_dir=str(tmp_path)) == original[1_003_854:]


def test_tiny_shakespeare_missing_is_a_clear_error(tmp_path):
    from keras_genai.data import DatasetNotAvailableError

    with pytest.raises(DatasetNotAvailableError, match="manual_dir"):
        load_text("tiny_shakespeare", data_dir=str(tmp_path), manual_dir=str(tmp_path / "nothing"))


def test_training_windows_move_to_a_new_offset_each_epoch():
    ids = np.arange(1000)
    dataset = text_dataset(ids, 8, batch_size=1000, shuffle=True, seed=0)
    epochs = [np.asarray(next(iter(dataset))) for _ in range(6)]
    for windows in epochs:
        # Contiguous slices of the text, the same number every epoch.
        assert windows.shape == (len(epochs[0]), 9)
        np.testing.assert_array_equal(np.diff(windows, axis=1), 1)
    assert int(dataset.cardinality()) == 1  # one batch of all the windows: the length is known
    phases = {int(windows[:, 0].min() % 8) for windows in epochs}
    assert len(phases) > 1, phases
    fixed = np.asarray(next(iter(text_dataset(ids, 8, batch_size=1000, shuffle=False))))
    np.testing.assert_array_equal(fixed, token_windows(ids, 9))
