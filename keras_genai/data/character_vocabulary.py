"""Characters (or bytes) <-> integer token ids."""

import collections
import json

import numpy as np


class CharacterVocabulary:
    """A character-level vocabulary, or the 256 UTF-8 byte values.

    Token ids are positions in `characters` (sorted as given). With
    `byte_level=True` the ids are the bytes of the UTF-8 encoding, so any
    text can be encoded; decoding replaces incomplete byte sequences.

    The vocabulary is its config: `get_config()` is a JSON-able dict and
    `CharacterVocabulary.from_config(config)` rebuilds it, so models and
    run folders store it next to their weights.

    Args:
        characters: str or list of str, or None. The characters, each once.
            Required unless `byte_level=True`.
        byte_level: bool. Use UTF-8 bytes (256 ids) instead of characters.
            Defaults to `False`.

    Example:

    >>> vocabulary = CharacterVocabulary.from_text("hello world")
    >>> vocabulary.decode(vocabulary.encode("hello"))
    'hello'
    """

    def __init__(self, characters=None, byte_level=False):
        if byte_level:
            if characters is not None:
                raise ValueError(
                    "A byte-level vocabulary has the 256 byte values; do not pass characters. "
                    f"Received: characters={characters!r:.60}"
                )
        else:
            if characters is None or len(characters) == 0:
                raise ValueError(
                    "A character vocabulary needs at least one character, e.g. "
                    "CharacterVocabulary.from_text(text), or byte_level=True. "
                    f"Received: characters={characters!r}"
                )
            characters = "".join(characters)
            repeated = [c for c, n in collections.Counter(characters).items() if n > 1]
            if repeated:
                raise ValueError(
                    f"Each character must appear once. Received: characters with repeats {repeated[:10]!r}"
                )
        self.characters = characters
        self.byte_level = bool(byte_level)
        self._index = None if byte_level else {c: i for i, c in enumerate(characters)}

    @classmethod
    def from_text(cls, text, byte_level=False):
        """The sorted set of characters in `text` (or bytes if `byte_level`)."""
        if byte_level:
            return cls(byte_level=True)
        return cls("".join(sorted(set(text))))

    @property
    def size(self):
        return 256 if self.byte_level else len(self.characters)

    def __len__(self):
        return self.size

    def encode(self, text):
        """`text` -> int32 ids, or a ValueError naming unknown characters."""
        if not isinstance(text, str):
            raise TypeError(f"encode takes a str. Received: text of type {type(text).__name__}")
        if self.byte_level:
            return np.frombuffer(text.encode("utf-8"), np.uint8).astype(np.int32)
        try:
            return np.fromiter((self._index[c] for c in text), np.int32, len(text))
        except KeyError:
            unknown = collections.Counter(c for c in text if c not in self._index)
            shown = ", ".join(f"{c!r} (x{n})" for c, n in unknown.most_common(10))
            raise ValueError(
                f"The text has {len(unknown)} character(s) outside the vocabulary of "
                f"{self.size} characters: {shown}. Use text made of the vocabulary's "
                "characters, build the vocabulary from text that has them "
                "(CharacterVocabulary.from_text), or use byte_level=True (CLI: train "
                "--vocabulary bytes). "
                f"Received: text={text[:40]!r}{'...' if len(text) > 40 else ''}"
            ) from None

    def decode(self, ids):
        """Token ids (any int array-like, 1-D) -> str."""
        ids = np.asarray(ids).reshape(-1)
        if ids.size and (ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(
                f"Token ids must be in [0, {self.size}). "
                f"Received: ids in [{ids.min()}, {ids.max()}]"
            )
        if self.byte_level:
            return bytes(ids.astype(np.uint8).tolist()).decode("utf-8", errors="replace")
        return "".join(self.characters[i] for i in ids.tolist())

    def get_config(self):
        return {"characters": self.characters, "byte_level": self.byte_level}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def to_json(self):
        return json.dumps(self.get_config())

    def __eq__(self, other):
        return isinstance(other, CharacterVocabulary) and self.get_config() == other.get_config()

    def __repr__(self):
        if self.byte_level:
            return "CharacterVocabulary(byte_level=True)"
        return f"CharacterVocabulary({self.size} characters)"
